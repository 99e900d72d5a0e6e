"""Agency submissions read: the four templates, a CSV or a workbook's data sheet, Vietnamese numbers and dates,
and every row turned into the staging shape of the curated figures (the rules of etl/sql/ then judge both)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING

from etl import paths
from etl.inputs import Rows
from etl.issues import Issue
from etl.schema import ROW_COLUMNS
from etl.text import decode, nfc, parse_date, parse_number
from kpis.registry import TASK_STATUSES, read_rows, units

if TYPE_CHECKING:
    import zipfile

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a submission larger than this is refused unread
MAX_UNPACKED = 200 * 1024 * 1024  # what a workbook may unpack to, and at most 100 times its size (a "zip bomb")
MAX_ROWS = 500_000
MAX_CELL = 32_767  # characters in a cell, as in Excel itself
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # invisible characters no figure or source holds
EXAMPLE_NOTE = "dòng ví dụ"  # how the templates' example row starts its note: refused if submitted unchanged
EXTENSIONS = (".csv", ".xlsx")
DATA_SHEET = "Dữ liệu"
LISTS_SHEET = "lists"
NOTES_SHEET = "Hướng dẫn - Notes"  # Excel forbids "/" in sheet names
ENTITY_VI = "Đơn vị (tỉnh/bộ, để trống nếu toàn quốc)"


@dataclass(frozen=True)
class Col:
    key: str
    vi: str
    en: str
    required: bool
    synonyms: tuple[str, ...] = ()


def _c(key: str, vi: str, required: bool, *synonyms: str) -> Col:
    return Col(key, vi, key, required, synonyms)


_ENTITY = _c("entity", ENTITY_VI, False, "Đơn vị", "Tỉnh/Bộ", "Tỉnh, bộ", "agency", "province")
_AS_OF = _c("as_of", "Ngày số liệu", True, "Ngày", "date", "as of")
_SOURCE = _c("source", "Nguồn", True, "Nguồn số liệu")
_NOTE = _c("note", "Ghi chú", False, "notes")
KINDS: dict[str, tuple[Col, ...]] = {
    "indicators": (_c("indicator_id", "Mã chỉ tiêu", True, "indicator"), _ENTITY, _AS_OF, _c("value", "Giá trị", True),
                   _c("unit", "Đơn vị tính", True), _SOURCE, _NOTE),
    "tasks": (_c("programme", "Chương trình", True, "Mã chương trình", "program"), _ENTITY, _AS_OF,
              _c("total", "Tổng số nhiệm vụ", True, "Tổng số"), _c("done_on_time", "Hoàn thành đúng hạn", True),
              _c("done_late", "Hoàn thành quá hạn", True),
              _c("in_progress_on_time", "Đang thực hiện trong hạn", True, "Đang thực hiện đúng hạn"),
              _c("overdue", "Quá hạn chưa hoàn thành", True, "Quá hạn"),
              _c("recurring", "Nhiệm vụ thường xuyên", False, "Thường xuyên"), _SOURCE, _NOTE),
    "budget": (_c("fiscal_year", "Năm ngân sách", True, "Năm"), _c("level", "Cấp ngân sách", True),
               _c("spending_kind", "Loại chi", True), _c("domain", "Lĩnh vực", True), _c("stage", "Giai đoạn", True),
               _ENTITY, _c("amount", "Số tiền", True), _c("unit", "Đơn vị tính", True), _AS_OF, _SOURCE, _NOTE),
    "products": (_ENTITY, _c("category", "Nhóm sản phẩm", False, "Nhóm", "Phân loại"),
                 _c("count", "Số sản phẩm", True, "Số lượng"), _AS_OF, _SOURCE, _NOTE),
}
# The template column that holds a row's figure and the one that names its key, per kind (issue columns).
VALUE_COLUMN = {"indicators": "value", "tasks": "total", "budget": "amount", "products": "count"}
KEY_COLUMN = {"indicators": "indicator_id", "tasks": "programme", "budget": "fiscal_year", "products": "category"}
TASK_COUNTS = tuple(c.key for c in KINDS["tasks"] if c.key in TASK_STATUSES)  # each feeds tasks_<status>
PRODUCT_INDICATOR = "products_reported"
_SLUG = re.compile(r"^[a-z0-9_]+$")

class UnreadableFile(ValueError):
    """The file cannot be read at all (missing, not .csv/.xlsx, corrupt workbook): CLI exit code 2."""

    def __init__(self, name: str, vi: str, en: str):
        self.issue = Issue(name, None, None, None, vi, en)
        super().__init__(f"{name}: {vi} / {en}")


@dataclass
class Reference:
    """What reading a submission needs of the registry and dimensions (and the templates offer in their lists)."""

    indicators: dict[str, dict[str, str]]
    entities: list[str]  # canonical names (name_vi), for the template's list
    programmes: list[str]
    categories: list[str]  # the product groups the curated figures use

    @classmethod
    def load(cls, data_dir: Path | None = None, kpi_dir: Path | None = None) -> Reference:
        data_dir, kpi_dir = Path(data_dir or paths.data_dir()), Path(kpi_dir or paths.kpi_dir())
        cats = {r.get("category", "") for p in sorted((data_dir / "observations").glob("*.csv"))
                for r in read_rows(p) if r.get("indicator_id") == PRODUCT_INDICATOR} - {""}
        return cls({r["id"]: r for r in read_rows(kpi_dir / "indicators.csv") if r.get("id")},
                   [a["name_vi"] for a in read_rows(data_dir / "dims" / "agencies.csv") if a.get("name_vi")],
                   [r["id"] for r in read_rows(data_dir / "dims" / "programmes.csv") if r.get("id")],
                   sorted(cats) or ["cncl", "ngoai_cncl"])


def cell_text(raw: object) -> str:
    """A cell as trimmed text (cells are NFC already: the readers normalise them)."""
    if type(raw) is str:
        return raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.datetime, dt.date)):
        return raw.isoformat()[:10]
    return "" if raw is None else str(raw).strip()


def _header(s: object) -> str:
    return " ".join(nfc(cell_text(s)).replace("_", " ").replace("-", " ").split()).casefold().rstrip("*: ")


def _plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s.replace("đ", "d")) if not unicodedata.combining(c))


def _forms(col: Col) -> set[str]:
    forms = {_header(f) for f in (col.vi, col.en, col.key, *col.synonyms)}
    return forms | {_plain(f) for f in forms}


@dataclass
class Sheet:
    name: str  # file name as issues show it
    sheet: str | None
    header: list[object]
    rows: list[tuple[int, list[object]]]  # (row number as the editor shows it, cells)
    issues: list[Issue] = field(default_factory=list)
    reported: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) of cells already reported

    def issue(self, row: int | None, col: str | None, value: object, vi: str, en: str) -> Issue:
        return Issue(self.name, row, col, None if value is None else str(value)[:200], vi, en, self.sheet)


def read_sheet(raw: bytes, name: str, ext: str) -> Sheet:
    """Header and non-blank rows of a CSV or of a workbook's data sheet; raises UnreadableFile."""
    if ext == ".csv":
        return _read_csv(raw, name)
    if ext == ".xlsx":
        return _read_xlsx(raw, name)
    raise UnreadableFile(name, f"định dạng tệp không được hỗ trợ ({ext or 'không có đuôi'}); cần .xlsx hoặc .csv",
                         f"unsupported file type ({ext or 'no extension'}); use .xlsx or .csv")


