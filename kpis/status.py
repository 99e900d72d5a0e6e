"""The one rule that turns an indicator's observations and target into a status.

Rule (documented here and shown in the app):
1. No observation up to the view date -> ``no_data`` (chưa có số liệu).
2. No target for the indicator -> ``no_target`` (chưa có mục tiêu).
3. The target in force is the earliest target whose year is not before the latest observation's year
   (e.g. the 2025 milestone for a 2025 figure, the 2030 goal after that); if all targets are past, the last one.
4. The latest value meets the target (>= for "higher is better" or a ">=" target, <= for ranks and "<=") ->
   ``achieved`` (đạt).
5. Otherwise, with only one observation the trend cannot be judged -> ``insufficient`` (chưa đủ dữ liệu
   đánh giá xu hướng).
6. Otherwise draw the straight line from the first observation (date, value) to the target (31/12 of the
   target year, target value); ``expected`` is that line at the latest observation's date and
   ``progress = (latest - first) / (expected - first)``:
   progress >= 1 -> ``on_track`` (đúng hướng); 0.8 <= progress < 1 -> ``at_risk`` (có nguy cơ);
   below 0.8, or moving away from the target -> ``off_track`` (chậm).
   A target year already past with the target unmet is ``off_track``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "insufficient", "no_target", "no_data")
AT_RISK_FLOOR = 0.8


@dataclass(frozen=True)
class TargetSpec:
    value: float
    year: int
    comparator: str  # ">=", "<=" or "="


@dataclass(frozen=True)
class Assessment:
    status: str
    target: TargetSpec | None
    expected: float | None = None
    progress: float | None = None


def _meets(value: float, target: TargetSpec, direction: str) -> bool:
    if target.comparator == "<=" or (target.comparator == "=" and direction == "lower"):
        return value <= target.value
    return value >= target.value


def bound_meets(value: float, qualifier: str, target: TargetSpec, direction: str) -> bool:
    """Whether a figure stated as a bound already meets the target: "hơn 90%" meets ">= 80%", "Top 10" meets
    "<= rank 50"; an estimate ("khoảng") never does, it may lie on either side."""
    lower_is_better = target.comparator == "<=" or (target.comparator == "=" and direction == "lower")
    if qualifier == "at_least" and not lower_is_better:
        return value >= target.value
    if qualifier in ("at_most", "bracket") and lower_is_better:
        return value <= target.value
    return False


def target_in_force(targets: Sequence[TargetSpec], on: dt.date) -> TargetSpec | None:
    if not targets:
        return None
    ordered = sorted(targets, key=lambda t: (t.year, t.value))
    for t in ordered:
        if t.year >= on.year:
            return t
    return ordered[-1]


def assess(
    observations: Sequence[tuple[dt.date, float]],
    targets: Sequence[TargetSpec],
    direction: str,
) -> Assessment:
    """Status of one indicator from its (date, value) observations up to the view date."""
    if not observations:
        return Assessment("no_data", target_in_force(targets, dt.date.today()))
    obs = sorted(observations)
    (d0, v0), (d1, v1) = obs[0], obs[-1]
    target = target_in_force(targets, d1)
    if target is None:
        return Assessment("no_target", None)
    if _meets(v1, target, direction):
        return Assessment("achieved", target, progress=1.0)
    deadline = dt.date(target.year, 12, 31)
    if d1 >= deadline:
        return Assessment("off_track", target)
    if len(obs) < 2 or d0 == d1:
        return Assessment("insufficient", target)
    span = (deadline - d0).days
    expected = v0 + (target.value - v0) * (d1 - d0).days / span
    if expected == v0:
        return Assessment("insufficient", target)
    progress = (v1 - v0) / (expected - v0)
    if progress >= 1:
        status = "on_track"
    elif progress >= AT_RISK_FLOOR:
        status = "at_risk"
    else:
        status = "off_track"
    return Assessment(status, target, expected=expected, progress=progress)
