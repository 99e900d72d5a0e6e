"""Per-indicator and per-target summaries the pages show: latest value, change, target in force, verdict, gap and the
pace needed.

Only comparable figures are compared: two figures are one series when their definition is the same
(data/README.md, `definition`), and a change is computed only between two exact figures (never from "khoảng",
"hơn" or "Top 10"); the status (kpis/progress.py) reads the exact figures of the latest figure's definition.
A target reads the figures of its own series: its unit (a province, a ministry; national when none), its sub-group,
and the indicators it is measured by (a growth target: the levels its growth is computed from, or a growth a
report states). A figure stated as a plan, pledge or forecast is carried to be shown as such, never judged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from dashboard.i18n import t
from dashboard.theme import format_number, qualifier_of, unit_label
from kpis.progress import (
    OUTCOME,
    WORST_FIRST,
    Figure,
    Goal,
    Progress,
    Verdict,
    assess,
    goal_in_force,
    growth_on,
    judge,
    judge_growth,
    split,
)

GROWTH_UNIT = "percent_change"  # a target in this unit asks for an average growth a year


@dataclass(frozen=True)
class PaceNeeded:
    """What a figure must gain (or shed) per period to reach its target in time, in the figure's own unit."""

    amount: float
    per: str  # "year" or "month"
    unit: str


@dataclass(frozen=True)
class Summary:
    indicator_id: str
    unit: str
    direction: str
    latest: pd.Series | None  # the row of the latest figure of the series, as stated (national for an indicator)
    previous: pd.Series | None  # the figure before it of the same definition (one the period lets us compare)
    goal: Goal | None  # the target in force at the latest figure's date (an indicator), or the target judged
    progress: Progress
    other_basis: pd.Series | None = None  # an earlier figure on another basis, when none of the same basis exists
    verdict: Verdict | None = None  # where the target stands at the view date (kpis.progress.judge)
    target: pd.Series | None = None  # the target's row (summarise_targets), with its id, unit, deadline and quote
    planned: pd.Series | None = None  # the latest figure stated as a plan, pledge or forecast (shown as such)
    judged: pd.Series | None = None  # the row of the outcome figure the verdict reads (None: no figure judged)
    points: tuple[tuple[dt.date, float], ...] = ()  # the comparable exact outcome figures the trend is read through

    @property
    def status(self) -> str:
        """A status of the `status` vocabulary (kpis/vocabularies.csv)."""
        if self.verdict is not None:
            return self.verdict.status
        if self.latest is None:
            return "no_data"
        return "no_target" if self.goal is None else self.progress.status

    @property
    def precise(self) -> bool:
        """Whether latest and previous are both exact, so their difference means something."""
        return self.previous is not None and all(qualifier_of(r) == "exact" for r in (self.latest, self.previous))

    @property
    def change(self) -> float | None:
        if self.latest is None or not self.precise:
            return None
        return float(self.latest["value"]) - float(self.previous["value"])

    @property
    def deadline(self) -> dt.date | None:
        return self.goal.deadline if self.goal is not None else None

    @property
    def days_left(self) -> int | None:
        """Days from the view date to the deadline (0: due that day, not yet passed; negative: passed)."""
        return self.verdict.days_left if self.verdict is not None else None

    @property
    def estimate(self) -> bool:
        """Whether the verdict rests on an estimate or a bound ("khoảng 18,72%") rather than an exact figure."""
        return self.verdict is not None and self.verdict.estimate

    @property
    def gap(self) -> float | None:
        """How far the judged figure is from the target, in its unit (> 0), or None when met or unknown."""
        return self.verdict.gap if self.verdict is not None else None

    @property
    def pace_needed(self) -> PaceNeeded | None:
        """The gap per year, or per month when under two years are left, from the figure's date to the deadline."""
        pace = self.verdict.pace if self.verdict is not None else None
        return PaceNeeded(pace.amount, pace.per, self.unit) if pace is not None else None

    @property
    def shortfall(self) -> float | None:
        """A missed target: how far short the figure at or after the deadline is, in its unit."""
        return self.verdict.shortfall if self.verdict is not None else None

    @property
    def path_to_go(self) -> tuple[tuple[dt.date, float], tuple[dt.date, float]] | None:
        """From the latest figure to the target at its deadline; None when achieved, missed, overdue or undated."""
        return self.verdict.path_to_go if self.verdict is not None else None


