"""Submission templates: one per kind, as .xlsx (drop-down lists, notes, an example row) or .csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from etl.sheets import DATA_SHEET, EXAMPLE_NOTE, KINDS, LISTS_SHEET, NOTES_SHEET, Col, Reference
from kpis.registry import STATED_UNITS, units, vocabulary

TEMPLATE_ROWS = 5000  # rows of the template that carry the drop-down lists


def _example(kind: str, ref: Reference, today: dt.date) -> dict[str, object]:
    as_of = today.replace(day=1) - dt.timedelta(days=1)  # last day of the previous month
    province = ref.entities[0] if ref.entities else ""
    source = f"Báo cáo số 01/BC ngày {today.replace(day=1):%d/%m/%Y}"
    if kind == "indicators":
        allowed = [i for i in ref.indicators.values() if i.get("theme") not in ("tasks", "budget")
                   and i.get("unit") != "flag"]
        pick = next((i for i in allowed if i["id"] == "coverage_5g_population"),
                    next((i for i in allowed if i.get("unit") == "percent"), allowed[0] if allowed else None))
        if pick is None:
            return {}
        value = {"percent": 48.9, "rank": 1}.get(pick["unit"], 100)
        return dict(indicator_id=pick["id"], entity=province, as_of=as_of, value=value, unit=pick["unit"],
                    source=source, note=f"{EXAMPLE_NOTE} — thay bằng số liệu của đơn vị / example row: replace it")
    if kind == "tasks":
        return dict(programme=ref.programmes[0] if ref.programmes else "", entity=province, as_of=as_of, total=10,
                    done_on_time=4, done_late=1, in_progress_on_time=3, overdue=2, recurring=None, source=source,
                    note=f"{EXAMPLE_NOTE} / example row")
    if kind == "budget":
        return dict(fiscal_year=as_of.year, level="local", spending_kind="recurrent", domain="st",
                    stage="allocated", entity=province, amount=125.5, unit="billion_vnd", as_of=as_of,
                    source=source, note=f"{EXAMPLE_NOTE} / example row")
    return dict(entity=province, category="cncl" if "cncl" in ref.categories else ref.categories[0], count=3, as_of=as_of,
                source=source, note=f"{EXAMPLE_NOTE} / example row")


def _lists(kind: str, ref: Reference) -> dict[str, list[str]]:
    """Drop-down lists of a kind, by column key."""
    out: dict[str, list[str]] = {"entity": ref.entities}
    if kind == "indicators":
        out["indicator_id"] = [i for i, r in ref.indicators.items() if r.get("theme") not in ("tasks", "budget")]
        out["unit"] = sorted(STATED_UNITS)
    elif kind == "tasks":
        out["programme"] = ref.programmes
    elif kind == "budget":
        out.update({k: list(vocabulary(k)) for k in ("level", "spending_kind", "domain", "stage")})
        out["unit"] = [u.id for u in units().values() if u.family == "vnd"]
    else:
        out["category"] = ref.categories
    return out


def _notes(kind: str, ref: Reference) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [
        ("Biểu mẫu nộp số liệu NQ57 / NQ57 data submission template", f"kind = {kind}"),
        ("",),
        ("Cột (tiếng Việt) / Column (VI)", "Tên tiếng Anh cũng được chấp nhận / English header", "Bắt buộc / Required"),
    ]
    rows += [(c.vi, c.en, "có / yes" if c.required else "không / no") for c in KINDS[kind]]
    rows += [
        ("",),
        ("Dòng 2 là dòng ví dụ: thay bằng số liệu thật (tệp còn dòng ví dụ bị từ chối). / Row 2 is an example: replace "
         "it with real figures (a file that still holds it is refused).",),
        ("Số: dấu phẩy là dấu thập phân (48,9), dấu chấm nhóm hàng nghìn (65.020 = 65020); '1,234' bị từ chối vì "
         "không rõ nghĩa.", "Numbers: decimal comma (48,9), dot groups thousands (65.020 = 65020); '1,234' is "
                            "refused as ambiguous."),
        ("Ngày: dd/mm/yyyy hoặc yyyy-mm-dd; không được ở tương lai.",
         "Dates: dd/mm/yyyy or yyyy-mm-dd (or an Excel date); not in the future."),
        ("Đơn vị: tên tỉnh/bộ như trong danh sách (hoặc tên gọi khác đã đăng ký); để trống nếu số liệu toàn quốc.",
         "Entity: a province/agency of the list (or a registered alias); empty for a national figure."),
        ("Không gộp ô, không để công thức chưa tính; tệp tối đa 20 MB; CSV phải là UTF-8.",
         "No merged cells, no formulas without values; at most 20 MB; CSV must be UTF-8."),
        ("Nạp: python -m etl load TỆP [--dry-run] [--report loi.csv]", "Load: python -m etl load FILE"),
        ("Số liệu nộp sau (cùng chỉ tiêu, đơn vị, ngày) thay thế số liệu trước; lịch sử vẫn được lưu.",
         "A later submission for the same indicator, entity and date supersedes the earlier; history is kept."),
    ]
    if kind == "tasks":
        rows.append(("Đúng hạn + quá hạn + đang thực hiện trong hạn + quá hạn chưa xong (+ thường xuyên) = tổng số.",
                     "done on time + done late + in progress on time + overdue (+ recurring) = total."))
    if kind == "indicators":
        rows.append(("",))
        rows.append(("Mã chỉ tiêu / Indicator id", "Tên / Name", "Đơn vị tính / Unit"))
        rows += [(i, r.get("name_vi", ""), r.get("unit", "")) for i, r in ref.indicators.items()
                 if r.get("theme") not in ("tasks", "budget")]
    return rows


def template_bytes(kind: str, fmt: str, data_dir: Path | None = None, kpi_dir: Path | None = None,
                   today: dt.date | None = None) -> bytes:
    """The template of a kind as .xlsx or .csv bytes (the app offers the same bytes for download)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    fmt = fmt.lower().lstrip(".")
    ref = Reference.load(data_dir, kpi_dir)
    today = today or dt.date.today()
    cols = KINDS[kind]
    ex = _example(kind, ref, today)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([c.vi for c in cols])
        cells = []
        for c in cols:
            v = ex.get(c.key)
            if isinstance(v, dt.date):
                v = f"{v:%d/%m/%Y}"
            elif isinstance(v, float):
                v = str(v).replace(".", ",")
            cells.append("" if v is None else str(v))
        w.writerow(cells)
        return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")  # BOM: Excel then opens it as UTF-8
    if fmt != "xlsx":
        raise ValueError("format must be xlsx or csv")
    return _xlsx_template(kind, ref, cols, ex)


