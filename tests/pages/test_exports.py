"""Downloads that open anywhere: one rectangular CSV table that pandas reads with no options, units and flags in the
reader's words, the targets a chart draws among its rows, what the file is in columns of every row, and an Excel
file with a frozen bold header, widths, an autofilter and its sources sheet."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest

from dashboard import exports, queries, site
from dashboard.i18n import t
from dashboard.models import Chart, Columns, Downloads, Expander, Names, Section, Table, Tabs
from dashboard.view import View

DAY = dt.date(2026, 5, 8)
LINK = "http://127.0.0.1:8501/chi-so?id=digital_economy_share_gdp&lang=English&as_of=31%2F12%2F2025"


def _view(lang: str) -> View:
    return View(lang, DAY, latest=DAY)


def _figures(lang: str, *ids: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of indicators (and their dated targets) as a chart's download makes them."""
    obs = queries.indicator_observations(DAY, ids)
    targets = queries.targets()
    return obs, targets[targets["indicator_id"].isin(ids) & targets["year"].notna()]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_csv_is_one_table_that_pandas_reads_with_no_options(lang):
    obs, targets = _figures(lang, "digital_economy_share_gdp")
    frame = exports.download_frame(obs, lang, targets)
    about = exports.describe(_view(lang), "Tỷ trọng kinh tế số trong GDP", LINK)
    data = exports.csv_bytes(frame, about)
    assert not data.decode("utf-8-sig").startswith("#")
    read = pd.read_csv(io.BytesIO(data))  # no options: no comment lines to skip, no encoding to name
    assert list(read.columns) == [*frame.columns, *(k for k, _ in about)]
    assert len(read) == len(frame) and not read.columns[0].startswith("\ufeff")
    # what the file is, on every row: the chart, the dashboard, the link with its full query, the view date, licence
    assert (read[t("export_link", lang)] == LINK).all()
    assert (read[t("export_dataset", lang)] == "Tỷ trọng kinh tế số trong GDP").all()
    assert (read[t("view_as_of", lang)] == "2026-05-08").all()
    assert (read[t("export_licence", lang)] == t("footer_licence", lang)).all()
    assert (read[t("export_dashboard", lang)] == t("app_title", lang)).all()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_targets_a_chart_draws_are_rows_of_its_download(lang):
    obs, targets = _figures(lang, "digital_economy_share_gdp")
    frame = exports.download_frame(obs, lang, targets)
    rows = frame[frame[t("row_kind", lang)] == t("target", lang)]
    assert sorted(rows[t("target_year", lang)]) == sorted(int(y) for y in targets["year"])
    assert set(rows[t("comparator", lang)]) == {"≥"}
    assert sorted(rows[t("value", lang)]) == sorted(targets["value"])
    assert set(rows[t("quote", lang)]) == set(targets["source_quote"])
    assert (rows[t("date", lang)] == [dt.date(int(y), 12, 31) for y in rows[t("target_year", lang)]]).all()
    # the resolution that sets them, its issuer and date as the reports name them
    nq57 = rows[rows[t("report_title", lang)] == t("nq57", lang)]
    assert len(nq57) and (nq57[t("report_date", lang)] == dt.date(2024, 12, 22)).all()
    assert set(nq57[t("issuer", lang)]) == {"Bộ Chính trị" if lang == "vi" else "Politburo of the Communist Party of Vietnam"}
    figures = frame[frame[t("row_kind", lang)] == t("figure", lang)]
    assert len(figures) == len(obs)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_units_and_flags_are_in_the_reader_s_words(lang):
    obs, _ = _figures(lang, "tasks_overdue", "report_not_submitted")
    frame = exports.download_frame(obs, lang)
    units = set(frame[t("unit_of_measure", lang)])
    assert units == {t("unit_name_count", lang), t("unit_name_flag", lang)}
    flags = frame[frame[t("unit_of_measure", lang)] == t("unit_name_flag", lang)]
    assert len(flags) and (flags[t("as_stated", lang)] == t("named_in_list", lang)).all()
    assert flags[t("value", lang)].isna().all()  # a name in a list is not the number 1.0
    counts = frame[frame[t("unit_of_measure", lang)] == t("unit_name_count", lang)]
    assert counts[t("value", lang)].notna().all()


