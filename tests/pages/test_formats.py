"""Number, date and label formats of the theme and translation modules."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import theme
from dashboard.i18n import LABELS, t
from dashboard.indicators import Summary
from dashboard.sections.themes import target_line
from dashboard.view import View
from kpis.progress import Goal, Progress


@pytest.mark.parametrize(
    ("value", "unit", "lang", "text"),
    [
        (65020, "billion_vnd", "vi", "65.020 tỷ đồng"),
        (65020, "billion_vnd", "en", "65,020 billion VND"),
        (48.9, "percent", "vi", "48,9%"),
        (48.9, "percent", "en", "48.9%"),
        (44, "rank", "vi", "hạng 44"),
        (116, "percent_of_plan", "vi", "116% kế hoạch"),
        (1234567.5, "count", "vi", "1.234.567,5"),
    ],
)
def test_values_read_as_the_language_writes_them(value, unit, lang, text):
    assert theme.format_value(value, unit, lang) == text


def test_a_count_with_its_base():
    assert theme.format_value(131, "count", "vi", 167) == "131/167"


def test_missing_is_none_never_zero():
    assert theme.format_value(None, "percent", "vi") is None
    assert theme.format_value(float("nan"), "count", "vi") is None


def test_dates():
    assert theme.format_date(dt.date(2026, 5, 3), "vi") == "03/05/2026"
    assert theme.format_date(dt.date(2026, 5, 3), "en") == "03 May 2026"


def test_every_label_has_both_languages():
    for key, (vi, en) in LABELS.items():
        assert vi.strip() and en.strip(), key
    assert t("target_by", "vi", year=2030) == "Mục tiêu đến 2030"


def test_status_styles_cover_every_status(shipped_db, monkeypatch):
    from kpis.progress import STATUSES

    monkeypatch.setenv("NQ57_DB", str(shipped_db))
    assert set(STATUSES) | {"no_target", "no_data"} <= set(theme.statuses())
    for status in theme.statuses():  # a word, a symbol, an icon and a colour each (never colour alone)
        assert t(f"status_{status}", "vi") and t(f"status_{status}", "en")
        assert theme.status_symbol(status) and theme.status_icon(status) and theme.status_colour(status)


@pytest.mark.parametrize(("ratio", "lang", "shown"), [
    (0.5, "vi", "Tốc độ so với mức cần 50%"),
    (9.7, "vi", "Tốc độ so với mức cần 970%"),
    (12.3, "vi", "Tốc độ so với mức cần > 999%"),  # past the cap: never the cap printed as if it were the figure
    (12.3, "en", "Pace vs needed > 999%"),
])
def test_a_tile_prints_the_pace_up_to_its_cap_and_says_when_it_is_beyond(ratio, lang, shown):
    summary = Summary("coverage_5g", "percent", "higher", pd.Series({"value": 60.0}), None, Goal(100.0, 2030, ">="),
                      Progress("on_track", ratio=ratio))
    line = target_line(summary, View(lang, dt.date(2026, 5, 3)))
    assert line.endswith(shown)


def test_downloads_and_error_reports_never_carry_a_live_formula():
    import io

    import openpyxl
    import pandas as pd

    from dashboard.exports import csv_bytes, xlsx_bytes
    from etl.issues import Issue, report_csv

    hostile = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "Hà Nội"]
    frame = pd.DataFrame({"text": hostile, "value": [1.5, 2, 3, 4, 5, 6]})
    cells = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig", dtype=str)["text"].tolist()
    assert cells == [f"'{h}" for h in hostile[:5]] + ["Hà Nội"]
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    cells = [ws.cell(row=r, column=1) for r in range(2, 8)]
    assert all(c.data_type == "s" for c in cells) and [c.value for c in cells][:4] == [f"'{h}" for h in hostile[:4]]
    assert [ws.cell(row=r, column=2).value for r in range(2, 8)] == [1.5, 2, 3, 4, 5, 6]
    report = pd.read_csv(io.StringIO(report_csv([Issue("=x.csv", 2, "Giá trị", hostile[0], "lỗi", "error")])), dtype=str)
    assert (report.loc[0, "file"], report.loc[0, "value"]) == ("'=x.csv", f"'{hostile[0]}")


def test_text_from_the_data_is_shown_never_run_as_a_link_or_markup():
    import re

    import pandas as pd

    from dashboard import charts, theme

    hostile = '<a href="http://evil">x</a> [y](http://evil) **z** <b>w</b> ai@evil.vn www.evil.vn'
    day = pd.Timestamp("2026-05-03")
    frame = pd.DataFrame({"source_file": ["f"], "report_date": [day], "as_of": [day],
                          "source_issuer_vi": [hostile], "source_title_vi": [hostile], "source_quote": [hostile],
                          "value": [1.0], "unit": ["count"], "base": [None]})
    line = charts.source_line(frame, "vi")
    assert "<a" not in line and "<b>" not in line and "&lt;a href" in line  # Plotly draws HTML tags it knows
    (hover,) = charts.hover_data(frame, "vi")
    assert all("<a" not in cell and "<b>" not in cell for cell in hover) and "&lt;b&gt;w&lt;/b&gt;" in hover[3]
    md = theme.plain_md(hostile)  # every Markdown or HTML mark escaped: no link, emphasis or tag can form
    assert re.search(r"(?<!\\)[\[\]()*<>:.]|@(?!\u2060)", md) is None and md.replace("\\", "").replace("\u2060", "") == hostile


def test_the_pace_is_capped_and_says_so_wherever_it_is_printed():
    assert theme.format_pace(0.855, "vi") == "86%" and theme.format_pace(12.3, "en") == "> 999%"
