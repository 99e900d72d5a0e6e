"""A new progress report read into text: a UTF-8 .txt, a .docx (paragraphs and tables) or a .pdf with a text layer.

The text is the same whatever the format: NFC, one line per paragraph or table cell, white space collapsed, no
empty lines; quotes are taken from it and checked against it (etl/sql/rules.sql compares them folded the same way).
What cannot be read (a scanned PDF, a password, macros, a file over the limits, text that is not UTF-8, a zip bomb)
raises BadReport with the reason in Vietnamese and English; nothing is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from etl.text import decode, nfc, report_date

EXTENSIONS = (".txt", ".docx", ".pdf")
MAX_BYTES = 20 * 1024 * 1024  # a report larger than this is refused unread (as a submission is: etl.sheets.MAX_BYTES)
MAX_UNPACKED = 200 * 1024 * 1024  # what a .docx may unpack to; and at most 100 times its size once past 10 MB
MAX_RATIO, RATIO_FROM = 100, 10 * 1024 * 1024
MAX_PAGES = 1000
MAX_CHARS = 5_000_000  # of text, after reading
MIN_TEXT = 200  # characters of text below which a PDF is taken for a scan without a text layer


class BadReport(ValueError):
    """A report that cannot be read: exit code 2 on the command line, nothing written."""

    def __init__(self, name: str, vi: str, en: str):
        self.name, self.vi, self.en = name, vi, en
        super().__init__(f"{name}: {vi} / {en}")


@dataclass(frozen=True)
class Report:
    """A report read: its name, bytes' SHA-256, text, and what it says of itself (issuer, title, date)."""

    name: str
    ext: str
    sha256: str
    text: str
    issuer: str
    title: str
    date: dt.date | None


def read_report(path: str | Path, name: str | None = None) -> Report:
    """Read a report file (see the module's docstring); raises BadReport."""
    path = Path(path)
    name = Path(name or path.name).name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BadReport(name, f"tệp lớn hơn giới hạn {MAX_BYTES >> 20} MB", f"file exceeds the {MAX_BYTES >> 20} "
                            "MB limit")
        raw = path.read_bytes()
    except OSError as exc:
        raise BadReport(name, f"không đọc được tệp: {exc.strerror or exc}",
                        f"cannot read the file: {exc.strerror or exc}") from exc
    return read_bytes(raw, name)


def read_bytes(raw: bytes, name: str) -> Report:
    """Read a report from its bytes; the format follows the name's suffix. Raises BadReport."""
    ext = Path(name).suffix.lower()
    if len(raw) > MAX_BYTES:
        raise BadReport(name, f"tệp lớn hơn giới hạn {MAX_BYTES >> 20} MB", f"file exceeds the {MAX_BYTES >> 20} MB limit")
    if ext in (".docm", ".dotm"):
        raise BadReport(name, "tệp Word có macro (.docm) không được nhận: hãy lưu lại dạng .docx",
                        "macro-enabled Word files (.docm) are refused: save the report as .docx")
    if ext not in EXTENSIONS:
        raise BadReport(name, f"định dạng không được hỗ trợ ({ext or 'không có đuôi'}); cần .docx, .pdf hoặc .txt",
                        f"unsupported file type ({ext or 'no extension'}); use .docx, .pdf or .txt")
    if not raw.strip():
        raise BadReport(name, "tệp rỗng", "file is empty")
    lines = {".txt": _txt, ".docx": _docx, ".pdf": _pdf}[ext](raw, name)
    text = clean(lines)
    if len(text) > MAX_CHARS:
        raise BadReport(name, f"văn bản dài hơn giới hạn {MAX_CHARS:,} ký tự".replace(",", "."),
                        f"the text is longer than the limit of {MAX_CHARS:,} characters")
    if not re.search(r"[\wÀ-ỹ]", text):
        raise BadReport(name, "tệp không có nội dung văn bản", "the file holds no text")
    issuer, title = _heading(text)
    return Report(name, ext, hashlib.sha256(raw).hexdigest(), text, issuer, title, report_date(text))


