"""Page sections built from queries, charts and the shell; pages call these and stay thin."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, queries, scorecard, theme
from dashboard.i18n import name
from dashboard.indicators import Summary, by_indicator, national_series, national_targets, same_basis, summarise_each
from dashboard.shell import (
    View,
    cached_chart,
    chart,
    conflict_explanation,
    conflict_notes,
    downloads,
    entity_label,
    figure_text,
    memo,
    no_data,
    quote_help,
    status_badge,
    view_query,
)
from kpis.progress import Goal
from kpis.registry import DASHBOARD_THEMES, load_headlines


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
    prev_text = (f"{view.t('previous')}: {figure_text(prev, view)} "
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
    if s.goal is None:
        return None
    pace = pace_text(s, view)
    return target_text(s.goal, s.unit, view) + (f" · {pace}" if pace else "")


def tile(ind: pd.Series, s: Summary, view: View) -> None:
    """A headline tile: value, date, change, target, progress and status (word and icon). Tiles in a row are of one
    height (each stretches to its column's), and a number keeps its unit on its line ('10,07 /10.000 dân')."""
    with st.container(border=True, height="stretch"):
        st.markdown(f"**[{theme.plain_md(name(ind, view.lang))}](/chi-so{view_query(id=ind['id'])})**")
        if s.latest is None:
            st.markdown(f"#### {view.t('no_data')}")
            st.markdown(status_badge("no_data", view))
            return
        latest = s.latest
        # a size that fits five tiles across a laptop: at '###' long values were broken inside a word
        st.markdown("#### " + re.sub(r"(?<=\d) ", "\u00a0", figure_text(latest, view)))
        period = ind.get("period", "point")
        note = f" · {view.t('period_' + period)}" if period != "point" else ""
        if isinstance(latest.get("definition"), str):  # the figure's own basis says more than the usual period
            note = f" · {theme.plain_md(name(latest, view.lang, 'definition'))}"
        st.caption(f"{view.t('as_of')} {theme.format_date(latest['as_of'], view.lang)}{note}",
                   help=quote_help(latest, view))
        if pd.notna(latest.get("conflict_id")):  # one line in the tile; the explanation behind its (?)
            st.caption(f":orange[:material/warning: {view.t('conflict')}]",
                       help=theme.plain_md(conflict_explanation(latest["conflict_id"], view.lang, latest.get("note"))))
        for line in (change_line(s, view), target_line(s, view)):
            if line:
                st.caption(line)
        st.markdown(status_badge(s.status, view))


def headline_tiles(theme_id: str, obs: pd.DataFrame, view: View, skip: frozenset[str] = frozenset()) -> None:
    inds = queries.indicators().set_index("id", drop=False)
    heads = [h for h in load_headlines() if h.theme == theme_id and h.indicator_id in inds.index
             and h.indicator_id not in skip]
    if not heads:
        return
    targets = queries.targets()
    summaries = memo(view, f"tiles:{theme_id}:{len(skip)}",
                     lambda: list(zip((inds.loc[h.indicator_id] for h in heads),
                                      summarise_each(inds.loc[[h.indicator_id for h in heads]], obs, targets,
                                                     on=view.as_of).values(),
                                      strict=True)))
    cols = st.columns(min(len(heads), 5))
    for col, (ind, summary) in zip(cols, summaries, strict=False):
        with col:
            tile(ind, summary, view)


def latest_per_entity(rows: pd.DataFrame) -> pd.DataFrame:
    """Each unit's latest figure; a figure a report restates (same value) is shown once, a different one kept."""
    rows = rows[rows["as_of"] == rows.groupby("entity_id")["as_of"].transform("max")]
    return rows.drop_duplicates(["entity_id", "category", "value"])


@dataclass
class Block:
    """One piece of a theme page, built once per (warehouse, view date, language) and cached."""

    kind: str  # "chart" or "flags"
    key: str
    title: str
    data: pd.DataFrame
    fig: go.Figure | None = None
    text: str = ""
    lang: str = field(kw_only=True)  # of the conflict explanations
    indicator_id: str = field(kw_only=True, default="")

    @cached_property
    def notes(self) -> str | None:
        return conflict_notes(self.data, self.lang)


MAX_CHARTS = 12  # in view on a page or tab: a briefing, not a wall
MAX_STORY_CHARTS = 8
MIN_POINTS = 3  # a chart needs at least three dates, groups or units; fewer are rows of the table


def _blocks(obs: pd.DataFrame, view: View, key: str) -> list[Block]:
    """The charts of a theme page, in briefing order: the targets' trajectories first, then the few charts that
    carry the theme's story (at least three dates, groups or units each, the fullest first), then lists of named
    units. Single figures are rows of the table of all indicators, never one-bar charts."""
    inds = queries.indicators().set_index("id", drop=False)
    targets = national_targets(queries.targets())
    dated = set(targets.loc[targets["year"].notna(), "indicator_id"])
    trajectories: list[Block] = []
    story: list[tuple[int, Block]] = []
    flags: list[Block] = []
    for ind_id, part in obs.groupby("indicator_id", sort=False):
        ind = inds.loc[ind_id]
        title = name(ind, view.lang)
        nat = part[(part["scope"] == "national") & part["category"].isna()]
        dates = nat["as_of"].nunique()
        if len(nat) and (ind_id in dated or dates >= MIN_POINTS):
            fig = charts.trend_figure(nat, title, ind["unit"], ind["direction"],
                                      targets[targets["indicator_id"] == ind_id], view.as_of, view.lang,
                                      ind["period"])
            block = Block("chart", f"{key}_{ind_id}_trend", title, nat, fig, lang=view.lang, indicator_id=ind_id)
            if ind_id in dated:
                trajectories.append(block)
            else:
                story.append((dates, block))
        groups = part[part["scope"] == "national"].dropna(subset=["category"])
        latest = groups[groups["as_of"] == groups["as_of"].max()] if len(groups) else groups
        if latest["category"].nunique() >= MIN_POINTS:
            fig = charts.bar_figure(latest, title, ind["unit"], ind["direction"], view.as_of, view.lang)
            story.append((latest["category"].nunique(),
                          Block("chart", f"{key}_{ind_id}_groups", title, latest, fig, lang=view.lang,
                                indicator_id=ind_id)))
        units = part[part["scope"] != "national"]
        if not units.empty:
            latest = latest_per_entity(units)
            t2 = f"{title} — {view.t('by_entity')}"
            if ind["unit"] == "flag":
                text = ", ".join(theme.plain_md(n) for n in sorted({entity_label(r, view.lang)
                                                                    for _, r in latest.iterrows()} - {""}))
                flags.append(Block("flags", f"{key}_{ind_id}_flags", t2, latest, text=text, lang=view.lang,
                                   indicator_id=ind_id))
            elif latest["entity_id"].nunique() >= MIN_POINTS:
                fig = charts.bar_figure(latest, t2, ind["unit"], ind["direction"], view.as_of, view.lang)
                story.append((latest["entity_id"].nunique(),
                              Block("chart", f"{key}_{ind_id}_units", t2, latest, fig, lang=view.lang,
                                    indicator_id=ind_id)))
    room = max(0, min(MAX_STORY_CHARTS, MAX_CHARTS - len(trajectories)))
    fullest = [b for _, b in sorted(story, key=lambda sb: -sb[0])[:room]]
    return trajectories[:MAX_CHARTS] + fullest + flags


@st.cache_resource(max_entries=256, show_spinner=False)
def _theme_blocks(stamp: queries.Stamp, as_of: dt.date, lang: str, theme_id: str, pillar: str | None) -> list[Block]:
    # Figures are cached as objects (not pickled copies): building them is most of a page's cost.
    view = View(lang=lang, as_of=as_of)
    obs = queries.theme_observations(as_of, theme_id, pillar)
    return _blocks(obs, view, f"{theme_id}_{pillar or 'all'}")


def render_blocks(blocks: list[Block], view: View) -> None:
    for b in blocks:
        if b.kind == "chart":
            chart(b.fig, b.data, b.title, view, b.key, notes=b.notes)
            if b.indicator_id:
                st.markdown(f"[{view.t('open_indicator')} →](/chi-so{view_query(id=b.indicator_id)})")
        elif b.kind == "flags":
            st.markdown(f"**{b.title}** ({theme.format_date(b.data['as_of'].max(), view.lang)})")
            st.markdown(b.text)
            downloads(b.data, b.title, view, b.key)


def indicator_sections(theme_id: str, view: View, pillar: str | None = None) -> None:
    """Every indicator with data: trend lines where there are several dates, bars for groups and units,
    and value cards for the single figures (downloadable together)."""
    render_blocks(_theme_blocks(queries.stamp(), view.as_of, view.lang, theme_id, pillar), view)


def indicator_rows(theme_id: str, obs: pd.DataFrame, view: View, pillar: str | None) -> pd.DataFrame:
    """One row per registered indicator of the theme: latest figure as stated, date, change where comparable,
    status, the exact figures of its basis for a sparkline, and the link to its page; those without data last."""
    def build() -> pd.DataFrame:
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
                latest, date = figure_text(s.latest, view), s.latest["as_of"]
            elif units["entity_id"].nunique() == 1:  # one unit's figure: the figure, and whose it is
                row = units.sort_values("as_of").iloc[-1]
                latest, date = f"{figure_text(row, view)} ({row['entity_name']})", row["as_of"]
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
                "status": f"{scorecard.SYMBOLS.get(status, '')} {view.t('status_' + status)}".strip(),
                "trend": points if len(points) >= 2 else None,
                "link": f"/chi-so{view_query(id=ind['id'])}",
                "_has": s.latest is not None or len(units) > 0,
            })
        frame = pd.DataFrame(rows)
        return frame.sort_values("_has", ascending=False, kind="stable").drop(columns="_has") if len(frame) else frame
    return memo(view, f"rows:{theme_id}:{pillar}", build)


