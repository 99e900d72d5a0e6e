"""The five theme pages as briefings: headline tiles, the targets' trajectories and the charts that carry the theme's
story, then every indicator of the theme in one table; the budget on the resources page."""

from __future__ import annotations

import re
from functools import partial

import pandas as pd

from dashboard import charts, queries, scorecard, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.indicators import (
    Summary,
    by_indicator,
    national_series,
    national_targets,
    needed_text,
    same_basis,
    summarise_each,
)
from dashboard.models import (
    Chart,
    Column,
    Downloads,
    Expander,
    Heading,
    Names,
    Section,
    Tab,
    Table,
    Tabs,
    Text,
    Tile,
    Tiles,
    section,
)
from dashboard.texts import conflict_explanation, conflict_notes, entity_label, figure_text, quote_help, unit_names
from dashboard.view import View
from kpis.progress import Goal


def change_line(s: Summary, view: View) -> str | None:
    """'▲ +2,5 điểm % (tốt lên) · Kỳ trước: 40,8% (31/12/2025)': word and arrow, colour only as a help; no
    arrow between an estimate or a bound and another figure, nor between figures on different bases."""
    if s.previous is None:
        if s.other_basis is None:
            return None
        other = s.other_basis
        return ":gray[:material/block: " + theme.plain_md(view.t(
            "other_definition", date=theme.format_date(other["as_of"], view.lang),
            value=theme.format_figure(other, view.lang))) + "]"
    prev = s.previous
    prev_text = (f"{view.t('previous')}: {figure_text(prev, view.lang)} "
                 f"({theme.format_date(prev['as_of'], view.lang)})")
    if s.change is None:
        return f":gray[:material/info: {view.t('not_precise')}] · {prev_text}"
    if s.change == 0:
        return f":gray[:material/remove: {view.t('unchanged')}] · {prev_text}"
    better = (s.change > 0) == (s.direction == "higher")
    arrow = "arrow_upward" if s.change > 0 else "arrow_downward"
    colour, word = ("green", view.t("better")) if better else ("red", view.t("worse"))
    return f":{colour}[:material/{arrow}: {theme.format_change(s.change, s.unit, view.lang)} ({word})] · {prev_text}"


def target_text(goal: Goal, unit: str, view: View) -> str:
    """'Mục tiêu đến 2030: ≥ 2%'."""
    return (f"{view.t('target_by', year=goal.year)}: {theme.COMPARATORS[goal.comparator]} "
            f"{theme.format_value(goal.value, unit, view.lang)}")


def pace_text(s: Summary, view: View) -> str | None:
    """The observed growth as a share of the growth the target needs (R of the progress method), or None."""
    ratio = s.progress.ratio if s.goal is not None and s.status != "achieved" else None
    return None if ratio is None else f"{view.t('pace')} {theme.format_pace(ratio, view.lang)}"


def target_line(s: Summary, view: View) -> str | None:
    """The target in force and how the figure stands to it: the pace against the one needed, or, from a single
    figure, the pace still needed ('cần thêm 0,39 /10.000 dân mỗi năm')."""
    if s.goal is None:
        return None
    pace = pace_text(s, view) if s.status != "insufficient" else needed_text(s, view.lang)
    return target_text(s.goal, s.unit, view) + (f" · {pace}" if pace else "")


def status_badge(status: str, view: View) -> str:
    """A status as a coloured word with its icon (Markdown)."""
    return (f":{theme.status_colour_name(status)}[:material/{theme.status_icon(status)}: "
            f"**{view.t('status_' + status)}**]")


