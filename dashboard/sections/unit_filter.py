"""A theme page or an indicator page seen for one unit (?unit=: a ministry, agency or province): the unit's figures
with the national figure as their reference, the targets set for it and its tasks. Where the reports give the unit
nothing, the page says so, never a zero. The meeting pack's briefing on a unit (sections/briefing.py) reads the same
pieces."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd

from dashboard import charts, queries, theme
from dashboard.cache import memo
from dashboard.i18n import name, t
from dashboard.indicators import Summary, by_indicator, national_series, same_basis, summarise
from dashboard.models import Chart, Column, Section, Tab, Table, Tabs, Text, Tiles, section
from dashboard.sections.indicator import figures_table, target_items
from dashboard.sections.themes import MAX_CHARTS, MIN_POINTS, chart, tile
from dashboard.sections.units import budget_table, peer_charts, peers_of
from dashboard.texts import figure_text, programme_name
from dashboard.view import View

# The column of the targets table that says whom a target is for (empty: the whole country). Until the targets
# table has it, no target is a unit's, and the pages say nothing of a unit's targets.
TARGET_UNIT = "entity_id"
MAX_TILES = 5
PROFILE_PAGE = "bo-nganh-dia-phuong"  # every unit's profile (a province's too) opens there


def unit_name(view: View) -> str:
    return name(queries.agencies().set_index("id").loc[view.unit], view.lang)


def unit_targets(unit: str) -> pd.DataFrame:
    """The targets set for `unit` alone."""
    targets = queries.targets()
    return targets[targets[TARGET_UNIT] == unit] if TARGET_UNIT in targets else targets.iloc[:0]


def has_unit_targets() -> bool:
    """Whether the targets table says whom a target is for (so that 'none for this unit' means something)."""
    return TARGET_UNIT in queries.targets()


def summable(unit_of_measure: str) -> bool:
    """A count or an amount (a unit of measure with a family in kpis/units.csv): the national figure is then a sum
    over the units, a context for one unit's figure but no line to measure it against."""
    families = queries.units().set_index("id")["family"]
    return isinstance(families.get(unit_of_measure), str) and bool(families.get(unit_of_measure))


def own_figures(view: View, theme_id: str | None = None, pillar: str | None = None) -> pd.DataFrame:
    """Every figure the reports give about the view's unit (of a theme, or one pillar of it)."""
    obs = queries.entity_observations(view.as_of, view.unit, illustrative=view.illustrative)
    if theme_id:
        obs = obs[obs["theme"] == theme_id]
    return obs[obs["pillar"] == pillar] if pillar else obs


def national_of(view: View, theme_id: str, pillar: str | None = None) -> dict[str, pd.DataFrame]:
    """The national series of each indicator of a theme (one figure per date and basis)."""
    return by_indicator(national_series(queries.theme_observations(view.as_of, theme_id, pillar)))


def reference(national: pd.DataFrame | None, row: pd.Series) -> pd.DataFrame:
    """The national figures a unit's figure is read against: same indicator, basis and unit of measure. A rank has
    none (a unit ranks among units, the country among countries), nor has a list."""
    if national is None or national.empty or row["unit"] in ("rank", "flag"):
        return pd.DataFrame()
    return same_basis(national[national["unit"] == row["unit"]], row)


def reference_line(national: pd.DataFrame, unit_of_measure: str) -> pd.DataFrame:
    """The national figures drawn as a line on a unit's chart: none when they are a sum over the units."""
    return national.iloc[:0] if national.empty or summable(unit_of_measure) else national


def reference_text(national: pd.DataFrame, view: View) -> str | None:
    """'Toàn quốc: khoảng 18,72% (31/12/2025)'."""
    if national.empty:
        return None
    last = national.sort_values("as_of").iloc[-1]
    return view.t("national_figure", value=figure_text(last, view.lang),
                  date=theme.format_date(last["as_of"], view.lang))


def unit_summary(ind: pd.Series, rows: pd.DataFrame, targets: pd.DataFrame) -> Summary:
    """The unit's own series summarised by the rules of the national one (one basis, exact figures, the period's
    comparisons), judged against the targets set for the unit only: its rows are read as a series of their own."""
    own = rows[rows["category"].isna() & (rows["indicator_id"] == ind["id"])].assign(scope="national")
    return summarise(ind, own, targets)


def figure_label(row: pd.Series, lang: str) -> str:
    """A unit's figure as a reader reads it: 'Luật: 5' for a group, the list a unit is named in for a flag."""
    group = row.get(f"category_name_{lang}")
    group = group if isinstance(group, str) and group else (row["category"] if pd.notna(row["category"]) else "")
    if row["unit"] == "flag":
        return group or t("named_in_list", lang)
    value = figure_text(row, lang)
    return f"{group}: {value}" if group else value


