"""Agency submissions (issue #6): templates, parsing and validation, loading, and their part of the build.

An agency fills a template (.xlsx or .csv) of one of four kinds (indicators, tasks, budget, products);
`load()` validates it, archives it unchanged as data/submissions/<sha256>.<ext>, records it in
data/submissions/manifest.csv and rebuilds the warehouse with etl.build.build(). The build re-parses every
archived file with the same parser (`stage_for_build`), so the warehouse stays a pure function of data/.
The rules (numbers, dates, size limit, superseding) are documented in data/submissions/README.md.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import fcntl
import functools
import gc
import hashlib
import html
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from etl import paths, units
from etl.issues import MAX_LISTED, Issue
from etl.schema import BUDGET_UNITS, VOCAB

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a submission larger than this is refused unread
EARLIEST = dt.date(2000, 1, 1)  # as-of dates before this are refused as implausible
EXTENSIONS = (".csv", ".xlsx")
DATA_SHEET = "Dữ liệu"
LISTS_SHEET = "lists"
NOTES_SHEET = "Hướng dẫn - Notes"  # Excel forbids "/" in sheet names
TEMPLATE_ROWS = 5000  # rows of the template that carry the drop-down lists
MANIFEST_COLUMNS = ("sha256", "original_name", "kind", "rows", "loaded_at", "loaded_by")
SUBMISSIONS = "submissions"  # folder under data/

ENTITY_VI = "Đơn vị (tỉnh/bộ, để trống nếu toàn quốc)"


@dataclass(frozen=True)
class Col:
    key: str
    vi: str
    en: str
    required: bool
    kind: str  # how the cell is read: indicator, entity, date, value, unit, text, source, count, ...
    synonyms: tuple[str, ...] = ()


def _c(key, vi, en, required, kind, *syn):
    return Col(key, vi, en, required, kind, tuple(syn))


_ENTITY = _c("entity", ENTITY_VI, "entity", False, "entity", "Đơn vị", "Tỉnh/Bộ", "Tỉnh, bộ", "agency", "province")
_AS_OF = _c("as_of", "Ngày số liệu", "as_of", True, "date", "Ngày", "date", "as of")
_SOURCE = _c("source", "Nguồn", "source", True, "source", "Nguồn số liệu")
_NOTE = _c("note", "Ghi chú", "note", False, "text", "notes")

KINDS: dict[str, tuple[Col, ...]] = {
    "indicators": (
        _c("indicator_id", "Mã chỉ tiêu", "indicator_id", True, "indicator", "indicator"),
        _ENTITY, _AS_OF,
        _c("value", "Giá trị", "value", True, "value"),
        _c("unit", "Đơn vị tính", "unit", True, "unit"),
        _SOURCE, _NOTE,
    ),
    "tasks": (
        _c("programme", "Chương trình", "programme", True, "programme", "Mã chương trình", "program"),
        _ENTITY, _AS_OF,
        _c("total", "Tổng số nhiệm vụ", "total", True, "count", "Tổng số"),
        _c("done_on_time", "Hoàn thành đúng hạn", "done_on_time", True, "count"),
        _c("done_late", "Hoàn thành quá hạn", "done_late", True, "count"),
        _c("in_progress_on_time", "Đang thực hiện trong hạn", "in_progress_on_time", True, "count",
           "Đang thực hiện đúng hạn"),
        _c("overdue", "Quá hạn chưa hoàn thành", "overdue", True, "count", "Quá hạn"),
        _c("recurring", "Nhiệm vụ thường xuyên", "recurring", False, "count", "Thường xuyên"),
        _SOURCE, _NOTE,
    ),
    "budget": (
        _c("fiscal_year", "Năm ngân sách", "fiscal_year", True, "year", "Năm"),
        _c("level", "Cấp ngân sách", "level", True, "vocab"),
        _c("spending_kind", "Loại chi", "spending_kind", True, "vocab"),
        _c("domain", "Lĩnh vực", "domain", True, "vocab"),
        _c("stage", "Giai đoạn", "stage", True, "vocab"),
        _ENTITY,
        _c("amount", "Số tiền", "amount", True, "amount"),
        _c("unit", "Đơn vị tính", "unit", True, "budget_unit"),
        _AS_OF, _SOURCE, _NOTE,
    ),
    "products": (
        _ENTITY,
        _c("category", "Nhóm sản phẩm", "category", False, "category", "Nhóm", "Phân loại"),
        _c("count", "Số sản phẩm", "count", True, "count", "Số lượng"),
        _AS_OF, _SOURCE, _NOTE,
    ),
}

# Units whose figures are often fractional: there "1.234" is ambiguous (1.234 or 1234) and is refused.
FRACTIONAL_UNITS = frozenset({"percent", "percent_change", "percent_of_plan", "score", "mbps", "mw", "per_10000"})
UNIT_ALIASES = {"%": "percent", "tỷ đồng": "billion_vnd", "nghìn tỷ đồng": "trillion_vnd",
                "triệu đồng": "million_vnd", "usd": "usd", "triệu usd": "million_usd", "tỷ usd": "billion_usd",
                "nghìn": "thousand", "triệu": "million", "tỷ": "billion", "mbps": "mbps", "mw": "mw",
                "điểm": "score", "hạng": "rank"}
# Task-status columns and the registry indicator each feeds.
TASK_FIELDS = {"total": "tasks_total", "done_on_time": "tasks_done_on_time", "done_late": "tasks_done_late",
               "in_progress_on_time": "tasks_in_progress_on_time", "overdue": "tasks_overdue",
               "recurring": "tasks_recurring"}
PRODUCT_INDICATOR = "products_reported"
_SLUG = re.compile(r"^[a-z0-9_]+$")


class UnreadableFile(ValueError):
    """The file cannot be read at all (missing, not .csv/.xlsx, corrupt workbook): CLI exit code 2."""

    def __init__(self, name: str, vi: str, en: str):
        self.issue = SheetIssue(name, None, None, None, vi, en)
        super().__init__(f"{name}: {vi} / {en}")


@dataclass(frozen=True, order=True)
class SheetIssue(Issue):
    """An Issue that also names the sheet of a workbook (None for CSV)."""

    sheet: str | None = None

    def __str__(self) -> str:
        where = self.file + (f" [{self.sheet}]" if self.sheet else "")
        where += f", dòng/row {self.row}" if self.row is not None else ""
        where += f", cột/column '{self.column}'" if self.column else ""
        shown = f" = {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}{shown}: {self.reason_vi} / {self.reason_en}"


REPORT_COLUMNS = ("file", "sheet", "row", "column", "value", "reason_vi", "reason_en")


def _sorted(issues: list[Issue]) -> list[Issue]:
    return sorted(set(issues), key=lambda i: (i.file, getattr(i, "sheet", None) or "", i.row or 0, i.column or ""))


def report_text(issues: list[Issue], limit: int = MAX_LISTED) -> str:
    issues = _sorted(issues)
    lines = [str(i) for i in issues[:limit]]
    if len(issues) > limit:
        lines.append(f"... và {len(issues) - limit} lỗi khác / and {len(issues) - limit} more")
    lines.append(f"Tổng số lỗi / total errors: {len(issues)}")
    return "\n".join(lines)


def report_csv(issues: list[Issue], limit: int = MAX_LISTED) -> str:
    """file, sheet, row, column, value, reason_vi, reason_en: the first `limit` issues, then a total line."""
    issues = _sorted(issues)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(REPORT_COLUMNS)
    for i in issues[:limit]:
        w.writerow([i.file, getattr(i, "sheet", None) or "", "" if i.row is None else i.row, i.column or "",
                    "" if i.value is None else i.value, i.reason_vi, i.reason_en])
    if len(issues) > limit:
        w.writerow(["", "", "", "", len(issues),
                    f"chỉ liệt kê {limit} lỗi đầu; tổng số lỗi {len(issues)}",
                    f"only the first {limit} listed; total errors {len(issues)}"])
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Reference data: the registry and dimension tables the cells are checked against
# ---------------------------------------------------------------------------------------------------------

def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: _nfc((v or "").strip()) for k, v in r.items() if k} for r in csv.DictReader(fh)]


@functools.lru_cache(maxsize=65536)
def _entity_key(s: str) -> str:
    return " ".join(_nfc(s).split()).lower()


@dataclass
class Reference:
    indicators: dict[str, dict[str, str]]
    alias_key: dict[str, str]  # lower(trim(alias)) -> agency id, as the build resolves them
    names: list[str]  # every canonical name and alias, for suggestions
    entities: list[str]  # canonical names (name_vi), for the template's list
    programmes: list[str]
    categories: list[str]
    fingerprint: str = ""  # sha256 of the files the checks depend on

    @classmethod
    def load(cls, data_dir: Path | None = None, kpi_dir: Path | None = None) -> Reference:
        data_dir = Path(data_dir or paths.data_dir())
        kpi_dir = Path(kpi_dir or paths.kpi_dir())
        inds = {r["id"]: r for r in _read_rows(kpi_dir / "indicators.csv") if r.get("id")}
        agencies = _read_rows(data_dir / "dims" / "agencies.csv")
        display: list[tuple[str, str]] = [(r["alias"], r["agency_id"])
                                          for r in _read_rows(data_dir / "dims" / "agency_aliases.csv")
                                          if r.get("alias")]
        for a in agencies:
            display.append((a.get("name_vi", ""), a.get("id", "")))
            if a.get("short_vi"):
                display.append((a["short_vi"], a["id"]))
        key: dict[str, str] = {}
        for alias, aid in display:
            k = _entity_key(alias)
            if k and (k not in key or aid < key[k]):  # min(agency_id), as the build's join
                key[k] = aid
        cats: set[str] = set()
        for p in sorted((data_dir / "observations").glob("*.csv")) if (data_dir / "observations").exists() else []:
            cats |= {r.get("category", "") for r in _read_rows(p) if r.get("indicator_id") == PRODUCT_INDICATOR}
        cats.discard("")
        h = hashlib.sha256()
        for p in (kpi_dir / "indicators.csv", data_dir / "dims" / "agencies.csv",
                  data_dir / "dims" / "agency_aliases.csv", data_dir / "dims" / "programmes.csv"):
            h.update(p.read_bytes() if p.exists() else b"-")
        return cls(inds, key, sorted({a for a, _ in display if a}),
                   [a["name_vi"] for a in agencies if a.get("name_vi")],
                   [r["id"] for r in _read_rows(data_dir / "dims" / "programmes.csv") if r.get("id")],
                   sorted(cats) or ["cncl", "ngoai_cncl"], h.hexdigest())


# ---------------------------------------------------------------------------------------------------------
# Cell parsing
# ---------------------------------------------------------------------------------------------------------

_NUM = re.compile(r"^[+-]?[0-9][0-9.,]*$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_number(raw: object, unit: str | None = None) -> tuple[float | None, str | None]:
    """A number from a cell; (None, reason) when the cell is text or the separators are ambiguous.

    Rules (Vietnamese convention first): spaces between digits are dropped; with both "." and "," the later
    one is the decimal mark and the other groups thousands; a lone "," is the decimal mark ("48,9") unless
    exactly three digits follow it ("1,234" is ambiguous, refused) — "0,125" is a decimal; several "," or
    several "." group thousands ("1.234.567"); a lone "." followed by exactly three digits groups thousands
    ("65.020" = 65020) except in fractional units (percent, score, ...) where it is refused as ambiguous;
    otherwise "." is the decimal mark ("48.9"). A "%" suffix is accepted for percent units.
    """
    if raw is None:
        return None, "empty"
    if isinstance(raw, bool):
        return None, "text"
    if isinstance(raw, (int, float)):
        x = float(raw)
        return (x, None) if x == x and abs(x) != float("inf") else (None, "text")
    if not isinstance(raw, str):
        return None, "text"
    s = _SPACES.sub("", raw)
    if not s:
        return None, "empty"
    if s.endswith("%") and (unit or "").startswith("percent"):
        s = s[:-1]
    if not _NUM.match(s):
        return None, "text"
    sign = -1.0 if s[0] == "-" else 1.0
    s = s.lstrip("+-")
    dots, commas = s.count("."), s.count(",")

    def grouped(body: str, sep: str) -> bool:
        parts = body.split(sep)
        return 1 <= len(parts[0]) <= 3 and parts[0] != "0" and all(len(p) == 3 for p in parts[1:])

    try:
        if dots and commas:
            dec = "." if s.rfind(".") > s.rfind(",") else ","
            grp = "," if dec == "." else "."
            if s.count(dec) != 1:
                return None, "text"
            whole, frac = s.split(dec)
            if not grouped(whole, grp) or not frac:
                return None, "text"
            return sign * float(whole.replace(grp, "") + "." + frac), None
        if commas:
            if commas > 1:
                return (sign * float(s.replace(",", "")), None) if grouped(s, ",") else (None, "text")
            whole, frac = s.split(",")
            if not frac or not whole:
                return None, "text"
            if len(frac) == 3 and whole != "0":
                return None, "ambiguous"
            return sign * float(whole + "." + frac), None
        if dots:
            if dots > 1:
                return (sign * float(s.replace(".", "")), None) if grouped(s, ".") else (None, "text")
            whole, frac = s.split(".")
            if not frac or not whole:
                return None, "text"
            if len(frac) == 3 and whole != "0" and len(whole) <= 3:
                if unit in FRACTIONAL_UNITS:
                    return None, "ambiguous"
                return sign * float(whole + frac), None
            return sign * float(s), None
        return sign * float(s), None
    except ValueError:
        return None, "text"


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(raw: object) -> tuple[dt.date | None, str | None]:
    """ISO yyyy-mm-dd, dd/mm/yyyy (also with - or .), an Excel date cell or an Excel serial number."""
    if type(raw) is str:
        return _parse_date_text(raw)
    return _parse_date(raw)


@functools.lru_cache(maxsize=65536)
def _parse_date_text(raw: str) -> tuple[dt.date | None, str | None]:
    return _parse_date(raw)


def _parse_date(raw: object) -> tuple[dt.date | None, str | None]:
    if raw is None:
        return None, "empty"
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, bool):
        return None, "text"
    if isinstance(raw, (int, float)):
        return _serial(float(raw))
    if not isinstance(raw, str):
        return None, "text"
    s = raw.strip()
    if not s:
        return None, "empty"
    try:
        if m := _ISO.match(s):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        if m := _DMY.match(s):
            return dt.date(int(m[3]), int(m[2]), int(m[1])), None
    except ValueError:
        return None, "text"
    if re.fullmatch(r"\d{5}(\.0+)?", s):
        return _serial(float(s))
    return None, "text"


def _serial(x: float) -> tuple[dt.date | None, str | None]:
    if not (1 <= x < 2958466):
        return None, "text"
    return _EXCEL_EPOCH + dt.timedelta(days=int(x)), None


def _text(raw: object) -> str:
    """A cell as trimmed text (cells are NFC already: the readers normalise them)."""
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.datetime, dt.date)):
        return raw.isoformat()[:10]
    return _nfc(str(raw)).strip()


def _blank(cells: list[object]) -> bool:
    return all(c is None or (type(c) is str and not c.strip()) for c in cells)


def _norm_header(s: str) -> str:
    s = " ".join(_nfc(s).replace("_", " ").replace("-", " ").split()).casefold().rstrip("*: ")
    return s


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", _norm_header(s).replace("đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------------------------
# Reading a file into header + rows
# ---------------------------------------------------------------------------------------------------------

@dataclass
class Sheet:
    name: str  # file name as issues show it
    sheet: str | None
    header: list[object]
    rows: list[tuple[int, list[object]]]  # (row number as the editor shows it, cells)
    issues: list[Issue] = field(default_factory=list)


def _issue(sheet: Sheet | str, row, col, value, vi, en, sheet_name=None) -> SheetIssue:
    if isinstance(sheet, Sheet):
        return SheetIssue(sheet.name, row, col, None if value is None else str(value)[:200], vi, en, sheet.sheet)
    return SheetIssue(sheet, row, col, None if value is None else str(value)[:200], vi, en, sheet_name)


def read_sheet(raw: bytes, name: str, ext: str) -> Sheet:
    """Header and rows of a CSV or the data sheet of a workbook; raises UnreadableFile."""
    if ext == ".csv":
        return _read_csv(raw, name)
    if ext == ".xlsx":
        try:
            return _read_xlsx_fast(raw, name)
        except UnreadableFile:
            raise
        except Exception:  # anything the streaming reader does not know: openpyxl reads it (slower)
            return _read_xlsx(raw, name)
    raise UnreadableFile(name, f"định dạng tệp không được hỗ trợ ({ext or 'không có đuôi'}); cần .xlsx hoặc .csv",
                         f"unsupported file type ({ext or 'no extension'}); use .xlsx or .csv")


def _read_csv(raw: bytes, name: str) -> Sheet:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        s = Sheet(name, None, [], [])
        s.issues.append(_issue(s, line, None, None,
                               "tệp CSV không mã hóa UTF-8 (có thể là Windows-1258/Latin-1): hãy lưu lại dạng "
                               "'CSV UTF-8' hoặc dùng tệp .xlsx",
                               "the CSV file is not UTF-8 (perhaps Windows-1258/Latin-1): save it again as "
                               "'CSV UTF-8' or use the .xlsx template"))
        return s
    if b"\xcc" in raw or b"\xcd" in raw:  # combining diacritics (U+0300-U+036F): the only non-NFC Vietnamese
        text = _nfc(text)
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[tuple[int, list[object]]] = []
    header: list[object] = []
    start = 1
    s = Sheet(name, None, header, rows)
    try:
        for i, rec in enumerate(reader):
            if i == 0:
                header.extend(rec)
            else:
                rows.append((start, rec))
            start = reader.line_num + 1
    except csv.Error as exc:
        s.issues.append(_issue(s, start, None, None, f"dòng CSV không đọc được: {exc}", f"unreadable CSV line: {exc}"))
    return s


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DATE_IDS = set(range(14, 23)) | {45, 46, 47}


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^]]*]|\\.', "", code).lower()
    return any(ch in code for ch in "dmy") and "general" not in code


def _read_xlsx_fast(raw: bytes, name: str) -> Sheet:
    """The data sheet of a workbook, read from its XML directly (openpyxl's reader is ~4x slower on big files).

    Same result as _read_xlsx: cached values of formulas, dates for date-formatted numbers, and issues for
    formulas without a cached value and for merged cells."""
    import xml.etree.ElementTree as ET

    from openpyxl.utils import get_column_letter

    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = set(zf.namelist())
        wb_xml = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as exc:
        raise UnreadableFile(name, f"không mở được tệp Excel: {exc}", f"cannot open the workbook: {exc}") from exc
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sheets = [(sh.get("name"), sh.get("state") or "visible", targets.get(sh.get(f"{_REL_NS}id")))
              for sh in wb_xml.iter(f"{_NS}sheet")]
    by_name = {n.casefold(): (n, t) for n, _, t in sheets}
    chosen = next((by_name[k] for k in (DATA_SHEET.casefold(), "data", "du lieu") if k in by_name), None)
    if chosen is None:
        chosen = next(((n, t) for n, st_, t in sheets if st_ == "visible" and n not in (LISTS_SHEET, NOTES_SHEET)),
                      None)
    if chosen is None:
        raise UnreadableFile(name, "tệp Excel không có trang tính dữ liệu", "the workbook has no data sheet")
    title, target = chosen
    target = target.lstrip("/")
    path = target if target.startswith("xl/") else "xl/" + target
    if path not in names:
        raise KeyError(path)
    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        for si in ET.fromstring(zf.read("xl/sharedStrings.xml")).iter(f"{_NS}si"):
            shared.append("".join(t.text or "" for t in si.iter(f"{_NS}t")))
    date_styles: set[int] = set()
    if "xl/styles.xml" in names:
        st_xml = ET.fromstring(zf.read("xl/styles.xml"))
        custom = {int(f.get("numFmtId")): f.get("formatCode") or "" for f in st_xml.iter(f"{_NS}numFmt")}
        xfs = st_xml.find(f"{_NS}cellXfs")
        for i, xf in enumerate(xfs if xfs is not None else []):
            fid = int(xf.get("numFmtId") or 0)
            if fid in _DATE_IDS or (fid in custom and _is_date_format(custom[fid])):
                date_styles.add(i)
    s = Sheet(name, title, [], [])
    xml = zf.read(path)
    fast = _scan_cells(xml, shared, date_styles)
    if fast is None:
        raise ValueError("cell layout the scanner does not know")  # openpyxl reads it instead
    for r, j, formula in fast[1]:
        s.issues.append(_issue(s, r, get_column_letter(j + 1), "=" + formula,
                               "ô có công thức nhưng không có giá trị đã tính: hãy mở tệp bằng "
                               "Excel, lưu lại, hoặc dán giá trị (Paste Values)",
                               "formula without a cached value: open and save the file in "
                               "Excel, or paste values"))
    grid = fast[0]
    merges = [m.decode() for m in re.findall(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml)]
    for rng in sorted(merges):
        s.issues.append(_issue(s, int(re.search(r"\d+", rng).group()), rng, None,
                               f"ô gộp (merged cells) {rng}: hãy bỏ gộp ô, mỗi ô một giá trị",
                               f"merged cells {rng}: unmerge them, one value per cell"))
    grid = [(r, cells) for r, cells in grid if not _blank(cells)] if grid else grid
    if grid:
        hr, header = grid[0]
        s.header.extend(header)
        s.rows.extend(grid[1:])
    return s


_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?\s*(/>|>(.*?)</c>)', re.S)
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_F = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_T = re.compile(rb"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)


def _xml_text(b: bytes) -> str:
    t = b.decode("utf-8")
    return html.unescape(t) if "&" in t else t


def _scan_cells(xml: bytes, shared: list[str], date_styles: set[int]):
    """(rows, formulas without a value) of a sheet's XML by one regular-expression pass; None when a cell is
    written in a layout the pattern does not cover (the caller then uses openpyxl)."""
    from openpyxl.utils.cell import column_index_from_string

    start, end = xml.find(b"<sheetData"), xml.find(b"</sheetData>")
    if start < 0:
        return [], []
    body = xml[start:end if end > 0 else len(xml)]
    rows: dict[int, list[object]] = {}
    missing: list[tuple[int, int, str]] = []
    col_cache: dict[bytes, int] = {}
    n = 0
    epoch = dt.datetime(1899, 12, 30)
    for m in _CELL.finditer(body):
        n += 1
        letters, rnum, style, t, _, inner = m.groups()
        j = col_cache.get(letters)
        if j is None:
            j = col_cache[letters] = column_index_from_string(letters.decode()) - 1
        r = int(rnum)
        value: object = None
        if inner:
            if t == b"inlineStr":
                value = "".join(_xml_text(x or b"") for x in _T.findall(inner))
            else:
                v = _V.search(inner)
                text = v.group(1) if v else None
                if text is None or (not text and t != b"str"):
                    value = None
                elif t == b"s":
                    value = shared[int(text)]
                elif t in (b"str", b"e"):
                    value = _xml_text(text)
                elif t == b"b":
                    value = text == b"1"
                else:
                    x = float(text)
                    if style is not None and int(style) in date_styles:
                        value = epoch + dt.timedelta(days=x)
                    else:
                        value = int(x) if x.is_integer() and b"." not in text and b"E" not in text else x
            if value is None:
                f = _F.search(inner)
                if f is not None:
                    missing.append((r, j, _xml_text(f.group(1) or b"")))
        cells = rows.get(r)
        if cells is None:
            cells = rows[r] = []
        if j >= len(cells):
            cells.extend([None] * (j + 1 - len(cells)))
        cells[j] = _nfc(value) if type(value) is str else value
    if n != body.count(b"<c ") + body.count(b"<c>"):
        return None
    return sorted(rows.items()), missing


def _read_xlsx(raw: bytes, name: str) -> Sheet:
    import openpyxl

    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        xml = {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")}
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, openpyxl's own errors: a corrupt workbook
        raise UnreadableFile(name, f"không mở được tệp Excel: {exc}", f"cannot open the workbook: {exc}") from exc
    try:
        ws = _data_sheet(wb)
        if ws is None:
            raise UnreadableFile(name, "tệp Excel không có trang tính dữ liệu", "the workbook has no data sheet")
        title = ws.title
        try:
            values = [[_nfc(v) if type(v) is str else v for v in r] for r in ws.iter_rows(values_only=True)]
        except Exception as exc:
            raise UnreadableFile(name, f"không đọc được trang tính: {exc}", f"cannot read the sheet: {exc}") from exc
    finally:
        wb.close()
    s = Sheet(name, title, [], [])
    has_formula = any(re.search(rb"<f[ >/]", x) for x in xml.values())
    has_merge = any(b"<mergeCell " in x for x in xml.values())
    if has_formula or has_merge:
        try:
            full = openpyxl.load_workbook(io.BytesIO(raw), read_only=not has_merge, data_only=False)
            fws = full[title]
            if has_merge:
                for rng in sorted(str(r) for r in fws.merged_cells.ranges):
                    min_row = int(re.search(r"\d+", rng).group())
                    s.issues.append(_issue(s, min_row, rng, None,
                                           f"ô gộp (merged cells) {rng}: hãy bỏ gộp ô, mỗi ô một giá trị",
                                           f"merged cells {rng}: unmerge them, one value per cell"))
            if has_formula:
                for r_i, row in enumerate(fws.iter_rows(values_only=True), start=1):
                    for c_i, v in enumerate(row):
                        is_formula = (isinstance(v, str) and v.startswith("=")) or type(v).__name__ in (
                            "ArrayFormula", "DataTableFormula")
                        cached = values[r_i - 1][c_i] if r_i - 1 < len(values) and c_i < len(values[r_i - 1]) else None
                        if is_formula and cached is None:
                            col = openpyxl.utils.get_column_letter(c_i + 1)
                            s.issues.append(_issue(s, r_i, col, str(v)[:80],
                                                   "ô có công thức nhưng không có giá trị đã tính: hãy mở tệp bằng "
                                                   "Excel, lưu lại, hoặc dán giá trị (Paste Values)",
                                                   "formula without a cached value: open and save the file in "
                                                   "Excel, or paste values"))
            full.close()
        except UnreadableFile:
            raise
        except Exception as exc:
            raise UnreadableFile(name, f"không mở được tệp Excel: {exc}", f"cannot open the workbook: {exc}") from exc
    # header is the first non-empty row
    start = 0
    while start < len(values) and all(v is None or (isinstance(v, str) and not v.strip()) for v in values[start]):
        start += 1
    if start < len(values):
        s.header.extend(values[start])
        # blank rows carry nothing (the fast reader drops them too; the validator would skip them anyway)
        s.rows.extend((i + 1, values[i]) for i in range(start + 1, len(values)) if not _blank(list(values[i])))
    return s


def _data_sheet(wb):
    by_name = {ws.title.casefold(): ws for ws in wb.worksheets}
    for n in (DATA_SHEET.casefold(), "data", "du lieu"):
        if n in by_name:
            return by_name[n]
    for ws in wb.worksheets:
        if ws.sheet_state == "visible" and ws.title not in (LISTS_SHEET, NOTES_SHEET):
            return ws
    return None


# ---------------------------------------------------------------------------------------------------------
# Validation: header matching, then every row into records
# ---------------------------------------------------------------------------------------------------------

def _header_forms(col: Col) -> set[str]:
    forms = {col.vi, col.en, col.key, *col.synonyms}
    return {_norm_header(f) for f in forms} | {_fold(f) for f in forms}


def detect_kind(header: list[object]) -> str | None:
    """The kind whose headers the file's header matches best (None when it matches none)."""
    cells = [_norm_header(_text(h)) for h in header if _text(h)]
    folded = [_fold(_text(h)) for h in header if _text(h)]
    shared = ("entity", "as_of", "source", "note", "unit")
    best, best_score = None, 0
    for kind, cols in KINDS.items():
        score = own = 0
        for c in cols:
            forms = _header_forms(c)
            hit = any(h in forms or fh in forms for h, fh in zip(cells, folded, strict=True))
            # a kind's own columns count double, so the shared ones (entity, date, source) do not decide
            score += hit * (1 if c.key in shared else 2)
            own += hit and c.key not in shared
        if own and score > best_score:
            best, best_score = kind, score
    return best


@dataclass
class Parsed:
    kind: str | None
    rows: int  # data rows read (blank rows skipped)
    records: list[dict]
    issues: list[Issue]


def parse_bytes(raw: bytes, name: str, ext: str, ref: Reference, today: dt.date | None = None) -> Parsed:
    """Read and validate one submission. Raises UnreadableFile only when the file cannot be read at all."""
    ext = ext.lower()
    if len(raw) > MAX_BYTES:
        return Parsed(None, 0, [], [_issue(name, None, None, str(len(raw)),
                                           f"tệp lớn hơn giới hạn {MAX_BYTES // 1024 // 1024} MB",
                                           f"file exceeds the {MAX_BYTES // 1024 // 1024} MB limit")])
    if not raw.strip() or raw.strip() == b"\xef\xbb\xbf":
        return Parsed(None, 0, [], [_issue(name, None, None, None, "tệp rỗng", "file is empty")])
    # Parsing allocates a few objects per cell and frees none: the cyclic collector would only rescan them.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        sheet = read_sheet(raw, name, ext)
        if sheet.issues and not sheet.header:
            return Parsed(None, 0, [], sheet.issues)
        return _validate(sheet, ref, today or dt.date.today())
    finally:
        if was_enabled:
            gc.enable()


def _validate(s: Sheet, ref: Reference, today: dt.date) -> Parsed:
    issues: list[Issue] = list(s.issues)
    rows = [(n, cells) for n, cells in s.rows if not _blank(cells)]
    if not any(_text(h) for h in s.header):
        return Parsed(None, 0, [], issues + [_issue(s, None, None, None, "tệp rỗng", "file is empty")])
    kind = detect_kind(s.header)
    if kind is None:
        expected = "; ".join(f"{k}: " + ", ".join(c.vi for c in cols) for k, cols in KINDS.items())
        return Parsed(None, len(rows), [], issues + [_issue(
            s, 1, None, ", ".join(_text(h) for h in s.header)[:200],
            f"không nhận ra loại biểu mẫu từ dòng tiêu đề; cần các cột của một trong các mẫu — {expected}",
            "cannot tell the template from the header row; use the columns of one template (python -m etl "
            "template KIND)")])
    cols = KINDS[kind]
    positions: dict[str, int] = {}
    all_forms = [(c, _header_forms(c)) for c in cols]
    labels = [c.vi for c in cols] + [c.en for c in cols]
    for i, h in enumerate(s.header):
        t = _text(h)
        if not t:
            if any(_text(cells[i]) if i < len(cells) else "" for _, cells in rows):
                issues.append(_issue(s, 1, _colname(i), None, "cột có dữ liệu nhưng không có tiêu đề",
                                     "column has data but no header"))
            continue
        match = next((c for c, forms in all_forms if _norm_header(t) in forms or _fold(t) in forms), None)
        if match is None:
            close = difflib.get_close_matches(t, labels, n=1, cutoff=0.6)
            if close:
                issues.append(_issue(s, 1, t, t, f"tiêu đề cột sai chính tả; có phải '{close[0]}'?",
                                     f"misspelt column header; did you mean '{close[0]}'?"))
            else:
                issues.append(_issue(s, 1, t, t, "cột thừa, không thuộc biểu mẫu: hãy xóa cột này",
                                     "extra column not in the template: remove it"))
        elif match.key in positions:
            issues.append(_issue(s, 1, t, t, "cột bị lặp", "duplicate column"))
        else:
            positions[match.key] = i
    for c in cols:
        if c.required and c.key not in positions:
            issues.append(_issue(s, 1, c.vi, None, f"thiếu cột bắt buộc '{c.vi}' ({c.en})",
                                 f"required column '{c.vi}' ({c.en}) is missing"))
    if issues and any(i.row == 1 for i in issues):
        return Parsed(kind, len(rows), [], issues)
    if not rows:
        return Parsed(kind, 0, [], issues + [_issue(s, None, None, None, "tệp không có dòng dữ liệu nào",
                                                     "file has no data rows")])
    records = _ROWS[kind](s, rows, positions, ref, today, issues)
    return Parsed(kind, len(rows), records, issues)


def _colname(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


_LABELS = {id(cols): {c.key: c.vi for c in cols} for cols in KINDS.values()}


class _Row:
    """One data row: cells by key, and the issues found in it."""

    def __init__(self, s: Sheet, n: int, cells: list[object], pos: dict[str, int], cols: tuple[Col, ...],
                 issues: list[Issue]):
        self.s, self.n, self.issues = s, n, issues
        n_cells = len(cells)
        self.cells = {k: (cells[i] if i < n_cells else None) for k, i in pos.items()}
        self.labels = _LABELS[id(cols)]
        self.ok = True

    def raw(self, key: str) -> object:
        v = self.cells.get(key)
        return None if isinstance(v, str) and not v.strip() else v

    def bad(self, key: str, vi: str, en: str, value: object = "__cell__") -> None:
        self.ok = False
        v = self.cells.get(key) if value == "__cell__" else value
        self.issues.append(_issue(self.s, self.n, self.labels.get(key, key), None if v is None else _text(v), vi, en))

    def text(self, key: str, required: bool = False) -> str:
        t = _text(self.raw(key))
        if required and not t:
            self.bad(key, "thiếu giá trị bắt buộc", "required value is missing")
        return t

    def date(self, today: dt.date) -> dt.date | None:
        d, why = parse_date(self.raw("as_of"))
        if why == "empty":
            self.bad("as_of", "thiếu ngày số liệu", "as-of date is missing")
        elif d is None:
            self.bad("as_of", "ngày không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)",
                     "date does not parse (use dd/mm/yyyy or yyyy-mm-dd)")
        elif d > today:
            self.bad("as_of", "ngày ở tương lai", "date is in the future")
            return None
        elif d < EARLIEST:
            self.bad("as_of", f"ngày trước {EARLIEST:%d/%m/%Y} không hợp lệ", f"date before {EARLIEST} is not valid")
            return None
        return d

    def number(self, key: str, unit: str | None, required: bool = True) -> float | None:
        x, why = parse_number(self.raw(key), unit)
        if why == "empty":
            if required:
                self.bad(key, "thiếu giá trị số", "number is missing")
        elif why == "ambiguous":
            self.bad(key, "số không rõ nghĩa: không rõ dấu phân cách hàng nghìn hay thập phân (viết 1234 hoặc "
                     "1,5 — dấu phẩy là dấu thập phân)", "ambiguous number: thousands or decimal separator? "
                     "(write 1234, or 1,5 with a decimal comma)")
        elif x is None:
            self.bad(key, "ô số chứa chữ, không phải là số", "text in a numeric cell: not a number")
        return x

    def count(self, key: str, required: bool = True) -> int | None:
        x = self.number(key, "count", required)
        if x is None:
            return None
        if x < 0 or not float(x).is_integer():
            self.bad(key, "số lượng phải là số nguyên không âm", "a count must be a whole number, not negative")
            return None
        return int(x)

    def entity(self, ref: Reference) -> tuple[str | None, str | None]:
        t = self.text("entity")
        if not t:
            return None, None
        eid = ref.alias_key.get(_entity_key(t))
        if eid is None:
            close = difflib.get_close_matches(t, ref.names, n=1, cutoff=0.6)
            hint_vi = f"; có phải '{close[0]}'?" if close else ""
            hint_en = f"; did you mean '{close[0]}'?" if close else ""
            self.bad("entity", "đơn vị không có trong danh mục cơ quan, địa phương" + hint_vi,
                     "entity is not a known agency or province" + hint_en)
        return t, eid

    def choice(self, key: str, allowed: list[str] | tuple[str, ...], what_vi: str, what_en: str) -> str | None:
        t = self.text(key)
        if not t:
            self.bad(key, f"thiếu {what_vi}", f"{what_en} is missing")
            return None
        if t in allowed:
            return t
        low = {a.lower(): a for a in allowed}
        if t.lower() in low:
            return low[t.lower()]
        close = difflib.get_close_matches(t, list(allowed), n=1, cutoff=0.5)
        hint_vi = f"; có phải '{close[0]}'?" if close else ""
        hint_en = f"; did you mean '{close[0]}'?" if close else ""
        self.bad(key, f"{what_vi} không có trong danh mục{hint_vi}", f"unknown {what_en}{hint_en}")
        return None


def _stated_unit(r: _Row, key: str, allowed: tuple[str, ...] | frozenset[str]) -> str | None:
    t = r.text(key)
    if not t:
        r.bad(key, "thiếu đơn vị tính", "unit is missing")
        return None
    u = t.lower() if t.lower() in allowed else UNIT_ALIASES.get(t.lower())
    if u is None or u not in allowed:
        close = difflib.get_close_matches(t.lower(), sorted(allowed), n=1, cutoff=0.6)
        hint = f" ('{close[0]}'?)" if close else ""
        r.bad(key, f"đơn vị tính không hợp lệ{hint}; dùng một trong: {', '.join(sorted(allowed))}",
              f"unknown unit{hint}; use one of: {', '.join(sorted(allowed))}")
        return None
    return u


def _range_ok(r: _Row, key: str, x: float, unit: str) -> bool:
    if unit == "percent" and not 0 <= x <= 100:
        r.bad(key, "tỷ lệ phần trăm phải trong khoảng 0-100", "a percentage must lie within 0-100")
    elif unit not in ("percent", "percent_change") and x < 0:
        r.bad(key, "giá trị không được âm", "value must not be negative")
    elif unit == "rank" and (x < 1 or not float(x).is_integer()):
        r.bad(key, "thứ hạng phải là số nguyên dương", "a rank must be a positive whole number")
    elif unit == "flag" and x != 1:
        r.bad(key, "giá trị của dòng đánh dấu phải là 1", "a flag row's value must be 1")
    else:
        return True
    return False


def _dup(r: _Row, seen: dict[tuple, int], key: tuple, col: str) -> None:
    if key in seen:
        r.bad(col, f"dòng trùng với dòng {seen[key]} (cùng khóa: {', '.join(str(k) for k in key if k)})",
              f"duplicate of row {seen[key]} (same key)", value=None)
    else:
        seen[key] = r.n


def _fact(r: _Row, indicator: str, entity: str | None, eid: str | None, programme: str, category: str,
          value: float, unit: str, stated: float, unit_stated: str, text: str, as_of: dt.date, source: str,
          note: str) -> dict:
    return dict(row=r.n, indicator_id=indicator, entity_as_written=entity or None, entity_id=eid,
                programme=programme, category=category, value=value, unit=unit, value_stated=stated,
                unit_stated=unit_stated, value_text=text, as_of_date=as_of, source_quote=source, note=note or None)


def _rows_indicators(s, rows, pos, ref: Reference, today, issues) -> list[dict]:
    cols, out, seen = KINDS["indicators"], [], {}
    for n, cells in rows:
        r = _Row(s, n, cells, pos, cols, issues)
        iid = r.text("indicator_id")
        ind = ref.indicators.get(iid) or ref.indicators.get(iid.lower())
        if not iid:
            r.bad("indicator_id", "thiếu mã chỉ tiêu", "indicator id is missing")
        elif ind is None:
            close = difflib.get_close_matches(iid, list(ref.indicators), n=1, cutoff=0.6)
            hint_vi = f"; có phải '{close[0]}'?" if close else ""
            hint_en = f"; did you mean '{close[0]}'?" if close else ""
            r.bad("indicator_id", "chỉ tiêu chưa có trong danh mục (kpis/indicators.csv)" + hint_vi,
                  "indicator is not in the registry (kpis/indicators.csv)" + hint_en)
        elif ind.get("theme") in ("tasks", "budget"):
            r.bad("indicator_id", f"chỉ tiêu {ind['theme']} phải nộp bằng mẫu '{ind['theme']}'",
                  f"{ind['theme']} figures go in the '{ind['theme']}' template")
            ind = None
        if ind is not None:
            iid = ind["id"]
        entity, eid = r.entity(ref)
        as_of = r.date(today)
        unit = _stated_unit(r, "unit", units.STATED_UNITS)
        canonical = ind["unit"] if ind else None
        fac = None
        if unit and canonical:
            fac = units.factor(unit, canonical)
            if fac is None:
                r.bad("unit", f"đơn vị tính không khớp với danh mục: chỉ tiêu {iid} dùng '{canonical}'",
                      f"unit does not match the registry: {iid} is measured in '{canonical}'")
        x = r.number("value", unit or canonical)
        if x is not None and unit and _range_ok(r, "value", x, unit) and unit == "flag" and not eid:
            r.bad("entity", "dòng đánh dấu (flag) cần ghi đơn vị", "a flag row needs its entity", value=None)
        source, note = r.text("source", required=True), r.text("note")
        if ind is not None and as_of is not None:
            _dup(r, seen, (iid, eid or entity, as_of), "indicator_id")
        if r.ok:
            out.append(_fact(r, iid, entity, eid, "", "", x * fac, canonical, x, unit, _text(r.raw("value")),
                             as_of, source, note))
    return out


def _rows_tasks(s, rows, pos, ref: Reference, today, issues) -> list[dict]:
    cols, out, seen = KINDS["tasks"], [], {}
    for n, cells in rows:
        r = _Row(s, n, cells, pos, cols, issues)
        prog = r.choice("programme", ref.programmes, "chương trình", "programme")
        entity, eid = r.entity(ref)
        as_of = r.date(today)
        counts = {k: r.count(k, required=(k != "recurring")) for k in TASK_FIELDS}
        source, note = r.text("source", required=True), r.text("note")
        if r.ok:
            parts = sum(counts[k] for k in ("done_on_time", "done_late", "in_progress_on_time", "overdue"))
            rec = counts["recurring"] or 0
            if counts["total"] not in {parts + rec, parts}:
                r.bad("total", f"các trạng thái không cộng lại bằng tổng số nhiệm vụ: đúng hạn + quá hạn + đang "
                      f"thực hiện + quá hạn chưa xong (+ thường xuyên) = {parts + rec}, tổng = {counts['total']}",
                      f"status counts do not add up to the total: {parts + rec} vs {counts['total']}")
        missing = [TASK_FIELDS[k] for k, v in counts.items() if v is not None and TASK_FIELDS[k] not in ref.indicators]
        if missing:
            r.bad("total", f"chỉ tiêu {', '.join(missing)} chưa có trong danh mục",
                  f"indicators {', '.join(missing)} are not in the registry", value=None)
        if prog and as_of:
            _dup(r, seen, (prog, eid or entity, as_of), "programme")
        if r.ok:
            done = counts["done_on_time"] + counts["done_late"]
            items = [(TASK_FIELDS[k], v, _text(r.raw(k))) for k, v in counts.items() if v is not None]
            if "tasks_done" in ref.indicators:
                items.append(("tasks_done", done, f"{counts['done_on_time']}+{counts['done_late']}"))
            for iid, v, text in items:
                out.append(_fact(r, iid, entity, eid, prog, "", float(v), "count", float(v), "count", text,
                                 as_of, source, note))
    return out


def _rows_products(s, rows, pos, ref: Reference, today, issues) -> list[dict]:
    cols, out, seen = KINDS["products"], [], {}
    for n, cells in rows:
        r = _Row(s, n, cells, pos, cols, issues)
        entity, eid = r.entity(ref)
        cat = r.text("category").lower()
        if cat and not _SLUG.match(cat):
            close = difflib.get_close_matches(cat, ref.categories, n=1, cutoff=0.5)
            hint = f" ('{close[0]}'?)" if close else ""
            r.bad("category", f"nhóm sản phẩm phải là mã viết thường, không dấu, dùng '_' (vd. cncl){hint}",
                  f"category must be a lower-case slug with '_' (e.g. cncl){hint}")
        x = r.count("count")
        as_of = r.date(today)
        source, note = r.text("source", required=True), r.text("note")
        ind = ref.indicators.get(PRODUCT_INDICATOR)
        if ind is None:
            r.bad("count", f"chỉ tiêu {PRODUCT_INDICATOR} chưa có trong danh mục",
                  f"indicator {PRODUCT_INDICATOR} is not in the registry", value=None)
        if as_of:
            _dup(r, seen, (eid or entity, cat, as_of), "category")
        if r.ok:
            fac = units.factor("count", ind["unit"]) or 1.0
            out.append(_fact(r, PRODUCT_INDICATOR, entity, eid, "", cat, x * fac, ind["unit"], float(x), "count",
                             _text(r.raw("count")), as_of, source, note))
    return out


def _rows_budget(s, rows, pos, ref: Reference, today, issues) -> list[dict]:
    cols, out, seen = KINDS["budget"], [], {}
    for n, cells in rows:
        r = _Row(s, n, cells, pos, cols, issues)
        year, why = parse_number(r.raw("fiscal_year"), "count")
        if year is None or not float(year).is_integer() or not 2000 <= year <= 2100:
            r.bad("fiscal_year", "năm ngân sách không hợp lệ", "fiscal year is not a valid year")
            year = None
        vocab = {k: r.choice(k, VOCAB[k], k, k) for k in ("level", "spending_kind", "domain", "stage")}
        entity, eid = r.entity(ref)
        unit = _stated_unit(r, "unit", BUDGET_UNITS)
        x = r.number("amount", unit)
        if x is not None and x < 0:
            r.bad("amount", "số tiền không được âm", "amount must not be negative")
        as_of = r.date(today)
        source, note = r.text("source", required=True), r.text("note")
        if year and as_of:
            _dup(r, seen, (int(year), *vocab.values(), eid or entity, as_of), "fiscal_year")
        if r.ok:
            out.append(dict(row=n, fiscal_year=str(int(year)), year_num=int(year), **vocab, entity=entity or None,
                            entity_id=eid, amount=_text(r.raw("amount")), num=x, unit=unit, as_of_date=as_of,
                            as_of=as_of.isoformat(), source_quote=source, note=note or None))
    return out


_ROWS = {"indicators": _rows_indicators, "tasks": _rows_tasks, "products": _rows_products, "budget": _rows_budget}


def validate_file(path: str | Path, data_dir: Path | None = None, kpi_dir: Path | None = None,
                  name: str | None = None) -> tuple[str | None, int, list[Issue]]:
    """(kind, data rows, issues) of a submission; raises UnreadableFile when it cannot be read at all."""
    path = Path(path)
    raw = _read_bytes(path, name or path.name)
    p = parse_bytes(raw, name or path.name, path.suffix, Reference.load(data_dir, kpi_dir))
    return p.kind, p.rows, p.issues


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return b"\0" * (MAX_BYTES + 1)  # parse_bytes refuses it by size without reading it
        if path.suffix.lower() not in EXTENSIONS:
            raise UnreadableFile(name, f"định dạng tệp không được hỗ trợ ({path.suffix or 'không có đuôi'}); "
                                 "cần .xlsx hoặc .csv",
                                 f"unsupported file type ({path.suffix or 'no extension'}); use .xlsx or .csv")
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(name, f"không đọc được tệp: {exc.strerror or exc}",
                             f"cannot read the file: {exc.strerror or exc}") from exc


# ---------------------------------------------------------------------------------------------------------
# Manifest, archive and load
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadResult:
    status: str  # loaded | unchanged | rejected | dry_run_ok
    sha256: str
    kind: str | None
    rows: int
    issues: list[Issue]
    message: str = ""


def submissions_dir(data_dir: Path | None = None) -> Path:
    return Path(data_dir or paths.data_dir()) / SUBMISSIONS


def read_manifest(data_dir: Path | None = None) -> list[dict[str, str]]:
    """The manifest's entries in load order; an absent or empty manifest means no submissions."""
    path = submissions_dir(data_dir) / "manifest.csv"
    if not path.exists() or not path.read_bytes().strip():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [dict(r) for r in csv.DictReader(fh)]


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _manifest_bytes(entries: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(entries)
    return buf.getvalue().encode("utf-8")


@contextlib.contextmanager
def _locked(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def archived_name(sha: str, ext: str) -> str:
    return f"{sha}{ext.lower()}"


def load(path: str | Path, dry_run: bool = False, loaded_by: str = "cli", data_dir: Path | None = None,
         db_path: Path | None = None, kpi_dir: Path | None = None, original_name: str | None = None) -> LoadResult:
    """Validate, archive, record and rebuild. Raises UnreadableFile when the file cannot be read at all."""
    from etl.build import build
    from etl.issues import ValidationFailed

    path = Path(path)
    name = original_name or path.name
    data_dir = Path(data_dir or paths.data_dir())
    raw = _read_bytes(path, name)
    sha = hashlib.sha256(raw).hexdigest()
    ext = Path(name).suffix.lower() or path.suffix.lower()
    already = _already(data_dir, sha)
    if already is not None and not dry_run:
        return LoadResult("unchanged", sha, already.get("kind"), int(already.get("rows") or 0), [],
                          "đã nạp trước đó, không thay đổi gì / already loaded, nothing changed")
    ref = Reference.load(data_dir, kpi_dir)
    parsed = parse_bytes(raw, name, ext, ref)
    if parsed.issues:
        return LoadResult("rejected", sha, parsed.kind, parsed.rows, _sorted(parsed.issues),
                          "tệp bị từ chối, không ghi gì / file rejected, nothing written")
    if dry_run:
        return LoadResult("dry_run_ok", sha, parsed.kind, parsed.rows, [],
                          "hợp lệ (chạy thử, chưa nạp) / valid (dry run, not loaded)")
    folder = submissions_dir(data_dir)
    with _locked(folder):
        entries = read_manifest(data_dir)
        if any(e.get("sha256") == sha for e in entries):  # another load won the race
            return LoadResult("unchanged", sha, parsed.kind, parsed.rows, [],
                              "đã nạp trước đó, không thay đổi gì / already loaded, nothing changed")
        manifest = folder / "manifest.csv"
        before = manifest.read_bytes() if manifest.exists() else None
        archive = folder / archived_name(sha, ext)
        had_archive = archive.exists()
        entry = dict(sha256=sha, original_name=name, kind=parsed.kind, rows=str(parsed.rows),
                     loaded_at=dt.datetime.now().isoformat(timespec="seconds"), loaded_by=loaded_by)
        try:
            if not had_archive:
                _write_atomic(archive, raw)
            _write_atomic(manifest, _manifest_bytes(entries + [entry]))
            _PREPARSED[(sha, ref.fingerprint, dt.date.today())] = parsed
            try:
                build(data_dir, db_path, kpi_dir)
            finally:
                _PREPARSED.pop((sha, ref.fingerprint, dt.date.today()), None)
        except BaseException as exc:
            if before is None:
                manifest.unlink(missing_ok=True)
            else:
                _write_atomic(manifest, before)
            if not had_archive:
                archive.unlink(missing_ok=True)
            if isinstance(exc, ValidationFailed):
                return LoadResult("rejected", sha, parsed.kind, parsed.rows, list(exc.issues),
                                  "nạp lại kho dữ liệu thất bại; đã hoàn tác / rebuilding the warehouse failed; "
                                  "undone")
            raise
    return LoadResult("loaded", sha, parsed.kind, parsed.rows, [],
                      f"đã nạp / loaded: {name} ({parsed.kind}, {parsed.rows} dòng/rows)")


# A load hands the file it has just parsed to the rebuild it triggers, so the rows are not parsed twice.
# Keyed by (sha256, reference fingerprint, date): the build reuses it only for identical bytes checked
# against identical registry and dimension files on the same day, i.e. exactly what re-parsing would give.
_PREPARSED: dict[tuple[str, str, dt.date], Parsed] = {}


def _already(data_dir: Path, sha: str) -> dict[str, str] | None:
    return next((e for e in read_manifest(data_dir) if e.get("sha256") == sha), None)


# ---------------------------------------------------------------------------------------------------------
# The build's part: every archived submission as staged rows
# ---------------------------------------------------------------------------------------------------------

SUB_OBS_SCHEMA = pa.schema([
    ("file", pa.string()), ("row", pa.int64()), ("indicator_id", pa.string()), ("entity_id", pa.string()),
    ("entity_as_written", pa.string()), ("programme", pa.string()), ("category", pa.string()),
    ("value", pa.float64()), ("base", pa.float64()), ("unit", pa.string()), ("value_stated", pa.float64()),
    ("unit_stated", pa.string()), ("value_text", pa.string()), ("as_of_date", pa.date32()),
    ("source_file", pa.string()), ("source_quote", pa.string()), ("conflict_id", pa.string()),
    ("note", pa.string()), ("is_submission", pa.bool_()), ("loaded_at", pa.timestamp("us")), ("seq", pa.int64()),
])
SUB_BUD_SCHEMA = pa.schema(
    [("file", pa.string()), ("row", pa.int64())]
    + [(c, pa.string()) for c in ("fiscal_year", "level", "spending_kind", "domain", "stage", "entity", "amount",
                                  "unit", "as_of", "source_file", "source_quote", "conflict_id", "note")]
    + [("num", pa.float64()), ("base_num", pa.float64()), ("year_num", pa.int32()), ("as_of_date", pa.date32()),
       ("entity_id", pa.string()), ("seq", pa.int64()), ("is_submission", pa.bool_()),
       ("loaded_at", pa.timestamp("us"))]
)


@dataclass
class Staged:
    obs: pa.Table
    bud: pa.Table
    sources: list[tuple]  # rows of ref_sources
    log: list[tuple]  # rows of load_log
    issues: list[Issue]


def stage_for_build(data_dir: Path, kpi_dir: Path, obs_seq0: int = 0, bud_seq0: int = 0) -> Staged:
    """Parse every submission of the manifest (in load order) into rows for the warehouse."""
    entries = read_manifest(data_dir)
    obs: dict[str, list] = {f.name: [] for f in SUB_OBS_SCHEMA}
    bud: dict[str, list] = {f.name: [] for f in SUB_BUD_SCHEMA}
    sources, log, issues = [], [], []
    if not entries:
        return Staged(SUB_OBS_SCHEMA.empty_table(), SUB_BUD_SCHEMA.empty_table(), [], [], [])
    ref = Reference.load(data_dir, kpi_dir)
    seen: set[str] = set()
    for line, e in enumerate(entries, start=2):
        sha = (e.get("sha256") or "").strip()
        ext = Path(e.get("original_name") or "").suffix.lower()
        rel = f"{SUBMISSIONS}/{archived_name(sha, ext)}"
        mname = f"data/{SUBMISSIONS}/manifest.csv"
        try:
            loaded_at = dt.datetime.fromisoformat((e.get("loaded_at") or "").strip())
        except ValueError:
            issues.append(Issue(mname, line, "loaded_at", e.get("loaded_at"), "thời điểm nạp không hợp lệ",
                                "loaded_at is not an ISO timestamp"))
            continue
        if loaded_at.tzinfo is not None:
            loaded_at = loaded_at.astimezone().replace(tzinfo=None)
        path = data_dir / rel
        if sha in seen or not re.fullmatch(r"[0-9a-f]{64}", sha) or not path.exists():
            issues.append(Issue(mname, line, "sha256", sha, "tệp nộp đã lưu bị thiếu hoặc trùng",
                                "archived submission is missing or listed twice"))
            continue
        seen.add(sha)
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha:
            issues.append(Issue(mname, line, "sha256", sha, "tệp nộp đã lưu bị thay đổi (sha256 không khớp)",
                                "archived submission was altered (sha256 differs)"))
            continue
        try:
            p = _PREPARSED.get((sha, ref.fingerprint, dt.date.today())) or parse_bytes(raw, f"data/{rel}", ext, ref)
        except UnreadableFile as exc:
            issues.append(Issue(f"data/{rel}", None, None, None, exc.issue.reason_vi, exc.issue.reason_en))
            continue
        if p.issues:  # the registry or dimensions changed since the load: the build says so
            issues += [Issue(i.file, i.row, i.column, i.value, i.reason_vi, i.reason_en) for i in p.issues]
            continue
        who = e.get("loaded_by") or ""
        sources.append((f"sub_{sha[:12]}", rel, who, who, e.get("original_name"), e.get("original_name"),
                        loaded_at.date(), f"agency submission ({p.kind}, {p.rows} rows)", mname, line))
        log.append((f"data/{rel}", sha, len(raw), p.rows, loaded_at, SUBMISSIONS))
        if p.kind == "budget":
            for rec in p.records:
                for k in ("fiscal_year", "level", "spending_kind", "domain", "stage", "entity", "amount", "unit",
                          "as_of", "source_quote", "note", "num", "year_num", "as_of_date", "entity_id"):
                    bud[k].append(rec[k])
                bud_seq0 += 1
                for k, v in (("file", f"data/{rel}"), ("row", rec["row"]), ("source_file", rel),
                             ("conflict_id", None), ("base_num", None), ("seq", bud_seq0),
                             ("is_submission", True), ("loaded_at", loaded_at)):
                    bud[k].append(v)
        else:
            for rec in p.records:
                for k in ("row", "indicator_id", "entity_id", "entity_as_written", "programme", "category",
                          "value", "unit", "value_stated", "unit_stated", "value_text", "as_of_date",
                          "source_quote", "note"):
                    obs[k].append(rec[k])
                obs_seq0 += 1
                for k, v in (("file", f"data/{rel}"), ("base", None), ("source_file", rel), ("conflict_id", None),
                             ("is_submission", True), ("loaded_at", loaded_at), ("seq", obs_seq0)):
                    obs[k].append(v)
    return Staged(pa.table(obs, schema=SUB_OBS_SCHEMA), pa.table(bud, schema=SUB_BUD_SCHEMA), sources, log, issues)


# ---------------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------------

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
                    source=source, note="dòng ví dụ — thay bằng số liệu của đơn vị / example row: replace it")
    if kind == "tasks":
        return dict(programme=ref.programmes[0] if ref.programmes else "", entity=province, as_of=as_of, total=10,
                    done_on_time=4, done_late=1, in_progress_on_time=3, overdue=2, recurring=None, source=source,
                    note="dòng ví dụ / example row")
    if kind == "budget":
        return dict(fiscal_year=as_of.year, level="local", spending_kind="recurrent", domain="st",
                    stage="allocated", entity=province, amount=125.5, unit="billion_vnd", as_of=as_of,
                    source=source, note="dòng ví dụ / example row")
    return dict(entity=province, category="cncl" if "cncl" in ref.categories else ref.categories[0], count=3, as_of=as_of,
                source=source, note="dòng ví dụ / example row")


def _lists(kind: str, ref: Reference) -> dict[str, list[str]]:
    """Drop-down lists of a kind, by column key."""
    out: dict[str, list[str]] = {"entity": ref.entities}
    if kind == "indicators":
        out["indicator_id"] = [i for i, r in ref.indicators.items() if r.get("theme") not in ("tasks", "budget")]
        out["unit"] = sorted(units.STATED_UNITS)
    elif kind == "tasks":
        out["programme"] = ref.programmes
    elif kind == "budget":
        out.update({k: list(VOCAB[k]) for k in ("level", "spending_kind", "domain", "stage")})
        out["unit"] = list(BUDGET_UNITS)
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
        ("Dòng 2 là dòng ví dụ: thay bằng số liệu thật. / Row 2 is an example: replace it with real figures.",),
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