def tile(ind: pd.Series, s: Summary, view: View) -> Tile:
    """A headline tile: value, date, change, target, progress and status (word and icon); a number keeps its unit on
    its line ('10,07 /10.000 dân')."""
    title = name(ind, view.lang)
    link = view.link("chi-so", id=ind["id"])
    if s.latest is None:
        return Tile(title, link, view.t("no_data"), status="no_data", status_label=status_badge("no_data", view))
    latest = s.latest
    period = ind.get("period", "point")
    note = f" · {view.t('period_' + period)}" if period != "point" else ""
    if isinstance(latest.get("definition"), str):  # the figure's own basis says more than the usual period
        note = f" · {theme.plain_md(name(latest, view.lang, 'definition'))}"
    conflict = (theme.plain_md(conflict_explanation(latest["conflict_id"], view.lang, latest.get("note")))
                if pd.notna(latest.get("conflict_id")) else None)
    return Tile(title, link, re.sub(r"(?<=\d) ", "\u00a0", figure_text(latest, view.lang)),
                date_line=f"{view.t('as_of')} {theme.format_date(latest['as_of'], view.lang)}{note}",
                date_help=quote_help(latest, view.lang), conflict=conflict,
                lines=tuple(ln for ln in (change_line(s, view), target_line(s, view)) if ln),
                status=s.status, status_label=status_badge(s.status, view))


def headline_tiles(theme_id: str, view: View, skip: frozenset[str] = frozenset()) -> Tiles | None:
    """The theme's headline indicators (kpis/headlines.csv) as tiles; those in `skip` left out."""
    def build() -> Tiles | None:
        inds = queries.indicators().set_index("id", drop=False)
        heads = queries.headlines()
        ids = [i for i in heads.loc[heads["theme"] == theme_id, "indicator_id"] if i in inds.index and i not in skip]
        if not ids:
            return None
        obs = queries.theme_observations(view.as_of, theme_id)
        summaries = summarise_each(inds.loc[ids], obs, queries.targets(), on=view.as_of)
        return Tiles(tuple(tile(inds.loc[i], summaries[i], view) for i in ids))
    return memo(("tiles", theme_id, view, skip), build)


def latest_per_entity(rows: pd.DataFrame) -> pd.DataFrame:
    """Each unit's latest figure; a figure a report restates (same value) is shown once, a different one kept."""
    rows = rows[rows["as_of"] == rows.groupby("entity_id")["as_of"].transform("max")]
    return rows.drop_duplicates(["entity_id", "category", "value"])


MAX_CHARTS = 12  # in view on a page or tab: a briefing, not a wall
MAX_STORY_CHARTS = 8
MIN_POINTS = 3  # a chart needs at least three dates, groups or units; fewer are rows of the table


def chart(key: str, title: str, data: pd.DataFrame, fig: object, view: View, **kw: object) -> Chart:
    """A chart model with the explanations of the conflicts among its rows."""
    return Chart(key, title, fig, data, notes=conflict_notes(data, view.lang), **kw)


