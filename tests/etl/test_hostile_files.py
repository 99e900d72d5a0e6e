"""Hostile or careless submissions: refused before they cost memory, with the limit or the cell named."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from etl import archive, sheets
from etl import submissions as sub
from etl.build import build

HEADER = "Mã chỉ tiêu,\"Đơn vị (tỉnh/bộ, để trống nếu toàn quốc)\",Ngày số liệu,Giá trị,Đơn vị tính,Nguồn,Ghi chú\n"
ROW = "coverage_5g_population,,03/05/2026,\"48,9\",percent,Báo cáo số 12/BC-UBND,\n"


@pytest.fixture
def ds(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    return dataset


def _issues(ds, path: Path) -> list:
    return sub.validate_file(path, ds.data, ds.kpis)[2]


def test_a_workbook_that_unpacks_far_beyond_its_size_is_refused_unread(ds, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:  # 200 MB of one repeated byte packs to ~0.2 MB
        z.writestr("xl/sharedStrings.xml", b"a" * (sheets.MAX_UNPACKED + 1))
    (issue,) = _issues(ds, path)
    assert "unpacks to 200 MB, over the limit of 200 MB" in issue.reason_en and "giải nén" in issue.reason_vi


def test_too_many_rows_are_refused_with_the_limit(ds, tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    path = tmp_path / "many.csv"
    path.write_text(HEADER + ROW * 3, encoding="utf-8")
    (issue,) = _issues(ds, path)
    assert "3 rows, over the limit of 2" in issue.reason_en


@pytest.mark.parametrize(("cell", "words"), [("Báo cáo\x00số 12", "control character"),
                                             ("x" * (sheets.MAX_CELL + 1), "over the limit of 32767")],
                         ids=["nul", "long"])
def test_a_hidden_character_or_an_endless_cell_is_refused_at_its_cell(ds, tmp_path, cell, words):
    path = tmp_path / "cell.csv"
    path.write_text(HEADER + ROW.replace("Báo cáo số 12/BC-UBND", cell), encoding="utf-8")
    found = [i for i in _issues(ds, path) if words in i.reason_en]
    assert [(i.row, i.column) for i in found] == [(2, "Nguồn")]


def test_two_boms_are_read_as_one(ds, tmp_path):
    path = tmp_path / "boms.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\ufeff".encode() + (HEADER + ROW).encode())
    assert _issues(ds, path) == []


def test_a_hidden_data_sheet_is_refused_when_another_sheet_holds_the_figures(ds, tmp_path):
    wb = openpyxl.Workbook()
    typed = wb.active
    typed.title = "Sheet1"
    hidden = wb.create_sheet(sheets.DATA_SHEET)
    for ws in (typed, hidden):
        ws.append(HEADER.strip().split(",")[:1] + ["Ngày số liệu", "Giá trị", "Đơn vị tính", "Nguồn"])
    typed.append(["coverage_5g_population", "03/05/2026", 48.9, "percent", "Báo cáo"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    (issue,) = _issues(ds, path)
    assert "'Dữ liệu' is hidden while sheet 'Sheet1' holds data" in issue.reason_en and "bị ẩn" in issue.reason_vi


def test_the_manifest_records_the_file_s_own_name_only(ds, tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(HEADER + ROW, encoding="utf-8")
    result = sub.load(path, data_dir=ds.data, db_path=ds.db, kpi_dir=ds.kpis, original_name="../../x\x07.csv")
    assert result.status == "loaded"
    assert [e["original_name"] for e in archive.read_manifest(ds.data)] == ["x.csv"]
    kept = [p for p in (ds.data / "submissions").iterdir() if p.name != ".lock"]
    assert len(kept) == 3 and {p.stat().st_mode & 0o777 for p in kept} == {0o640}  # original, rows, manifest


def test_workbook_bytes_of_the_bomb_fixture_stay_small():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x", b"a" * (sheets.MAX_UNPACKED + 1))
    assert len(buf.getvalue()) < 1024 * 1024  # the case above is a real bomb: tiny file, huge contents


def stored_values_workbook(path: Path, rows: list[list[object]], stored: dict[str, bytes]) -> Path:
    """A workbook of `rows` on the data sheet whose cells named in `stored` ("C2": b"NaN") keep that raw value in
    the sheet's XML as a number cell, as a program other than Excel may write it (openpyxl never would)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheets.DATA_SHEET
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                for ref, value in stored.items():
                    data, n = re.subn(rb'(<c r="' + ref.encode() + rb'"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>" + value + b"</v>",
                                      data)
                    assert n == 1, ref
            out.writestr(info, data)
    return path


XLSX_HEADER = ["Mã chỉ tiêu", "Ngày số liệu", "Giá trị", "Đơn vị tính", "Nguồn", "Ghi chú"]


def test_a_number_cell_that_stores_nan_is_reported_at_its_cell_in_both_languages(ds, tmp_path):
    path = stored_values_workbook(tmp_path / "nan.xlsx", [
        XLSX_HEADER,
        ["coverage_5g_population", "03/05/2026", 48.9, "percent", "Báo cáo số 12/BC-UBND", 1],
        ["coverage_5g_population", "03/06/2026", 50.1, "percent", "Báo cáo số 13/BC-UBND", None],
        ["coverage_5g_populaton", "03/07/2026", 51.0, "percent", "Báo cáo số 14/BC-UBND", None],
    ], {"C2": b"NaN", "F2": b"-INF"})
    issues = _issues(ds, path)
    odd = [(i.row, i.column, i.value) for i in issues if "not a number" in i.reason_en]
    assert odd == [(2, "C", "NaN"), (2, "F", "-INF")]
    assert all("không phải là một số" in i.reason_vi for i in issues if i.column in ("C", "F"))
    assert not [i for i in issues if i.row == 2 and i.column == "Giá trị"]  # said once, at its cell, not as "missing"
    assert [i.row for i in issues if i.row != 2] == [4]  # the rest of the file is read and checked as usual


def test_a_workbook_with_nan_is_rejected_from_the_command_line_naming_the_cell(ds, tmp_path):
    path = stored_values_workbook(tmp_path / "nan.xlsx", [
        XLSX_HEADER, ["coverage_5g_population", "03/05/2026", 48.9, "percent", "Báo cáo số 12/BC-UBND", None],
    ], {"C2": b"NaN"})
    env = {**os.environ, "NQ57_DATA": str(ds.data), "NQ57_DB": str(ds.db), "NQ57_KPIS": str(ds.kpis)}
    run = subprocess.run([sys.executable, "-m", "etl", "load", str(path)], capture_output=True, text=True, env=env,
                         cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 1, run.stderr  # rejected with nothing written; it was "unreadable" (exit 2)
    assert "row 2, cột/column 'C' = 'NaN'" in run.stderr and "invalid literal" not in run.stderr
    assert not (ds.data / "submissions" / "manifest.csv").exists()


def test_text_and_numbers_stored_as_excel_writes_them_are_left_alone(ds, tmp_path):
    path = stored_values_workbook(tmp_path / "fine.xlsx", [
        XLSX_HEADER, ["coverage_5g_population", "03/05/2026", 48.9, "percent", "Báo cáo số 12/BC-UBND", None],
    ], {"C2": b"4.89E1"})
    assert _issues(ds, path) == []
