"""Sections of the tracking pages: tasks per programme, agencies (league table, profile) and products."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, queries, theme
from dashboard.i18n import name
from dashboard.shell import (
    View,
    cached_chart,
    conflict_explanation,
    downloads,
    entity_label,
    figure_text,
    memo,
    no_data,
    quote_help,
    url_selectbox,
    value_text,
)

# Segments of a programme's status bar, in reading order: (task_status column, label key).
STATUS_PARTS = (
    ("done_on_time", "st_done_on_time"),
    ("done_late", "st_done_late"),
    ("done_unsplit", "st_done_unsplit"),
    ("in_progress_on_time", "st_in_progress_on_time"),
    ("overdue", "st_overdue"),
    ("recurring", "st_recurring"),
)
STAGES = ("dang_ky_de_xuat", "nghien_cuu", "thu_nghiem_thi_diem", "ung_dung_trien_khai", "thuong_mai",
          "chua_neu_tinh_trang")
FUNDING = ("nguon_thuong_xuyen_khac", "nguon_57", "nguon_thuong_xuyen_va_57", "chua_neu_nguon")


def _programme_label(r: pd.Series, view: View) -> str:
    return f"{name(r, view.lang, 'programme_name')} — {theme.format_date(r['as_of'], view.lang)}"


def _with_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """Attach report titles and dates to rows that carry a source_file (for the figure's source line)."""
    src = queries.sources()[["source_file", "title_vi", "title_en", "issuer_vi", "issuer_en", "report_date"]]
    src = src.rename(columns={"title_vi": "source_title_vi", "title_en": "source_title_en",
                              "issuer_vi": "source_issuer_vi", "issuer_en": "source_issuer_en"})
    return frame.merge(src, on="source_file", how="left")


def task_breakdown(view: View) -> None:
    """Stacked status bars per programme and report date, with shares of the total."""
    st.header(view.t("task_breakdown"))
    ts = queries.task_status(view.as_of)
    ts = ts[ts["entity_id"].isna() & ts["category"].isna() & ts["total"].notna()].copy()
    if ts.empty:
        no_data(view)
        return
    # A report that gives "done" without splitting it on time/late keeps that part as its own segment.
    split = ts["done_on_time"].fillna(0) + ts["done_late"].fillna(0)
    ts["done_unsplit"] = (ts["done"] - split).where(ts["done"].notna() & (ts["done"] > split))
    ts = ts.sort_values(["as_of", "programme"], ascending=[False, True])
    ts["label"] = [_programme_label(r, view) for _, r in ts.iterrows()]
    parts = [(c, view.t(k)) for c, k in STATUS_PARTS if ts[c].notna().any()]
    data = _with_sources(ts)
    title = view.t("task_breakdown")
    cached_chart(view, "task_breakdown", title, data.drop(columns=["label"]),
                 partial(charts.stacked_bar_figure, data, "label", parts, title, view.as_of, view.lang, data, share_of="total",
                         colours=theme.TASK_COLOURS))


def task_movement(view: View) -> None:
    """Overdue and done counts of each programme across its report dates."""
    st.header(view.t("task_movement"))
    ts = queries.task_status(view.as_of)
    ts = ts[ts["entity_id"].isna() & ts["category"].isna()]
    multi = ts.groupby("programme")["as_of"].transform("nunique") > 1
    ts = ts[multi]
    if ts.empty:
        no_data(view)
        return
    data = _with_sources(ts)
    for col, key in (("overdue", "st_overdue"), ("done", "st_done")):
        title = f"{view.t(key)} — {view.t('task_movement').lower()}"
        cached_chart(view, f"task_movement_{col}", title, data,
                     partial(charts.lines_figure, data, "as_of", col, "programme_name_" + view.lang, title,
                             view.as_of, view.lang))


def _overdue_lists(view: View, heading: str, by_group: bool) -> None:
    """Each overdue list the reports give (one per programme and date): per agency, or per task group."""
    st.header(view.t(heading))
    obs = queries.indicator_observations(view.as_of, ("tasks_overdue",))
    if by_group:
        rows = obs[obs["entity_id"].isna() & obs["category"].isin([g.removeprefix("group_") for g in GROUP_KEYS])]
    else:
        rows = obs[obs["entity_id"].notna()]
    if rows.empty:
        no_data(view)
        return
    progs = queries.programmes().set_index("id")
    for (prog, as_of), part in rows.groupby(["programme", "as_of"], sort=False):
        title = f"{view.t(heading)} — {name(progs.loc[prog], view.lang)} ({theme.format_date(as_of, view.lang)})"
        labels = [view.t(f"group_{c}") for c in part["category"]] if by_group else None
        cached_chart(view, f"{heading}_{prog}_{pd.Timestamp(as_of).date()}", title, part,
                     partial(charts.bar_figure, part, title, "count", "lower", view.as_of, view.lang, labels=labels,
                             colour=theme.TASK_COLOURS["overdue"]))


def overdue_by_agency(view: View) -> None:
    _overdue_lists(view, "task_overdue_by_agency", by_group=False)


def overdue_by_group(view: View) -> None:
    _overdue_lists(view, "task_overdue_by_group", by_group=True)


GROUP_KEYS = ("group_the_che", "group_ha_tang", "group_nhan_luc", "group_chi_dao_dieu_hanh",
              "group_cds_doanh_nghiep", "group_cds_he_thong_chinh_tri")


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


LEAGUE_MIN_UNITS = 5  # a column compares units only when the reports give it for this many


def _league(view: View) -> tuple[pd.DataFrame | None, dict | None, pd.DataFrame]:
    """The league table, its column settings and the figures behind it (built once per view)."""
    figs = queries.entity_figures(view.as_of)
    figs = figs[figs["unit"] != "flag"]
    if figs.empty:
        return None, None, figs
    progs = queries.programmes().set_index("id")
    # Short, unique headers; the full wording (programme, group, date) is in each header's tooltip.
    figs = figs.assign(
        measure=[f"{r['indicator_id']}|{_text(r['programme'])}|{_text(r['category'])}|{r['as_of']:%Y-%m-%d}"
                 for _, r in figs.iterrows()],
    )
    wide_enough = figs.groupby("measure")["entity_id"].transform("nunique") >= LEAGUE_MIN_UNITS
    figs = figs[wide_enough]
    units = figs.assign(unit_name=[entity_label(r, view.lang) for _, r in figs.iterrows()])  # official English names
    table = units.pivot_table(index=["entity_id", "unit_name"], columns="measure", values="value", aggfunc="max")
    table = table.astype(float).reset_index().drop(columns="entity_id").rename(columns={"unit_name": "entity_name"})
    table = table.sort_values("entity_name", key=lambda n: n.str.lower(), kind="stable").reset_index(drop=True)
    config: dict[str, object] = {"entity_name": st.column_config.TextColumn(view.t("entity"), pinned=True)}
    for i, m in enumerate(table.columns[1:], start=1):
        ind_id, prog, cat, day = m.split("|")
        row = figs[figs["measure"] == m].iloc[0]
        cat_label = row.get(f"category_name_{view.lang}") if cat else ""
        full = " · ".join(x for x in (name(row, view.lang, "indicator_name"),
                                      name(progs.loc[prog], view.lang) if prog else "",
                                      cat_label if isinstance(cat_label, str) else cat,
                                      theme.format_date(row["as_of"], view.lang)) if x)
        # two columns of one indicator differ by their group: it is in the header, or the headers read the same
        stem = name(row, view.lang, "indicator_name")
        stem = stem if len(stem) <= 38 else stem[:37].rstrip() + "…"
        group = cat_label if isinstance(cat_label, str) and cat_label else ""
        short = f"{stem}{' · ' + group if group else ''} ({theme.format_date(row['as_of'], view.lang)})"
        config[m] = st.column_config.Column(f"{i}. {short}", help=full, alignment="right")
    return table, config, figs


def league_table(view: View) -> None:
    """One row per unit, one column per figure the reports give for at least three units."""
    st.header(view.t("league_table"), help=view.t("league_help"))
    table, config, figs = memo(view, "league_table", lambda: _league(view))
    if table is None:
        no_data(view)
        return
    measures = list(table.columns[1:])
    by = st.selectbox(view.t("sort_by"), [None, *measures], key="league_sort",
                      format_func=lambda m: view.t("entity") if m is None else config[m]["label"])
    if by is not None:  # largest first, units without the figure last
        table = table.sort_values(by, ascending=False, na_position="last")
    # numbers in the reader's format and "—" where a report gives nothing (the grid would print "None")
    shown = table.assign(**{m: ["—" if pd.isna(v) else theme.format_number(v, view.lang) for v in table[m]]
                            for m in measures})
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    # the download is the grid on the screen, each header in full
    grid = table.rename(columns={"entity_name": view.t("entity")} | {m: config[m]["help"] for m in measures})
    downloads(grid, view.t("league_table"), view, "league", prepared=True)


def agency_picker(view: View) -> str | None:
    """A unit chosen in the page or given in the URL as ?agency=<id, name or alias>."""
    ags = queries.agencies()
    names = dict(zip(ags["id"], ags["name_" + view.lang].fillna(ags["name_vi"]), strict=True))
    wanted = st.query_params.get("agency")
    if wanted and wanted not in names:
        resolved = queries.resolve_agency(wanted)
        if resolved:
            st.query_params["agency"] = resolved
        else:
            st.warning(view.t("agency_not_found", name=theme.plain_md(wanted)), icon=":material/search_off:")
    ids = sorted(names, key=lambda i: (ags.set_index("id").loc[i, "kind"] != "ministry", names[i]))
    return url_selectbox(view.t("pick_agency"), ids, "agency", names.get, none_label="—")


REPORTING = {  # what a report says of a unit's own reporting -> (label key, colour)
    "products_unit_with": ("reported_with_products", "green"),
    "products_unit_without": ("reported_without_products", "blue"),
    "products_unit_no_info": ("not_reported_products", "orange"),
    "report_submitted_late": ("reported_late", "orange"),
}


def compliance_line(obs: pd.DataFrame, view: View) -> None:
    """Whether the unit sent its reports, as the latest reports say (the reports name who did not)."""
    rows = obs[obs["indicator_id"].isin(list(REPORTING))].sort_values("as_of")
    for _, r in rows.iterrows():
        key, colour = REPORTING[r["indicator_id"]]
        st.markdown(f":{colour}-badge[{view.t(key)}] "
                    f"({view.t('as_of').lower()} {theme.format_date(r['as_of'], view.lang)})",
                    help=quote_help(r, view))


def standing(obs: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None, pd.DataFrame]:
    """A unit's latest overdue-tasks row and products-reported row, and its overdue tasks at each report date."""
    def latest(indicator: str) -> pd.Series | None:
        rows = obs[obs["indicator_id"] == indicator].sort_values(["as_of", "value"])
        return rows.iloc[-1] if len(rows) else None

    history = obs[(obs["indicator_id"] == "tasks_overdue") & obs["category"].isna()]
    return latest("tasks_overdue"), latest("products_reported"), history


def overdue_history_chart(history: pd.DataFrame, view: View) -> tuple[str, Callable[[], go.Figure]]:
    """The title and the maker of a unit's overdue tasks over time (the profile's chart, on screen and in the pack)."""
    title = f"{view.t('overdue_tasks_cap')} — {entity_label(history.iloc[0], view.lang)}"
    return title, partial(charts.trend_figure, history, title, "count", "lower", queries.targets().iloc[:0],
                          view.as_of, view.lang)


PEER_MIN = 3  # a unit among fewer peers is not a comparison


def peer_charts(rows: Sequence[pd.Series | None], view: View, agency_id: str
                ) -> list[tuple[str, pd.DataFrame, Callable[[], go.Figure]]]:
    """For each of the unit's figures in `rows`: every unit's figure of the same measure (indicator, programme,
    group, date) as a ranked bar, this unit outlined — the profile's charts, on screen and in the pack."""
    figs = queries.entity_figures(view.as_of)
    out = []
    for row in rows:
        if row is None:
            continue
        same = (figs["indicator_id"] == row["indicator_id"]) & (figs["as_of"] == row["as_of"])
        for col in ("programme", "category"):
            same &= figs[col].fillna("") == ("" if pd.isna(row[col]) else row[col])
        peers = figs[same].drop_duplicates("entity_id", keep="last")
        if peers["entity_id"].nunique() < PEER_MIN:
            continue
        title = (f"{name(row, view.lang, 'indicator_name')} — {view.t('among_units')} "
                 f"({theme.format_date(row['as_of'], view.lang)})")
        out.append((title, peers, partial(charts.bar_figure, peers, title, row["unit"], row["direction"], view.as_of,
                                          view.lang, highlight=agency_id)))
    return out


def at_a_glance(obs: pd.DataFrame, view: View, agency_id: str) -> None:
    """The unit's standing in three numbers (overdue tasks, products reported, figures the reports give of it) and,
    where the reports give it at several dates, its overdue tasks over time."""
    overdue, products, history = standing(obs)
    cols = st.columns(3)
    for col, row, label in ((cols[0], overdue, "overdue_tasks_cap"), (cols[1], products, "products_reported_cap")):
        col.metric(view.t(label), figure_text(row, view) if row is not None else view.t("no_data"), border=True,
                   help=(f"{view.t('as_of')} {theme.format_date(row['as_of'], view.lang)}" if row is not None else None))
    cols[2].metric(view.t("figures_reported"), theme.format_number(len(obs), view.lang), border=True)
    if history["as_of"].nunique() >= 2:
        title, build = overdue_history_chart(history, view)
        cached_chart(view, f"profile_overdue_{agency_id}", title, history, build)
    for i, (title, peers, build) in enumerate(peer_charts((overdue, products), view, agency_id)):
        cached_chart(view, f"profile_peers_{agency_id}_{i}", title, peers, build)


def kind_line(ag: pd.Series, view: View) -> str:
    """'Tỉnh, thành phố · Vùng: Đồng bằng sông Hồng': what kind of unit, and where."""
    region = f" · {view.t('region')}: {view.t('region_' + ag['region'])}" if pd.notna(ag["region"]) else ""
    return view.t(f"agency_kind_{ag['kind']}") + region


def budget_table(bud: pd.DataFrame, view: View) -> pd.DataFrame:
    """A unit's budget rows as the reader reads them: year, stage, amount (or 'Chưa có số liệu'), date, quote."""
    return pd.DataFrame({
        view.t("fiscal_year"): bud["year"],
        view.t("budget_stage"): [view.t(f"stage_{s}") for s in bud["stage"]],
        view.t("amount"): [value_text(v, "billion_vnd", view) for v in bud["amount_bn_vnd"]],
        view.t("date"): [theme.format_date(d, view.lang) for d in bud["as_of"]],
        view.t("quote"): bud["source_quote"],
    })


def profile_table(obs: pd.DataFrame, view: View) -> pd.DataFrame:
    """Every figure of a unit as the reader reads it: theme, indicator, programme, group, figure, date, source."""
    progs = queries.programmes().set_index("id")
    return pd.DataFrame({
        view.t("theme"): [view.t(f"theme_{th}") for th in obs["theme"]],
        view.t("indicator"): [name(r, view.lang, "indicator_name") for _, r in obs.iterrows()],
        view.t("programme"): [name(progs.loc[p], view.lang) if isinstance(p, str) and p in progs.index else ""
                              for p in obs["programme"]],
        view.t("category"): obs[f"category_name_{view.lang}"].fillna(obs["category"]).fillna(""),
        view.t("value"): [figure_text(r, view) for _, r in obs.iterrows()],
        view.t("date"): [theme.format_date(d, view.lang) for d in obs["as_of"]],
        view.t("source"): [name(r, view.lang, "source_title") for _, r in obs.iterrows()],
        view.t("quote"): obs["source_quote"],
    })


def agency_profile(view: View, agency_id: str) -> None:
    """Every figure the warehouse holds about one unit, across all themes, each with its source."""
    ags = queries.agencies().set_index("id")
    ag = ags.loc[agency_id]
    st.header(f"{view.t('profile')}: {theme.plain_md(name(ag, view.lang))}")
    st.caption(kind_line(ag, view))
    obs = queries.entity_observations(view.as_of, agency_id, illustrative=False)
    bud = queries.entity_budget(view.as_of, agency_id)
    compliance_line(obs, view)
    if obs.empty and bud.empty:
        st.info(view.t("profile_empty"), icon=":material/info:")
        return
    at_a_glance(obs, view, agency_id)
    if not obs.empty:
        table = profile_table(obs, view).assign(**{view.t("conflict"): [
            conflict_explanation(c, view.lang, n) if isinstance(c, str) else ""
            for c, n in zip(obs["conflict_id"], obs["note"], strict=True)]})
        st.dataframe(table, hide_index=True, width="stretch")
        downloads(obs, f"{view.t('profile')} {ag['name_vi']}", view, f"profile_{agency_id}")
    if not bud.empty:
        st.subheader(view.t("budget_title"))
        st.dataframe(budget_table(bud, view), hide_index=True, width="stretch")


def _category_rows(obs: pd.DataFrame, prefix: str, cats: tuple[str, ...]) -> pd.DataFrame:
    rows = obs[obs["entity_id"].isna() & obs["category"].isin([prefix + c for c in cats])]
    rows = rows.drop_duplicates("category")
    order = {prefix + c: i for i, c in enumerate(cats)}
    return rows.sort_values("category", key=lambda s: s.map(order))


def products(view: View) -> None:
    """The 348-product analysis: strategic or not, stage funnel, funding source, reporting units."""
    obs = queries.theme_observations(view.as_of, "products")
    counts = obs[obs["indicator_id"] == "products_reported"]
    if counts.empty:
        no_data(view)
        return
    total = counts[counts["entity_id"].isna() & counts["category"].isna()]
    if not total.empty:
        st.metric(name(total.iloc[0], view.lang, "indicator_name"),
                  value_text(total.iloc[0]["value"], "count", view), border=True)
    cats = queries.categories()

    def labels(slugs: pd.Series, prefix: str = "") -> list[str]:  # a chart of one group names its parts alone
        return [name(cats.loc[c.removeprefix(prefix)], view.lang) for c in slugs]

    split = _category_rows(counts, "", ("cncl", "ngoai_cncl"))
    if not split.empty:
        title = view.t("products_strategic")
        cached_chart(view, "products_split", title, split,
                     partial(charts.bar_figure, split, title, "count", "higher", view.as_of, view.lang,
                                    labels=labels(split["category"])))
    stages = _category_rows(counts, "cncl_", STAGES)
    if not stages.empty:
        title = view.t("products_stage")
        cached_chart(view, "products_stage", title, stages,
                     partial(charts.funnel_figure, stages, labels(stages["category"], "cncl_"), title, view.as_of,
                             view.lang))
    for prefix in ("", "cncl_", "ngoai_cncl_"):
        funding = _category_rows(counts, prefix, FUNDING)
        if funding.empty:
            continue
        title = view.t("products_funding") + (f" — {name(cats.loc[prefix[:-1]], view.lang)}" if prefix else "")
        cached_chart(view, f"products_funding_{prefix or 'all'}", title, funding,
                     partial(charts.bar_figure, funding, title, "count", "higher", view.as_of, view.lang,
                             labels=labels(funding["category"], prefix)))
    per_unit = counts[counts["entity_id"].notna()]
    if not per_unit.empty:
        title = view.t("products_by_unit")
        labels = [f"{name({'name_vi': r['entity_name'], 'name_en': r['entity_name_en']}, view.lang)} · "
                  f"{name(r, view.lang, 'category_name') or r['category'] or ''}" for _, r in per_unit.iterrows()]
        cached_chart(view, "products_units_counts", title, per_unit,
                     partial(charts.bar_figure, per_unit, title, "count", "higher", view.as_of, view.lang, labels=labels))
    st.header(view.t("products_units"))
    cols = st.columns(3)
    for col, (ind, key) in zip(cols, (("products_unit_with", "units_with"), ("products_unit_without", "units_without"),
                                      ("products_unit_no_info", "units_no_info")), strict=True):
        rows = obs[obs["indicator_id"] == ind]
        with col:
            st.subheader(f"{view.t(key)} ({len(rows)})")
            st.markdown("\n".join(f"- {theme.plain_md(n)}" for n in sorted({entity_label(r, view.lang)
                                                                             for _, r in rows.iterrows()} - {""}))
                        or view.t("no_data"))
    flags = obs[obs["indicator_id"].isin(["products_unit_with", "products_unit_without", "products_unit_no_info"])]
    if not flags.empty:
        downloads(flags, view.t("products_units"), view, "products_units")


def illustrative_badge(view: View) -> None:
    st.markdown(f":orange-badge[:material/science: {view.t('illustrative_badge')}]")
    st.caption(view.t("illustrative_help"))



def illustrative_tasks(view: View) -> None:
    """The illustrative task registry: badge, what it reproduces, and the sortable overdue list."""
    if not view.illustrative:
        return
    tasks = queries.illustrative_tasks()
    if not tasks.empty:  # the registry reproduces each programme at a report date: not before that date
        tasks = tasks[pd.to_datetime(tasks["as_of"]).dt.date <= view.as_of]
    if tasks.empty:
        return
    st.header(view.t("overdue_list"))
    illustrative_badge(view)
    ags = queries.agencies()
    names = dict(zip(ags["id"], ags["name_" + view.lang].fillna(ags["name_vi"]), strict=True))
    progs = queries.programmes().set_index("id")
    overdue = tasks[tasks["status"] == "overdue"].copy()
    overdue["days_overdue"] = (pd.to_datetime(overdue["as_of"]) - pd.to_datetime(overdue["deadline"])).dt.days
    c1, c2, c3 = st.columns(3)
    prog = c1.selectbox(view.t("programme"), [None, *sorted(overdue["programme"].unique())],
                        format_func=lambda p: view.t("all") if p is None else name(progs.loc[p], view.lang),
                        key="ill_programme")
    agency_ids = sorted({a for leads in overdue["lead_agency_ids"] for a in leads.split(";")}, key=names.get)
    agency = c2.selectbox(view.t("lead_agencies"), [None, *agency_ids],
                          format_func=lambda a: view.t("all") if a is None else names.get(a, a), key="ill_agency")
    groups = sorted(overdue["task_group"].dropna().unique())
    group = c3.selectbox(view.t("task_group"), [None, *groups],
                         format_func=lambda g: view.t("all") if g is None else view.t(f"group_{g}"), key="ill_group")
    if prog:
        overdue = overdue[overdue["programme"] == prog]
    if agency:
        overdue = overdue[overdue["lead_agency_ids"].str.split(";").apply(lambda leads: agency in leads)]
    if group:
        overdue = overdue[overdue["task_group"] == group]
    overdue = overdue.sort_values("days_overdue", ascending=False)
    table = pd.DataFrame({
        "ID": overdue["task_id"],
        view.t("task"): overdue["title_" + view.lang],
        view.t("programme"): [name(progs.loc[p], view.lang) for p in overdue["programme"]],
        view.t("lead_agencies"): [", ".join(names.get(a, a) for a in s.split(";")) for s in overdue["lead_agency_ids"]],
        view.t("task_group"): [view.t(f"group_{g}") for g in overdue["task_group"]],
        view.t("deadline"): [theme.format_date(d, view.lang) for d in pd.to_datetime(overdue["deadline"])],
        view.t("days_overdue"): overdue["days_overdue"],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    downloads(overdue, view.t("overdue_list") + " minh hoa", view, "illustrative_overdue")