def blocks(obs: pd.DataFrame, view: View, key: str) -> list[Chart | Names]:
    """The charts of a theme page, in briefing order: the targets' trajectories first, then the few charts that
    carry the theme's story (at least three dates, groups or units each, the fullest first), then lists of named
    units. Single figures are rows of the table of all indicators, never one-bar charts."""
    inds = queries.indicators().set_index("id", drop=False)
    targets = national_targets(queries.targets())
    dated = set(targets.loc[targets["year"].notna(), "indicator_id"])
    trajectories: list[Chart] = []
    story: list[tuple[int, Chart]] = []
    flags: list[Names] = []
    for ind_id, part in obs.groupby("indicator_id", sort=False):
        ind = inds.loc[ind_id]
        title = name(ind, view.lang)
        nat = part[(part["scope"] == "national") & part["category"].isna()]
        dates = nat["as_of"].nunique()
        if len(nat) and (ind_id in dated or dates >= MIN_POINTS):
            mine = targets[targets["indicator_id"] == ind_id]
            fig = charts.trend_figure(nat, title, ind["unit"], ind["direction"], mine, view.as_of, view.lang,
                                      ind["period"], marks=scorecard.missed_marks(ind_id, view))
            block = chart(f"{key}_{ind_id}_trend", title, nat, fig, view, indicator_id=ind_id,
                          targets=charts.drawn_targets(mine))
            if ind_id in dated:
                trajectories.append(block)
            else:
                story.append((dates, block))
        groups = part[part["scope"] == "national"].dropna(subset=["category"])
        latest = groups[groups["as_of"] == groups["as_of"].max()] if len(groups) else groups
        if latest["category"].nunique() >= MIN_POINTS:
            fig = charts.bar_figure(latest, title, ind["unit"], ind["direction"], view.as_of, view.lang)
            story.append((latest["category"].nunique(),
                          chart(f"{key}_{ind_id}_groups", title, latest, fig, view, indicator_id=ind_id)))
        units = part[part["scope"] != "national"]
        if not units.empty:
            latest = latest_per_entity(units)
            t2 = f"{title} — {view.t('by_entity')}"
            if ind["unit"] == "flag":
                names = tuple(sorted({entity_label(r, view.lang) for _, r in latest.iterrows()} - {""}))
                flags.append(Names(f"{key}_{ind_id}_flags", t2, theme.format_date(latest["as_of"].max(), view.lang),
                                   names, latest))
            elif latest["entity_id"].nunique() >= MIN_POINTS:
                fig = charts.bar_figure(latest, t2, ind["unit"], ind["direction"], view.as_of, view.lang)
                story.append((latest["entity_id"].nunique(),
                              chart(f"{key}_{ind_id}_units", t2, latest, fig, view, indicator_id=ind_id)))
    room = max(0, min(MAX_STORY_CHARTS, MAX_CHARTS - len(trajectories)))
    fullest = [b for _, b in sorted(story, key=lambda sb: -sb[0])[:room]]
    return [*trajectories[:MAX_CHARTS], *fullest, *flags]


def indicator_rows(theme_id: str, obs: pd.DataFrame, view: View, pillar: str | None) -> pd.DataFrame:
    """One row per registered indicator of the theme: latest figure as stated, date, change where comparable,
    status, the exact figures of its basis for a sparkline, and the link to its page; those without data last."""
    inds = queries.indicators()
    mine = inds[(inds["theme"] == theme_id) & ((inds["pillar"] == pillar) if pillar else True)]
    summaries = summarise_each(mine, obs, queries.targets(), on=view.as_of)
    figures, national = by_indicator(obs), by_indicator(national_series(obs))
    rows = []
    for _, ind in mine.iterrows():
        s = summaries[ind["id"]]
        own = figures.get(ind["id"], obs.iloc[:0])
        units = own[own["scope"] != "national"]
        if s.latest is not None:
            latest, date = figure_text(s.latest, view.lang), s.latest["as_of"]
        elif units["entity_id"].nunique() == 1:  # one unit's figure: the figure, and whose it is
            row = units.sort_values("as_of").iloc[-1]
            latest, date = f"{figure_text(row, view.lang)} ({entity_label(row, view.lang)})", row["as_of"]
        elif len(units):
            latest = view.t("n_units", n=units["entity_id"].nunique())
            date = units["as_of"].max()
        else:
            latest, date = view.t("no_data"), None
        points = []
        if s.latest is not None:
            basis = same_basis(national[ind["id"]], s.latest)
            points = [float(r["value"]) for _, r in basis.iterrows() if theme.qualifier_of(r) == "exact"]
        status = s.status if s.latest is not None or len(units) == 0 else "no_target"
        rows.append({
            "name": name(ind, view.lang), "latest": latest,
            "date": theme.format_date(date, view.lang) if date is not None else "",
            "change": theme.format_change(s.change, s.unit, view.lang) if s.change is not None else "",
            "status": f"{theme.status_symbol(status)} {view.t('status_' + status)}".strip(),
            "trend": points if len(points) >= 2 else None,
            "link": view.link("chi-so", id=ind["id"]),
            "_has": s.latest is not None or len(units) > 0,
        })
    frame = pd.DataFrame(rows)
    return frame.sort_values("_has", ascending=False, kind="stable").drop(columns="_has") if len(frame) else frame


