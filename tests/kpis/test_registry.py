"""The KPI registry is complete, consistent and documented: every figure's indicator is declared once."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from etl.text import parse_deadline
from kpis.registry import (
    CANONICAL_UNITS,
    COMPARATORS,
    DASHBOARD_THEMES,
    DIRECTIONS,
    PERIODS,
    PILLARS,
    TARGET_KINDS,
    TASK_STATUS_INDICATORS,
    THEMES,
    indicators_by_id,
    load_headlines,
    load_indicators,
    load_targets,
)

REPO = Path(__file__).resolve().parents[2]
SOURCES = {r["source_file"] for r in csv.DictReader((REPO / "data" / "sources.csv").open(encoding="utf-8"))}


def _data_indicator_ids() -> set[str]:
    ids = set()
    for path in (REPO / "data" / "observations").glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            ids |= {r["indicator_id"] for r in csv.DictReader(fh)}
    for path in (REPO / "data" / "budget").glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            ids |= {"budget_" + r["stage"] for r in csv.DictReader(fh)}
    return ids


def test_ids_are_unique_and_well_formed():
    ids = [i.id for i in load_indicators()]
    assert len(ids) == len(set(ids))
    for i in ids:
        assert i == i.lower() and " " not in i and i.isascii(), i


@pytest.mark.parametrize("ind", load_indicators(), ids=lambda i: i.id)
def test_indicator_is_fully_declared(ind):
    assert ind.name_vi and ind.name_en and ind.description
    assert ind.name_vi != ind.name_en
    assert ind.theme in THEMES
    assert ind.unit in CANONICAL_UNITS
    assert ind.direction in DIRECTIONS
    assert ind.period in PERIODS
    if ind.pillar:
        assert ind.theme == "digital_transformation" and ind.pillar in PILLARS
    if ind.unit == "rank":
        assert ind.direction == "lower", "a better rank is a smaller number"


def test_every_pillar_of_digital_transformation_is_used():
    pillars = {i.pillar for i in load_indicators() if i.theme == "digital_transformation"}
    assert set(PILLARS) <= pillars


def test_every_data_row_indicator_is_registered():
    missing = _data_indicator_ids() - set(indicators_by_id())
    assert not missing


def test_every_registered_indicator_has_data_or_a_target():
    used = _data_indicator_ids() | {t.indicator_id for t in load_targets()}
    # The task-status columns are a fixed schema; a report may state only some of them.
    unused = set(indicators_by_id()) - used - set(TASK_STATUS_INDICATORS)
    assert not unused, f"registered but never reported: {sorted(unused)}"


def test_targets_have_sources_and_match_their_indicator():
    registry = indicators_by_id()
    targets = load_targets()
    assert targets
    for t in targets:
        assert t.indicator_id in registry
        assert t.comparator in COMPARATORS
        assert t.unit == registry[t.indicator_id].unit
        assert t.source_quote and (t.source_file in SOURCES or t.source_file == "nq57")
        assert t.kind in TARGET_KINDS and (t.kind == "resolution") == (t.source_file == "nq57"), t.id
        deadline = parse_deadline(t.deadline_text)
        assert (deadline is None) == (t.deadline_text == ""), t.id  # no wording: the text states no deadline
        assert deadline is None or dt.date(2025, 1, 1) <= deadline.date <= dt.date(2045, 12, 31), t.id
        assert t.value_high is None or t.value_high >= t.value
        assert all(s in registry for s in t.series), t.id
    assert len({t.id for t in targets}) == len(targets)


def test_headlines_are_registered_indicators_of_their_theme():
    registry = indicators_by_id()
    heads = load_headlines()
    assert heads
    for h in heads:
        assert h.indicator_id in registry, h
        assert registry[h.indicator_id].theme == h.theme, h
    for theme in DASHBOARD_THEMES:
        n = sum(h.theme == theme for h in heads)
        assert 3 <= n <= 5, f"{theme} has {n} headline indicators"