def latest_figures(rows: pd.DataFrame, lang: str, most: int = 3) -> str:
    """The unit's figures at its latest date for one indicator, a figure restated by two reports once."""
    last = rows[rows["as_of"] == rows["as_of"].max()].drop_duplicates(["programme", "category", "value"])
    labels = [figure_label(r, lang) for _, r in last.iterrows()]
    return "; ".join(labels[:most]) + (f" (+{len(labels) - most})" if len(labels) > most else "")


def tiles(theme_id: str, obs: pd.DataFrame, national: dict[str, pd.DataFrame], view: View) -> Tiles | None:
    """The unit's figures of the theme as tiles, its headline indicators first, then the latest: each with the
    national figure under it and the target set for the unit, if any."""
    plain = obs[obs["category"].isna() & (obs["unit"] != "flag")]
    if plain.empty:
        return None
    inds = queries.indicators().set_index("id", drop=False)
    heads = list(queries.headlines().query("theme == @theme_id")["indicator_id"])
    latest = plain.groupby("indicator_id")["as_of"].max()
    ids = sorted(latest.index, key=lambda i: (i not in heads, -latest[i].toordinal(), name(inds.loc[i], view.lang)))
    targets = unit_targets(view.unit)
    out = []
    for ind_id in ids[:MAX_TILES]:
        s = unit_summary(inds.loc[ind_id], plain, targets)
        shown = tile(inds.loc[ind_id], s, view)
        ref = reference_text(reference(national.get(ind_id), s.latest), view)
        out.append(replace(shown, lines=(*shown.lines, *([f":gray[{theme.plain_md(ref)}]"] if ref else []))))
    return Tiles(tuple(out))


def tasks(view: View) -> Section:
    """The unit's tasks per programme (two programmes are two lists, never one series): overdue, in total, when."""
    obs = queries.entity_observations(view.as_of, view.unit, illustrative=False)
    obs = obs[obs["indicator_id"].isin(["tasks_overdue", "tasks_total"]) & obs["category"].isna()]
    title = view.t("unit_tasks", unit=unit_name(view))
    if obs[obs["indicator_id"] == "tasks_overdue"].empty:
        return section(Text(view.t("unit_no_tasks", unit=unit_name(view)), "info"), title=title, level=2)
    rows = []
    latest = obs.sort_values("as_of").drop_duplicates(["programme", "indicator_id"], keep="last")
    for prog, part in sorted(latest.groupby("programme"), key=lambda pp: pp[1]["as_of"].max(), reverse=True):
        got = part.set_index("indicator_id")
        rows.append({view.t("programme"): programme_name(prog, view.lang),
                     view.t("overdue_tasks_cap"): figure_text(got.loc["tasks_overdue"], view.lang)
                     if "tasks_overdue" in got.index else view.t("no_data"),
                     view.t("tasks_total_cap"): figure_text(got.loc["tasks_total"], view.lang)
                     if "tasks_total" in got.index else view.t("no_data"),
                     view.t("date"): theme.format_date(part["as_of"].max(), view.lang)})
    return section(Table(f"unit_tasks_{view.unit}", pd.DataFrame(rows), grid=False, pack_widths=(100, 28, 26, 22)),
                   title=title, level=2, shown=(obs,))


def targets_section(view: View, indicator_ids: set[str] | None = None) -> Section | None:
    """The targets set for the unit (of these indicators), each with its source; None when the targets table does
    not say whom a target is for."""
    if not has_unit_targets():
        return None
    mine = unit_targets(view.unit)
    if indicator_ids is not None:
        mine = mine[mine["indicator_id"].isin(indicator_ids)]
    title = view.t("unit_targets", unit=unit_name(view))
    if mine.empty:
        return section(Text(view.t("unit_no_targets", unit=unit_name(view)), "caption"), title=title, level=2)
    inds = queries.indicators().set_index("id", drop=False)
    items: list = []
    for ind_id, part in mine.groupby("indicator_id", sort=False):
        items += [Text(f"**{theme.plain_md(name(inds.loc[ind_id], view.lang))}**"),
                  *target_items(ind_id, inds.loc[ind_id, "unit"], view, set(part["id"]))]
    return section(*items, title=title, level=2)