def _blank(cells: list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _read_csv(raw: bytes, name: str) -> Sheet:
    s = Sheet(name, None, [], [])
    text, bad_line = decode(raw)
    if text is None:
        s.issues.append(s.issue(bad_line, None, None, "tệp CSV không mã hóa UTF-8 (có thể là Windows-1258/Latin-1): "
                                "hãy lưu lại dạng 'CSV UTF-8' hoặc dùng tệp .xlsx", "the CSV file is not UTF-8 "
                                "(perhaps Windows-1258/Latin-1): save it again as 'CSV UTF-8' or use the .xlsx template"))
        return s
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    line = 1
    try:
        for record in reader:
            if line == 1:
                s.header.extend(record)
            elif "".join(record).strip():
                s.rows.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        s.issues.append(s.issue(line, None, None, f"dòng CSV không đọc được: {exc}", f"unreadable CSV line: {exc}"))
    return s


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_NUMBER = rb"\s*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*"
_ODD_VALUE = re.compile(rb"<v>(?!" + _NUMBER + rb"</v>)")  # a stored value that is not a plain number
_ANY_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)


def _not_numbers(xml: bytes) -> list[tuple[str, int, str, tuple[int, int]]]:
    """Number-typed cells whose stored value is not a number (NaN, INF: another program wrote them; openpyxl cannot
    read such a sheet): (column letter, row, value, span of the value's <v> element)."""
    if not _ODD_VALUE.search(xml):  # text cells store <v>s too: look cell by cell only when some <v> is odd
        return []
    found = []
    for m in _ANY_CELL.finditer(xml):
        ref, kind = re.search(rb'\br="([A-Z]+)([0-9]+)"', m[1]), re.search(rb'\bt="(\w+)"', m[1])
        v = re.search(rb"<v>(.*?)</v>", m[2] or b"", re.S)
        if ref and v and (kind is None or kind[1] == b"n") and not re.fullmatch(_NUMBER, v[1]):
            start = m.start(2) + v.start()
            found.append((ref[1].decode(), int(ref[2]), v[1].decode("utf-8", "replace"), (start, start + len(v[0]))))
    return found