def clean(lines: list[str]) -> str:
    """Lines as one text: NFC, white space (tabs, no-break spaces) collapsed to one space, empty lines dropped."""
    out = [re.sub(r"[\s\u00a0\u202f\u2009\u200b]+", " ", nfc(line)).strip() for line in lines]
    return "\n".join(line for line in out if line)


def _txt(raw: bytes, name: str) -> list[str]:
    text, bad_line = decode(raw)
    if text is None:
        raise BadReport(name, f"tệp văn bản không mã hóa UTF-8 (dòng {bad_line}): hãy lưu lại dạng UTF-8",
                        f"the text file is not UTF-8 (line {bad_line}): save it again as UTF-8")
    return text.split("\n")


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: how Office stores a password-protected document


def _zip(raw: bytes, name: str) -> zipfile.ZipFile:
    """The .docx's zip, its directory checked before anything is unpacked: size, ratio, macros."""
    if raw.startswith(_OLE):
        raise BadReport(name, "tệp Word được bảo vệ bằng mật khẩu (hoặc là tệp .doc cũ): hãy bỏ mật khẩu và lưu "
                        "dạng .docx", "the Word file is password-protected (or an old .doc): remove the password "
                        "and save it as .docx")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise BadReport(name, f"không mở được tệp Word: {exc}", f"cannot open the Word file: {exc}") from exc
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED or (unpacked > RATIO_FROM and unpacked > MAX_RATIO * len(raw)):
        raise BadReport(name, f"tệp Word giải nén ra {unpacked >> 20} MB, quá giới hạn {MAX_UNPACKED >> 20} MB (hoặc "
                        f"{MAX_RATIO} lần kích thước tệp)", f"the Word file unpacks to {unpacked >> 20} MB, over the "
                        f"limit of {MAX_UNPACKED >> 20} MB (or {MAX_RATIO} times its size)")
    names = {i.filename.lower() for i in infos}
    types = zf.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        raise BadReport(name, "tệp Word có macro: hãy lưu lại dạng .docx không có macro",
                        "the Word file holds macros: save it as a .docx without macros")
    if "word/document.xml" not in names:
        raise BadReport(name, "tệp không phải là văn bản Word (.docx)", "the file is not a Word document (.docx)")
    return zf


def _docx(raw: bytes, name: str) -> list[str]:
    """Paragraphs and table cells in document order (a cell merged over several columns once)."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _zip(raw, name)
    try:
        doc = Document(io.BytesIO(raw))
    except Exception as exc:  # a damaged part: python-docx, lxml and zipfile errors alike
        raise BadReport(name, f"không đọc được tệp Word: {exc}", f"cannot read the Word file: {exc}") from exc
    lines: list[str] = []

    def table(t: Table) -> None:
        for row in t.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                for block in cell.iter_inner_content():
                    table(block) if isinstance(block, Table) else lines.append(block.text)

    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            table(block)
    return [part for line in lines for part in line.split("\n")]


def _pdf(raw: bytes, name: str) -> list[str]:
    """The text layer, page by page, rebuilt into paragraphs and table cells from where each piece sits."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BadReport(name, "tệp PDF được bảo vệ bằng mật khẩu: hãy gửi bản không có mật khẩu",
                            "the PDF is password-protected: send a copy without a password")
        if len(reader.pages) > MAX_PAGES:
            raise BadReport(name, f"tệp PDF có {len(reader.pages)} trang, quá giới hạn {MAX_PAGES} trang",
                            f"the PDF has {len(reader.pages)} pages, over the limit of {MAX_PAGES}")
        lines: list[str] = []
        for page in reader.pages:
            more = _page_lines(page)
            # a paragraph that runs on to the next page: the last line does not end a sentence, and the next page
            # goes on in lower case or with a number, or the last line was a long one (not a heading)
            if lines and more and not lines[-1].rstrip().endswith((".", ":", ";", "!", "?")) and (
                    more[0][:1].islower() or more[0][:1].isdigit() or len(lines[-1]) > 80):
                lines[-1] = lines[-1].rstrip() + " " + more.pop(0).lstrip()
            lines += more
    except BadReport:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise BadReport(name, f"không đọc được tệp PDF: {exc}", f"cannot read the PDF: {exc}") from exc
    if sum(len(x.strip()) for x in lines) < MIN_TEXT:
        raise BadReport(name, "tệp PDF không có lớp văn bản (bản quét?): hãy gửi tệp .docx hoặc PDF xuất từ Word",
                        "the PDF has no text layer (a scan?): send the .docx, or a PDF saved from Word")
    return lines


