"""Property tests of the submission parser: messy rows either load or are rejected with reasons, never crash."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import sheets
from etl import submissions as sub
from etl.text import parse_date, parse_number

CLEAN = Path(__file__).resolve().parent / "fixtures" / "clean"
REF = sheets.Reference.load(CLEAN / "data", CLEAN / "kpis")
HEADER_VI = [c.vi for c in sheets.KINDS["indicators"]]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
numbers = st.one_of(st.integers(-10**9, 10**9), st.floats(allow_nan=True, allow_infinity=True))
number_text = st.from_regex(r"-?[0-9]{1,7}([.,][0-9]{1,4}){0,3}%?", fullmatch=True)
dates = st.dates(dt.date(1890, 1, 1), dt.date(2100, 12, 31))
date_text = st.one_of(dates.map(lambda d: f"{d:%d/%m/%Y}"), dates.map(lambda d: d.isoformat()),
                      st.integers(-5, 3_000_000).map(str))
cell = st.one_of(st.none(), text, numbers, number_text, date_text, dates,
                 st.sampled_from(["coverage_5g_population", "tasks_total", "percent", "count", "thousand", "flag",
                                  "Lào Cai", "TP.HCM", "Bộ Y tế", "", " ", "p2026"]))
row = st.lists(cell, min_size=0, max_size=9)
# rows of the indicators template that are mostly right, sometimes wrong in a cell or two
plausible_row = st.tuples(
    st.sampled_from(["coverage_5g_population"] * 5 + ["coverage_5g_populaton", "tasks_total"]),
    st.sampled_from(["", "Lào Cai", "TP.HCM", "Ha Noi", "Lao Cay"]),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)).map(lambda d: f"{d:%d/%m/%Y}"),
    st.floats(-20, 140, allow_nan=False).map(lambda x: f"{x:.1f}".replace(".", ",")),
    st.sampled_from(["percent"] * 4 + ["%", "count", "piece"]),
    st.sampled_from(["Báo cáo 12/BC"] * 4 + [""]),
    st.just("")).map(list)
header = st.one_of(st.just(HEADER_VI), st.lists(st.one_of(text, st.sampled_from(
    [h for cols in sheets.KINDS.values() for c in cols for h in (c.vi, c.en)])), max_size=9))


def _csv_bytes(head: list, rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    for r in [head, *rows]:
        w.writerow(["" if v is None else str(v) for v in r])
    return buf.getvalue().encode("utf-8")


def _xlsx_bytes(head: list, rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [head, *rows]:
        ws.append([v if not isinstance(v, str) else "".join(ch for ch in v if ch.isprintable()) for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _check(raw: bytes, name: str, ext: str) -> None:
    """A file is refused with reasons that name it, or every row it gives is a complete, plausible figure."""
    parsed = sheets.parse_bytes(raw, name, ext, REF)
    issues = sub.check(parsed, CLEAN / "data", CLEAN / "kpis")
    lines = raw.count(b"\n") + 1 if ext == ".csv" else 1 + max((n for n, _ in parsed.sheet.rows), default=1) \
        if parsed.sheet else 1
    for i in issues:
        assert i.file == name and i.reason_vi and i.reason_en and i.reason_vi != i.reason_en, i
        assert i.row is None or 1 <= i.row <= lines, i
    if not issues:
        assert parsed.kind in sheets.KINDS and parsed.data is not None and parsed.data.rows
        for r in (dict(zip(parsed.data.columns, row, strict=True)) for row in parsed.data.rows):
            assert r["as_of_date"] is not None and dt.date(2000, 1, 1) <= r["as_of_date"] <= dt.date.today(), r
            assert r["num"] is not None and math.isfinite(r["num"]) and r["source_quote"], r


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(head=header, rows=st.lists(row, max_size=6))
def test_messy_csv_loads_or_is_rejected_with_reasons(head, rows):
    _check(_csv_bytes(head, rows), "messy.csv", ".csv")


@SETTINGS
@given(rows=st.lists(plausible_row, min_size=1, max_size=3))
def test_plausible_rows_load_only_when_every_cell_is_right(rows):
    _check(_csv_bytes(HEADER_VI, rows), "plausible.csv", ".csv")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=4))
def test_messy_xlsx_loads_or_is_rejected_with_reasons(rows):
    try:
        data = _xlsx_bytes(HEADER_VI, rows)
    except (ValueError, TypeError):  # openpyxl refuses some cell values itself (illegal characters, dates)
        return
    _check(data, "messy.xlsx", ".xlsx")


@SETTINGS
@given(data=st.binary(max_size=300), ext=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_never_raise_anything_but_unreadable(data, ext):
    try:
        _check(data, "x" + ext, ext)
    except sheets.UnreadableFile:
        assert ext == ".xlsx"


@SETTINGS
@given(raw=st.one_of(text, numbers, number_text, st.none()),
       unit=st.sampled_from([None, "percent", "count", "score", "billion_vnd"]))
def test_parse_number_never_raises(raw, unit):
    value, why = parse_number(raw, unit)
    assert (value is None) != (why is None)
    if value is not None:
        assert value == value and abs(value) != float("inf")


@SETTINGS
@given(raw=st.one_of(text, numbers, date_text, dates, st.none()))
def test_parse_date_never_raises(raw):
    d, why = parse_date(raw)
    assert (d is None) != (why is None)


@pytest.mark.parametrize("v", ["1.234,5", "65.020", "48,9"])
def test_valid_generated_rows_load(v):
    data = _csv_bytes(HEADER_VI, [["coverage_5g_population", "", "03/05/2026", "48,9", "percent", "nguồn", ""],
                                  ["tasks_total", "", "03/05/2026", v, "count", "nguồn", ""]])
    issues = sub.check(sheets.parse_bytes(data, "x.csv", ".csv", REF), CLEAN / "data", CLEAN / "kpis")
    # tasks_total belongs to the tasks template: refused with a reason, the other row is fine
    assert [i.row for i in issues] == [3]