def _without(zf: zipfile.ZipFile, member: str, xml: bytes, spans: list[tuple[int, int]]) -> tuple[bytes, bytes]:
    """The workbook and its sheet with the given <v> elements cut out (those cells read as empty)."""
    import zipfile

    for start, end in sorted(spans, reverse=True):
        xml = xml[:start] + xml[end:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zf.infolist():
            z.writestr(info, xml if info.filename == member else zf.read(info))
    return out.getvalue(), xml


def _read_xlsx(raw: bytes, name: str) -> Sheet:
    """The data sheet of a workbook: the one named "Dữ liệu" (or "data"), else the first visible one that is not
    the template's lists or notes; cached values of formulas, dates for date-formatted cells."""
    import zipfile
    from xml.etree import ElementTree

    import openpyxl

    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        unpacked = sum(i.file_size for i in zf.infolist())
        if unpacked > MAX_UNPACKED or (unpacked > 10 * 1024 * 1024 and unpacked > 100 * len(raw)):
            return Sheet(name, None, [], [], [Issue(
                name, None, None, str(unpacked), f"tệp Excel giải nén ra {unpacked >> 20} MB, quá giới hạn "
                f"{MAX_UNPACKED >> 20} MB (hoặc 100 lần kích thước tệp)", f"the workbook unpacks to {unpacked >> 20} MB, "
                f"over the limit of {MAX_UNPACKED >> 20} MB (or 100 times its size)")])
        sheets = [(s.get("name"), s.get("state") or "visible", s.get(_REL))
                  for s in ElementTree.fromstring(zf.read("xl/workbook.xml")).iter(f"{_NS}sheet")]
        targets = {r.get("Id"): r.get("Target") for r in ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))}
        named = {n.casefold(): (n, rid) for n, _, rid in sheets}
        title, rid = next((named[k] for k in (DATA_SHEET.casefold(), "data", "du lieu") if k in named), None) or next(
            ((n, rid) for n, state, rid in sheets if state == "visible" and n not in (LISTS_SHEET, NOTES_SHEET)),
            (None, None))
        if title is None:
            raise UnreadableFile(name, "tệp Excel không có trang tính dữ liệu", "the workbook has no data sheet")
        target = targets[rid].lstrip("/")
        member = target if target.startswith("xl/") else "xl/" + target
        xml = zf.read(member)
        odd = _not_numbers(xml)
        if odd:
            raw, xml = _without(zf, member, xml, [span for *_, span in odd])
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        if dict((n, st) for n, st, _ in sheets)[title] != "visible":  # a hidden data sheet: the clerk typed elsewhere
            shown = next((n for n, st, _ in sheets if st == "visible" and n not in (LISTS_SHEET, NOTES_SHEET)
                          and any(not _blank(list(r)) for r in wb[n].iter_rows(max_row=50, values_only=True))), None)
            if shown is not None:
                wb.close()
                return Sheet(name, title, [], [], [Issue(
                    name, None, None, shown, f"trang '{title}' đang bị ẩn trong khi trang '{shown}' có dữ liệu: hãy "
                    f"nhập số liệu vào trang '{title}' và bỏ ẩn", f"the data sheet '{title}' is hidden while sheet "
                    f"'{shown}' holds data: put the figures on '{title}' and unhide it", title)])
        values = [[nfc(v).replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v for v in r]
                  for r in wb[title].iter_rows(values_only=True)]
        wb.close()
    except UnreadableFile:
        raise
    except Exception as exc:  # a corrupt or foreign workbook: zipfile, XML and openpyxl errors alike
        raise UnreadableFile(name, f"không mở được tệp Excel: {exc}", f"cannot open the workbook: {exc}") from exc
    s = Sheet(name, title, [], [])
    if odd:
        from openpyxl.utils import column_index_from_string

        for letter, row, value, _ in odd:
            s.issues.append(s.issue(row, letter, value, f"ô kiểu số lưu giá trị '{value}', không phải là một số "
                                    "(tệp do phần mềm khác ghi ra?): hãy gõ lại số hoặc để trống ô",
                                    f"the numeric cell stores '{value}', which is not a number (written by "
                                    "another program?): type the figure again or leave the cell empty"))
            s.reported.add((row, column_index_from_string(letter) - 1))
    if b"<f" in xml:  # a formula cell without a cached value reads as empty: say so instead
        for m in _CELL.finditer(xml):
            inner = m[3] or b""
            if b"<f" in inner and not re.search(rb"<v>[^<]", inner):
                formula = re.search(rb"<f[^>]*>(.*?)</f>", inner, re.S)
                s.issues.append(s.issue(int(m[2]), m[1].decode(), "=" + (formula[1].decode() if formula else ""),
                                        "ô có công thức nhưng không có giá trị đã tính: hãy mở tệp bằng Excel, lưu "
                                        "lại, hoặc dán giá trị (Paste Values)", "formula without a cached value: "
                                        "open and save the file in Excel, or paste values"))
    for rng in sorted(m.decode() for m in re.findall(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml)):
        s.issues.append(s.issue(int(re.search(r"\d+", rng).group()), rng, None,
                                f"ô gộp (merged cells) {rng}: hãy bỏ gộp ô, mỗi ô một giá trị",
                                f"merged cells {rng}: unmerge them, one value per cell"))
    rows = [(i, list(r)) for i, r in enumerate(values, start=1) if not _blank(list(r))]
    if rows:
        s.header.extend(rows[0][1])
        s.rows.extend(rows[1:])
    return s


