"""The status rule of kpis/status.py, case by case."""

import datetime as dt

import pytest

from kpis.status import TargetSpec, assess, target_in_force

D = dt.date
T2030_UP = TargetSpec(30.0, 2030, ">=")


def test_no_data_and_no_target():
    assert assess([], [T2030_UP], "higher").status == "no_data"
    assert assess([(D(2025, 12, 31), 12.0)], [], "higher").status == "no_target"


def test_achieved_for_higher_and_for_ranks():
    assert assess([(D(2025, 12, 31), 31.0)], [T2030_UP], "higher").status == "achieved"
    top50 = TargetSpec(50, 2030, "<=")
    assert assess([(D(2025, 9, 30), 44)], [top50], "lower").status == "achieved"
    assert assess([(D(2025, 9, 30), 71)], [top50], "lower").status == "insufficient"


def test_single_observation_cannot_show_a_trend():
    assert assess([(D(2025, 12, 31), 12.0)], [T2030_UP], "higher").status == "insufficient"


@pytest.mark.parametrize(
    ("latest", "expected_status"),
    [(20.0, "on_track"), (18.5, "at_risk"), (17.5, "off_track"), (13.0, "off_track"), (9.0, "off_track")],
)
def test_straight_line_rule(latest, expected_status):
    # first 10 on 31/12/2024, target 30 on 31/12/2030: the line gains 20 over 6 years, so on
    # 31/12/2027 (half way) it expects 20.
    obs = [(D(2024, 12, 31), 10.0), (D(2027, 12, 31), latest)]
    a = assess(obs, [T2030_UP], "higher")
    assert a.status == expected_status
    assert a.expected == pytest.approx(20.0, abs=0.01)


def test_rank_improving_fast_enough_is_on_track():
    obs = [(D(2024, 12, 31), 71), (D(2025, 12, 31), 60)]
    assert assess(obs, [TargetSpec(50, 2030, "<=")], "lower").status == "on_track"


def test_missed_deadline_is_off_track():
    obs = [(D(2025, 6, 30), 10.0), (D(2025, 12, 31), 15.0)]
    assert assess(obs, [TargetSpec(20, 2025, ">=")], "higher").status == "off_track"


def test_milestone_then_goal():
    targets = [TargetSpec(20, 2025, ">="), TargetSpec(30, 2030, ">=")]
    assert target_in_force(targets, D(2025, 12, 31)).year == 2025
    assert target_in_force(targets, D(2026, 5, 3)).year == 2030
    assert target_in_force(targets, D(2031, 1, 1)).year == 2030
