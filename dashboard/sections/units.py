"""Ministries, agencies and provinces: the league table of every per-unit figure, and the profile of one unit."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import charts, queries, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.models import Chart, Column, Downloads, Heading, Metric, Metrics, Table, Text, section
from dashboard.sections.themes import chart
from dashboard.texts import conflict_explanation, entity_label, figure_text, programme_name, quote_help, value_text
from dashboard.view import View

LEAGUE_MIN_UNITS = 5  # a column compares units only when the reports give it for this many
LEAGUE_PAGE = 12  # measures a view shows at once (the columns come a page at a time, the widest first)


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def league(view: View):
    """One row per unit, one column per figure the reports give for at least five units (screen only)."""
    def build():
        title, help_ = view.t("league_table"), view.t("league_help")
        # each unit's latest figure of each measure (the warehouse picks it): however many dates the figures span, a
        # view computes and sends one cell per unit and measure
        figs = queries.entity_latest(view.as_of)
        figs = figs[figs["unit"] != "flag"]
        figs = figs[figs.groupby("measure")["entity_id"].transform("nunique") >= LEAGUE_MIN_UNITS]
        if figs.empty:
            return section(Text(view.t("no_data"), "info"), title=title, help=help_, pack=False)
        first = figs.drop_duplicates("entity_id").set_index("entity_id")
        names = {e: entity_label(r, view.lang) for e, r in first.iterrows()}
        table = figs.pivot(index="entity_id", columns="measure", values="value").astype(float)
        # the widest measures first: a page of columns compares the most units
        table = table[table.notna().sum().sort_values(ascending=False, kind="stable").index]
        table = table.reset_index().assign(entity_name=lambda d: d["entity_id"].map(names))
        table = table[["entity_name", *table.columns[1:-1]]]
        table = table.sort_values("entity_name", key=lambda n: n.str.lower(), kind="stable").reset_index(drop=True)
        columns: list[tuple[str, Column]] = [("entity_name", Column(view.t("entity"), pinned=True))]
        spans = figs.groupby("measure").agg(row=("as_of", "idxmax"), since=("as_of", "min"), until=("as_of", "max"))
        for i, m in enumerate(table.columns[1:], start=1):
            row, since, until = figs.loc[spans.loc[m, "row"]], spans.loc[m, "since"], spans.loc[m, "until"]
            cat_label = row.get(f"category_name_{view.lang}") if isinstance(row["category"], str) else ""
            group = cat_label if isinstance(cat_label, str) and cat_label else ""
            day = theme.format_date(until, view.lang)
            days = day if since == until else f"{theme.format_date(since, view.lang)}–{day}"
            full = " · ".join(x for x in (name(row, view.lang, "indicator_name"),
                                          programme_name(row["programme"], view.lang), group,
                                          name(row, view.lang, "definition"), days) if x)
            # two columns of one indicator differ by their group: it is in the header, or the headers read the same
            stem = name(row, view.lang, "indicator_name")
            stem = stem if len(stem) <= 38 else stem[:37].rstrip() + "…"
            short = f"{stem}{' · ' + group if group else ''} ({days})"
            columns.append((m, Column(f"{i}. {short}", kind="number", help=full)))
        measures = list(table.columns[1:])
        # numbers in the reader's format and "—" where a report gives nothing (the grid would print "None")
        shown = table.assign(**{m: ["—" if pd.isna(v) else theme.format_number(v, view.lang) for v in table[m]]
                                for m in measures})
        labels = dict(columns)
        grid = table.rename(columns={"entity_name": view.t("entity")} | {m: labels[m].help for m in measures})
        return section(Table("league", shown, tuple(columns), sort_label=view.t("sort_by"), sort_values=table,
                             download=Downloads("league", title, grid, prepared=True), column_page=LEAGUE_PAGE),
                       title=title, help=help_, pack=False)
    return memo(("league", view), build)


def standing(obs: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None, pd.DataFrame]:
    """A unit's latest overdue-tasks row and products-reported row, and its overdue tasks at each report date."""
    def latest(indicator: str) -> pd.Series | None:
        rows = obs[obs["indicator_id"] == indicator].sort_values(["as_of", "value"])
        return rows.iloc[-1] if len(rows) else None

    history = obs[(obs["indicator_id"] == "tasks_overdue") & obs["category"].isna()]
    return latest("tasks_overdue"), latest("products_reported"), history