def detect_kind(header: list[object]) -> str | None:
    """The kind whose headers the file's header matches best (None when it matches none)."""
    cells = {f for h in header if cell_text(h) for f in (_header(h), _plain(_header(h)))}
    shared = ("entity", "as_of", "source", "note", "unit")
    best, best_score = None, 0
    for kind, cols in KINDS.items():
        hits = [c.key for c in cols if _forms(c) & cells]
        # a kind's own columns count double, so the shared ones (entity, date, source) do not decide
        score = sum(1 if k in shared else 2 for k in hits)
        if any(k not in shared for k in hits) and score > best_score:
            best, best_score = kind, score
    return best


@dataclass
class Parsed:
    kind: str | None
    rows: int  # data rows read (blank rows skipped)
    data: Rows | None  # the rows in the staging shape (ROW_COLUMNS), None when the header is unusable
    issues: list[Issue]
    sheet: Sheet | None = None

    @property
    def part(self) -> str:
        """Which staging table the rows join: budget rows or figures."""
        return "bud" if self.kind == "budget" else "obs"


def unit_ids() -> dict[str, str]:
    """A unit as agencies write it (its id or its Vietnamese label, any case) -> its id."""
    out = {}
    for u in units().values():
        for form in (u.label_vi, u.id):
            out.setdefault(form.casefold(), u.id)
    return out


