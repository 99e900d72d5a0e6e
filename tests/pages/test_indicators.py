"""Only comparable figures are compared: same definition, and exact figures for a change or a trend."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.indicators import PaceNeeded, Summary, gap_text, needed_text, summarise
from dashboard.scorecard import all_targets as summaries
from dashboard.theme import format_figure
from kpis.progress import Goal, bound_meets
from kpis.registry import vocabulary

IND = pd.Series({"id": "x", "unit": "percent", "direction": "higher", "period": "point"})
NO_TARGETS = pd.DataFrame(columns=["indicator_id", "comparator", "value", "year"])


def obs(*rows: tuple) -> pd.DataFrame:
    """rows: (as_of, value, qualifier, definition)."""
    return pd.DataFrame([{
        "indicator_id": "x", "scope": "national", "category": None, "as_of": pd.Timestamp(d), "report_date":
        pd.Timestamp(d), "value": v, "unit": "percent", "qualifier": q, "definition": definition,
    } for d, v, q, definition in rows])


def targets(value: float, year: int, comparator: str = ">=") -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": "x", "comparator": comparator, "value": value, "year": year}])


def test_a_change_between_two_exact_figures_of_one_definition():
    s = summarise(IND, obs(("2025-12-31", 40.0, "exact", None), ("2026-04-30", 45.0, "exact", None)), NO_TARGETS)
    assert s.change == pytest.approx(5.0)


def test_no_change_across_definitions_and_the_earlier_basis_is_named():
    """51,7% cumulative to 26/11/2025, then 45,6% for the month of April 2026: not a decline."""
    s = summarise(IND, obs(("2025-11-26", 51.7, "exact", None), ("2026-04-30", 45.6, "exact", "month")), NO_TARGETS)
    assert s.previous is None and s.change is None
    assert s.other_basis is not None and s.other_basis["value"] == 51.7


def test_figures_of_one_date_on_two_bases_are_both_kept():
    s = summarise(IND, obs(("2026-04-30", 51.7, "exact", None), ("2026-04-30", 45.6, "exact", "month"),
                           ("2026-05-31", 47.0, "exact", "month")), NO_TARGETS)
    assert s.latest["value"] == 47.0 and s.previous["value"] == 45.6 and s.change == pytest.approx(1.4)


@pytest.mark.parametrize("qualifier", ["approx", "at_least", "at_most", "bracket"])
def test_an_estimate_or_a_bound_never_yields_a_precise_difference(qualifier):
    s = summarise(IND, obs(("2025-12-31", 25.0, "at_least", None), ("2026-04-30", 29.12, qualifier, None)), NO_TARGETS)
    assert s.previous is not None and s.change is None


def test_status_leaves_out_approximate_figures():
    """An approximate latest figure that does not meet the target cannot be judged on its own."""
    s = summarise(IND, obs(("2025-01-31", 10.0, "exact", None), ("2025-12-31", 20.0, "exact", None),
                           ("2026-04-30", 24.0, "approx", None)), targets(30, 2030))
    assert s.status == "insufficient"
    exact_only = summarise(IND, obs(("2025-01-31", 10.0, "exact", None), ("2025-12-31", 20.0, "exact", None)),
                           targets(30, 2030))
    assert exact_only.status == "on_track"


def test_status_uses_only_the_latest_definition():
    s = summarise(IND, obs(("2025-01-31", 10.0, "exact", "cumulative"), ("2026-04-30", 20.0, "exact", None)),
                  targets(30, 2030))
    assert s.status == "insufficient"  # one figure of its basis: no trend


def test_a_bound_that_meets_the_target_is_achieved():
    s = summarise(IND, obs(("2026-04-30", 90.0, "at_least", None)), targets(80, 2030))
    assert s.status == "achieved"
    assert bound_meets(10, "bracket", Goal(50, 2030, "<="), "lower")
    assert not bound_meets(10, "approx", Goal(5, 2030, ">="), "higher")
    assert not bound_meets(10, "at_least", Goal(5, 2030, "<="), "lower")


def test_a_target_without_a_year_is_not_judged():
    tg = pd.DataFrame([{"indicator_id": "x", "comparator": ">=", "value": 30.0, "year": None}])
    s = summarise(IND, obs(("2025-12-31", 20.0, "exact", None), ("2026-04-30", 25.0, "exact", None)), tg)
    assert s.status == "no_target"


@pytest.mark.parametrize(("row", "vi", "en"), [
    ({"qualifier": "approx", "value": 80000.0, "unit": "count", "value_stated": 80.0, "unit_stated": "thousand"},
     "khoảng 80 nghìn", "about 80 thousand"),
    ({"qualifier": "at_least", "value": 25e6, "unit": "count", "value_stated": 25.0, "unit_stated": "million"},
     "hơn 25 triệu", "more than 25 million"),
    ({"qualifier": "at_most", "value": 0.5, "unit": "percent", "value_stated": 0.5, "unit_stated": "percent"},
     "dưới 0,5%", "less than 0.5%"),
    ({"qualifier": "bracket", "value": 10.0, "unit": "rank", "value_stated": 10.0, "unit_stated": "rank"},
     "Top 10", "top 10"),
    ({"qualifier": "range", "value": 30.0, "value_high": 50.0, "unit": "percent", "value_stated": 30.0,
      "unit_stated": "percent"}, "30–50%", "30–50%"),
    ({"qualifier": "exact", "value": 80052.0, "unit": "count"}, "80.052", "80,052"),
])
def test_a_figure_is_written_as_its_report_states_it(row, vi, en):
    assert format_figure(row, "vi") == vi and format_figure(row, "en") == en



# Every target of the shipped data, judged as the dashboard judges it (tests/pages/verdict_report.py).

LATEST = dt.date(2026, 5, 8)


@pytest.fixture(scope="module")
def at_latest(shipped_db) -> dict[str, Summary]:
    # module-scoped, so built before the function-scoped fixture that points NQ57_DB at the shipped warehouse
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NQ57_DB", str(shipped_db))
        return {s.target["id"]: s for s in summaries(LATEST)}


def test_every_target_gets_a_verdict_or_no_data_at_every_report_date():
    from dashboard import queries

    statuses, targets = set(vocabulary("status")), queries.targets()
    for on in queries.report_dates():
        rows = summaries(on)  # the targets stated by then: Resolution 57's and those of the reports issued
        stated = targets[(targets["source_file"] == "nq57") | targets["source_file"].isin(
            queries.sources().loc[queries.sources()["report_date"].dt.date <= on, "source_file"])]
        assert {s.target["id"] for s in rows} == set(stated["id"]), on
        assert {s.status for s in rows} <= statuses
        for s in rows:  # no figure: no data, or overdue; a figure without a verdict on it: only plans or pledges
            assert s.latest is not None or s.status in ("no_data", "overdue_no_data"), (on, s.target["id"])
            assert s.status != "no_data" or s.latest is None or s.planned is not None, (on, s.target["id"])


def test_at_the_latest_report_most_dated_targets_have_a_figure(at_latest):
    dated = [s for s in at_latest.values() if s.deadline is not None]
    assert sum(s.latest is not None for s in dated) >= 25
    without = [s for s in dated if s.latest is None]
    assert all(s.status in ("no_data", "overdue_no_data") for s in without)


def test_the_digital_economy_2025_milestone_reads_as_missed_on_an_estimate(at_latest):
    s = at_latest["digital_economy_20_2025"]
    assert s.status == "missed" and s.estimate and s.shortfall == pytest.approx(1.28)
    assert s.judged["qualifier"] == "approx" and "18,72%" in s.judged["source_quote"]
    assert gap_text(s, "vi") == "thiếu 1,28 điểm % so với mục tiêu" and s.path_to_go is None
    ind = pd.Series({"id": "digital_economy_share_gdp", "unit": "percent", "direction": "higher", "period": "point"})
    from dashboard import queries
    national = summarise(ind, queries.indicator_observations(LATEST, ("digital_economy_share_gdp",)), queries.targets(),
                         on=LATEST)
    assert national.status == "missed" and national.goal.deadline == dt.date(2025, 12, 31)  # the milestone in force


def test_a_target_for_a_unit_reads_that_units_figures(at_latest):
    hospitals = at_latest["thai_nguyen_hospitals_emr_2027"]
    assert hospitals.latest["entity_id"] == "p_thai_nguyen" and hospitals.latest["value"] == 97.7
    assert hospitals.status == "insufficient" and needed_text(hospitals, "vi") == "cần +0,12 điểm % mỗi tháng"
    hanoi = at_latest["smart_city_top50_ha_noi"]  # IMD 88/146 against Top 50, no deadline stated
    assert hanoi.latest["entity_id"] == "p_ha_noi" and hanoi.status == "no_target"
    assert gap_text(hanoi, "vi") == "cần lên 38 bậc" and hanoi.pace_needed is None
    assert at_latest["smart_city_top50_hue"].status == "no_data"  # TP.HCM's 101 is not Huế's


def test_a_pledge_is_shown_as_a_pledge_and_never_makes_a_target_achieved(at_latest):
    budget = at_latest["nq57_budget_share_2030"]  # "ưu tiên bố trí bảo đảm ở mức 3% tổng chi ngân sách nhà nước"
    assert budget.status == "no_data" and budget.verdict.figure is None
    assert budget.planned["modality"] == "pledge" and budget.planned["value"] == 3
    assert format_figure(budget.planned, "vi") == "3% (cam kết)" and format_figure(budget.planned, "en") == "3% (pledge)"


def test_growth_targets_read_the_levels_or_the_growth_the_reports_state(at_latest):
    pubs = at_latest["nq57_intl_publications_growth_2030"]
    observed = {g.series: round(g.observed, 1) for g in pubs.verdict.growth}
    assert observed == {"intl_publications_wos": 19.1, "intl_publications_scopus": 11.9}
    assert pubs.status == "on_track" and not any(g.stated for g in pubs.verdict.growth)
    grants = at_latest["nq57_patent_grants_growth_2030"]
    assert grants.status == "on_track" and grants.verdict.growth[0].stated
    assert grants.latest["indicator_id"] == "vn_patent_grants_growth" and grants.latest["value"] == 134.2
    assert at_latest["nq57_patent_applications_growth_2030"].status == "no_data"


def test_one_figure_gives_the_gap_and_the_pace_in_the_figures_own_unit(at_latest):
    assert needed_text(at_latest["nq57_rd_personnel_2030"], "vi") == "cần thêm 0,39 /10.000 dân mỗi năm"
    assert needed_text(at_latest["nq57_rd_personnel_2030"], "en") == "needs 0.39 per 10,000 people more a year"
    five_g = at_latest["coverage_5g_97_2026"]
    assert five_g.target["kind"] == "forecast" and needed_text(five_g, "vi") == "cần +0,64 điểm % mỗi tháng"
    gii = at_latest["nq57_gii_world_2045"]
    assert gap_text(gii, "vi") == "cần lên 14 bậc" and gii.pace_needed == PaceNeeded(0.7, "year", "rank")
    docs = at_latest["legal_docs_nq667_in_force_2027"]  # 159 documents still to amend before 01/3/2027
    assert docs.status == "insufficient" and gap_text(docs, "vi") == "cần giảm 159"


def test_deadlines_passed_read_as_missed_or_overdue(at_latest):
    dbs = at_latest["nq71_databases_105_2025"]  # 31/105 databases of Resolution 71 done at the end of 2025
    assert dbs.status == "missed" and dbs.shortfall == 74 and dbs.latest["category"] == "nq71_bo_nganh"
    assert at_latest["bts_5g_to_4g_50_2025"].status == "overdue_no_data"
    villages = at_latest["coverage_gap_villages_power_2025"]  # 117 villages in September, nothing said since
    assert villages.status == "overdue_no_data" and villages.latest["value"] == 117
    master = at_latest["master_data_fields_2026"]  # "Thời hạn: 31/6/2026"
    assert master.deadline == dt.date(2026, 6, 30) and master.days_left == 53
    assert "31/6/2026" in master.target["deadline_note_vi"] and master.target["deadline_text"] == "31/6/2026"


def test_the_first_national_data_centre_is_a_figure(at_latest):
    centres = at_latest["national_data_centres_3_2026"]
    assert centres.latest["value"] == 1 and centres.points[0] == (dt.date(2025, 8, 18), 1.0)
    assert needed_text(centres, "vi") == "cần thêm 0,13 mỗi tháng"


def test_an_achieved_target_has_no_path_to_go(at_latest):
    ranked = at_latest["nq57_st_organisations_ranked_2030"]  # 53 organisations against 40-50
    assert ranked.status == "achieved" and ranked.path_to_go is None and ranked.gap is None
    plan = at_latest["dti_revenue_plan_2025"]  # "ước đạt ... 116% kế hoạch năm 2025", read after the year
    assert plan.status == "achieved" and plan.estimate


def test_a_target_is_judged_on_the_usual_basis_only_and_known_from_its_report():
    """5G: 58,9% (December 2025) was computed on another basis than 91,9% (May 2026) and the 97% projection, which
    report 000 states on 03/05/2026."""
    at_end_2025 = {s.target["id"]: s for s in summaries(dt.date(2025, 12, 31))}
    assert "coverage_5g_97_2026" not in at_end_2025
    five_g = at_end_2025["nq57_5g_2030"]
    assert five_g.latest["value"] == 58.9 and five_g.latest["definition"] == "coverage_5g_2025_basis"  # shown
    assert five_g.status == "insufficient" and five_g.judged is None and five_g.gap is None  # never judged