def _xlsx_template(kind: str, ref: Reference, cols: tuple[Col, ...], ex: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    notes = wb.create_sheet(NOTES_SHEET)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=c.vi)
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(f"{c.en}{' (bắt buộc / required)' if c.required else ''}", "NQ57")
        v = ex.get(c.key)
        ex_cell = ws.cell(row=2, column=j, value=v)
        if isinstance(v, dt.date):
            ex_cell.number_format = "DD/MM/YYYY"
        ws.column_dimensions[get_column_letter(j)].width = max(14, min(45, len(c.vi) + 4))
    ws.freeze_panes = "A2"
    by_key = {c.key: j for j, c in enumerate(cols, start=1)}
    for k, (key, values) in enumerate(_lists(kind, ref).items(), start=1):
        letter = get_column_letter(k)
        lists.cell(row=1, column=k, value=key)
        for i, v in enumerate(values, start=2):
            lists.cell(row=i, column=k, value=v)
        if key not in by_key or not values:
            continue
        dv = DataValidation(type="list", formula1=f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}",
                            allow_blank=True, showErrorMessage=True)
        if key == "entity":  # aliases are accepted too: warn, do not stop
            dv.errorStyle = "warning"
            dv.error = "Không có trong danh sách; tên gọi khác đã đăng ký vẫn được chấp nhận."
        else:
            dv.error = "Chọn một giá trị trong danh sách / pick a value from the list"
        dv.errorTitle = "NQ57"
        col = get_column_letter(by_key[key])
        dv.add(f"{col}2:{col}{TEMPLATE_ROWS}")
        ws.add_data_validation(dv)
    if "as_of" in by_key:
        col = get_column_letter(by_key["as_of"])
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                            showErrorMessage=True, errorStyle="warning",
                            error="Ngày dd/mm/yyyy / a date (dd/mm/yyyy)")
        dv.add(f"{col}2:{col}{TEMPLATE_ROWS}")
        ws.add_data_validation(dv)
        for r in range(2, 3):
            ws[f"{col}{r}"].number_format = "DD/MM/YYYY"
    for i, row in enumerate(_notes(kind, ref), start=1):
        for j, v in enumerate(row, start=1):
            notes.cell(row=i, column=j, value=v)
    notes["A1"].font = bold
    notes.column_dimensions["A"].width = 70
    notes.column_dimensions["B"].width = 60
    notes.column_dimensions["C"].width = 20
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The workbook with fixed entry times and document dates, so a template's bytes depend on its content only."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", b"2026-01-01T00:00:00Z", body)
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            z.writestr(info, body)
    return out.getvalue()


def make_template(kind: str, path: str | Path, data_dir: Path | None = None, kpi_dir: Path | None = None) -> Path:
    """Write the template of a kind; the format follows the suffix (.xlsx or .csv)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise ValueError("the output file must end in .xlsx or .csv")
    path.write_bytes(template_bytes(kind, fmt, data_dir, kpi_dir))
    return path
