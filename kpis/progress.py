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
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

STATUSES = ("achieved", "on_track", "needs_acceleration", "limited", "deterioration", "insufficient")
WITH_TARGET = (0.95, 0.60, 0.0)  # R: on track, needs acceleration, limited (below: deterioration)
WITHOUT_TARGET = (0.015, 0.005, 0.0)  # CAGR a year, the same bands
LIMIT_EXPONENT = 4.44
ZERO = 0.001


@dataclass(frozen=True)
class Goal:
    value: float
    year: int
    comparator: str = ">="  # ">=", "<=" or "=" (then the direction decides)


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
    lower = goal.comparator == "<=" or (goal.comparator == "=" and direction == "lower")
    return value <= goal.value if lower else value >= goal.value


def bound_meets(value: float, qualifier: str, goal: Goal, direction: str) -> bool:
    """Whether a figure stated as a bound already meets the target: "hơn 90%" meets ">= 80%", "Top 10" meets
    "<= rank 50"; an estimate ("khoảng") never does, it may lie on either side."""
    lower = goal.comparator == "<=" or (goal.comparator == "=" and direction == "lower")
    if qualifier == "at_least" and not lower:
        return value >= goal.value
    if qualifier in ("at_most", "bracket") and lower:
        return value <= goal.value
    return False


def goal_in_force(goals: Sequence[Goal], on: dt.date) -> Goal | None:
    """The earliest target whose year is not before `on` (the 2025 milestone for a 2025 figure, then the 2030
    goal); when every year is past, the last one."""
    ordered = sorted(goals, key=lambda g: (g.year, g.value))
    return next((g for g in ordered if g.year >= on.year), ordered[-1] if ordered else None)


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
    deadline = dt.date(goal.year, 12, 31)
    if deadline <= d0:
        return Progress("insufficient", base=(d0, v0), latest=(d1, v1))  # no time left to grow towards it
    required = cagr(goal.value if goal.value != 0 else ZERO, base, years(d0, deadline))
    if required == 0:
        return Progress("insufficient", base=(d0, v0), latest=(d1, v1))
    ratio = sign * d * observed / abs(required)
    if math.isnan(ratio):
        return Progress("insufficient", base=(d0, v0), latest=(d1, v1))
    return Progress(band(ratio, WITH_TARGET), ratio, observed, required, (d0, v0), (d1, v1))
