"""The Open SDG progress method: each band and its edges."""

from __future__ import annotations

import datetime as dt

import pytest

from kpis.progress import Goal, assess, cagr, limit_coefficient

D0, D1 = dt.date(2020, 12, 31), dt.date(2025, 12, 31)  # five years (1826 days / 365.25)
SPAN = (D1 - D0).days / 365.25


def test_no_figure_or_one_figure_is_not_enough():
    assert assess([], "higher", Goal(10, 2030)).status == "insufficient"
    assert assess([(D1, 5.0)], "higher", Goal(10, 2030)).status == "insufficient"


def test_a_met_target_is_achieved_even_from_one_figure():
    assert assess([(D1, 12.0)], "higher", Goal(10, 2030)).status == "achieved"
    assert assess([(D0, 60.0), (D1, 44.0)], "lower", Goal(50, 2030, "<=")).status == "achieved"  # rank 44 <= 50


def ratio_for(r: float) -> float:
    """The latest value that gives ratio r towards 10 by 2030 from 5 at the end of 2020."""
    required = cagr(10, 5, (dt.date(2030, 12, 31) - D0).days / 365.25)
    return 5 * (1 + r * required) ** SPAN


@pytest.mark.parametrize(("r", "status"), [
    (1.2, "on_track"), (0.95, "on_track"), (0.94, "needs_acceleration"), (0.60, "needs_acceleration"),
    (0.59, "limited"), (0.0, "limited"), (-0.01, "deterioration"), (-1.0, "deterioration"),
])
def test_bands_of_the_ratio_with_a_target(r, status):
    p = assess([(D0, 5.0), (D1, ratio_for(r))], "higher", Goal(10, 2030))
    assert p.ratio == pytest.approx(r, abs=1e-9)
    assert p.status == status


def test_a_falling_indicator_is_judged_by_its_direction():
    """A rank going from 80 to 60 towards 50: lower is better, it is progress."""
    p = assess([(D0, 80.0), (D1, 60.0)], "lower", Goal(50, 2030, "<="))
    assert p.ratio > 0.95 and p.status == "on_track"
    worse = assess([(D0, 80.0), (D1, 90.0)], "lower", Goal(50, 2030, "<="))
    assert worse.ratio < 0 and worse.status == "deterioration"


def test_a_zero_base_is_replaced_as_the_method_does():
    p = assess([(D0, 0.0), (D1, 3.0)], "higher", Goal(10, 2030))
    assert p.status in ("on_track", "needs_acceleration") and p.ratio > 0


def test_a_past_deadline_before_the_first_figure_cannot_be_judged():
    assert assess([(D0, 5.0), (D1, 6.0)], "higher", Goal(10, 2019)).status == "insufficient"


@pytest.mark.parametrize(("growth", "status"), [
    (0.02, "on_track"), (0.0151, "on_track"), (0.01, "needs_acceleration"), (0.004, "limited"), (-0.01, "deterioration"),
])
def test_bands_without_a_target(growth, status):
    latest = 40 * (1 + growth) ** SPAN
    assert assess([(D0, 40.0), (D1, latest)], "higher").status == status


def test_thresholds_shrink_near_a_natural_limit():
    """99% coverage cannot grow 1.5% a year; near the limit a small rise is on track."""
    assert limit_coefficient(99, 100) == pytest.approx(1 - 0.99 ** 4.44)
    assert limit_coefficient(0, 100) == 1.0
    p = assess([(D0, 99.0), (D1, 99.5)], "higher", limit=100)
    assert p.status == "on_track"
    assert assess([(D0, 99.0), (D1, 99.5)], "higher").status == "limited"  # the same rise without the limit
    assert assess([(D0, 100.0), (D1, 100.0)], "higher", limit=100).status == "on_track"  # held at the limit


def test_the_required_path_and_the_projection():
    p = assess([(D0, 5.0), (D1, 7.0)], "higher", Goal(10, 2030))
    assert p.required_path(dt.date(2030, 12, 31)) == pytest.approx(10)
    assert p.projected(D1) == pytest.approx(7.0)
    assert p.projected(dt.date(2030, 12, 31)) > 7.0