def definition_key(rows: pd.DataFrame) -> pd.Series:
    """The basis of each figure as a comparable key ('' for the indicator's usual one)."""
    return rows["definition"].fillna("") if "definition" in rows else pd.Series("", index=rows.index)


def series_of(obs: pd.DataFrame) -> pd.DataFrame:
    """One value per indicator, date and definition of figures already narrowed to one unit and sub-group; of two
    reports for one, the later."""
    if obs.empty:
        return obs
    rows = obs.assign(_basis=definition_key(obs)).sort_values(["as_of", "report_date"], kind="stable")
    return rows.drop_duplicates(["indicator_id", "as_of", "_basis"], keep="last").drop(columns="_basis")


def national_series(obs: pd.DataFrame) -> pd.DataFrame:
    """One national value per indicator, date and definition (no entity, no sub-group); of two reports for one, the
    later. Works on the figures of many indicators at once (a page makes it once, not once per indicator)."""
    return series_of(obs[(obs["scope"] == "national") & obs["category"].isna()])


def same_basis(series: pd.DataFrame, row: pd.Series) -> pd.DataFrame:
    """The figures of `series` on the basis of `row`."""
    return series[definition_key(series) == (row.get("definition") if pd.notna(row.get("definition")) else "")]


def comparable_previous(series: pd.DataFrame, period: str) -> pd.Series | None:
    """The observation the latest one can fairly be compared with, or None (`series`: one basis, by date).

    A level compares with the one before; a year-to-date sum only with the same day of an earlier year
    (January-April is not smaller than a whole year because things got worse); growth rates never.
    """
    if len(series) < 2 or period == "period_growth":
        return None
    if period == "year_to_date":
        last = pd.Timestamp(series.iloc[-1]["as_of"])
        same = series.iloc[:-1][[(pd.Timestamp(d).month, pd.Timestamp(d).day) == (last.month, last.day)
                                  for d in series.iloc[:-1]["as_of"]]]
        return same.iloc[-1] if len(same) else None
    return series.iloc[-2]


def comparable_points(series: pd.DataFrame, period: str) -> pd.DataFrame:
    """The figures a trend may be drawn through: a year-to-date sum only with the same day of other years, a growth
    rate only on its own (each covers the period its report states)."""
    if series.empty or period == "point":
        return series
    if period == "period_growth":
        return series.tail(1)
    last = pd.Timestamp(series.iloc[-1]["as_of"])
    return series[[(pd.Timestamp(d).month, pd.Timestamp(d).day) == (last.month, last.day) for d in series["as_of"]]]


def modality_of(row: pd.Series) -> str:
    m = row.get("modality")
    return m if isinstance(m, str) and m else OUTCOME


def _column(rows: pd.DataFrame, name: str, default: str) -> pd.Series:
    return rows[name].fillna(default).replace("", default) if name in rows else pd.Series(default, index=rows.index)


def outcomes(rows: pd.DataFrame) -> pd.DataFrame:
    """The figures stated as outcomes (not as a plan, pledge or forecast)."""
    return rows[_column(rows, "modality", OUTCOME) == OUTCOME] if len(rows) else rows


def planned(rows: pd.DataFrame) -> pd.DataFrame:
    """The figures stated as a plan, pledge or forecast."""
    return rows[_column(rows, "modality", OUTCOME) != OUTCOME] if len(rows) else rows


