"""A proposals file (etl.propose writes it, etl.intake loads it): its columns, and the reading of a reviewed one.

    is_proposals(header) -> bool                      whether a sheet's header is a proposals file's
    parse_reviewed(raw, name, ext, ...) -> Parsed     the rows marked x in "Nhận", as staging rows
    read_info(raw, ext) -> dict                       its "Báo cáo" sheet (the report's file, SHA-256, issuer, ...)

Pure reading of bytes: nothing here archives, loads or builds, so the archive (which parses an archived reviewed file
again at build) and the submissions (which recognise one at load) can read it as the load does."""

from __future__ import annotations

from pathlib import Path

from etl import sheets
from etl.inputs import Rows
from etl.issues import Issue
from etl.schema import ROW_COLUMNS
from etl.sheets import ENTITY_VI, KINDS, Parsed
from etl.text import parse_date, parse_number

KIND = "report"  # a reviewed proposals file's kind in the manifest
TEMPLATE = [c.vi for c in KINDS["indicators"]]  # Mã chỉ tiêu, Đơn vị (...), Ngày số liệu, Giá trị, Đơn vị tính, Nguồn, Ghi chú
REVIEW = ["Trích dẫn", "Cách nêu", "Cận trên", "Mẫu số", "Chương trình", "Nhóm", "Chỉ tiêu khác", "Độ tin cậy",
          "Đã có", "Nhận"]
PROPOSAL_COLUMNS = TEMPLATE + REVIEW
ACCEPT = "Nhận"
SOURCE_MARK = "sha256:"  # how the "Nguồn" column names the report: "<file name> · sha256:<hex>"
INFO_SHEET = "Báo cáo"
INFO_FIELDS = {"report": "Tệp báo cáo / report file", "sha256": "SHA-256", "issuer": "Cơ quan ban hành / issuer",
               "title": "Tiêu đề / title", "report_date": "Ngày báo cáo / report date (yyyy-mm-dd)"}
# proposal column -> staging column
_COLUMNS = {"Mã chỉ tiêu": "indicator_id", ENTITY_VI: "entity", "Ngày số liệu": "as_of", "Giá trị": "value",
            "Đơn vị tính": "unit", "Nguồn": "source", "Ghi chú": "note", "Trích dẫn": "source_quote",
            "Cách nêu": "qualifier", "Cận trên": "value_high", "Mẫu số": "base", "Chương trình": "programme",
            "Nhóm": "category", ACCEPT: "accept"}
LABELS = {v: k for k, v in _COLUMNS.items()} | {"key": "Mã chỉ tiêu"}  # what an issue names a staging column by


def is_proposals(header: list[object]) -> bool:
    """Whether a sheet's header is a proposals file's (it has the review columns "Trích dẫn" and "Nhận")."""
    cells = {str(h).strip() for h in header if h is not None}
    return {"Trích dẫn", ACCEPT} <= cells


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return sheets.cell_text(v)


def read_info(raw: bytes, ext: str) -> dict[str, str]:
    """The "Báo cáo" sheet of an .xlsx proposals file (report file, SHA-256, issuer, title, date), as corrected."""
    if ext != ".xlsx":
        return {}
    import io

    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        if INFO_SHEET not in wb.sheetnames:
            return {}
        by_label = {v: k for k, v in INFO_FIELDS.items()}
        out = {by_label[str(a).strip()]: _cell(b) for a, b, *_ in wb[INFO_SHEET].iter_rows(values_only=True)
               if a is not None and str(a).strip() in by_label}
        wb.close()
        return out
    except Exception:  # noqa: BLE001 - a damaged info sheet: the report's own heading is used instead
        return {}


