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


def test_the_dated_tasks_of_each_report(con):
    by_report = dict(con.execute("SELECT left(source_file, 3), count(*) FROM dated_tasks GROUP BY 1").fetchall())
    assert by_report == {"000": 25, "001": 4, "003": 14, "004": 22}
    # only 004 proposes tasks to the Prime Minister (its part III); the 19 proposals are all its own
    assert dict(con.execute("SELECT stated_as, count(*) FROM dated_tasks GROUP BY 1").fetchall()) == {
        "assigned": 42, "planned": 4, "proposed": 19}
    assert con.execute("SELECT DISTINCT left(source_file, 3) FROM dated_tasks WHERE stated_as = 'proposed'"
                       ).fetchall() == [("004",)]


def test_every_dated_task_is_complete_and_known_from_its_report_date(con):
    rows = con.execute("SELECT d.id, d.scope, d.lead_as_written, d.lead_id, d.title_vi, d.title_en, d.deadline, "
                       "d.deadline_text, d.source_quote, d.stated_on, s.report_date FROM dated_tasks d "
                       "JOIN sources s USING (source_file)").fetchall()
    assert len(rows) == 65
    for tid, scope, lead, lead_id, title_vi, title_en, deadline, words, quote, stated_on, report_date in rows:
        assert (scope == "unit") == (lead is not None) == (lead_id is not None), tid
        assert title_vi and title_en and title_vi != title_en, tid
        assert deadline is not None and words.lower() in quote.lower(), tid
        assert stated_on == report_date, tid


def test_the_nine_tasks_due_31_6_2026_keep_the_words_and_are_due_30_6_2026(con):
    rows = con.execute("SELECT id, deadline_text, deadline, deadline_note_vi, deadline_note_en FROM dated_tasks "
                       "WHERE deadline_note_vi IS NOT NULL").fetchall()
    assert len(rows) == 9  # 000 prints "31/6/2026" nine times, all in its Quarter II 2026 list
    for tid, words, deadline, note_vi, note_en in rows:
        assert "31/6/2026" in words and str(deadline) == "2026-06-30", tid
        assert "“31/6/2026”" in note_vi and "30/06/2026" in note_en, tid
    assert {r[0] for r in rows} >= {"s000_master_data_fields", "s000_vneid_signature_standard"}


@pytest.mark.parametrize(("tid", "lead", "deadline", "target"), [
    ("s000_dt_strategy_2035", "m_khcn", "2026-06-10", None),  # "Thời hạn: 10/6/2026"
    ("s000_master_data_fields", None, "2026-06-30", "master_data_fields_2026"),  # "Các bộ, ngành, địa phương"
    ("s001_data_centre_2_start", None, "2026-03-31", "national_data_centre_2_started_q1_2026"),  # "Quý I/2026"
    ("s003_villages_power_telecom", "o_evn", "2025-11-29", "coverage_gap_villages_power_2025"),  # "trước ngày 30/11/2025"
    ("s003_hcmc_retail_dt", "m_khcn", "2025-12-30", None),
    ("s004_national_labs_reorganisation", "m_khcn", "2026-09-30", None),  # "Hoàn thành trong tháng 9/2026"
    ("s004_deputy_pms_working_sessions", "o_pho_thu_tuong", "2026-06-30", None),
])
def test_a_few_dated_tasks_as_the_reports_state_them(con, tid, lead, deadline, target):
    assert con.execute("SELECT lead_id, deadline::VARCHAR, target_id FROM dated_tasks WHERE id = ?", [tid]).fetchone() == (
        lead, deadline, target)


def test_a_task_that_is_also_a_target_is_due_the_same_day_and_the_partners_resolve(con):
    assert con.execute("SELECT count(*) FROM dated_tasks d JOIN targets t ON t.id = d.target_id "
                       "WHERE d.deadline <> t.deadline").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM dated_tasks WHERE target_id IS NOT NULL").fetchone()[0] == 10
    assert con.execute("SELECT partner_ids, partner_names_en FROM dated_tasks WHERE id = 's003_tthc_on_national_portal'"
                       ).fetchone() == (["m_cong_an", "m_vpcp"], ["Ministry of Public Security", "Government Office"])


@pytest.mark.parametrize(("view", "due"), [("2025-09-22", 7), ("2025-12-31", 6), ("2026-05-03", 20),
                                           ("2026-05-08", 36)])
def test_what_falls_due_in_the_90_days_after_each_report(con, view, due):
    # known at the view date (stated on or before it), not yet passed (a deadline on the view date has not), within 90 days
    assert con.execute("SELECT count(*) FROM dated_tasks WHERE stated_on <= $v::DATE AND deadline >= $v::DATE "
                       "AND deadline <= $v::DATE + 90", {"v": view}).fetchone()[0] == due