PEER_MIN = 3  # a unit among fewer peers is not a comparison


def peers_of(row: pd.Series, view: View) -> pd.DataFrame:
    """Every unit's figure of the same measure as `row` (indicator, programme, group, date), one per unit."""
    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    figs = queries.measure_figures(view.as_of, row["indicator_id"], text(row["programme"]), text(row["category"]),
                                   pd.Timestamp(row["as_of"]).date())
    return figs.drop_duplicates("entity_id", keep="last")


def peer_charts(rows: Sequence[pd.Series | None], view: View, agency_id: str, key: str | None = None) -> list[Chart]:
    """For each of the unit's figures in `rows`: every unit's figure of the same measure (indicator, programme,
    group, date) as a ranked bar, this unit outlined; `key`: the charts' key stem (unique on the page)."""
    out = []
    for i, row in enumerate(rows):
        if row is None:
            continue
        peers = peers_of(row, view)
        if peers["entity_id"].nunique() < PEER_MIN:
            continue
        title = (f"{name(row, view.lang, 'indicator_name')} — {view.t('among_units')} "
                 f"({theme.format_date(row['as_of'], view.lang)})")
        out.append(chart(f"{key or 'profile_peers_' + agency_id}_{i}", title, peers,
                         charts.bar_figure(peers, title, row["unit"], row["direction"], view.as_of, view.lang,
                                           highlight=agency_id), view))
    return out


def kind_line(ag: pd.Series, view: View) -> str:
    """'Tỉnh, thành phố · Vùng: Đồng bằng sông Hồng': what kind of unit, and where."""
    region = f" · {view.t('region')}: {view.t('region_' + ag['region'])}" if pd.notna(ag["region"]) else ""
    return view.t(f"agency_kind_{ag['kind']}") + region


def reporting_badges(obs: pd.DataFrame, view: View) -> list[Text]:
    """Whether the unit reported its products, at each report that says so."""
    flags = theme.terms("reporting")
    return [Text(view.t(f"reporting_{r['indicator_id']}"), "badge", help=quote_help(r, view.lang),
                 colour=flags[r["indicator_id"]]["colour"],
                 after=f" ({view.t('as_of').lower()} {theme.format_date(r['as_of'], view.lang)})")
            for _, r in obs[obs["indicator_id"].isin(list(flags))].sort_values("as_of").iterrows()]


def standing_metrics(obs: pd.DataFrame, view: View) -> Metrics:
    """A unit's standing in three numbers: its latest overdue tasks and products reported, and how many figures."""
    overdue, products, _ = standing(obs)

    def dated(label: str, row: pd.Series | None) -> str:  # an older figure says its date on the tile itself
        old = row is not None and pd.Timestamp(row["as_of"]).date() < view.as_of
        return f"{view.t(label)} ({theme.format_date(row['as_of'], view.lang)})" if old else view.t(label)

    return Metrics(tuple(Metric(dated(label, row), figure_text(row, view.lang) if row is not None else view.t("no_data"),
                                quote_help(row, view.lang) if row is not None else None)
                         for row, label in ((overdue, "overdue_tasks_cap"), (products, "products_reported_cap")))
                   + (Metric(view.t("figures_reported"), theme.format_number(len(obs), view.lang)),))