def _downloads(items: object):
    """Every download a page's models offer (a chart's, a table's, a list's), tabs opened."""
    for item in items:
        if isinstance(item, Section | Expander):
            yield from _downloads(item.items)
        elif isinstance(item, Columns):
            for part in item.parts:
                yield from _downloads(part)
        elif isinstance(item, Tabs):
            for tab in item.tabs:
                yield from _downloads(tab.build())
        elif isinstance(item, Chart) and not item.select:
            data = item.download if item.download is not None else item.data
            yield Downloads(item.key, item.title, data, item.download is not None, item.targets)
        elif isinstance(item, Table) and item.download is not None:
            yield item.download
        elif isinstance(item, Names):
            yield Downloads(item.key, item.title, item.data)
        elif isinstance(item, Downloads):
            yield item


CODES = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$|^(count|flag)$")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_download_of_every_page_has_headers_and_units_in_words(lang):
    view = View(lang, DAY, illustrative=True, latest=DAY)
    extra = {"bo-nganh-dia-phuong": {"agency": "m_y_te"}, "chi-so": {"id": "digital_economy_share_gdp"}}
    seen = 0
    for page in site.pages():
        if page.admin:
            continue
        choices = site.default_choices(page, view) | extra.get(page.slug, {})
        for d in _downloads(page.sections(view, choices)):
            frame = (d.data[[c for c in d.data.columns if not str(c).startswith("_")]] if d.prepared
                     else exports.download_frame(d.data, lang, d.targets))
            seen += 1
            coded = [c for c in frame.columns if CODES.match(str(c))]
            assert not coded, (page.slug, d.key, coded)
            unit = t("unit_of_measure", lang)
            if unit in frame:
                assert not [u for u in frame[unit].dropna() if CODES.match(str(u))], (page.slug, d.key)
    assert seen >= 40


def test_the_excel_file_has_a_frozen_bold_header_widths_a_filter_and_its_sources():
    lang = "vi"
    obs, targets = _figures(lang, "digital_economy_share_gdp")
    frame = exports.download_frame(obs, lang, targets)
    about = exports.describe(_view(lang), "Tỷ trọng kinh tế số trong GDP", LINK)
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(frame, about, (t("sheet_data", lang),
                                                                                t("sheet_source", lang)), lang)))
    assert book.sheetnames == [t("sheet_data", lang), t("sheet_source", lang)]
    ws = book[t("sheet_data", lang)]
    header = [c.value for c in ws[1]]
    assert header == [*frame.columns, *(k for k, _ in about)]
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(header)).column_letter}{len(frame) + 1}"
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert widths[t("quote", lang)] == exports.WIDEST  # a long quote: wide, not a page wide
    assert widths[t("indicator", lang)] >= len("Tỷ trọng kinh tế số trong GDP")
    assert all(8 <= w <= exports.WIDEST for w in widths.values())
    dates = [c for c in ws[2] if isinstance(c.value, dt.datetime)]
    assert dates and all(c.number_format == "dd/mm/yyyy" for c in dates)
    side = {r[0]: r[1] for r in book[t("sheet_source", lang)].iter_rows(values_only=True) if r[0]}
    assert side[t("export_link", lang)] == LINK and side[t("export_licence", lang)] == t("footer_licence", lang)
    assert t("issuer", lang) in side  # the reports the rows come from, under the description
    # the same rows as the CSV
    read = pd.read_excel(io.BytesIO(exports.xlsx_bytes(frame, about, lang=lang)))
    assert len(read) == len(frame)