def unit_charts(obs: pd.DataFrame, national: dict[str, pd.DataFrame], view: View, key: str,
                most: int = MAX_CHARTS) -> list[Chart]:
    """For each indicator the unit has figures of: the unit among the units that report the same measure (at least
    three), or its own series over time (two dates or more), or its figure against the national one; its groups
    (three or more) as bars. The national figure is drawn as the reference wherever it can measure the unit."""
    inds = queries.indicators().set_index("id", drop=False)
    targets = unit_targets(view.unit)
    label = view.t("national")
    out: list[Chart] = []
    for ind_id, part in obs[obs["unit"] != "flag"].groupby("indicator_id", sort=False):
        ind, title = inds.loc[ind_id], name(inds.loc[ind_id], view.lang)
        plain = part[part["category"].isna()].sort_values("as_of")
        if not plain.empty:
            last = plain.iloc[-1]
            line = reference_line(reference(national.get(ind_id), last), ind["unit"])
            peers = peer_charts((last,), view, view.unit, key=f"{key}_{ind_id}")
            if peers:  # a ranked bar of every unit, this one outlined: made here, the reference added before use
                c = peers[0]
                charts.add_reference(c.fig, line, label, view.lang, bars=True)
                out.append(replace(c, data=pd.concat([c.data, line]), indicator_id=ind_id))
            elif plain["as_of"].nunique() >= 2:
                fig = charts.trend_figure(plain, title, ind["unit"], ind["direction"],
                                          targets[targets["indicator_id"] == ind_id], view.as_of, view.lang,
                                          ind["period"])
                charts.add_reference(fig, line, label, view.lang, bars=False)
                out.append(chart(f"{key}_{ind_id}_trend", title, pd.concat([plain, line]), fig, view,
                                 indicator_id=ind_id))
            elif not line.empty:  # the unit (and the one other unit that reports it, if any) against the country
                now = peers_of(last, view)
                now = now if view.unit in set(now["entity_id"]) else plain[plain["as_of"] == last["as_of"]]
                fig = charts.bar_figure(now, title, ind["unit"], ind["direction"], view.as_of, view.lang,
                                        highlight=view.unit)
                charts.add_reference(fig, line, label, view.lang, bars=True)
                out.append(chart(f"{key}_{ind_id}_vs", title, pd.concat([now, line]), fig, view, indicator_id=ind_id))
        groups = part[part["category"].notna()]
        groups = groups[groups["as_of"] == groups["as_of"].max()] if len(groups) else groups
        if groups["category"].nunique() >= MIN_POINTS:
            t2 = f"{title} — {unit_name(view)}"
            out.append(chart(f"{key}_{ind_id}_groups", t2, groups, charts.bar_figure(
                groups, t2, ind["unit"], ind["direction"], view.as_of, view.lang), view, indicator_id=ind_id))
    return out[:most]


def indicator_table(theme_id: str, obs: pd.DataFrame, national: dict[str, pd.DataFrame], view: View,
                    pillar: str | None) -> Section | None:
    """'Tất cả chỉ tiêu' for the unit: every indicator of the theme with the unit's latest figure (or 'Chưa có số
    liệu'), its change, the target set for it and the national figure beside it; those with the unit's figures first.
    The pack prints only the rows with a figure of the unit."""
    inds = queries.indicators()
    mine = inds[(inds["theme"] == theme_id) & ((inds["pillar"] == pillar) if pillar else True)]
    if mine.empty:
        return None
    own, targets = by_indicator(obs), unit_targets(view.unit)
    rows = []
    for _, ind in mine.iterrows():
        part = own.get(ind["id"], obs.iloc[:0])
        s = unit_summary(ind, part, targets)
        nat = national.get(ind["id"])
        last_nat = nat.iloc[-1] if nat is not None and len(nat) else None
        rows.append({
            "name": name(ind, view.lang),
            "latest": latest_figures(part, view.lang) if len(part) else view.t("no_data"),
            "date": theme.format_date(part["as_of"].max(), view.lang) if len(part) else "",
            "change": theme.format_change(s.change, s.unit, view.lang) if s.change is not None else "",
            "target": (f"{theme.COMPARATORS[s.goal.comparator]} {theme.format_value(s.goal.value, s.unit, view.lang)}"
                       f" · {s.goal.year}") if s.goal is not None else "",
            "national": (f"{figure_text(last_nat, view.lang)} ({theme.format_date(last_nat['as_of'], view.lang)})"
                         if last_nat is not None else view.t("no_data")),
            "link": view.link("chi-so", id=ind["id"]),
            "_has": len(part) > 0,
        })
    frame = pd.DataFrame(rows).sort_values("_has", ascending=False, kind="stable")
    frame = frame.drop(columns=[c for c in ("change", "target") if not frame[c].any()])  # no empty columns
    columns = tuple((c, col) for c, col in (
        ("name", Column(view.t("indicator"), width="large")), ("latest", Column(view.t("unit_figure_short"))),
        ("date", Column(view.t("date"), width="small")), ("change", Column(view.t("change"))),
        ("target", Column(view.t("target"))), ("national", Column(view.t("national"))),
        ("link", Column("", kind="link", width="small", link_text=view.t("open_short")))) if c in frame)
    key = f"unit_all_{theme_id}_{pillar}_{view.unit}"
    with_figures = frame[frame["_has"]]
    screen = section(Table(key, frame.drop(columns="_has"), columns), title=view.t("all_indicators"), level=2,
                     pack=False)
    if with_figures.empty:
        return screen
    pack = section(Table(f"{key}_pack", with_figures.drop(columns="_has"), columns,
                         pack_columns=("name", "latest", "date", "national"), pack_widths=(62, 48, 22, 38)),
                   title=view.t("all_indicators"), level=2, screen=False)
    return section(screen, pack)