def profile_table(obs: pd.DataFrame, view: View) -> pd.DataFrame:
    """Every figure of a unit as the reader reads it: theme, indicator, programme, group, figure, date, source."""
    return pd.DataFrame({
        view.t("theme"): [view.t(f"theme_{th}") for th in obs["theme"]],
        view.t("indicator"): [name(r, view.lang, "indicator_name") for _, r in obs.iterrows()],
        view.t("programme"): [programme_name(p, view.lang) for p in obs["programme"]],
        view.t("category"): obs[f"category_name_{view.lang}"].fillna(obs["category"]).fillna(""),
        view.t("value"): [figure_text(r, view.lang) for _, r in obs.iterrows()],
        view.t("date"): [theme.format_date(d, view.lang) for d in obs["as_of"]],
        view.t("source"): [name(r, view.lang, "source_title") for _, r in obs.iterrows()],
        view.t("quote"): obs["source_quote"],
        view.t("conflict"): [conflict_explanation(c, view.lang, n) if isinstance(c, str) else ""
                             for c, n in zip(obs["conflict_id"], obs["note"], strict=True)],
    })


def budget_table(bud: pd.DataFrame, view: View) -> pd.DataFrame:
    """A unit's budget rows as the reader reads them: year, stage, amount (or 'Chưa có số liệu'), date, quote."""
    return pd.DataFrame({
        view.t("fiscal_year"): bud["year"],
        view.t("budget_stage"): [view.t(f"stage_{s}") for s in bud["stage"]],
        view.t("amount"): [value_text(v, "billion_vnd", view.lang) for v in bud["amount_bn_vnd"]],
        view.t("date"): [theme.format_date(d, view.lang) for d in bud["as_of"]],
        view.t("quote"): bud["source_quote"],
    })


def profile(view: View, agency_id: str):
    """Every figure the warehouse holds about one unit, across all themes, each with its source: whether it
    reported, its standing in three numbers, its overdue tasks over time, the unit among its peers, its figures and
    its budget."""
    def build():
        ag = queries.agencies().set_index("id").loc[agency_id]
        title = f"{view.t('profile')}: {theme.plain_md(name(ag, view.lang))}"
        obs = queries.entity_observations(view.as_of, agency_id, illustrative=False)
        bud = queries.entity_budget(view.as_of, agency_id)
        items: list = [Text(kind_line(ag, view), "caption"), *reporting_badges(obs, view)]
        if obs.empty and bud.empty:
            return section(*items, Text(view.t("profile_empty"), "info"), title=title)
        overdue, products, history = standing(obs)
        items.append(standing_metrics(obs, view))
        if history["as_of"].nunique() >= 2:  # each list the reports give is a line of its own (its programme)
            t2 = f"{view.t('overdue_tasks_cap')} — {entity_label(history.iloc[0], view.lang)}"
            # each list named by its report's date (two programmes' names do not fit a phone's legend)
            lists = history.assign(series_label=[view.t("list_of_date", date=theme.format_date(d, view.lang))
                                                 for d in history["report_date"]])
            items.append(chart(f"profile_overdue_{agency_id}", t2, history,
                               charts.trend_figure(lists, t2, "count", "lower", queries.targets().iloc[:0],
                                                   view.as_of, view.lang), view))
        items += peer_charts((overdue, products), view, agency_id)
        if not obs.empty:
            keep = tuple(view.t(k) for k in ("indicator", "category", "value", "date", "source"))
            items += [Heading(view.t("pack_profile_figures"), 3),
                      Table(f"profile_{agency_id}", profile_table(obs, view), pack_columns=keep,
                            pack_widths=(55, 30, 28, 18, 45),
                            download=Downloads(f"profile_{agency_id}", f"{view.t('profile')} {name(ag, view.lang)}", obs))]
        if not bud.empty:
            table = budget_table(bud, view)
            items += [Heading(view.t("budget_title"), 2),
                      Table(f"profile_budget_{agency_id}", table, pack_columns=tuple(table.columns[:-1]),
                            pack_widths=(20, 50, 40, 30))]
        return section(*items, title=title, shown=(obs,))
    return memo(("profile", agency_id, view), build)


def agencies_page(view: View, agency: str | None) -> list:
    return [*([profile(view, agency)] if agency else []), league(view)]