def parse_reviewed(raw: bytes, name: str, ext: str, data_dir: Path | None = None, kpi_dir: Path | None = None
                   ) -> Parsed:
    """The rows marked x of a reviewed proposals file, in the staging shape of the curated figures (ROW_COLUMNS),
    with what reading them found wrong. Raises UnreadableFile when the file cannot be read at all."""
    if len(raw) > sheets.MAX_BYTES:
        return Parsed(KIND, 0, None, [Issue(name, None, None, str(len(raw)), f"tệp lớn hơn giới hạn "
                                            f"{sheets.MAX_BYTES >> 20} MB", f"file exceeds the "
                                            f"{sheets.MAX_BYTES >> 20} MB limit")])
    s = sheets.read_sheet(raw, name, ext.lower())
    if s.issues:
        return Parsed(KIND, len(s.rows), None, s.issues, s)
    header = [_cell(h) for h in s.header]
    missing = [c for c in PROPOSAL_COLUMNS if c not in header and c != "Đã có"]
    if missing:
        return Parsed(KIND, len(s.rows), None, [s.issue(1, c, None, f"thiếu cột '{c}' của tệp đề xuất",
                                                          f"the proposals file lacks its column '{c}'")
                                                  for c in missing], s)
    pos = {_COLUMNS[c]: header.index(c) for c in _COLUMNS}
    ref = sheets.Reference.load(data_dir, kpi_dir)
    units = sheets.unit_ids()
    out, issues, accepted = [], [], 0
    for n, cells in s.rows:
        cell = {k: _cell(cells[i]) if i < len(cells) else "" for k, i in pos.items()}
        if cell["accept"].casefold() != "x":
            continue
        accepted += 1

        def bad(key: str, vi: str, en: str, n: int = n, cell: dict = cell) -> None:
            issues.append(s.issue(n, LABELS.get(key, key), cell.get(key) or None, vi, en))

        ind = ref.indicators.get(cell["indicator_id"])
        if ind is not None and ind.get("theme") == "budget":
            bad("indicator_id", "số liệu ngân sách phải nộp bằng mẫu 'budget'", "budget figures go in the 'budget' "
                "template")
        unit = units.get(cell["unit"].casefold(), cell["unit"]) or None
        nums = {}
        for key in ("value", "value_high", "base"):
            raw_cell = cells[pos[key]] if pos[key] < len(cells) else None
            x, why = parse_number(raw_cell, unit, prose=True)
            if why == "empty" and key == "value":
                bad(key, "thiếu giá trị số", "number is missing")
            elif why not in (None, "empty"):
                bad(key, "ô số chứa chữ, không phải là số", "text in a numeric cell: not a number")
            nums[key] = x
        d, why = parse_date(cells[pos["as_of"]] if pos["as_of"] < len(cells) else None)
        if why == "empty":
            bad("as_of", "thiếu ngày số liệu", "as-of date is missing")
        elif why:
            bad("as_of", "ngày không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)",
                "date does not parse (use dd/mm/yyyy or yyyy-mm-dd)")
        if not cell["source_quote"]:
            bad("source_quote", "thiếu trích dẫn", "the quote is missing")
        out.append(dict(row=n, indicator_id=cell["indicator_id"] or None, entity=cell["entity"] or None,
                        programme=cell["programme"] or None, category=cell["category"] or None,
                        value=cell["value"] or None, num=nums["value"], unit=unit, as_of=cell["as_of"] or None,
                        as_of_date=d, source_quote=cell["source_quote"] or None, note=cell["note"] or None,
                        qualifier=cell["qualifier"] or None, value_high=cell["value_high"] or None,
                        high_num=nums["value_high"], base=cell["base"] or None, base_num=nums["base"],
                        source=cell["source"]))
    if not accepted:
        issues.append(s.issue(None, ACCEPT, None, "không có dòng nào được đánh dấu x ở cột 'Nhận'",
                              "no row is marked x in the column 'Nhận'"))
    columns = ROW_COLUMNS["obs"]
    parsed = Parsed(KIND, accepted, Rows(columns, [tuple(map(r.get, columns)) for r in out]), issues, s)
    parsed.sources = sorted({r["source"] for r in out})  # type: ignore[attr-defined]
    return parsed
