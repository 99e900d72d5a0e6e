"""Verdicts on a target at the view date: each one and its edges (kpis.progress.judge, judge_growth)."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.text import parse_deadline
from kpis.progress import Figure, Goal, growth_on, judge, judge_growth

D = dt.date


def due(value: float, deadline: dt.date | None, comparator: str = ">=") -> Goal:
    return Goal(value, deadline.year if deadline else None, comparator, deadline)


def test_a_deadline_on_the_view_date_has_not_passed_the_day_after_it_has():
    goal = due(105, D(2025, 12, 31))
    figures = [Figure(D(2025, 12, 31), 31)]  # 31 of the 105 databases due in 2025
    today = judge(goal, "higher", D(2025, 12, 31), figures)
    assert today.status == "insufficient" and today.days_left == 0
    assert today.gap == 74 and today.pace is None  # nothing left of the time to spread it over
    after = judge(goal, "higher", D(2026, 1, 1), figures)
    assert after.status == "missed" and after.shortfall == 74 and after.days_left == -1
    assert after.path_to_go is None


def test_a_deadline_written_quy_i_2026_is_due_on_31_march():
    deadline = parse_deadline("khởi công Trung tâm Dữ liệu quốc gia số 02 ngay trong Quý I/2026").date
    assert deadline == D(2026, 3, 31)
    goal, figures = due(2, deadline), [Figure(D(2025, 8, 18), 1)]
    assert judge(goal, "higher", D(2026, 3, 31), figures).status == "insufficient"
    # passed, and the only figure is from before the deadline: nobody says whether No. 2 was started
    late = judge(goal, "higher", D(2026, 4, 1), figures)
    assert late.status == "overdue_no_data" and late.figure == figures[0] and late.gap == 1


def test_no_figure_is_no_data_until_the_deadline_then_overdue():
    goal = due(50, parse_deadline("hoàn thành trước ngày 31/12/2025").date)  # the 5G/4G station ratio
    assert goal.deadline == D(2025, 12, 30)
    assert judge(goal, "higher", D(2025, 12, 30), []).status == "no_data"
    assert judge(goal, "higher", D(2025, 12, 31), []).status == "overdue_no_data"


def test_an_estimate_below_the_target_after_its_deadline_is_missed_and_says_it_is_an_estimate():
    """Digital economy 2025: "ước đạt 18,72%" against the 20% of the period, read on 08/05/2026."""
    v = judge(due(20, D(2025, 12, 31)), "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 18.72, "approx")])
    assert v.status == "missed" and v.estimate
    assert v.shortfall == pytest.approx(1.28)


def test_an_estimate_above_the_target_after_its_deadline_is_achieved_as_an_estimate():
    """"ước đạt 116% kế hoạch năm 2025", read after the year."""
    v = judge(due(100, D(2025, 12, 31)), "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 116, "approx")])
    assert v.status == "achieved" and v.estimate and v.gap is None and v.path_to_go is None


def test_before_the_deadline_an_estimate_settles_nothing_but_gives_the_gap_and_pace():
    goal = due(30, D(2030, 12, 31))
    below = judge(goal, "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 18.72, "approx")])
    assert below.status == "insufficient" and below.estimate
    assert below.gap == pytest.approx(11.28) and below.pace.per == "year"
    assert below.pace.amount == pytest.approx(11.28 / 5, rel=1e-3)
    above = judge(goal, "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 31, "approx")])
    assert above.status == "insufficient" and above.gap is None  # it may lie on either side of 30


def test_one_figure_gives_the_gap_and_the_pace_per_year_or_per_month():
    r_and_d = judge(due(12, D(2030, 12, 31)), "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 10.07)])
    assert r_and_d.status == "insufficient"
    assert (r_and_d.pace.per, round(r_and_d.pace.amount, 2)) == ("year", 0.39)  # "cần thêm 0,39 /10.000 dân mỗi năm"
    five_g = judge(due(97, D(2026, 12, 31)), "higher", D(2026, 5, 8), [Figure(D(2026, 5, 3), 91.9)])
    assert five_g.pace.per == "month" and 0.6 <= five_g.pace.amount <= 0.7  # under two years left: per month
    assert five_g.path_to_go == ((D(2026, 5, 3), 91.9), (D(2026, 12, 31), 97))


def test_a_rank_counts_places_to_climb():
    goal = due(30, D(2045, 12, 31), "<=")
    gii = judge(goal, "lower", D(2026, 5, 8), [Figure(D(2025, 12, 31), 44)])
    assert gii.status == "insufficient" and gii.gap == 14  # "cần lên 14 bậc"
    assert gii.pace.per == "year" and gii.pace.amount == pytest.approx(0.7, rel=1e-3)
    assert judge(goal, "lower", D(2026, 5, 8), [Figure(D(2025, 12, 31), 25)]).status == "achieved"
    top10 = judge(due(50, D(2030, 12, 31), "<="), "lower", D(2026, 5, 8), [Figure(D(2025, 12, 31), 10, "bracket")])
    assert top10.status == "achieved" and top10.estimate


def test_two_comparable_exact_figures_are_read_by_the_published_bands():
    goal = due(10, D(2030, 12, 31))
    v = judge(goal, "higher", D(2026, 1, 1), [Figure(D(2020, 12, 31), 5), Figure(D(2025, 12, 31), 5.5)],
              points=[(D(2020, 12, 31), 5), (D(2025, 12, 31), 5.5)])
    assert v.status in ("limited", "needs_acceleration", "on_track", "deterioration") and v.progress is not None
    assert v.status == v.progress.status == "limited" and v.gap == 4.5


def test_a_plan_pledge_or_forecast_never_makes_a_target_achieved():
    goal = due(3, D(2030, 12, 31))
    pledge = Figure(D(2026, 5, 3), 3, modality="pledge")  # "ưu tiên bố trí bảo đảm ở mức 3% tổng chi"
    alone = judge(goal, "higher", D(2026, 5, 8), [pledge])
    assert alone.status == "no_data" and alone.planned == pledge and alone.figure is None
    with_outcome = judge(goal, "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 2.1), pledge])
    assert with_outcome.status == "insufficient" and with_outcome.figure.value == 2.1 and with_outcome.planned == pledge
    forecast = Figure(D(2026, 5, 3), 97, modality="forecast")
    assert judge(due(97, D(2026, 12, 31)), "higher", D(2027, 1, 1), [forecast]).status == "overdue_no_data"


def test_after_the_deadline_a_bound_settles_only_on_its_side():
    goal = due(20, D(2025, 12, 31))
    under = judge(goal, "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 15, "at_most")])  # "dưới 15%"
    assert under.status == "missed" and under.estimate
    over_lower_bound = judge(goal, "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 15, "at_least")])  # "hơn 15%"
    assert over_lower_bound.status == "overdue_no_data"  # more than 15% may or may not be 20%
    ceiling = due(0, D(2025, 11, 29), "<=")  # none of the 117 villages left
    assert judge(ceiling, "lower", D(2026, 5, 8), [Figure(D(2025, 12, 31), 20, "at_least")]).status == "missed"


def test_a_target_without_a_deadline_is_met_or_has_no_dated_target():
    top50 = due(50, None, "<=")
    hanoi = judge(top50, "lower", D(2026, 5, 8), [Figure(D(2025, 12, 31), 88)])  # IMD 88/146
    assert hanoi.status == "no_target" and hanoi.gap == 38 and hanoi.pace is None
    assert judge(due(100, None), "higher", D(2026, 5, 8), [Figure(D(2025, 12, 31), 100)]).status == "achieved"
    assert judge(top50, "lower", D(2026, 5, 8), []).status == "no_data"


GROWTH = due(10, D(2030, 12, 31))  # publications +10% a year on average


def test_a_growth_target_reads_the_growth_of_its_level_series():
    wos = growth_on("wos", GROWTH, D(2026, 5, 8), levels=[(D(2024, 12, 31), 15065), (D(2025, 12, 31), 17942)])
    assert wos.observed == pytest.approx(19.1, abs=0.05) and not wos.stated and wos.status == "on_track"
    scopus = growth_on("scopus", GROWTH, D(2026, 5, 8), levels=[(D(2024, 12, 31), 22453), (D(2025, 12, 31), 23000)])
    assert scopus.observed == pytest.approx(2.44, abs=0.01) and scopus.status == "limited"
    v = judge_growth(GROWTH, D(2026, 5, 8), [wos, scopus])
    assert v.status == "limited" and v.growth == (wos, scopus)  # the worse of the two series
    assert v.path_to_go is None  # a growth has no level to draw a path to
    one = growth_on("wos", GROWTH, D(2026, 5, 8), levels=[(D(2025, 12, 31), 17942)])
    assert judge_growth(GROWTH, D(2026, 5, 8), [one]).status == "insufficient"
    assert judge_growth(GROWTH, D(2026, 5, 8), [None, None]).status == "no_data"


def test_a_growth_target_reads_a_growth_a_report_states_and_says_when_it_is_an_estimate():
    grants = Goal(16, 2030, ">=", D(2030, 12, 31), 18)
    stated = growth_on("vn", grants, D(2026, 5, 8), stated=Figure(D(2025, 12, 31), 134.2))
    assert stated.stated and stated.status == "on_track" and stated.ratio == pytest.approx(134.2 / 16)
    slow = growth_on("all", grants, D(2026, 5, 8), stated=Figure(D(2025, 12, 31), 12, "approx"))
    v = judge_growth(grants, D(2026, 5, 8), [stated, slow])
    assert v.status == "needs_acceleration" and v.estimate  # 12 of the 16 asked: R = 75%


def test_a_growth_target_after_its_deadline_is_met_or_missed_by_the_growth_up_to_it():
    goal = due(10, D(2025, 12, 31))
    levels = [(D(2024, 12, 31), 100.0), (D(2025, 12, 31), 108.0)]
    assert judge_growth(goal, D(2026, 1, 1), [growth_on("x", goal, D(2026, 1, 1), levels=levels)]).status == "missed"
    levels = [(D(2024, 12, 31), 100.0), (D(2025, 12, 31), 111.0)]
    assert judge_growth(goal, D(2026, 1, 1), [growth_on("x", goal, D(2026, 1, 1), levels=levels)]).status == "achieved"
    early = [(D(2023, 12, 31), 100.0), (D(2024, 12, 31), 120.0)]  # growth known only to a year before
    assert judge_growth(goal, D(2026, 1, 1), [growth_on("x", goal, D(2026, 1, 1), levels=early)]).status == \
        "overdue_no_data"


def test_a_figure_on_another_basis_is_not_judged_but_is_not_nothing_either():
    goal, other = due(100, D(2030, 12, 31)), Figure(D(2025, 12, 31), 58.9)
    v = judge(goal, "higher", D(2025, 12, 31), [], other_basis=other)
    assert v.status == "insufficient" and v.figure is None and v.gap is None
    assert judge(due(100, D(2025, 6, 30)), "higher", D(2025, 12, 31), [], other_basis=other).status == "overdue_no_data"
