"""A chart's downloads in Chromium, opened as an analyst would: the CSV with `pandas.read_csv` and no options, the
Excel file with openpyxl (a frozen bold header, column widths, an autofilter, its sources sheet), both holding the
targets the chart draws and the link to the view with its full query."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pandas as pd
import pytest

from dashboard.i18n import t
from tests.e2e.conftest import wait_for_app

LANG_PARAM = {"vi": "", "en": "&lang=English"}


def _download(page, label: str, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("button", name=label).first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_chart_s_csv_and_excel_open_with_no_options_and_hold_its_targets(page, app_url, tmp_path, lang):
    """5G coverage on its indicator page, viewed at the report before the latest: the trajectory's files."""
    page.goto(f"{app_url}/chi-so?id=coverage_5g_population&as_of=03%2F05%2F2026{LANG_PARAM[lang]}")
    wait_for_app(page, 1)
    page.get_by_role("button", name=t("download_csv", lang)).first.wait_for(timeout=60_000)
    csv_path = _download(page, t("download_csv", lang), tmp_path)
    xlsx_path = _download(page, t("download_xlsx", lang), tmp_path)
    assert csv_path.suffix == ".csv" and xlsx_path.suffix == ".xlsx"
    assert csv_path.stem == xlsx_path.stem and csv_path.stem.endswith("_2026-05-03")

    frame = pd.read_csv(csv_path)  # no options: one header, then rows
    assert not frame.columns[0].startswith(("\ufeff", "#")) and len(frame) >= 2
    kinds = frame[t("row_kind", lang)]
    assert set(kinds) == {t("figure", lang), t("target", lang)}  # the targets drawn on the chart are in its data
    targets = frame[kinds == t("target", lang)]
    assert targets[t("target_year", lang)].notna().all() and targets[t("quote", lang)].notna().all()
    assert set(targets[t("comparator", lang)]) <= {"≥", "≤", "="}
    assert set(frame[t("unit_of_measure", lang)]) == {"%"}
    # the link names the page and every choice of the view: the indicator, the report date, the language
    (link,) = set(frame[t("export_link", lang)])
    parts = urlsplit(link)
    assert parts.scheme == "http" and parts.path == "/chi-so"
    query = parse_qs(parts.query)
    assert query["id"] == ["coverage_5g_population"] and query["as_of"] == ["03/05/2026"]
    assert query.get("lang") == (["English"] if lang == "en" else None)
    assert set(frame[t("view_as_of", lang)]) == {"2026-05-03"}
    assert set(frame[t("export_licence", lang)]) == {t("footer_licence", lang)}

    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == [t("sheet_data", lang), t("sheet_source", lang)]
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == list(frame.columns)  # the same table as the CSV
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(header)).column_letter}{len(frame) + 1}"
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
    assert all(w and 8 <= w <= 62 for w in widths) and len(set(widths)) > 3  # each as wide as its texts
    assert ws.cell(row=2, column=header.index(t("date", lang)) + 1).is_date
    side = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True) if r[0]}
    assert side[t("export_link", lang)] == link and side[t("view_as_of", lang)] == dt.datetime(2026, 5, 3)
