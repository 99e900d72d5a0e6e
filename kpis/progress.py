"""The published progress method: Open SDG's (Statistics Canada, inspired by Eurostat), as in open-sdg/sdg-build
`ProgressMeasure.py` and documented at https://open-sdg.org/ (progress-methodology).

With a target: the observed compound annual growth rate from the first to the latest comparable figure,
against the rate required to reach the target by 31/12 of its year from the first figure,
R = sign × d × CAGR_observed / |CAGR_required| (d = +1 when higher is better, −1 when lower is, so ranks work;
sign = −1 only for negative values):
  target already met -> achieved (Đã đạt); R >= 95% -> on_track (Đúng hướng); 60% <= R < 95% ->
  needs_acceleration (Cần tăng tốc); 0 <= R < 60% -> limited (Tiến bộ hạn chế); R < 0 -> deterioration (Đi lùi).
Without a target: the observed rate itself, d × CAGR, against 1.5% / 0.5% / 0 a year, thresholds above zero
scaled down near a natural limit (100% for a share that should rise): C = 1 − (y0 / limit)^4.44.
Fewer than two comparable exact figures, or figures of opposite signs -> insufficient (Chưa đủ dữ liệu).
Years are counted in days / 365.25 (the reports give dates, not years); a zero is replaced by 0.001, as the
method does.

Verdicts on a target at the view date (`judge`, `judge_growth`), around the method:
- a target's deadline is the last day it allows (etl.text.parse_deadline); it has passed when the view date is after
  it, so a deadline on the view date itself has not;
- only outcomes are judged: a figure a report states as a plan, pledge or forecast is carried along to be shown as
  such and never makes a target achieved;
- deadline passed: a figure that meets the target -> achieved; a figure dated on or after the deadline that falls
  short -> missed (Không đạt), with the shortfall; no figure, or only figures from before the deadline that do not
  meet it -> overdue_no_data (Quá hạn, chưa có số liệu). Here an estimate counts like an exact figure, both ways
  ("khoảng 18,72%" against 20% is missed), and the verdict says it rests on an estimate;
- deadline not passed: an exact figure, or a bound that settles it ("hơn 90%" of 80%), that meets the target ->
  achieved; two comparable exact figures -> the bands above; else insufficient. An estimate never settles a target
  before its deadline: it may lie on either side;
- every unmet target carries its gap and the pace needed: the gap spread from the latest figure's date to the
  deadline, per year, or per month when less than two years are left;
- a growth target (an average growth a year) is judged by the observed growth: computed from the first to the latest
  comparable exact level, or as a report states it, against the growth the target asks; R bands as above before
  the deadline, met or missed after it. Several series: the worst verdict;
- a target without a deadline: achieved when met, else no_target (no dated target: a gap but no pace).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from kpis.registry import vocabulary

STATUSES = ("achieved", "on_track", "needs_acceleration", "limited", "deterioration", "insufficient")
WITH_TARGET = (0.95, 0.60, 0.0)  # R: on track, needs acceleration, limited (below: deterioration)
WITHOUT_TARGET = (0.015, 0.005, 0.0)  # CAGR a year, the same bands
LIMIT_EXPONENT = 4.44
ZERO = 0.001


@dataclass(frozen=True)
class Goal:
    value: float
    year: int | None  # the deadline's year (None: no deadline stated)
    comparator: str = ">="  # ">=", "<=" or "=" (then the direction decides)
    due: dt.date | None = None  # the deadline, the last day the target allows; 31/12 of `year` when not given
    value_high: float | None = None  # the upper end of a range target ("40-50"); the lower end is judged

    @property
    def deadline(self) -> dt.date | None:
        return self.due or (dt.date(self.year, 12, 31) if self.year is not None else None)

    def lower(self, direction: str) -> bool:
        """Whether the target is a ceiling (a rank, a count of what is left) rather than a floor."""
        return self.comparator == "<=" or (self.comparator == "=" and direction == "lower")


@dataclass(frozen=True)
class Progress:
    status: str
    ratio: float | None = None  # R with a target, else the observed CAGR (signed by direction)
    observed: float | None = None  # CAGR a year, base to latest
    required: float | None = None  # CAGR a year needed from the base to the target
    base: tuple[dt.date, float] | None = None
    latest: tuple[dt.date, float] | None = None

    def projected(self, on: dt.date) -> float | None:
        """The value on `on` if the observed growth went on (the trajectory charts' projection)."""
        if self.observed is None or self.latest is None or self.observed <= -1:
            return None
        d, v = self.latest
        return v * (1 + self.observed) ** years(d, on)

    def required_path(self, on: dt.date) -> float | None:
        """The value on `on` on the path that reaches the target in time."""
        if self.required is None or self.base is None or self.required <= -1:
            return None
        d, v = self.base
        return v * (1 + self.required) ** years(d, on)


def years(d0: dt.date, d1: dt.date) -> float:
    return (d1 - d0).days / 365.25


def cagr(v1: float, v0: float, span: float) -> float:
    return (v1 / v0) ** (1 / span) - 1


def met(value: float, goal: Goal, direction: str) -> bool:
    return value <= goal.value if goal.lower(direction) else value >= goal.value


def bound_meets(value: float, qualifier: str, goal: Goal, direction: str) -> bool:
    """Whether a figure stated as a bound already meets the target: "hơn 90%" meets ">= 80%", "Top 10" meets
    "<= rank 50"; an estimate ("khoảng") never does, it may lie on either side."""
    lower = goal.lower(direction)
    if qualifier == "at_least" and not lower:
        return value >= goal.value
    if qualifier in ("at_most", "bracket") and lower:
        return value <= goal.value
    return False


def goal_in_force(goals: Sequence[Goal], on: dt.date) -> Goal | None:
    """The earliest dated target whose deadline is not before `on` (the 2025 milestone for a 2025 figure, then the
    2030 goal); when every deadline is past, the last one."""
    ordered = sorted((g for g in goals if g.deadline is not None), key=lambda g: (g.deadline, g.value))
    return next((g for g in ordered if g.deadline >= on), ordered[-1] if ordered else None)


def limit_coefficient(base: float, limit: float) -> float:
    """How much the no-target thresholds shrink when the base is near the natural limit (1: far, 0: at it)."""
    base, limit = abs(base), abs(limit)
    if base >= 2 * limit:
        return 1.0
    if base <= limit:
        return 1 - (base / limit) ** LIMIT_EXPONENT
    return 1 - ((2 * limit - base) / limit) ** LIMIT_EXPONENT


def band(value: float, thresholds: tuple[float, float, float]) -> str:
    high, med, low = thresholds
    if value >= high:
        return "on_track"
    if value >= med:
        return "needs_acceleration"
    if value >= low:
        return "limited"
    return "deterioration"


def assess(points: Sequence[tuple[dt.date, float]], direction: str, goal: Goal | None = None,
           limit: float | None = None) -> Progress:
    """Progress of one series of comparable exact figures (date, value) up to the view date.

    `direction`: 'higher' or 'lower' is better; `limit`: a natural maximum for a share that should rise (100).
    """
    obs = sorted(points)
    if not obs:
        return Progress("insufficient")
    (d0, v0), (d1, v1) = obs[0], obs[-1]
    if goal is not None and met(v1, goal, direction):
        return Progress("achieved", base=(d0, v0), latest=(d1, v1))
    if len(obs) < 2 or d1 <= d0:
        return Progress("insufficient", base=(d0, v0), latest=(d1, v1))
    base = ZERO if v0 == 0 else v0
    if (base > 0) != (v1 > 0) and v1 != 0:
        return Progress("insufficient", base=(d0, v0), latest=(d1, v1))  # the growth model needs one sign
    sign = -1 if base < 0 else 1
    d = 1 if direction == "higher" else -1
    observed = cagr(v1 if v1 != 0 else ZERO, base, years(d0, d1))
    if goal is None:
        value = sign * d * observed
        coeff = limit_coefficient(base, limit) if limit is not None and direction == "higher" else 1.0
        if coeff == 0 and value >= 0:
            return Progress("on_track", value, observed, None, (d0, v0), (d1, v1))
        thresholds = tuple(t * coeff if t > 0 else t for t in WITHOUT_TARGET)
        return Progress(band(value, thresholds), value, observed, None, (d0, v0), (d1, v1))
    deadline = goal.deadline
    if deadline is None or deadline <= d0:
        return Progress("insufficient", base=(d0, v0), latest=(d1, v1))  # no time left to grow towards it
    required = cagr(goal.value if goal.value != 0 else ZERO, base, years(d0, deadline))
    if required == 0:
        return Progress("insufficient", base=(d0, v0), latest=(d1, v1))
    ratio = sign * d * observed / abs(required)
    if math.isnan(ratio):
        return Progress("insufficient", base=(d0, v0), latest=(d1, v1))
    return Progress(band(ratio, WITH_TARGET), ratio, observed, required, (d0, v0), (d1, v1))


# Verdicts on a target at a view date (module docstring).

WORST_FIRST = vocabulary("status")  # kpis/vocabularies.csv, worst first: missed, overdue_no_data, ...
OUTCOME = "outcome"
MONTH = 365.25 / 12  # days


@dataclass(frozen=True)
class Figure:
    """A figure of a target's series as its report states it."""

    on: dt.date
    value: float
    qualifier: str = "exact"  # exact | approx | at_least | at_most | bracket | range (kpis/vocabularies.csv)
    modality: str = OUTCOME  # outcome | plan | pledge | forecast
    value_high: float | None = None  # the high end of a range

    @property
    def estimate(self) -> bool:
        """An estimate or a bound rather than an exact figure."""
        return self.qualifier != "exact"


@dataclass(frozen=True)
class Pace:
    """How much a figure must move per period, in its own unit, to reach the target by the deadline."""

    amount: float
    per: str  # "year" or "month"


@dataclass(frozen=True)
class Growth:
    """The growth a growth target is judged by, on one of its series."""

    series: str
    observed: float | None  # % a year (None: fewer than two comparable levels)
    since: dt.date | None  # the first level (None for a growth a report states)
    until: dt.date  # the latest level, or the date of the stated growth
    stated: bool  # stated by a report rather than computed from levels
    estimate: bool  # the growth rests on an estimate ("khoảng 20%")
    ratio: float | None  # observed / required
    status: str


@dataclass(frozen=True)
class Verdict:
    """Where a target stands at the view date, and what it still needs."""

    status: str
    goal: Goal | None = None
    on: dt.date | None = None  # the view date
    figure: Figure | None = None  # the outcome figure the verdict reads (the latest)
    estimate: bool = False  # the verdict rests on an estimate or a bound, not an exact figure
    progress: Progress | None = None  # the published method's reading, with two comparable exact figures
    gap: float | None = None  # how far the figure is from the target, in its unit (> 0); None when met or unknown
    pace: Pace | None = None  # the gap per year or per month, from the figure's date to the deadline
    shortfall: float | None = None  # missed: how far short the figure at or after the deadline is
    planned: Figure | None = None  # the latest plan, pledge or forecast (shown as such, never judged)
    growth: tuple[Growth, ...] = ()  # a growth target: the observed growth on each series

    @property
    def days_left(self) -> int | None:
        """Days from the view date to the deadline (0: due on the view date; negative: passed)."""
        deadline = self.goal.deadline if self.goal else None
        return (deadline - self.on).days if deadline is not None and self.on is not None else None

    @property
    def path_to_go(self) -> tuple[tuple[dt.date, float], tuple[dt.date, float]] | None:
        """The ground still to cover, from the latest figure to the target at its deadline; None when there is none
        to draw: achieved, missed, overdue, no figure or no deadline."""
        if self.status in ("achieved", "missed", "overdue_no_data", "no_data", "no_target") or self.figure is None:
            return None
        if self.goal is None or self.goal.deadline is None or self.growth:
            return None
        return (self.figure.on, self.figure.value), (self.goal.deadline, self.goal.value)


def decides(figure: Figure, goal: Goal, direction: str, estimates: bool) -> str | None:
    """'met' or 'short' when the figure settles the target, None when it cannot: an estimate only when `estimates`
    (after the deadline); a bound only on its side ("hơn 90%" meets 80%, "dưới 15%" falls short of 20%)."""
    lower, g, v = goal.lower(direction), goal.value, figure.value
    q = figure.qualifier
    if q == "exact" or (q == "approx" and estimates):
        return "met" if met(v, goal, direction) else "short"
    if q == "at_least":  # the true value is above v
        return ("short" if v >= g else None) if lower else ("met" if v >= g else None)
    if q in ("at_most", "bracket"):  # the true value is below v (a bracket "Top N": at most N)
        if lower:
            return "met" if v <= g else None
        return "short" if q == "at_most" and v <= g else None
    if q == "range" and figure.value_high is not None:
        low, high = v, figure.value_high
        if lower:
            return "met" if high <= g else ("short" if low > g else None)
        return "met" if low >= g else ("short" if high < g else None)
    return None


def gap_of(figure: Figure, goal: Goal, direction: str) -> float | None:
    """How far the figure is from the target, towards it (> 0), or None when it is there."""
    gap = figure.value - goal.value if goal.lower(direction) else goal.value - figure.value
    return gap if gap > 0 else None


def pace_needed(gap: float | None, since: dt.date, deadline: dt.date | None) -> Pace | None:
    """The gap spread over the time from `since` to the deadline: per year, or per month when under two years."""
    if gap is None or deadline is None or deadline <= since:
        return None
    days = (deadline - since).days
    if days >= 2 * 365.25:
        return Pace(gap / (days / 365.25), "year")
    return Pace(gap / (days / MONTH), "month")


def split(figures: Sequence[Figure]) -> tuple[Figure | None, Figure | None]:
    """(the latest outcome, the latest plan, pledge or forecast) of figures in date order."""
    outcomes = [f for f in figures if f.modality == OUTCOME]
    planned = [f for f in figures if f.modality != OUTCOME]
    return (outcomes[-1] if outcomes else None), (planned[-1] if planned else None)


def judge(goal: Goal, direction: str, on: dt.date, figures: Sequence[Figure],
          points: Sequence[tuple[dt.date, float]] = (), limit: float | None = None,
          other_basis: Figure | None = None) -> Verdict:
    """The verdict on one target at the view date `on`.

    `figures`: the figures of its series known at `on` on the basis the target is stated on, in date order (any
    qualifier and modality); `points`: the comparable exact outcome figures among them (date, value), for the
    published method; `other_basis`: an outcome on another basis, which cannot be judged against the target (before
    the deadline it makes the verdict insufficient rather than no data)."""
    latest, planned = split(figures)
    deadline = goal.deadline
    passed = deadline is not None and on > deadline
    base = dict(goal=goal, on=on, planned=planned)
    if latest is None:
        status = "overdue_no_data" if passed else ("insufficient" if other_basis is not None else "no_data")
        return Verdict(status, **base)
    base |= dict(figure=latest, estimate=latest.estimate)
    settled = decides(latest, goal, direction, estimates=passed)
    if settled == "met":
        return Verdict("achieved", **base)
    gap = gap_of(latest, goal, direction)
    if deadline is None:
        return Verdict("no_target", gap=gap, **base)
    if passed:
        if settled == "short" and latest.on >= deadline:
            return Verdict("missed", shortfall=gap, gap=gap, **base)
        return Verdict("overdue_no_data", gap=gap, **base)
    progress = None
    if not latest.estimate and len(points) >= 2:
        progress = assess(points, direction, goal, limit)
    status = progress.status if progress is not None else "insufficient"
    return Verdict(status, progress=progress, gap=gap, pace=pace_needed(gap, latest.on, deadline), **base)


def worst(statuses: Sequence[str]) -> str:
    return min(statuses, key=WORST_FIRST.index)


def growth_on(series: str, goal: Goal, on: dt.date, levels: Sequence[tuple[dt.date, float]] = (),
              stated: Figure | None = None) -> Growth | None:
    """The growth of one series: from its comparable exact levels (first to latest) or as a report states it (a
    growth in %, the latest outcome); None when the series has neither."""
    deadline, passed = goal.deadline, goal.deadline is not None and on > goal.deadline
    if stated is not None:
        observed, since, until, is_stated, estimate = stated.value, None, stated.on, True, stated.estimate
    elif len(levels) >= 2 and levels[-1][0] > levels[0][0] and levels[0][1] > 0 and levels[-1][1] > 0:
        (d0, v0), (d1, v1) = levels[0], levels[-1]
        observed, since, until, is_stated, estimate = 100 * cagr(v1, v0, years(d0, d1)), d0, d1, False, False
    elif levels:
        return Growth(series, None, None, levels[-1][0], False, False, None,
                      "overdue_no_data" if passed else "insufficient")
    else:
        return None
    ratio = observed / goal.value if goal.value > 0 else None
    if passed:  # the deadline's verdict needs a growth up to the deadline
        status = "overdue_no_data" if until < deadline else ("achieved" if observed >= goal.value else "missed")
    elif ratio is None:
        status = "insufficient"
    else:
        status = band(ratio, WITH_TARGET)
    return Growth(series, observed, since, until, is_stated, estimate, ratio, status)


def judge_growth(goal: Goal, on: dt.date, readings: Sequence[Growth | None],
                 planned: Figure | None = None) -> Verdict:
    """The verdict on a growth target from its series' growth readings (growth_on): the worst of those that have a
    figure; no figure on any series -> no_data, or overdue_no_data once the deadline has passed."""
    found = tuple(r for r in readings if r is not None)
    passed = goal.deadline is not None and on > goal.deadline
    if not found:
        return Verdict("overdue_no_data" if passed else "no_data", goal=goal, on=on, planned=planned)
    chosen = min(found, key=lambda r: WORST_FIRST.index(r.status))
    figure = Figure(chosen.until, chosen.observed) if chosen.observed is not None else None
    shortfall = goal.value - chosen.observed if chosen.status == "missed" else None
    return Verdict(chosen.status, goal=goal, on=on, figure=figure, estimate=chosen.estimate, shortfall=shortfall,
                   planned=planned, growth=found)