def all_indicators(theme_id: str, obs: pd.DataFrame, view: View, pillar: str | None) -> Section | None:
    """'Tất cả chỉ tiêu': every indicator of the theme in one table, each row linking to its page."""
    rows = indicator_rows(theme_id, obs, view, pillar)
    if rows.empty:
        return None
    columns = (("name", Column(view.t("indicator"), width="large")), ("latest", Column(view.t("latest_figure"))),
               ("date", Column(view.t("date"))), ("change", Column(view.t("change"))),
               ("status", Column(view.t("status"))), ("trend", Column(view.t("trend"), kind="line", width="small")),
               ("link", Column("", kind="link", width="small", link_text=view.t("open_short"))))
    return section(Table(f"all_{theme_id}_{pillar}", rows, columns, pack_columns=("name", "latest", "date", "change",
                                                                                   "status", "trend"),
                         pack_widths=(58, 32, 21, 18, 26, 18)),
                   title=view.t("all_indicators"), level=2)


def theme_part(theme_id: str, view: View, pillar: str | None = None) -> tuple[Section, ...]:
    """A theme (or one pillar of it): its charts, or 'no data', then the table of all its indicators."""
    def build() -> tuple[Section, ...]:
        obs = queries.theme_observations(view.as_of, theme_id, pillar)
        shown = blocks(obs, view, f"{theme_id}_{pillar or 'all'}") if not obs.empty else []
        # "no data" only when the theme has no figure at all: single figures are rows of the table below
        charts_ = section(*shown) if shown else section(Text(view.t("no_data"), "info")) if obs.empty else None
        table = all_indicators(theme_id, obs, view, pillar)
        return tuple(s for s in (charts_, table) if s is not None)
    return memo(("theme_part", theme_id, pillar, view), build)


def budget_glance(data: pd.DataFrame, view: View) -> pd.DataFrame:
    """One year's national budget at a glance: a row per stage, a column per level or spending kind, each cell the
    latest figure as stated ('65.020 tỷ đồng', 'khoảng 95.000 tỷ đồng'), '—' where no report gives it."""
    national = data[data["entity_id"].isna() & (data["domain"] == "st_innovation_dt") & data["definition"].isna()]
    rows = []
    for stage in theme.terms("stage"):
        cells = {}
        for level, kind in BUDGET_COLUMNS:
            hit = national[(national["stage"] == stage) & (national["level"] == level)
                           & (national["spending_kind"] == kind)].sort_values("as_of")
            cells[view.t(f"level_{level}") if kind == "total" and level != "total" else view.t(f"kind_{kind}")] = (
                theme.format_figure({"value": hit.iloc[-1]["amount_bn_vnd"], "unit": "billion_vnd",
                                     "qualifier": hit.iloc[-1]["qualifier"], "value_stated": None}, view.lang)
                if len(hit) else "—")
        if any(v != "—" for v in cells.values()):
            rows.append({view.t("budget_stage"): view.t(f"stage_{stage}")} | cells)
    return pd.DataFrame(rows)


# the glance table's columns: (level, spending kind) of the whole S&T, innovation and DT budget
BUDGET_COLUMNS = (("total", "total"), ("total", "recurrent"), ("total", "investment"), ("central", "total"),
                  ("local", "total"))


