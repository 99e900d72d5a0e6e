"""Only comparable figures are compared: same definition, and exact figures for a change or a trend."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.indicators import summarise
from dashboard.theme import format_figure
from kpis.progress import Goal, bound_meets

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

