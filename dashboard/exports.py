"""Downloads: exactly the rows behind a chart or table, each with its source, in the reader's language, as CSV and
Excel files that stand alone and open anywhere.

A CSV is one rectangular table, a header and rows, that `pandas.read_csv` and a spreadsheet open with no options.
What describes the file (the chart or table it holds, the dashboard, the link to the view with its full query, the
view date, the licence) is in columns of every row, after the data, rather than in comment lines or in a sidecar
file (a .zip of CSV and README, as Our World in Data offers): a "CSV" button then gives a CSV, not an archive to
unpack (and `pandas.read_csv` refuses a .zip holding two files); a row copied elsewhere keeps where it came from, as
it already keeps its issuing agency, report, date and quote; and the files are small (tens of rows), so the repeated
cells cost little. The Excel file holds the same table, with a frozen bold header, column widths, an autofilter and
dates as dates, and a second sheet that says the same description once, with the reports the rows come from.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from dashboard import queries, theme
from dashboard.i18n import has_label, name, t
from dashboard.texts import conflict_explanation, programme_name, report_name, unit_names
from dashboard.view import View
from etl.text import inert

# task-status columns (dashboard/sections/tasks.py draws them) in reading order, and the budget's coded columns
TASK_PARTS = ("total", "done", "done_on_time", "done_late", "in_progress", "in_progress_on_time", "overdue",
              "recurring")
WIDEST = 60  # characters: a longer cell (a quote) is cut off at the column's edge, not made a page wide
# The resolution that sets most targets (source "nq57" in kpis/targets.csv) is not one of the reports in
# data/sources.csv; the reports name it: "Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị"
# (data/sources/000_7779602db55c82c4.txt). Its issuer is a unit of data/dims/agencies.csv.
NQ57_ISSUER, NQ57_DATE = "o_bo_chinh_tri", dt.date(2024, 12, 22)


def describe(view: View, title: str, link: str) -> list[tuple[str, object]]:
    """What a downloaded file says of itself, as (column header, value): the chart or table, the dashboard, the link
    to the view with its full query, the view date and the licence."""
    return [(view.t("export_dataset"), title), (view.t("export_dashboard"), view.t("app_title")),
            (view.t("export_link"), link), (view.t("view_as_of"), view.as_of),
            (view.t("export_licence"), view.t("footer_licence"))]


def unit_words(unit: object, lang: str) -> str:
    """A unit as the reader says it ('tỷ đồng', '%', 'số lượng'), never its code ('count', 'flag')."""
    if not isinstance(unit, str) or not unit:
        return ""
    label = theme.unit_label(unit, lang)
    if label and label != unit:
        return label
    return t(f"unit_name_{unit}", lang) if has_label(f"unit_name_{unit}") else (label or unit)


def stated(row: dict, lang: str) -> str:
    """A figure as its report states it ('khoảng 80 nghìn', '48,9%'); a unit named in a list says so."""
    if row.get("unit") == "flag":
        return t("named_in_list", lang)
    return theme.format_figure(row, lang) or ""


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.date


def figure_rows(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Observation rows: headers, names of indicators, units, programmes and groups, the figure as stated, how it is
    stated, the issuing agency, report and its date, the quote; a unit named in a list has no number, it is named."""
    rows = data.reset_index(drop=True)

    def col(key: str) -> pd.Series:
        return rows[key] if key in rows else pd.Series([None] * len(rows))

    def label(values: pd.Series, prefix: str) -> list[str]:
        return [t(prefix + v, lang) if isinstance(v, str) and has_label(prefix + v) else (v or "") for v in values]

    records = rows.to_dict("records")
    return pd.DataFrame({
        t("indicator", lang): [name(r, lang, "indicator_name") for r in records],
        t("entity", lang): [next((v for v in ((r.get("entity_name_en") if lang == "en" else None), r.get("entity_name"))
                                  if isinstance(v, str) and v), t("national", lang)) for r in records],
        t("category", lang): [name(r, lang, "category_name") or (r.get("category") or "") for r in records],
        t("programme", lang): [programme_name(p, lang) for p in col("programme")],
        t("value", lang): rows["value"].where(rows["unit"] != "flag"),
        t("base", lang): col("base"),
        t("unit_of_measure", lang): [unit_words(u, lang) for u in rows["unit"]],
        t("as_stated", lang): [stated(r, lang) for r in records],
        t("qualifier", lang): label(col("qualifier"), "qualifier_"),
        t("value_high", lang): col("value_high"),
        t("definition", lang): [name(r, lang, "definition") for r in records],
        t("date", lang): _dates(rows["as_of"]),
        t("issuer", lang): [name(r, lang, "source_issuer") for r in records],
        t("report_title", lang): [name(r, lang, "source_title") for r in records],
        t("report_date", lang): _dates(col("report_date")),
        t("quote", lang): rows["source_quote"],
        t("conflict", lang): [conflict_explanation(c, lang, n) if isinstance(c, str) else ""
                              for c, n in zip(col("conflict_id"), col("note"), strict=True)],
    })