def all_indicators_table(theme_id: str, obs: pd.DataFrame, view: View, pillar: str | None = None) -> None:
    """'Tất cả chỉ tiêu': every indicator of the theme in one searchable table, each row linking to its page."""
    rows = indicator_rows(theme_id, obs, view, pillar)
    if rows.empty:
        return
    st.subheader(view.t("all_indicators"))
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "name": st.column_config.TextColumn(view.t("indicator"), width="large"),
        "latest": view.t("latest_figure"), "date": view.t("date"), "change": view.t("change"),
        "status": view.t("status"),
        "trend": st.column_config.LineChartColumn(view.t("trend"), width="small"),
        "link": st.column_config.LinkColumn("", display_text=view.t("open_short"), width="small"),
    })


def theme_page(theme_id: str, view: View, pillar: str | None = None) -> None:
    """A theme (or one pillar of it) as a briefing: headline tiles, the targets' trajectories and the charts that
    carry its story, then every indicator in one table."""
    obs = queries.theme_observations(view.as_of, theme_id, pillar)
    if pillar is None:
        headline_tiles(theme_id, obs, view)
    if obs.empty:
        no_data(view)
    else:
        indicator_sections(theme_id, view, pillar)
    all_indicators_table(theme_id, obs, view, pillar)


BUDGET_STAGES = ("approved", "assigned", "allocated", "pending", "disbursed", "requested")
# the table's columns: (level, spending kind) of the whole S&T, innovation and DT budget
BUDGET_COLUMNS = (("total", "total"), ("total", "recurrent"), ("total", "investment"), ("central", "total"),
                  ("local", "total"))