def parse_bytes(raw: bytes, name: str, ext: str, ref: Reference) -> Parsed:
    """Read one submission into staging rows, with what reading found wrong (the rules of etl/sql/ judge the rest).
    Raises UnreadableFile only when the file cannot be read at all."""
    if len(raw) > MAX_BYTES:
        return Parsed(None, 0, None, [Issue(name, None, None, str(len(raw)), f"tệp lớn hơn giới hạn {MAX_BYTES >> 20} MB",
                                            f"file exceeds the {MAX_BYTES >> 20} MB limit")])
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        return Parsed(None, 0, None, [Issue(name, None, None, None, "tệp rỗng", "file is empty")])
    s = read_sheet(raw, name, ext.lower())
    if not any(cell_text(h) for h in s.header):
        return Parsed(None, 0, None, s.issues + ([] if s.issues else [s.issue(None, None, None, "tệp rỗng",
                                                                                "file is empty")]), s)
    if len(s.rows) > MAX_ROWS:
        return Parsed(None, len(s.rows), None, s.issues + [s.issue(
            None, None, str(len(s.rows)), f"tệp có {len(s.rows)} dòng, quá giới hạn {MAX_ROWS} dòng: hãy chia thành "
            "nhiều tệp", f"the file has {len(s.rows)} rows, over the limit of {MAX_ROWS}: split it")], s)
    kind = detect_kind(s.header)
    if kind is None:
        expected = "; ".join(f"{k}: " + ", ".join(c.vi for c in cols) for k, cols in KINDS.items())
        return Parsed(None, len(s.rows), None, s.issues + [s.issue(
            1, None, ", ".join(cell_text(h) for h in s.header), "không nhận ra loại biểu mẫu từ dòng tiêu đề; cần các cột "
            f"của một trong các mẫu — {expected}", "cannot tell the template from the header row; use the columns "
            "of one template (python -m etl template KIND)")], s)
    cols, issues, pos = KINDS[kind], list(s.issues), {}
    labels = [c.vi for c in cols] + [c.en for c in cols]
    for i, h in enumerate(s.header):
        t = cell_text(h)
        match = next((c for c in cols if {_header(t), _plain(_header(t))} & _forms(c)), None) if t else None
        if not t:
            if any(i < len(cells) and cell_text(cells[i]) for _, cells in s.rows):
                from openpyxl.utils import get_column_letter

                issues.append(s.issue(1, get_column_letter(i + 1), None, "cột có dữ liệu nhưng không có tiêu đề",
                                      "column has data but no header"))
        elif match is None:
            close = get_close_matches(t, labels, n=1, cutoff=0.6)
            issues.append(s.issue(1, t, t, f"tiêu đề cột sai chính tả; có phải '{close[0]}'?",
                                  f"misspelt column header; did you mean '{close[0]}'?") if close else
                          s.issue(1, t, t, "cột thừa, không thuộc biểu mẫu: hãy xóa cột này",
                                  "extra column not in the template: remove it"))
        elif match.key in pos:
            issues.append(s.issue(1, t, t, "cột bị lặp", "duplicate column"))
        else:
            pos[match.key] = i
    issues += [s.issue(1, c.vi, None, f"thiếu cột bắt buộc '{c.vi}' ({c.en})", f"required column '{c.vi}' ({c.en}) is "
                       "missing") for c in cols if c.required and c.key not in pos]
    if any(i.row == 1 for i in issues):
        return Parsed(kind, len(s.rows), None, issues, s)
    if not s.rows:
        return Parsed(kind, 0, None, issues + [s.issue(None, None, None, "tệp không có dòng dữ liệu nào",
                                                       "file has no data rows")], s)
    out: list[dict] = []
    rows = _Rows(s, cols, pos, ref, issues)
    for n, cells in s.rows:
        rows.read(kind, n, cells, out)
    columns = ROW_COLUMNS["bud" if kind == "budget" else "obs"]
    return Parsed(kind, len(s.rows), Rows(columns, [tuple(map(r.get, columns)) for r in out]), issues, s)