def exact(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[_column(rows, "qualifier", "exact") == "exact"] if len(rows) else rows


def figure_of(row: pd.Series) -> Figure:
    high = row.get("value_high")
    return Figure(pd.Timestamp(row["as_of"]).date(), float(row["value"]), qualifier_of(row), modality_of(row),
                  float(high) if high is not None and pd.notna(high) else None)


def figures_of(rows: pd.DataFrame) -> list[Figure]:
    """Every figure of `rows` (by date) as the progress method reads it."""
    if rows.empty:
        return []
    high = rows["value_high"] if "value_high" in rows else pd.Series(None, index=rows.index, dtype=float)
    return [Figure(pd.Timestamp(d).date(), float(v), q, m, float(h) if pd.notna(h) else None)
            for d, v, q, m, h in zip(rows["as_of"], rows["value"], _column(rows, "qualifier", "exact"),
                                     _column(rows, "modality", OUTCOME), high, strict=True)]


def exact_points(rows: pd.DataFrame, period: str) -> list[tuple[dt.date, float]]:
    """The comparable exact outcome figures of the latest outcome's basis, as (date, value)."""
    rows = outcomes(rows)
    if rows.empty:
        return []
    points = comparable_points(exact(same_basis(rows, rows.iloc[-1])), period)
    return [(pd.Timestamp(d).date(), float(v)) for d, v in zip(points["as_of"], points["value"], strict=True)]


def goal_of(row: pd.Series) -> Goal:
    """A target row of the warehouse (or of kpis/targets.csv with a deadline) as the progress method's Goal."""
    deadline, year, high = row.get("deadline"), row.get("year"), row.get("value_high")
    due = pd.Timestamp(deadline).date() if deadline is not None and pd.notna(deadline) else None
    year = due.year if due else (int(year) if year is not None and pd.notna(year) else None)
    return Goal(float(row["value"]), year, row["comparator"], due,
                float(high) if high is not None and pd.notna(high) else None)


def national_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets for the country as a whole: no unit, no sub-group, measured by their own indicator (the ones an
    indicator's national figures are read against)."""
    mask = pd.Series(True, index=targets.index)
    for col in ("entity_id", "category"):
        if col in targets:
            mask &= targets[col].isna()
    if "series" in targets:
        mask &= pd.Series([series_names(r) == [r["indicator_id"]] for _, r in targets.iterrows()], index=targets.index,
                          dtype=bool)
    return targets[mask]


def goals(targets: pd.DataFrame, indicator_id: str) -> list[Goal]:
    """The dated national targets of an indicator (a target without a deadline has no path to judge)."""
    rows = national_targets(targets[targets["indicator_id"] == indicator_id])
    when = rows["deadline"] if "deadline" in rows else rows["year"]
    return [goal_of(r) for _, r in rows[when.notna()].iterrows()]


def natural_limit(unit: str) -> float | None:
    return 100.0 if unit == "percent" else None


def by_indicator(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each indicator, split once (a page summarises dozens of indicators; filtering the whole frame
    for each one was most of a theme page's first run)."""
    return {k: g for k, g in frame.groupby("indicator_id", sort=False)} if len(frame) else {}


def view_date(obs: pd.DataFrame) -> dt.date:
    """The view date when a caller gives none: the latest report the figures come from (or their latest date)."""
    col = "report_date" if "report_date" in obs and obs["report_date"].notna().any() else "as_of"
    return pd.Timestamp(obs[col].max()).date() if len(obs) else dt.date.today()


def summarise_each(indicators: pd.DataFrame, obs: pd.DataFrame, targets: pd.DataFrame,
                   on: dt.date | None = None) -> dict[str, Summary]:
    """summarise() for every indicator of `indicators` (rows with an `id`)."""
    on = on or view_date(obs)
    series, goals_ = by_indicator(national_series(obs)), by_indicator(targets)
    return {ind["id"]: summarise(ind, obs.iloc[:0], goals_.get(ind["id"], targets.iloc[:0]),
                                 series=series.get(ind["id"], obs.iloc[:0]), on=on) for _, ind in indicators.iterrows()}


def summarise(indicator: pd.Series, obs: pd.DataFrame, targets: pd.DataFrame,
              series: pd.DataFrame | None = None, on: dt.date | None = None) -> Summary:
    """Status of an indicator from its national figures known at the view date `on` (kpis/progress.py), against
    its national target in force; `series`: its national_series() when the caller has it already."""
    if series is None:
        series = national_series(obs[obs["indicator_id"] == indicator["id"]])
    on = on or view_date(series if obs.empty else obs)
    specs = goals(known(targets, on), indicator["id"])
    direction, period, unit = indicator["direction"], indicator.get("period", "point"), indicator["unit"]
    latest = series.iloc[-1] if len(series) else None
    goal = goal_in_force(specs, pd.Timestamp(latest["as_of"]).date() if latest is not None else on)
    if goal is None:  # no dated target: the published method's reading of the trend alone
        if latest is None:
            return Summary(indicator["id"], unit, direction, None, None, None, Progress("insufficient"))
        trend = comparable_points(exact(same_kind(series, latest)), period)
        points = [(pd.Timestamp(d).date(), float(v)) for d, v in zip(trend["as_of"], trend["value"], strict=True)]
        progress = (assess(points, direction, None, natural_limit(unit))
                    if qualifier_of(latest) == "exact" else Progress("insufficient"))
        return _summary(indicator["id"], unit, direction, series, period, None, None, progress=progress)
    usual = series[definition_key(series) == ""]  # a target is stated on the usual basis (target_figures)
    verdict = judge(goal, direction, on, figures_of(usual), exact_points(usual, period), natural_limit(unit),
                    other_basis(series))
    return _summary(indicator["id"], unit, direction, series, period, goal, verdict, judged_from=usual)


def same_kind(series: pd.DataFrame, row: pd.Series) -> pd.DataFrame:
    """The figures of `series` on the basis of `row` and stated as it is (outcome, or plan, pledge, forecast)."""
    basis = same_basis(series, row)
    return basis[_column(basis, "modality", OUTCOME) == modality_of(row)] if len(basis) else basis


def _summary(indicator_id: str, unit: str, direction: str, rows: pd.DataFrame, period: str, goal: Goal | None,
             verdict: Verdict | None, target: pd.Series | None = None, progress: Progress | None = None,
             judged_from: pd.DataFrame | None = None) -> Summary:
    """A summary of one series (rows by date): its latest figure whatever its modality (shown as stated), the figure
    before it of the same basis and modality, the latest plan, pledge or forecast, and the verdict (read from
    `judged_from`, the rows it was given, when not all of `rows`)."""
    latest = rows.iloc[-1] if len(rows) else None
    previous = other = None
    if latest is not None:
        kind = same_kind(rows, latest)
        previous = comparable_previous(kind, period)
        earlier = rows.iloc[:-1][definition_key(rows.iloc[:-1]) != definition_key(kind).iloc[0]]
        other = earlier.iloc[-1] if previous is None and len(earlier) else None
    if progress is None:
        progress = _progress(verdict) if verdict is not None else Progress("insufficient")
    plans, judged = planned(rows), outcomes(rows if judged_from is None else judged_from)
    return Summary(indicator_id, unit, direction, latest, previous, goal, progress, other, verdict=verdict,
                   target=target, planned=plans.iloc[-1] if len(plans) else None,
                   judged=judged.iloc[-1] if verdict is not None and verdict.figure is not None and len(judged) else None,
                   points=tuple(exact_points(rows if judged_from is None else judged_from, period)))


def _progress(verdict: Verdict) -> Progress:
    """The published method's reading behind a verdict, for callers that read `Summary.progress`."""
    if verdict.progress is not None:
        return verdict.progress
    f = verdict.figure
    latest = (f.on, f.value) if f is not None else None
    return Progress(verdict.status if verdict.status == "achieved" else "insufficient", latest=latest)


def known(targets: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """The targets stated by the view date (a report's commitment is unknown before its report)."""
    if "stated_on" not in targets or targets.empty:
        return targets
    return targets[pd.to_datetime(targets["stated_on"]) <= pd.Timestamp(on)]


def other_basis(rows: pd.DataFrame) -> Figure | None:
    """The latest outcome of `rows` on another basis than the indicator's usual one, or None."""
    others = outcomes(rows[definition_key(rows) != ""]) if len(rows) else rows
    return figures_of(others)[-1] if len(others) else None


def target_figures(target: pd.Series, obs: pd.DataFrame | dict[str, pd.DataFrame], indicator_id: str) -> pd.DataFrame:
    """The figures of one series of a target: the indicator `indicator_id`, for the target's unit (national when it
    has none) and sub-group, one per date and definition, by date (a target is judged on the indicator's usual
    basis only: a figure of another `definition` is shown, not compared with it). `obs`: figures, or by indicator."""
    if isinstance(obs, dict):
        rows = obs.get(indicator_id)
        if rows is None:
            return pd.DataFrame(columns=["indicator_id", "as_of", "value", "scope", "entity_id", "category"])
    else:
        rows = obs[obs["indicator_id"] == indicator_id]
    entity = target.get("entity_id")
    rows = rows[rows["entity_id"] == entity] if isinstance(entity, str) else rows[rows["scope"] == "national"]
    category = target.get("category")
    rows = rows[rows["category"] == category] if isinstance(category, str) else rows[rows["category"].isna()]
    return series_of(rows)


def series_names(target: pd.Series) -> list[str]:
    """The indicators whose figures measure a target: its `series`, or its own indicator."""
    named = target.get("series")
    named = [] if named is None or isinstance(named, (str, float)) else [str(x) for x in named]  # a list, or an array
    return named or [target["indicator_id"]]


def summarise_target(target: pd.Series, obs: pd.DataFrame | dict[str, pd.DataFrame], indicators: pd.DataFrame,
                     on: dt.date) -> Summary:
    """Where one target stands at the view date `on`: its verdict read from its own series (its unit, sub-group
    and measuring indicators; the worst of several), the figure it rests on, the gap and the pace needed."""
    inds = indicators if indicators.index.name == "id" else indicators.set_index("id", drop=False)
    direction, unit, goal = inds.loc[target["indicator_id"]]["direction"], target["unit"], goal_of(target)
    shown = {s: target_figures(target, obs, s) for s in series_names(target)}
    per_series = {s: rows[definition_key(rows) == ""] for s, rows in shown.items()}  # the basis it is stated on
    period = {s: inds.loc[s].get("period", "point") for s in per_series}
    if unit == GROWTH_UNIT:  # the observed growth, from levels or as a report states it, against the growth asked
        readings = {}
        for s, rows in per_series.items():
            if inds.loc[s]["unit"] == GROWTH_UNIT:
                readings[s] = growth_on(s, goal, on, stated=split(figures_of(rows))[0])
            else:
                readings[s] = growth_on(s, goal, on, levels=exact_points(rows, period[s]))
        verdict = judge_growth(goal, on, list(readings.values()))
        chosen = next((s for s, r in readings.items() if r is not None and r.status == verdict.status),
                      next(iter(per_series)))
        rows = per_series[chosen]
        verdict = replace(verdict, planned=split(figures_of(rows))[1])
    else:
        verdicts = {s: judge(goal, direction, on, figures_of(rows), exact_points(rows, period[s]), natural_limit(unit),
                             other_basis(shown[s])) for s, rows in per_series.items()}
        found = {s: v for s, v in verdicts.items() if v.figure is not None} or verdicts
        chosen = min(found, key=lambda s: WORST_FIRST.index(found[s].status))
        verdict = verdicts[chosen]
    return _summary(target["indicator_id"], unit, direction, shown[chosen], period[chosen], goal, verdict,
                    target=target, judged_from=per_series[chosen])


def summarise_targets(targets: pd.DataFrame, obs: pd.DataFrame, indicators: pd.DataFrame,
                      on: dt.date) -> list[Summary]:
    """The summary of every target stated by the view date (known()), in the order of `targets` (the warehouse's:
    indicator, deadline). `obs`: the figures known at `on` of every indicator the targets name (theirs and their
    series)."""
    inds, figures = indicators.set_index("id", drop=False), by_indicator(obs)  # split once, not once per target
    return [summarise_target(tg, figures, inds, on) for _, tg in known(targets, on).iterrows()]


def needed_text(s: Summary, lang: str) -> str | None:
    """The pace needed in words, in the figure's own unit: 'cần thêm 0,39 /10.000 dân mỗi năm', 'cần +0,65 điểm %
    mỗi tháng', 'cần lên 0,71 bậc mỗi năm'; None when nothing is still to go or no time is left."""
    pace = s.pace_needed
    if pace is None:
        return None
    return _amount_text(pace.amount, s, lang) + " " + t(f"per_{pace.per}", lang)


def gap_text(s: Summary, lang: str) -> str | None:
    """The gap in words: 'cần thêm 1,93 /10.000 dân', 'cần lên 14 bậc', 'cần giảm 159'; for a missed target the
    shortfall at the deadline: 'thiếu 1,28 điểm %'."""
    if s.shortfall is not None:
        return t("short_by", lang, amount=_quantity(s.shortfall, s.unit, lang))
    return _amount_text(s.gap, s, lang) if s.gap is not None else None


def _quantity(amount: float, unit: str, lang: str) -> str:
    number = format_number(amount, lang, 2 if abs(amount) < 10 else None)
    if unit in ("percent", "percent_of_plan"):
        return f"{number} {t('percentage_points', lang)}"
    if unit == "rank":
        return f"{number} {t('ranks', lang)}"
    label = unit_label(unit, lang)
    return f"{number} {label}".strip()


def _amount_text(amount: float, s: Summary, lang: str) -> str:
    lower = s.goal is not None and s.goal.lower(s.direction)
    if s.unit == "rank":
        return t("need_climb", lang, amount=_quantity(amount, s.unit, lang))
    if s.unit in ("percent", "percent_of_plan") and not lower:
        return t("need_plus", lang, amount=_quantity(amount, s.unit, lang))
    return t("need_less" if lower else "need_more", lang, amount=_quantity(amount, s.unit, lang))