def _page_lines(page) -> list[str]:
    """One page's pieces of text grouped into lines by height, lines into paragraphs: a paragraph ends where the
    gap to the next line is wider than the usual line spacing or where the next line is indented. Pieces of one line
    far apart are table cells: a line each."""
    pieces: list[tuple[float, float, float, str]] = []  # y, x, font size, text

    def visit(text, cm, tm, font, size):
        if text and text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((y, x, abs(size * (tm[3] or 1) * (cm[3] or 1)) or 10.0, text))

    page.extract_text(visitor_text=visit)
    rows: list[list[tuple[float, float, float, str]]] = []
    for p in sorted(pieces, key=lambda p: (-p[0], p[1])):
        if rows and abs(rows[-1][0][0] - p[0]) <= 0.4 * p[2]:
            rows[-1].append(p)
        else:
            rows.append([p])
    lines: list[tuple[float, float, float, list[str]]] = []  # y, x start, x end (estimated), cells
    for row in rows:
        row.sort(key=lambda p: p[1])
        cells, last_end = [[row[0][3]]], row[0][1] + 0.5 * row[0][2] * len(row[0][3])
        for _y, x, size, text in row[1:]:
            if x - last_end > 3 * size:
                cells.append([text])
            else:
                cells[-1].append(text)
            last_end = x + 0.5 * size * len(text)
        lines.append((row[0][0], row[0][1], last_end, ["".join(c) for c in cells]))
    if not lines:
        return []
    gaps = sorted(a[0] - b[0] for a, b in zip(lines, lines[1:], strict=False) if a[0] > b[0])
    usual = gaps[len(gaps) // 4] if gaps else 0.0
    left = min(x for _, x, _, _ in lines)
    out: list[str] = []
    open_para = False
    prev = None
    for y, x, end, cells in lines:
        new = (prev is None or len(cells) > 1 or len(prev[3]) > 1 or (prev[0] - y) > 1.3 * usual + 0.5
               or x > left + 8)
        if new or not open_para:
            out += cells
        else:
            out[-1] = out[-1].rstrip() + " " + cells[0].lstrip()
        open_para = len(cells) == 1
        prev = (y, x, end, cells)
    return out


_ISSUER = re.compile(r"^(?:BỘ|BAN|ỦY BAN|UỶ BAN|VĂN PHÒNG|THANH TRA|NGÂN HÀNG|TỔNG CỤC|CỤC|HỘI ĐỒNG|CHÍNH PHỦ)\b")


def _heading(text: str) -> tuple[str, str]:
    """The issuing body (an upper-case line such as "BỘ CÔNG AN" at the top) and the title (the "BÁO CÁO ..." line
    and the line after it when it continues the title), as the report writes them; "" when not found."""
    head = text.split("\n")[:25]
    issuer = next((ln for ln in head if _ISSUER.match(ln) and ln == ln.upper()), "")
    title = ""
    for i, ln in enumerate(head):
        if ln.upper().startswith("BÁO CÁO") or ln.upper().startswith("TÌNH HÌNH"):
            title = ln
            nxt = head[i + 1] if i + 1 < len(head) else ""
            if len(ln) < 40 and nxt and not re.search(r"ngày \d|^(?:[IVX]+\.|\d+\.|Kính)", nxt):
                title = f"{ln} {nxt}"
            break
    return issuer.strip(), title.strip()[:300]