class _Rows:
    """Reads data rows of one kind into staging rows; what a cell cannot say becomes an issue and NULL."""

    def __init__(self, s: Sheet, cols: tuple[Col, ...], pos: dict[str, int], ref: Reference, issues: list[Issue]):
        self.s, self.pos, self.ref, self.issues = s, pos, ref, issues
        self.labels = {c.key: c.vi for c in cols}
        self.unit_ids = unit_ids()

    def read(self, kind: str, n: int, cells: list[object], out: list[dict]) -> None:
        width = len(cells)
        self.n, self.cells = n, {k: cells[i] if i < width else None for k, i in self.pos.items()}
        text = self.text
        joined = "".join(c for c in self.cells.values() if type(c) is str)
        if len(joined) > MAX_CELL or _CONTROL.search(joined):  # looked at cell by cell only when the row is suspect
            for key, cell in self.cells.items():
                if type(cell) is str and len(cell) > MAX_CELL:
                    self.bad(key, f"ô dài {len(cell)} ký tự, quá giới hạn {MAX_CELL}",
                             f"the cell holds {len(cell)} characters, over the limit of {MAX_CELL}", shown=cell[:50])
                elif type(cell) is str and _CONTROL.search(cell):
                    self.bad(key, "ô chứa ký tự điều khiển ẩn (ví dụ NUL): hãy gõ lại ô này",
                             "the cell holds a hidden control character (such as NUL): type it again",
                             shown=repr(cell[:50]))
        if text("note").casefold().startswith(EXAMPLE_NOTE):
            self.bad("note", "dòng ví dụ của biểu mẫu: hãy thay bằng số liệu của đơn vị hoặc xóa dòng này",
                     "the template's example row: replace it with your figures or delete it")
        common = dict(row=n, entity=text("entity") or None, as_of=text("as_of") or None, as_of_date=self.date(),
                      source_quote=text("source") or None, note=text("note") or None)
        if kind == "budget":
            year = self.number("fiscal_year", "count")
            out.append(common | dict(
                fiscal_year=self.text("fiscal_year"), year_num=int(year) if year is not None and year.is_integer()
                and abs(year) < 1e6 else None, amount=self.text("amount"), unit=self.unit(), num=None,
                **{k: self.text(k).lower() or None for k in ("level", "spending_kind", "domain", "stage")}))
            out[-1]["num"] = self.number("amount", out[-1]["unit"])
        elif kind == "indicators":
            iid = self.text("indicator_id")
            ind = self.ref.indicators.get(iid) or self.ref.indicators.get(iid.lower())
            if ind is not None and ind.get("theme") in ("tasks", "budget"):  # refused as a whole: not staged
                return self.bad("indicator_id", f"chỉ tiêu {ind['theme']} phải nộp bằng mẫu '{ind['theme']}'",
                                f"{ind['theme']} figures go in the '{ind['theme']}' template")
            unit = self.unit()
            out.append(common | dict(indicator_id=ind["id"] if ind else iid or None, value=self.text("value"),
                                     num=self.number("value", unit or (ind or {}).get("unit")), unit=unit))
        elif kind == "tasks":
            counts = {k: self.count(k, k != "recurring") for k in TASK_COUNTS}
            if counts["done_on_time"] is not None and counts["done_late"] is not None and "tasks_done" in self.ref.indicators:
                counts["done"] = counts["done_on_time"] + counts["done_late"]
            for k, v in counts.items():
                if v is not None:
                    out.append(common | dict(indicator_id=f"tasks_{k}", programme=self.text("programme") or None,
                                             value=str(v), num=float(v), unit="count"))
        else:
            cat = self.text("category").lower()
            if cat and not _SLUG.match(cat):
                close = get_close_matches(cat, self.ref.categories, n=1, cutoff=0.5)
                hint = f" ('{close[0]}'?)" if close else ""
                self.bad("category", f"nhóm sản phẩm phải là mã viết thường, không dấu, dùng '_' (vd. cncl){hint}",
                         f"category must be a lower-case slug with '_' (e.g. cncl){hint}")
            x = self.count("count")
            out.append(common | dict(indicator_id=PRODUCT_INDICATOR, category=cat or None, value=self.text("count"),
                                     num=None if x is None else float(x), unit="count"))

    def raw(self, key: str) -> object:
        return self.cells.get(key)

    def text(self, key: str) -> str:
        raw = self.cells.get(key)
        return raw.strip() if type(raw) is str else cell_text(raw)

    def bad(self, key: str, vi: str, en: str, shown: str | None = None) -> None:
        if (self.n, self.pos.get(key)) in self.s.reported:  # said at its cell already (a value that is not a number)
            return
        self.issues.append(self.s.issue(self.n, self.labels.get(key, key), shown or self.text(key) or None, vi, en))

    def unit(self) -> str | None:
        t = self.text("unit")
        return self.unit_ids.get(t.casefold(), t) or None

    def date(self) -> dt.date | None:
        d, why = parse_date(self.raw("as_of"))
        if why == "empty":
            self.bad("as_of", "thiếu ngày số liệu", "as-of date is missing")
        elif why:
            self.bad("as_of", "ngày không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)",
                     "date does not parse (use dd/mm/yyyy or yyyy-mm-dd)")
        return d

    def number(self, key: str, unit: str | None, required: bool = True) -> float | None:
        x, why = parse_number(self.raw(key), unit)
        if why == "empty" and required:
            self.bad(key, "thiếu giá trị số", "number is missing")
        elif why == "ambiguous":
            self.bad(key, "số không rõ nghĩa: không rõ dấu phân cách hàng nghìn hay thập phân (viết 1234 hoặc 1,5 — "
                     "dấu phẩy là dấu thập phân)", "ambiguous number: thousands or decimal separator? (write 1234, "
                     "or 1,5 with a decimal comma)")
        elif why == "text":
            self.bad(key, "ô số chứa chữ, không phải là số", "text in a numeric cell: not a number")
        return x

    def count(self, key: str, required: bool = True) -> int | None:
        x = self.number(key, "count", required)
        if x is not None and (x < 0 or not x.is_integer()):
            self.bad(key, "số lượng phải là số nguyên không âm", "a count must be a whole number, not negative")
            return None
        return None if x is None else int(x)