def target_rows(targets: pd.DataFrame, indicator: str, lang: str) -> pd.DataFrame:
    """The targets a chart draws, as rows beside its figures: the value the target asks for by its deadline (the date
    the chart draws it at, as the progress method judges it), its comparator, and the text that sets it."""
    sources = queries.sources().set_index("source_file")
    rows = []
    for _, tg in targets.iterrows():
        known = tg["source_file"] in sources.index
        src = sources.loc[tg["source_file"]] if known else None
        rows.append({
            t("row_kind", lang): t("target", lang),
            t("indicator", lang): indicator,
            t("entity", lang): tg["entity_name"] if isinstance(tg.get("entity_name"), str) else t("national", lang),
            t("value", lang): tg["value"],
            t("unit_of_measure", lang): unit_words(tg["unit"], lang),
            t("as_stated", lang): (f"{theme.COMPARATORS[tg['comparator']]} "
                                   f"{theme.format_value(tg['value'], tg['unit'], lang)}"),
            t("value_high", lang): tg.get("value_high"),
            t("comparator", lang): theme.COMPARATORS[tg["comparator"]],
            t("target_year", lang): int(tg["year"]),
            t("date", lang): pd.Timestamp(tg["deadline"]).date(),
            t("issuer", lang): (name(src, lang, "issuer") if known
                                else unit_names(lang)[NQ57_ISSUER] if tg["source_file"] == "nq57" else ""),
            t("report_title", lang): (name(src, lang, "title") if known
                                      else t("nq57", lang) if tg["source_file"] == "nq57"
                                      else report_name(tg["source_file"], lang)),
            t("report_date", lang): (pd.Timestamp(src["report_date"]).date() if known
                                     else NQ57_DATE if tg["source_file"] == "nq57" else None),
            t("quote", lang): tg["source_quote"],
        })
    return pd.DataFrame(rows)