def budget_glance(data: pd.DataFrame, view: View) -> pd.DataFrame:
    """One year's national budget at a glance: a row per stage, a column per level or spending kind, each cell the
    latest figure as stated ('65.020 tỷ đồng', 'khoảng 95.000 tỷ đồng'), '—' where no report gives it."""
    national = data[data["entity_id"].isna() & (data["domain"] == "st_innovation_dt") & data["definition"].isna()]
    rows = []
    for stage in BUDGET_STAGES:
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


def latest_budget_year(data: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    year = int(data["year"].max())
    return year, data[data["year"] == year]


def budget_stages(part: pd.DataFrame, year: int, view: View) -> tuple[str, pd.DataFrame, list[str]] | None:
    """The chart of one year's stages (approved … disbursed) of the whole budget: title, rows, bar labels; None
    when fewer than two stages are reported."""
    totals = part[part["entity_id"].isna() & (part["level"] == "total") & (part["spending_kind"] == "total")
                  & (part["domain"] == "st_innovation_dt") & part["stage"].isin(BUDGET_STAGES[:5])]
    totals = totals.sort_values("as_of").drop_duplicates("stage", keep="last")
    if len(totals) < 2:
        return None
    order = {s: i for i, s in enumerate(BUDGET_STAGES)}
    totals = totals.sort_values("stage", key=lambda s: s.map(order)).assign(
        value=lambda d: d["amount_bn_vnd"], unit="billion_vnd")
    return view.t("budget_stages_title", year=year), totals, [view.t(f"stage_{s}") for s in totals["stage"]]


def budget_section(view: View) -> None:
    """The latest year's budget at a glance (a small table and one chart of its stages), every row behind it."""
    st.header(view.t("budget_title"))
    data = queries.budget(view.as_of)
    if data.empty:
        no_data(view)
        return
    year, part = latest_budget_year(data)
    st.subheader(view.t("budget_year", year=year))
    st.table(budget_glance(part, view).set_index(view.t("budget_stage")))
    stages = budget_stages(part, year, view)
    if stages is not None:
        title, totals, labels = stages
        cached_chart(view, f"budget_stages_{year}", title, totals,
                     partial(charts.bar_figure, totals, title, "billion_vnd", "higher", view.as_of, view.lang,
                             labels=labels, keep_order=True))
    with st.expander(view.t("budget_all_rows")):
        shown = data.assign(stage=[view.t(f"stage_{s}") for s in data["stage"]],
                            level=[view.t(f"level_{s}") for s in data["level"]],
                            spending_kind=[view.t(f"kind_{s}") for s in data["spending_kind"]],
                            domain=[view.t(f"domain_{s}") for s in data["domain"]],
                            amount=[figure_text({"value": v, "unit": "billion_vnd", "qualifier": q}, view)
                                    for v, q in zip(data["amount_bn_vnd"], data["qualifier"], strict=True)])
        st.dataframe(shown[["year", "stage", "level", "spending_kind", "domain", "entity", "amount", "as_of"]].rename(
            columns={"year": view.t("fiscal_year"), "stage": view.t("budget_stage"), "level": view.t("budget_level"),
                     "spending_kind": view.t("budget_kind"), "domain": view.t("budget_domain"),
                     "entity": view.t("entity"), "amount": view.t("amount"), "as_of": view.t("date")}),
            hide_index=True, width="stretch")
        downloads(data, view.t("budget_title"), view, "budget_all")


def _stat_card(title: str, value: str, caption: str) -> None:
    """A bordered card whose texts wrap (st.metric truncates long Vietnamese names)."""
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.markdown(f"### {value}")
        if caption:
            st.caption(caption)


def late_strip(view: View) -> None:
    """Overdue tasks of each programme at its latest report date."""
    st.subheader(view.t("late_strip"), help=view.t("late_strip_help"))
    ts = queries.latest_task_status(view.as_of)
    ts = ts[ts["overdue"].notna()]
    if ts.empty:
        no_data(view)
        return
    per_row = 4
    rows = list(ts.iterrows())
    for i in range(0, len(rows), per_row):
        cols = st.columns(per_row)
        for col, (_, r) in zip(cols, rows[i:i + per_row], strict=False):
            total = r["total"] if pd.notna(r["total"]) else r.get("done_base")
            caption = f"{view.t('overdue_tasks')} · {view.t('as_of').lower()} {theme.format_date(r['as_of'], view.lang)}"
            if pd.notna(total):
                caption += " · " + view.t("of_total", total=theme.format_number(total, view.lang))
            if pd.notna(r.get("conflict_id")):
                caption += f" · :orange[:material/warning: {view.t('conflict')}]"
            with col:
                _stat_card(name(r, view.lang, "programme_name"), theme.format_number(r["overdue"], view.lang), caption)


def freshness_strip(view: View) -> None:
    st.subheader(view.t("freshness"), help=view.t("freshness_help"))
    fr = queries.freshness(view.as_of).set_index("theme")
    cols = st.columns(len(DASHBOARD_THEMES))
    for col, th in zip(cols, DASHBOARD_THEMES, strict=True):
        latest = fr["latest"].get(th) if th in fr.index else None
        n = int(fr["figures"].get(th)) if th in fr.index else 0
        with col:
            _stat_card(view.t(f"theme_{th}"),
                       theme.format_date(latest, view.lang) if latest is not None else view.t("no_data"),
                       f"{theme.format_number(n, view.lang)} {view.t('figures')}")


def overview(view: View) -> None:
    """The landing page: the scorecard of targets first, then the other headline indicators as context, what is
    late per programme, and how fresh the data is."""
    scorecard.scorecard(view)
    st.caption(view.t("status_rule"))
    scored = frozenset(ln.indicator["id"] for ln in scorecard.target_lines(view))
    st.header(view.t("context_indicators"), divider="gray")
    for th in DASHBOARD_THEMES:
        obs = queries.theme_observations(view.as_of, th)
        if not any(h.theme == th and h.indicator_id not in scored for h in load_headlines()):
            continue
        st.subheader(view.t(f"theme_{th}"))
        headline_tiles(th, obs, view, skip=scored)
    late_strip(view)
    freshness_strip(view)


def sources_page(view: View) -> None:
    """Where every figure comes from, which figures disagree, and when the warehouse was built."""
    lang, num = view.lang, partial(theme.format_number, lang=view.lang)
    src = queries.sources()
    st.subheader(view.t("footer_sources"))
    st.dataframe(pd.DataFrame({
        view.t("issuer"): src[f"issuer_{lang}"],
        view.t("report_title"): src[f"title_{lang}"],
        view.t("report_date"): [theme.format_date(d, lang) if pd.notna(d) else "" for d in src["report_date"]],
    }), hide_index=True, width="stretch")
    con = queries.conflicts()
    st.subheader(view.t("conflict"))
    st.caption(view.t("conflict_help"))
    reports = {r["source_file"]: f"{name(r, lang, 'issuer')} ({theme.format_date(r['report_date'], lang)})"
               for _, r in src.iterrows()}
    # a table, not a data grid: the explanations are sentences, and a grid cuts them off; numbered, not by id
    st.table(pd.DataFrame({
        "#": range(1, len(con) + 1),
        # without an explanation (a conflict only a submission flags), the rows' own notes
        view.t("explanation"): con[f"explanation_{lang}"].fillna(con["notes"]).fillna(""),
        view.t("row_count"): [num(n) for n in con["rows"]],
        view.t("reports"): ["; ".join(reports.get(f, view.t("submission")) for f in s) for s in con["sources"]],
    }).set_index("#"))
    st.subheader(view.t("status_rule_title"))
    st.markdown(view.t("status_rule"))
    st.markdown(view.t("status_method_source"))
    st.table(pd.DataFrame({
        view.t("status"): [f"{scorecard.SYMBOLS[s]} {view.t('status_' + s)}" for s in scorecard.SHOWN[:-1]],
        view.t("status_when"): [view.t(f"status_when_{s}") for s in scorecard.SHOWN[:-1]],
    }).set_index(view.t("status")))
    log = queries.load_log()
    with st.expander(view.t("build_log")):  # for the data team: files, sizes and checksums of the last build
        st.dataframe(pd.DataFrame({
            view.t("file"): log["file"],
            view.t("row_count"): [num(n) for n in log["rows"]],
            view.t("file_size"): [num(n) for n in log["bytes"]],
            view.t("loaded_at"): [theme.format_datetime(t_, lang) for t_ in log["loaded_at"]],
            view.t("file_kind"): log["kind"],
            "sha256": log["sha256"],
        }), hide_index=True, width="stretch")
