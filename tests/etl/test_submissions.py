"""Agency submissions (issue #6): one test per error class, loading, superseding, rollback, templates, CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import sheets, templates
from etl import submissions as sub
from etl.build import build
from etl.issues import MAX_LISTED, Issue
from etl.text import parse_date, parse_number

REPO = Path(__file__).resolve().parents[2]
FIX = Path(__file__).resolve().parent / "fixtures" / "submissions"
# The clean fixture's registry lacks these; the submission fixtures use them.
EXTRA_INDICATORS = """\
data_centres,digital_infra,,Số trung tâm dữ liệu,Data centres,count,higher,point,Data centres.
products_reported,products,,Sản phẩm được thống kê,Products reported,count,higher,point,Products.
tasks_in_progress_on_time,tasks,,Nhiệm vụ đang thực hiện trong hạn,Tasks in progress on time,count,lower,point,x.
tasks_recurring,tasks,,Nhiệm vụ thường xuyên,Recurring tasks,count,higher,point,Recurring.
"""


@pytest.fixture
def ds(dataset):
    """The clean dataset with a few more indicators, built once."""
    with (dataset.kpis / "indicators.csv").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_INDICATORS)
    build(dataset.data, dataset.db, dataset.kpis)
    return dataset


def _validate(ds, name: str) -> tuple[str | None, int, list[Issue]]:
    return sub.validate_file(FIX / name, ds.data, ds.kpis)


def _load(ds, path: Path, **kw) -> sub.LoadResult:
    return sub.load(path, data_dir=ds.data, db_path=ds.db, kpi_dir=ds.kpis, **kw)


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _q(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# --- one test per error class -------------------------------------------------------------------------------

ERROR_CASES = [
    # (fixture, row, column, substring of reason_en, substring of reason_vi)
    ("bad_header_misspelt.csv", 1, "Mã chỉ tiu", "did you mean 'Mã chỉ tiêu'", "sai chính tả"),
    ("bad_header_extra.csv", 1, "Người nhập", "extra column", "cột thừa"),
    ("bad_header_missing.csv", 1, "Giá trị", "required column", "thiếu cột bắt buộc"),
    ("bad_entity.csv", 2, sheets.ENTITY_VI, "did you mean 'Lào Cai'", "không có trong danh mục"),
    ("bad_indicator.csv", 2, "Mã chỉ tiêu", "did you mean 'coverage_5g_population'", "chưa có trong danh mục"),
    ("bad_unit.csv", 2, "Đơn vị tính", "does not match the registry", "không khớp"),
    ("bad_unit_unknown.csv", 2, "Đơn vị tính", "unknown unit", "không hợp lệ"),
    ("bad_range.csv", 2, "Giá trị", "within 0-100", "0-100"),
    ("bad_range.csv", 3, "Giá trị", "must not be negative", "không được âm"),
    ("bad_text_number.csv", 2, "Giá trị", "text in a numeric cell", "chứa chữ"),
    ("bad_ambiguous_number.csv", 2, "Giá trị", "ambiguous number", "không rõ nghĩa"),
    ("bad_ambiguous_number.csv", 3, "Giá trị", "ambiguous number", "không rõ nghĩa"),
    ("bad_date.csv", 2, "Ngày số liệu", "date does not parse", "ngày không hợp lệ"),
    ("bad_date.csv", 3, "Ngày số liệu", "date does not parse", "ngày không hợp lệ"),
    ("bad_future_date.csv", 2, "Ngày số liệu", "in the future", "tương lai"),
    ("bad_tasks_sum.csv", 2, "Tổng số nhiệm vụ", "do not add up", "không cộng lại"),
    ("bad_duplicate.csv", 3, "Mã chỉ tiêu", "duplicate of row 2", "trùng với dòng 2"),
    ("empty.csv", None, None, "file is empty", "tệp rỗng"),
    ("header_only.csv", None, None, "no data rows", "không có dòng dữ liệu"),
    ("bad_cp1258.csv", 1, None, "not UTF-8", "không mã hóa UTF-8"),
    ("bad_latin1.csv", 2, None, "not UTF-8", "không mã hóa UTF-8"),
    ("bad_formula.xlsx", 2, "D", "formula without a cached value", "công thức"),
    ("bad_merged.xlsx", 2, "A2:A3", "merged cells A2:A3", "ô gộp"),
]


@pytest.mark.parametrize("name,row,column,en,vi", ERROR_CASES,
                         ids=[f"{c[0]}:{c[1]}:{c[3][:20]}" for c in ERROR_CASES])
def test_error_class_is_reported_in_both_languages(ds, name, row, column, en, vi):
    kind, rows, issues = _validate(ds, name)
    hits = [i for i in issues if i.row == row and i.column == column and en in i.reason_en and vi in i.reason_vi]
    assert hits, "\n".join(map(str, issues))
    assert hits[0].file == name
    if name.endswith(".xlsx"):
        assert hits[0].sheet == "Dữ liệu"


@pytest.mark.parametrize("name", ["bad_range.csv", "bad_tasks_sum.csv", "bad_formula.xlsx", "empty.csv"])
def test_a_rejected_file_writes_nothing(ds, name):
    before = _digest(ds.db)
    result = _load(ds, FIX / name)
    assert result.status == "rejected" and result.issues
    assert _digest(ds.db) == before
    assert not (ds.data / "submissions" / "manifest.csv").exists()
    assert [p.name for p in (ds.data / "submissions").glob("*")] in ([], [".lock"]) \
        if (ds.data / "submissions").exists() else True


def test_file_over_the_size_limit_is_refused(ds, monkeypatch, tmp_path):
    monkeypatch.setattr(sheets, "MAX_BYTES", 100)
    kind, rows, issues = _validate(ds, "good_indicators.csv")
    assert any("exceeds the 0 MB limit" in i.reason_en or "limit" in i.reason_en for i in issues)
    assert len(issues) == 1


def test_the_documented_size_limit_is_20_mb():
    assert sheets.MAX_BYTES == 20 * 1024 * 1024
    assert "20 MB" in (REPO / "data" / "submissions" / "README.md").read_text(encoding="utf-8")


def test_corrupt_workbook_and_unknown_type_are_unreadable(ds, tmp_path):
    with pytest.raises(sheets.UnreadableFile):
        _validate(ds, "corrupt.xlsx")
    txt = tmp_path / "x.txt"
    txt.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(sheets.UnreadableFile):
        sub.validate_file(txt, ds.data, ds.kpis)
    with pytest.raises(sheets.UnreadableFile):
        sub.validate_file(tmp_path / "missing.csv", ds.data, ds.kpis)


# --- clean files --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["good_indicators.csv", "good_indicators_en.csv", "good.xlsx",
                                  "good_formula_cached.xlsx", "good_tasks.csv"])
def test_good_files_validate(ds, name):
    kind, rows, issues = _validate(ds, name)
    assert issues == [], "\n".join(map(str, issues))
    assert rows >= 1 and kind in sheets.KINDS


def test_vietnamese_numbers_and_dates_are_read():
    ref_unit = None
    assert parse_number("48,9") == (48.9, None)
    assert parse_number("65.020") == (65020.0, None)
    assert parse_number("1.234,5") == (1234.5, None)
    assert parse_number("1,234.5") == (1234.5, None)
    assert parse_number("1.234.567") == (1234567.0, None)
    assert parse_number("65 020") == (65020.0, None)
    assert parse_number("0,125") == (0.125, None)
    assert parse_number("48.9") == (48.9, None)
    assert parse_number("1,234", ref_unit)[1] == "ambiguous"
    assert parse_number("1.234", "percent")[1] == "ambiguous"
    assert parse_number("1.234", "count") == (1234.0, None)
    assert parse_number("48,9%", "percent") == (48.9, None)
    assert parse_number("abc")[1] == "text"
    assert parse_number("1.23.4")[1] == "text"
    import datetime as dt

    d = dt.date(2026, 5, 3)
    for raw in ("03/05/2026", "3/5/2026", "2026-05-03", "03-05-2026", "03.05.2026", 46145, 46145.0, "46145",
                dt.datetime(2026, 5, 3, 0, 0), "2026-05-03 00:00:00"):
        assert parse_date(raw) == (d, None), raw
    assert parse_date("31/02/2026")[0] is None
    assert parse_date("05/03/26")[0] is None


def test_clean_file_loads_into_facts_observations_sources_and_log(ds):
    result = _load(ds, FIX / "good_indicators.csv", loaded_by="Sở KH&CN")
    assert result.status == "loaded", result.issues
    sha = result.sha256
    rel = f"submissions/{sha}.csv"
    archived = ds.data / rel
    assert archived.read_bytes() == (FIX / "good_indicators.csv").read_bytes()
    with (ds.data / "submissions" / "manifest.csv").open(encoding="utf-8") as fh:
        entries = list(csv.DictReader(fh))
    assert [(e["sha256"], e["original_name"], e["kind"], e["rows"], e["loaded_by"]) for e in entries] == [
        (sha, "good_indicators.csv", "indicators", "6", "Sở KH&CN")]
    obs = dict(((r[0], r[1]), r[2]) for r in _q(
        ds.db, "SELECT indicator_id, entity_id, value FROM observations WHERE source_file = ?", [rel]))
    assert obs[("coverage_5g_population", None)] == 48.9
    assert obs[("coverage_5g_population", "tp_ho_chi_minh")] == 55.5
    assert obs[("data_centres", "tp_ho_chi_minh")] == 65020
    assert obs[("data_centres", "bo_y_te")] == 1234.5
    assert obs[("data_centres", None)] == 1500  # 1,5 thousand
    quote = _q(ds.db, "SELECT DISTINCT source_quote FROM observations WHERE source_file = ?", [rel])
    assert quote == [("Báo cáo số 12/BC-UBND",)]
    src = _q(ds.db, "SELECT title_vi, issuer_vi, report_date FROM sources WHERE source_file = ?", [rel])
    assert src[0][:2] == ("good_indicators.csv", "Sở KH&CN")
    # the app's query shape: observations JOIN sources on source_file
    n = _q(ds.db, "SELECT count(*) FROM observations o JOIN sources s ON s.source_file = o.source_file "
                  "WHERE o.source_file = ?", [rel])[0][0]
    assert n == 6
    log = _q(ds.db, "SELECT sha256, rows, loaded_at FROM load_log WHERE file = ?", [f"data/{rel}"])
    assert log[0][:2] == (sha, 6) and log[0][2] is not None


def test_tasks_submission_feeds_task_status(ds):
    assert _load(ds, FIX / "good_tasks.csv").status == "loaded"
    row = _q(ds.db, "SELECT total, done, done_on_time, done_late, in_progress_on_time, overdue FROM task_status "
                    "WHERE entity_id = 'bo_y_te' AND programme = 'p2026'")
    assert row == [(20, 12, 10, 2, 5, 3)]


def test_the_same_file_twice_is_a_noop(ds):
    first = _load(ds, FIX / "good_indicators.csv")
    assert first.status == "loaded"
    before_db, before_manifest = _digest(ds.db), (ds.data / "submissions" / "manifest.csv").read_bytes()
    again = _load(ds, FIX / "good_indicators.csv")
    assert again.status == "unchanged" and again.sha256 == first.sha256
    assert "already loaded" in again.message and "đã nạp trước đó" in again.message
    assert _digest(ds.db) == before_db
    assert (ds.data / "submissions" / "manifest.csv").read_bytes() == before_manifest


def test_a_correction_supersedes_with_history(ds):
    curated = _q(ds.db, "SELECT value FROM observations WHERE indicator_id = 'coverage_5g_population' "
                        "AND entity_id IS NULL")
    assert curated == [(48.9,)]
    assert _load(ds, FIX / "correction_1.csv").status == "loaded"
    assert _load(ds, FIX / "correction_2.csv").status == "loaded"
    now = _q(ds.db, "SELECT value, source_quote FROM observations WHERE indicator_id = 'coverage_5g_population' "
                    "AND entity_id IS NULL")
    assert now == [(51.2, "Báo cáo số 12/BC-UBND (đính chính)")]
    hist = _q(ds.db, "SELECT value, is_submission, is_current, loaded_at FROM observation_history "
                     "WHERE indicator_id = 'coverage_5g_population' AND entity_id IS NULL "
                     "ORDER BY is_submission, loaded_at, fact_id")
    assert [(v, s, c) for v, s, c, _ in hist] == [(48.9, False, False), (50.0, True, False), (51.2, True, True)]
    assert hist[0][3] is not None  # curated rows carry their report date as load time
    # the curated conflict rule does not fire for superseded values
    assert _q(ds.db, "SELECT count(*) FROM conflicts")[0][0] == 0


def test_failed_rebuild_rolls_back_and_leaves_the_warehouse_byte_identical(ds, monkeypatch):
    before = _digest(ds.db)
    import etl.build as b

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(b.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        _load(ds, FIX / "good_indicators.csv")
    monkeypatch.undo()
    assert _digest(ds.db) == before
    folder = ds.data / "submissions"
    assert not (folder / "manifest.csv").exists()
    assert sorted(p.name for p in folder.iterdir()) == [".lock"]
    assert [p for p in ds.db.parent.iterdir() if p.suffix == ".tmp"] == []


def test_rebuild_validation_failure_is_undone_and_reported(ds, monkeypatch):
    assert _load(ds, FIX / "correction_1.csv").status == "loaded"
    manifest = (ds.data / "submissions" / "manifest.csv").read_bytes()
    before = _digest(ds.db)
    import etl.build as b

    real = b.validate
    monkeypatch.setattr(b, "validate", lambda con: real(con) + [Issue("x", 1, "c", "v", "lỗi", "broken")])
    result = _load(ds, FIX / "good_indicators.csv")
    assert result.status == "rejected" and any(i.reason_en == "broken" for i in result.issues)
    assert _digest(ds.db) == before
    assert (ds.data / "submissions" / "manifest.csv").read_bytes() == manifest
    assert len(list((ds.data / "submissions").glob("*.csv"))) == 2  # manifest + the first submission


def test_build_reparses_archived_submissions_and_stays_a_function_of_data(ds):
    assert _load(ds, FIX / "good_indicators.csv").status == "loaded"
    first = _q(ds.db, "SELECT * EXCLUDE (fact_id) FROM observation_history ORDER BY ALL")
    build(ds.data, ds.db, ds.kpis)
    assert _q(ds.db, "SELECT * EXCLUDE (fact_id) FROM observation_history ORDER BY ALL") == first
    # an archived file that was altered is refused by the build
    archived = next((ds.data / "submissions").glob("*.csv"))
    if archived.name == "manifest.csv":
        archived = next(p for p in (ds.data / "submissions").glob("*.csv") if p.name != "manifest.csv")
    archived.write_bytes(archived.read_bytes() + b"\n")
    from etl.issues import ValidationFailed

    with pytest.raises(ValidationFailed, match="1"):
        build(ds.data, ds.db, ds.kpis)


def test_empty_or_absent_manifest_means_no_submissions(ds):
    folder = ds.data / "submissions"
    folder.mkdir()
    (folder / "manifest.csv").write_text("", encoding="utf-8")
    build(ds.data, ds.db, ds.kpis)
    assert _q(ds.db, "SELECT count(*) FROM facts WHERE is_submission")[0][0] == 0


def test_dry_run_writes_nothing(ds):
    before = _digest(ds.db)
    result = _load(ds, FIX / "good_indicators.csv", dry_run=True)
    assert result.status == "dry_run_ok" and result.rows == 6
    assert _digest(ds.db) == before and not (ds.data / "submissions" / "manifest.csv").exists()


def test_report_lists_at_most_1000_plus_the_total(ds, tmp_path):
    path = tmp_path / "many.csv"
    rows = [["coverage_5g_population", "", f"2026-0{1 + i % 5}-{1 + i // 5 % 28:02d}", "120", "percent", "x", ""]
            for i in range(1200)]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["indicator_id", "entity", "as_of", "value", "unit", "source", "note"])
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    kind, n, issues = sub.validate_file(path, ds.data, ds.kpis)
    assert len(issues) > MAX_LISTED
    out = list(csv.reader(io.StringIO(sub.report_csv(issues))))
    assert out[0] == list(sub.REPORT_COLUMNS)
    assert len(out) == 1 + MAX_LISTED + 1 and str(len(issues)) in out[-1][6]
    text = sub.report_text(issues)
    assert f"total errors: {len(issues)}" in text and f"and {len(issues) - MAX_LISTED} more" in text


# --- templates ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(sheets.KINDS))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_template_round_trip_loads(ds, tmp_path, kind, fmt):
    path = templates.make_template(kind, tmp_path / f"{kind}.{fmt}", ds.data, ds.kpis)
    assert path.read_bytes() == templates.template_bytes(kind, fmt, ds.data, ds.kpis)
    k, rows, issues = sub.validate_file(path, ds.data, ds.kpis)  # untouched: its example row is no figure
    assert (k, rows, [(i.row, i.column) for i in issues]) == (kind, 1, [(2, "Ghi chú")]), "\n".join(map(str, issues))
    assert "example row" in issues[0].reason_en and _load(ds, path).status == "rejected"
    _fill_example(path)
    k, rows, issues = sub.validate_file(path, ds.data, ds.kpis)
    assert (k, rows, issues) == (kind, 1, []), "\n".join(map(str, issues))
    assert _load(ds, path).status == "loaded"


def _fill_example(path: Path) -> None:
    """What an agency does with a template: its own figures (here: the example's) without the example's note."""
    if path.suffix == ".csv":
        path.write_bytes(path.read_bytes().replace(sheets.EXAMPLE_NOTE.encode(), b"ghi chu"))
        return
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[sheets.DATA_SHEET]
    note = next(c.column for c in ws[1] if c.value == "Ghi chú")
    ws.cell(row=2, column=note, value="số liệu của đơn vị")
    wb.save(path)


def test_xlsx_template_has_lists_notes_and_drop_downs(ds, tmp_path):
    import openpyxl

    path = templates.make_template("indicators", tmp_path / "t.xlsx", ds.data, ds.kpis)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Dữ liệu", "lists", "Hướng dẫn - Notes"]
    assert wb["lists"].sheet_state == "hidden"
    ws = wb["Dữ liệu"]
    assert [c.value for c in ws[1]] == ["Mã chỉ tiêu", sheets.ENTITY_VI, "Ngày số liệu", "Giá trị", "Đơn vị tính",
                                         "Nguồn", "Ghi chú"]
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert any(f.startswith("=lists!$") for f in formulas) and len(formulas) >= 3
    ids = {c.value for c in wb["lists"]["A"][1:]} | {c.value for c in wb["lists"]["B"][1:]}
    assert "coverage_5g_population" in ids


def test_english_headers_are_accepted(ds):
    kind, rows, issues = _validate(ds, "good_indicators_en.csv")
    assert (kind, issues) == ("indicators", [])


# --- command line -------------------------------------------------------------------------------------------

def _cli(ds, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NQ57_DATA": str(ds.data), "NQ57_DB": str(ds.db), "NQ57_KPIS": str(ds.kpis)}
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=REPO, env=env, capture_output=True, text=True)


def test_cli_exit_codes(ds, tmp_path):
    report = tmp_path / "errors.csv"
    bad = _cli(ds, "load", str(FIX / "bad_range.csv"), "--report", str(report))
    assert bad.returncode == 1, bad.stderr
    assert "within 0-100" in bad.stderr and "0-100" in bad.stderr
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,sheet,row,column,value,reason_vi,reason_en" and "bad_range.csv,,2,Giá trị,120," in lines[1]
    ok = _cli(ds, "load", str(FIX / "good_indicators.csv"), "--by", "tester")
    assert ok.returncode == 0, ok.stderr
    again = _cli(ds, "load", str(FIX / "good_indicators.csv"))
    assert again.returncode == 0 and "already loaded" in again.stdout
    dry = _cli(ds, "load", "--dry-run", str(FIX / "good_tasks.csv"))
    assert dry.returncode == 0 and "dry run" in dry.stdout
    assert _cli(ds, "load", str(FIX / "corrupt.xlsx")).returncode == 2
    assert _cli(ds, "load", str(tmp_path / "nope.csv")).returncode == 2
    assert _cli(ds, "load").returncode == 2  # bad usage
    t = _cli(ds, "template", "budget", "--out", str(tmp_path / "b.xlsx"))
    assert t.returncode == 0 and (tmp_path / "b.xlsx").exists()
    assert _cli(ds, "template", "nonsense", "--out", str(tmp_path / "n.xlsx")).returncode == 2
    assert _cli(ds, "template", "budget", "--out", str(tmp_path / "b.pdf")).returncode == 2


def test_a_budget_correction_supersedes_and_the_history_keeps_both(ds, tmp_path):
    before = _q(ds.db, "SELECT amount_bn_vnd FROM budget WHERE stage = 'approved' AND year = 2026")
    assert before == [(65020.0,)]
    fix = tmp_path / "budget_correction.csv"
    fix.write_text("fiscal_year,level,spending_kind,domain,stage,entity,amount,unit,as_of,source,note\n"
                   "2026,total,total,st,approved,,65100,billion_vnd,03/05/2026,Công văn số 7/BC-BKHCN,\n",
                   encoding="utf-8")
    assert _load(ds, fix).status == "loaded"
    now = _q(ds.db, "SELECT amount_bn_vnd, is_submission FROM budget WHERE stage = 'approved' AND year = 2026")
    assert now == [(65100.0, True)]
    hist = _q(ds.db, "SELECT amount_bn_vnd, is_submission, is_current FROM budget_history "
                     "WHERE stage = 'approved' AND year = 2026 ORDER BY is_submission")
    assert hist == [(65020.0, False, False), (65100.0, True, True)]
    # the observations contract shows the current version only
    obs = _q(ds.db, "SELECT value FROM observations WHERE indicator_id = 'budget_approved'")
    assert obs == [(65100.0,)]