def latest_budget_year(data: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    year = int(data["year"].max())
    return year, data[data["year"] == year]


def budget_stages(part: pd.DataFrame, year: int, view: View) -> tuple[str, pd.DataFrame, list[str]] | None:
    """The chart of one year's stages (approved … disbursed) of the whole budget: title, rows, bar labels; None
    when fewer than two stages are reported."""
    flow = theme.budget_flow()
    totals = part[part["entity_id"].isna() & (part["level"] == "total") & (part["spending_kind"] == "total")
                  & (part["domain"] == "st_innovation_dt") & part["stage"].isin(flow)]
    totals = totals.sort_values("as_of").drop_duplicates("stage", keep="last")
    if len(totals) < 2:
        return None
    order = {s: i for i, s in enumerate(flow)}
    totals = totals.sort_values("stage", key=lambda s: s.map(order)).assign(
        value=lambda d: d["amount_bn_vnd"], unit="billion_vnd")
    return view.t("budget_stages_title", year=year), totals, [view.t(f"stage_{s}") for s in totals["stage"]]


def budget(view: View) -> Section:
    """The latest year's budget at a glance (a small table and one chart of its stages), every row behind it."""
    def build() -> Section:
        data = queries.budget(view.as_of)
        if data.empty:
            return section(Text(view.t("no_data"), "info"), title=view.t("budget_title"))
        year, part = latest_budget_year(data)
        glance = budget_glance(part, view)
        items: list = [Heading(view.t("budget_year", year=year), 2),
                       Table("budget_glance", glance.set_index(view.t("budget_stage")), grid=False, index=True,
                             pack_widths=(30,) + (20,) * (len(glance.columns) - 1))]
        stages = budget_stages(part, year, view)
        if stages is not None:
            title, totals, labels = stages
            items.append(chart(f"budget_stages_{year}", title, totals,
                               charts.bar_figure(totals, title, "billion_vnd", "higher", view.as_of, view.lang,
                                                 labels=labels, keep_order=True), view))
        units = unit_names(view.lang)
        shown = data.assign(stage=[view.t(f"stage_{s}") for s in data["stage"]],
                            entity=[units.get(i, e) if isinstance(i, str) else e
                                    for i, e in zip(data["entity_id"], data["entity"], strict=True)],
                            level=[view.t(f"level_{s}") for s in data["level"]],
                            spending_kind=[view.t(f"kind_{s}") for s in data["spending_kind"]],
                            domain=[view.t(f"domain_{s}") for s in data["domain"]],
                            amount=[figure_text({"value": v, "unit": "billion_vnd", "qualifier": q}, view.lang)
                                    for v, q in zip(data["amount_bn_vnd"], data["qualifier"], strict=True)])
        grid = shown[["year", "stage", "level", "spending_kind", "domain", "entity", "amount", "as_of"]].rename(
            columns={"year": view.t("fiscal_year"), "stage": view.t("budget_stage"), "level": view.t("budget_level"),
                     "spending_kind": view.t("budget_kind"), "domain": view.t("budget_domain"),
                     "entity": view.t("entity"), "amount": view.t("amount"), "as_of": view.t("date")})
        items.append(Expander(view.t("budget_all_rows"), (
            Table("budget_all", grid, download=Downloads("budget_all", view.t("budget_title"), data)),)))
        return section(*items, title=view.t("budget_title"), shown=(part.assign(value=part["amount_bn_vnd"]),))
    return memo(("budget", view), build)


def theme_page(theme_id: str, view: View) -> list:
    """A theme page: its headline tiles, then its charts and table (a tab per pillar for digital transformation),
    then, for resources, the budget."""
    tiles = headline_tiles(theme_id, view)
    out: list = [section(tiles, pack=False)] if tiles else []
    pillars = [r for r in theme.terms("pillar")]
    obs = queries.indicators()
    has_pillars = obs.loc[obs["theme"] == theme_id, "pillar"].notna().any()
    if has_pillars:
        out.append(section(Tabs("pillar", tuple(Tab(p, view.t(f"pillar_{p}"), partial(theme_part, theme_id, view, p))
                                                for p in pillars))))
    else:
        out.extend(theme_part(theme_id, view))
    if theme_id == "resources":
        out.append(budget(view))
    return out