def no_data_text(view: View, topic: str) -> Text:
    return Text(view.t("unit_no_data_theme", unit=unit_name(view), topic=topic), "info")


def theme_part(theme_id: str, view: View, pillar: str | None = None) -> tuple[Section, ...]:
    """A theme (or one of its pillars) for the unit: its charts against the national figure, or that it has no
    figure here, then the table of all the theme's indicators."""
    def build() -> tuple[Section, ...]:
        obs = own_figures(view, theme_id, pillar)
        national = national_of(view, theme_id, pillar)
        shown = unit_charts(obs, national, view, f"unit_{theme_id}_{pillar or 'all'}") if not obs.empty else []
        if obs.empty:
            first = section(no_data_text(view, view.t(f"pillar_{pillar}" if pillar else f"theme_{theme_id}")))
        elif shown:
            first = section(*shown, Text(view.t("unit_reference_note"), "caption"), shown=(obs,))
        else:
            first = section(shown=(obs,))
        table = indicator_table(theme_id, obs, national, view, pillar)
        return tuple(s for s in (first, table) if s is not None)
    return memo(("unit_theme_part", theme_id, pillar, view), build)


def theme_page(theme_id: str, view: View) -> list:
    """A theme page for the unit: a link to its profile, its tiles (or that it has no figure on the theme), its
    tasks and targets, then its charts and table (a tab per pillar), and for resources its budget."""
    def build() -> list:
        obs = own_figures(view, theme_id)
        profile = f"[{view.t('unit_profile_link', unit=theme.plain_md(unit_name(view)))}]" \
                  f"({view.link(PROFILE_PAGE, agency=view.unit)})"
        inds = queries.indicators()
        pillars = inds.loc[inds["theme"] == theme_id, "pillar"].notna().any()
        head: list = [Text(profile, "caption")]
        if obs.empty and pillars:  # a theme without tabs says it once, where its charts would be
            head.append(no_data_text(view, view.t(f"theme_{theme_id}")))
        elif not obs.empty:
            head.append(tiles(theme_id, obs, national_of(view, theme_id), view))
        out = [section(*head, pack=False)]
        target = targets_section(view, set(inds.loc[inds["theme"] == theme_id, "id"]))
        out += [target] if target is not None else []
        if pillars:
            out.append(section(Tabs("pillar", tuple(
                Tab(p, view.t(f"pillar_{p}"), partial(theme_part, theme_id, view, p)) for p in theme.terms("pillar")))))
        else:
            out.extend(theme_part(theme_id, view))
        if theme_id == "resources":
            out.append(budget(view))
        return [*out, replace(tasks(view), pack=False)]  # the pack's briefing on the unit opens with them
    return memo(("unit_theme", theme_id, view), build)


def budget(view: View) -> Section:
    """The budget rows the reports give for the unit, or that they give none."""
    bud = queries.entity_budget(view.as_of, view.unit)
    if bud.empty:
        return section(Text(view.t("unit_no_budget", unit=unit_name(view)), "caption"), title=view.t("budget_title"),
                       level=2)
    table = budget_table(bud, view)
    return section(Table(f"unit_budget_{view.unit}", table, pack_columns=tuple(table.columns[:-1]),
                         pack_widths=(20, 50, 40, 30)), title=view.t("budget_title"), level=2)


def indicator_section(indicator_id: str, view: View) -> Section:
    """On an indicator's page: the unit's figures of it, charted against the national figure, every one with its
    source, and the targets set for the unit; or that the reports give none."""
    def build() -> Section:
        obs = own_figures(view)
        obs = obs[obs["indicator_id"] == indicator_id]
        title = view.t("unit_figure", unit=unit_name(view))
        target = targets_section(view, {indicator_id})
        if obs.empty:
            return section(Text(view.t("unit_no_data_indicator", unit=unit_name(view)), "info"), target,
                           title=title, level=2)
        national = by_indicator(national_series(queries.indicator_observations(view.as_of, (indicator_id,))))
        shown = unit_charts(obs, national, view, f"unit_ind_{indicator_id}")
        return section(*shown, *([Text(view.t("unit_reference_note"), "caption")] if shown else []),
                       Table(f"unit_ind_{indicator_id}_{view.unit}", figures_table(obs, view)), target,
                       title=title, level=2, shown=(obs,))
    return memo(("unit_indicator", indicator_id, view), build)
