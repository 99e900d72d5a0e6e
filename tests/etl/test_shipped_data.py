"""The shipped data/: complete enough, every entity resolved, reported identities hold or are flagged."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def con(shipped_db: Path):
    c = duckdb.connect(str(shipped_db), read_only=True)
    yield c
    c.close()


def _count(con, sql: str, params: list | None = None) -> int:
    return con.execute(sql, params or []).fetchone()[0]


def test_well_over_600_reported_figures_from_all_four_reports(con):
    assert _count(con, "SELECT count(*) FROM observations WHERE NOT is_illustrative") > 600
    files = {r[0] for r in con.execute("SELECT DISTINCT source_file FROM observations").fetchall()}
    assert files == {r[0] for r in con.execute("SELECT source_file FROM sources").fetchall()}


def test_the_34_provinces_with_region_and_code(con):
    rows = con.execute("SELECT name_vi, region, code FROM agencies WHERE kind = 'province'").fetchall()
    assert len(rows) == 34
    assert all(region and code and len(code) == 2 for _, region, code in rows)
    assert len({code for *_, code in rows}) == 34
    regions = {region for _, region, _ in rows}
    assert len(regions) == 6


def test_every_data_entity_resolves_to_one_agency(con):
    unresolved = _count(con, "SELECT count(*) FROM facts WHERE entity_as_written IS NOT NULL AND entity_id IS NULL")
    assert unresolved == 0
    aliases = {}
    with (REPO / "data" / "dims" / "agency_aliases.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = row["alias"].casefold()
            assert aliases.setdefault(key, row["agency_id"]) == row["agency_id"], f"alias {row['alias']} is ambiguous"


@pytest.mark.parametrize("alias", ["Bộ KH&CN", "Bộ Khoa học và Công nghệ", "TP.HCM", "Thành phố Hồ Chí Minh"])
def test_report_spellings_are_aliases(con, alias):
    assert _count(con, "SELECT count(*) FROM agency_aliases WHERE lower(alias) = lower(?)", [alias]) == 1


def test_nq11_programme_on_3_may_2026_adds_up_to_194(con):
    total, done, on_time, late, in_time, overdue = con.execute(
        "SELECT total, done, done_on_time, done_late, in_progress_on_time, overdue FROM task_status "
        "WHERE programme = 'nq11_2026' AND as_of = DATE '2026-05-03' AND entity_id IS NULL AND category IS NULL"
    ).fetchone()
    assert total == 194
    assert on_time + late == done
    assert done + in_time + overdue == total


def test_thai_nguyen_131_of_167_is_kept_with_its_base(con):
    row = con.execute(
        "SELECT o.value, o.base FROM observations o JOIN agencies a ON a.id = o.entity_id "
        "WHERE a.name_vi = 'Thái Nguyên' AND o.value = 131"
    ).fetchone()
    assert row == (131.0, 167.0)


def test_every_conflict_groups_at_least_two_rows_with_a_note(con):
    rows = con.execute("SELECT conflict_id, rows, notes FROM conflicts").fetchall()
    assert rows, "the reports contradict each other in places; the flags must be in the data"
    for cid, n, notes in rows:
        assert n >= 2, cid
        assert notes, f"{cid} has no note explaining it"


def test_every_figure_carries_its_source_and_quote(con):
    assert _count(con, "SELECT count(*) FROM observations WHERE source_file IS NULL OR source_quote IS NULL "
                       "OR length(source_quote) < 5") == 0


def test_budget_has_every_stage_the_reports_give(con):
    stages = {r[0] for r in con.execute("SELECT DISTINCT stage FROM budget").fetchall()}
    assert {"assigned", "allocated", "disbursed"} <= stages


def test_every_category_has_a_label_in_both_languages(con):
    unlabelled = con.execute(
        "SELECT DISTINCT category FROM observations WHERE category IS NOT NULL AND theme <> 'budget' "
        "AND (category_name_vi IS NULL OR category_name_en IS NULL)").fetchall()
    assert not unlabelled


def test_every_target_has_its_deadline_read_and_a_known_kind(con):
    rows = con.execute("SELECT id, deadline_text, deadline, kind, source_file FROM targets").fetchall()
    assert len(rows) >= 50
    for tid, words, deadline, kind, source in rows:
        assert (words is None) == (deadline is None), tid
        assert kind in ("resolution", "commitment", "forecast") and (kind == "resolution") == (source == "nq57"), tid
    notes = con.execute("SELECT deadline_text, deadline, deadline_note_vi FROM targets WHERE deadline_note_vi IS NOT NULL"
                        ).fetchall()
    assert notes and all(w == "31/6/2026" and str(d) == "2026-06-30" and "31/6/2026" in n for w, d, n in notes)


def test_the_first_national_data_centre_and_the_publications_growth_conflict(con):
    assert con.execute("SELECT count(*) FROM observations WHERE indicator_id = 'national_data_centres' AND value = 1"
                       ).fetchone()[0] == 2  # 003 (inaugurated) and 001 (in operation since 18/8/2025)
    rows, sources = con.execute("SELECT rows, sources FROM conflicts WHERE conflict_id = 's000a_university_publications_growth'"
                                ).fetchone()
    assert rows == 5 and sources == ["000_7779602db55c82c4.txt", "004_20e40d3424a45d03.txt"]


def test_the_reports_plans_pledges_and_forecasts_are_marked(con):
    assert con.execute("SELECT modality FROM observations WHERE indicator_id = 'budget_st_dt_share_total_spending' "
                       "AND entity_id IS NULL").fetchall() == [("pledge",)]
    assert {m for (m,) in con.execute("SELECT DISTINCT modality FROM observations").fetchall()} == {
        "outcome", "plan", "pledge", "forecast"}
