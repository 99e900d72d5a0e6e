"""A leader's briefing on one unit, the meeting pack of a ministry, agency or province (`python -m dashboard.pack
--agency …`): who it is and whether it reported, the national picture in two lines, its tasks and where it stands
among the units, the targets set for it, then its figures theme by theme (each indicator's figures by date) with the
few charts that measure it against the national figure, and its budget. Not the national pack: it fits a meeting."""

from __future__ import annotations

import pandas as pd

from dashboard import queries, scorecard, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.models import Section, Table, Text, section
from dashboard.sections.unit_filter import (
    budget,
    figure_label,
    national_of,
    reference,
    targets_section,
    tasks,
    unit_charts,
    unit_name,
)
from dashboard.sections.units import kind_line, peer_charts, reporting_badges, standing, standing_metrics
from dashboard.texts import figure_text, programme_name
from dashboard.view import View

MAX_CHARTS = 4  # of the unit's figures, across the themes: the tables hold every figure
SHOWN_ELSEWHERE = ("tasks_overdue", "tasks_total")  # in the table of its tasks


def national_picture(view: View) -> Section:
    """The scorecard in one line and the overdue tasks in another, with the unit's place in that list."""
    nat = view.of(None)  # the national models, memoised once for every unit
    lines = scorecard.target_lines(nat)
    counts = scorecard.counts(lines)
    items = [Text(view.t("scorecard_of", n=sum(counts.values()), date=theme.format_date(view.as_of, view.lang)) + " "
                  + " · ".join(f"{n} {theme.status_symbol(s)} {view.t('status_' + s)}" for s, n in counts.items() if n))]
    latest, agencies = scorecard.overdue_now(nat)
    if not latest.empty:
        row = latest.iloc[0]
        day = theme.format_date(row["as_of"], view.lang)
        line = (f"{theme.format_number(row['value'], view.lang)} {view.t('overdue_tasks')} ({day}, "
                f"{programme_name(row['programme'], view.lang)}). ")
        mine = agencies[agencies["entity_id"] == view.unit]
        if mine.empty:
            line += view.t("unit_not_in_overdue_list", unit=unit_name(view), date=day)
        else:
            value = float(mine.iloc[0]["value"])
            line += view.t("unit_overdue_rank", unit=unit_name(view), n=theme.format_number(value, view.lang),
                           rank=int((agencies["value"] > value).sum()) + 1, of=agencies["entity_id"].nunique())
        items.append(Text(line))
    return section(*items, title=view.t("national_picture"), level=2)


def figures_rows(obs: pd.DataFrame, national: dict[str, pd.DataFrame], view: View,
                 numbers: dict[str, int]) -> pd.DataFrame:
    """A unit's figures of one theme, a row per indicator and date (each indicator's rows by date, then programme),
    the groups of a breakdown in one cell; a figure restated by several reports once, with each report's number
    (the list of reports closes the briefing)."""
    obs = obs.assign(_name=[name(r, view.lang, "indicator_name") for _, r in obs.iterrows()],
                     _prog=obs["programme"].fillna(""), _def=obs["definition"].fillna(""),
                     _label=[figure_label(r, view.lang) for _, r in obs.iterrows()])
    rows = []
    for _, part in obs.groupby(["_name", "as_of", "_prog", "_def"], sort=True):
        r = part.iloc[0]
        nat = reference(national.get(r["indicator_id"]), r) if part["category"].isna().all() else pd.DataFrame()
        last = nat.iloc[-1] if len(nat) else None
        labels = sorted(dict.fromkeys(part["_label"]), key=str.casefold) if part["category"].notna().any() \
            else list(dict.fromkeys(part["_label"]))
        programme = programme_name(r["programme"], view.lang)
        rows.append({view.t("indicator"): r["_name"] + (f" ({programme})" if programme else ""),
                     view.t("value"): "; ".join(labels),
                     view.t("date"): theme.format_date(r["as_of"], view.lang),
                     view.t("national"): (f"{figure_text(last, view.lang)} ({theme.format_date(last['as_of'], view.lang)})"
                                          if last is not None else ""),
                     view.t("source"): ", ".join(str(numbers[f]) for f in sorted(set(part["source_file"]),
                                                                                 key=numbers.get))})
    return pd.DataFrame(rows)


def figures_by_theme(view: View, obs: pd.DataFrame) -> list[Section]:
    """Every figure of the unit, theme by theme in the vocabulary's order: a few charts against the national figure,
    then the table; the reports cited, numbered."""
    shown = obs[~obs["indicator_id"].isin([*SHOWN_ELSEWHERE, *theme.terms("reporting")])]
    if shown.empty:
        return []
    cited = queries.sources().sort_values(["report_date", "source_file"])
    cited = cited[cited["source_file"].isin(set(shown["source_file"]))]
    numbers = {f: i + 1 for i, f in enumerate(cited["source_file"])}
    pages = {th for th, row in theme.terms("theme").items() if row["page"]}
    room, out = MAX_CHARTS, []
    for th in theme.terms("theme"):
        part = shown[shown["theme"] == th]
        if part.empty:
            continue
        national = national_of(view, th)
        drawn = unit_charts(part, national, view, f"brief_{th}", most=room) if th in pages and room else []
        room -= len(drawn)
        table = figures_rows(part, national, view, numbers)
        out.append(section(*drawn, Table(f"brief_{th}_{view.unit}", table, grid=False,
                                         pack_widths=(56, 52, 22, 36, 14)),
                           title=view.t(f"theme_{th}"), level=2, shown=(part,)))
    legend = "; ".join(f"[{numbers[r['source_file']]}] {name(r, view.lang, 'issuer')}, {name(r, view.lang, 'title')} "
                       f"({theme.format_date(r['report_date'], view.lang)})" for _, r in cited.iterrows())
    return [section(*out, Text(f"{view.t('source')}: {legend}", "caption"), title=view.t("pack_profile_figures"))]


def briefing(view: View, theme_id: str | None = None) -> list[Section]:
    """The briefing on the view's unit; with a theme, without its figures (the pack adds the theme page seen for the
    unit instead)."""
    def build() -> list[Section]:
        ag = queries.agencies().set_index("id").loc[view.unit]
        obs = queries.entity_observations(view.as_of, view.unit, illustrative=False)
        bud = queries.entity_budget(view.as_of, view.unit)
        head: list = [Text(kind_line(ag, view), "caption"), *reporting_badges(obs, view)]
        head.append(Text(view.t("profile_empty"), "info") if obs.empty and bud.empty else standing_metrics(obs, view))
        overdue, products, _ = standing(obs)
        out = [section(*head, title=f"{view.t('profile')}: {unit_name(view)}"), national_picture(view),
               section(tasks(view), *peer_charts((overdue, products), view, view.unit, key=f"brief_peers_{view.unit}"))]
        targets = targets_section(view)
        out += [targets] if targets is not None else []
        if theme_id is None:
            out += figures_by_theme(view, obs)
            if not bud.empty:
                out.append(budget(view))
        return out
    return memo(("briefing", theme_id, view), build)