def task_rows(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Task-status rows: the programme, the date and each status count the report gives, with its source."""
    rows = data.reset_index(drop=True)
    parts = [c for c in TASK_PARTS if c in rows and rows[c].notna().any()]
    out = pd.DataFrame({t("programme", lang): [programme_name(p, lang) for p in rows["programme"]],
                        t("date", lang): _dates(rows["as_of"])})
    for c in parts:
        out[t("st_" + c, lang)] = rows[c]
    records = rows.to_dict("records")
    out[t("issuer", lang)] = [name(r, lang, "source_issuer") for r in records]
    out[t("report_title", lang)] = [name(r, lang, "source_title") for r in records]
    out[t("report_date", lang)] = _dates(rows["report_date"]) if "report_date" in rows else None
    return out


def budget_rows(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Budget rows: year, stage, level, spending kind, domain and unit in words, the amount in billion VND, how the
    report states it, with its source and quote."""
    rows = data.reset_index(drop=True)
    records = rows.to_dict("records")
    names = unit_names(lang)

    def words(key: str, prefix: str) -> list[str]:
        return [t(prefix + v, lang) if isinstance(v, str) and has_label(prefix + v) else (v or "") for v in rows[key]]

    return pd.DataFrame({
        t("fiscal_year", lang): rows["year"],
        t("budget_stage", lang): words("stage", "stage_"),
        t("budget_level", lang): words("level", "level_"),
        t("budget_kind", lang): words("spending_kind", "kind_"),
        t("budget_domain", lang): words("domain", "domain_"),
        t("entity", lang): [names.get(r["entity_id"], r.get("entity") or "") if isinstance(r.get("entity_id"), str)
                            else t("national", lang) for r in records],
        t("amount", lang): rows["amount_bn_vnd"],
        t("unit_of_measure", lang): unit_words("billion_vnd", lang),
        t("qualifier", lang): words("qualifier", "qualifier_"),
        t("date", lang): _dates(rows["as_of"]),
        t("issuer", lang): [name(r, lang, "source_issuer") for r in records],
        t("report_title", lang): [name(r, lang, "source_title") for r in records],
        t("report_date", lang): _dates(rows["report_date"]),
        t("quote", lang): rows["source_quote"],
    })


def download_frame(data: pd.DataFrame, lang: str = "vi", targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Exactly the rows behind a chart in the reader's words, with the `targets` it draws as rows of their own."""
    if "indicator_id" in data and "source_quote" in data:
        out = figure_rows(data, lang)
        if targets is not None and len(targets):
            out.insert(0, t("row_kind", lang), t("figure", lang))
            indicator = out[t("indicator", lang)].iloc[0] if len(out) else ""
            order = list(out.columns)
            at = order.index(t("as_stated", lang)) + 1
            order[at:at] = [t("comparator", lang), t("target_year", lang)]
            out = pd.concat([out, target_rows(targets, indicator, lang)], ignore_index=True)[order]
            out[t("target_year", lang)] = out[t("target_year", lang)].astype("Int64")
    elif "amount_bn_vnd" in data:
        out = budget_rows(data, lang)
    elif {"programme", "total", "overdue"} <= set(data.columns):
        out = task_rows(data, lang)
    else:  # a table of its own (league grid, tasks): its columns, dates as dates
        out = data[[c for c in data.columns if not str(c).startswith("_")]].copy()
        if "as_of" in out:
            out["as_of"] = _dates(out["as_of"])
    return out.replace({"": None}).dropna(axis=1, how="all")  # no column that is empty on every row


def with_description(frame: pd.DataFrame, about: list[tuple[str, object]]) -> pd.DataFrame:
    """The rows with the file's description in columns of every row, after the data."""
    return frame.assign(**{k: [v] * len(frame) for k, v in about if k not in frame})


def _inert(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with no text cell a spreadsheet would run as a formula (the texts come from reports and uploads)."""
    text = frame.select_dtypes(exclude=["number", "datetime", "bool"]).columns
    return frame.assign(**{c: frame[c].map(inert) for c in text})


def csv_bytes(frame: pd.DataFrame, about: list[tuple[str, object]] | None = None) -> bytes:
    """One rectangular table in UTF-8 with a BOM (Excel opens Vietnamese text correctly; pandas reads it as it is):
    the header, then the rows, each with the description `about` in its last columns."""
    return _inert(with_description(frame, about or [])).to_csv(index=False).encode("utf-8-sig")


def _width(column: pd.Series, header: str) -> int:
    """About the characters a column needs: its header's longest word, its longest cell, at most WIDEST."""
    cells = [len(str(v)) for v in column.head(500) if pd.notna(v)]
    return min(WIDEST, max([len(w) for w in str(header).split()] + cells + [6]) + 2)


def xlsx_bytes(frame: pd.DataFrame, about: list[tuple[str, object]] | None = None,
               sheets: tuple[str, str] = ("data", "source"), lang: str = "vi") -> bytes:
    """The same table as the CSV on the first sheet (a frozen bold header, columns as wide as their texts, an
    autofilter, dates as dates); on a second sheet the description once and the reports the rows come from."""
    from openpyxl.styles import Alignment, Font

    table = _inert(with_description(frame, about or []))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        table.to_excel(xl, index=False, sheet_name=sheets[0])
        ws = xl.sheets[sheets[0]]
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for i, col in enumerate(table.columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[cell.column_letter].width = _width(table[col], str(col))
        _date_cells(ws, lang)
        if about:
            note = pd.DataFrame(about).map(inert)
            reports = _reports(frame, lang)
            note.to_excel(xl, index=False, header=False, sheet_name=sheets[1])
            side = xl.sheets[sheets[1]]
            if len(reports):
                reports.map(inert).to_excel(xl, index=False, sheet_name=sheets[1], startrow=len(note) + 1)
                for i in range(1, reports.shape[1] + 1):
                    side.cell(row=len(note) + 2, column=i).font = Font(bold=True)
            for i in range(1, len(note) + 1):
                side.cell(row=i, column=1).font = Font(bold=True)
            _date_cells(side, lang)
            side.column_dimensions["A"].width = 28
            side.column_dimensions["B"].width = WIDEST
            side.column_dimensions["C"].width = 14
    return buf.getvalue()


def _date_cells(ws: object, lang: str) -> None:
    """Dates as the reader writes them (dd/mm/yyyy; 03 May 2026 in English), still dates a filter can sort."""
    shown = "dd/mm/yyyy" if lang == "vi" else "dd mmm yyyy"
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = shown


def _reports(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The distinct reports the rows name (issuer, title, date), for the source sheet."""
    keys = [t(k, lang) for k in ("issuer", "report_title", "report_date")]
    if not set(keys) <= set(frame.columns):
        return pd.DataFrame()
    return frame[keys].dropna(how="all").drop_duplicates().reset_index(drop=True)
