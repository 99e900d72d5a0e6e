"""Text as agencies write it: UTF-8 and NFC, and the numbers and dates in the cells of a submission (the quotes
of the reports are checked in SQL: etl/sql/staging.sql)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"): such a text cell gets a quote first.
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A cell as a spreadsheet will show it and never run it: text that could start a formula is quoted."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_LEAD) else value


def nfc(text: str) -> str:
    """Unicode NFC; the seed files mix composed and decomposed Vietnamese."""
    return unicodedata.normalize("NFC", text)


def decode(raw: bytes) -> tuple[str | None, int | None]:
    """UTF-8 text (BOM dropped, NFC, line breaks as \\n), or None and the line of the first byte that is not UTF-8."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, raw[: exc.start].count(b"\n") + 1
    # a file saved twice with a BOM carries two; line breaks become \n (DuckDB's reader refuses a lone \r in a cell)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # combining diacritics (U+0300-U+036F, lead bytes 0xCC/0xCD) are the only way Vietnamese is not NFC
    return (nfc(text) if b"\xcc" in raw or b"\xcd" in raw else text), None


_NUM = re.compile(r"^[+-]?[0-9][0-9.,]*$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def _fractional(unit: str | None) -> bool:
    """Whether figures in `unit` are often fractional, so that "1.234" may be 1,234 or 1.234 (kpis/units.csv); read
    when a number needs it, so that the dashboard, which imports this module for `inert`, never reads kpis/."""
    from kpis.registry import units

    found = units().get(unit or "")
    return found is not None and found.fractional


def parse_number(raw: object, unit: str | None = None, prose: bool = False) -> tuple[float | None, str | None]:
    """A number from a cell; (None, reason) when the cell is empty, text, or its separators are ambiguous.

    Vietnamese convention first: spaces between digits are dropped; with both "." and "," the later one is the
    decimal mark; a lone "," is the decimal mark ("48,9") unless exactly three digits follow it ("1,234" is
    ambiguous) - "0,125" is a decimal; several "," or several "." group thousands ("1.234.567"); a lone "."
    followed by exactly three digits groups thousands ("65.020" = 65020) except in fractional units (percent,
    score, ...) where it is ambiguous; otherwise "." is the decimal mark. A "%" suffix is accepted for percent units.
    In `prose` (the running text of a report, which keeps to the Vietnamese convention) nothing is ambiguous:
    "1,234" is 1.234 and "1.234" is 1234 whatever the unit.
    """
    if raw is None or (isinstance(raw, str) and not _SPACES.sub("", raw)):
        return None, "empty"
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return None, "text"
    if not isinstance(raw, str):
        x = float(raw)
        return (x, None) if x == x and abs(x) != float("inf") else (None, "text")
    s = _SPACES.sub("", raw)
    if s.endswith("%") and (unit or "").startswith("percent"):
        s = s[:-1]
    if not _NUM.match(s):
        return None, "text"
    sign, s = (-1.0 if s[0] == "-" else 1.0), s.lstrip("+-")

    def grouped(body: str, sep: str) -> bool:
        parts = body.split(sep)
        return 1 <= len(parts[0]) <= 3 and parts[0] != "0" and all(len(p) == 3 for p in parts[1:])

    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        whole, _, frac = s.partition(dec)
        if s.count(dec) != 1 or not frac or not grouped(whole, "," if dec == "." else "."):
            return None, "text"
        return sign * float(whole.replace("," if dec == "." else ".", "") + "." + frac), None
    sep = "," if commas else "." if dots else None
    if sep is None:
        return sign * float(s), None
    if s.count(sep) > 1:
        return (sign * float(s.replace(sep, "")), None) if grouped(s, sep) else (None, "text")
    whole, _, frac = s.partition(sep)
    if not whole or not frac:
        return None, "text"
    if len(frac) == 3 and whole != "0" and (sep == "," or len(whole) <= 3):
        if prose:
            return sign * float(whole + frac if sep == "." else whole + "." + frac), None
        if sep == "," or _fractional(unit):
            return None, "ambiguous"
        return sign * float(whole + frac), None
    return sign * float(whole + "." + frac), None


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(raw: object) -> tuple[dt.date | None, str | None]:
    """ISO yyyy-mm-dd, dd/mm/yyyy (also with - or .), an Excel date cell or an Excel serial number."""
    return _parse_text_date(raw) if type(raw) is str else _parse_date(raw)


@lru_cache(maxsize=65536)
def _parse_text_date(raw: str) -> tuple[dt.date | None, str | None]:
    return _parse_date(raw)  # a submission repeats its few dates on many rows


def _parse_date(raw: object) -> tuple[dt.date | None, str | None]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, "empty"
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    s = raw.strip() if isinstance(raw, str) else raw
    if isinstance(s, str) and (m := _ISO.match(s) or _DMY.match(s)):
        y, mo, d = (m[1], m[2], m[3]) if len(m[1]) == 4 else (m[3], m[2], m[1])
        try:
            return dt.date(int(y), int(mo), int(d)), None
        except ValueError:
            return None, "text"
    if isinstance(s, str) and re.fullmatch(r"\d{5}(\.0+)?", s):
        s = float(s)
    if isinstance(s, (int, float)) and not isinstance(s, bool) and 1 <= s < 2958466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(s)), None  # an Excel serial number
    return None, "text"


@dataclass(frozen=True)
class DatePhrase:
    """A date written in running text and the day it stands for (a month, quarter or year: its last day)."""

    start: int
    end: int
    date: dt.date
    until: bool  # "tính đến 30/4/2026", "đến hết tháng 8/2025": the day figures are counted to
    comparison: bool  # "so với cùng kỳ năm 2024", "so với năm 2021": the base of a change, not the figure's date
    document: bool  # "Quyết định số 730/QĐ-TTg ngày 24/4/2026": a document's date
    deadline: bool = False  # "Thời hạn: 30/6/2026", "trước ngày 01/3/2027": a date something is due, not a figure's


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)) if 1 <= month <= 12 else None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}  # quarters, as Roman or Arabic
_DATE_FORMS = [  # (pattern, how to read its groups) in order of precedence; case-insensitive
    (r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", "dmy"),
    (r"(?<![\d/])(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})(?!\d)", "dmy"),
    (r"(\d{1,2})\s+tháng\s+(?:đầu\s+)?năm\s+(\d{4})", "n_months"),
    (r"(\d{1,2})\s+tháng\s+đầu\s+năm(?!\s+\d)", "n_months_report_year"),
    (r"tháng\s+(\d{1,2})\s*(?:[/-]|\s+năm\s+)\s*(\d{4})", "my"),
    (r"quý\s+(IV|I{1,3}|[1-4])\s*(?:[/-]|\s+năm\s+)\s*(\d{4})", "qy"),
    (r"(?<![\d/])((?:19|20)\d\d)\s?[-–—]\s?((?:19|20)\d\d)(?!\d)", "years"),
    (r"năm\s+((?:19|20)\d\d)(?!\d)", "y"),
    (r"ngày\s+(\d{1,2})\s?/\s?(\d{1,2})(?![/\d])", "dm_report_year"),
    (r"tháng\s+(\d{1,2})(?![/\d.,])(?!\s+(?:năm\s+)?\d)", "m_report_year"),
]
_DATE_RE = re.compile("|".join(f"(?P<f{i}>{p})" for i, (p, _) in enumerate(_DATE_FORMS)), re.I)
_UNTIL = re.compile(r"(?:tính\s+(?:đến|tới)|đến|tới)(?:\s+(?:hết|ngày|thời điểm|nay|cuối))*\s*(?:ngày\s*)?$", re.I)
_COMPARED = re.compile(r"so\s+với(?:\s+(?:cùng\s+kỳ|cùng\s+thời\s+điểm|thời\s+điểm|cuối))*\s*$", re.I)
_DOCUMENT = re.compile(r"(?:\bsố\s+\S+|/[A-ZĐ][\w\-]*|\d+/\d{4}/[\w\-]+)\s*(?:,\s*)?(?:ngày\s*)?$")
_DEADLINE = re.compile(r"(?:thời\s+hạn|\bhạn|trước|chậm\s+nhất)\s*:?\s*(?:ngày\s*)?$", re.I)


def find_dates(text: str, report_date: dt.date) -> list[DatePhrase]:
    """Every date phrase of a report's text: "30/4/2026", "ngày 22 tháng 9 năm 2025", "tháng 8/2025", "Quý I/2026",
    "năm 2025", "6 tháng đầu năm [2026]", "giai đoạn 2020 - 2025", "ngày 30/4" and "tháng 6" (the report's year)."""
    out = []
    for m in _DATE_RE.finditer(text):
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        kind = _DATE_FORMS[i][1]
        g = [x for x in m.groups()[m.re.groupindex[f"f{i}"]:][:4] if x is not None][:3]
        try:
            if kind == "dmy":
                d = dt.date(int(g[2]), int(g[1]), int(g[0]))
            elif kind == "n_months":
                d = _month_end(int(g[1]), int(g[0]))
            elif kind == "n_months_report_year":
                d = _month_end(report_date.year, int(g[0]))
            elif kind == "my":
                d = _month_end(int(g[1]), int(g[0]))
            elif kind == "qy":
                q = _ROMAN[g[0].lower()]
                d = _month_end(int(g[1]), 3 * q)
            elif kind == "m_report_year":
                d = _month_end(report_date.year, int(g[0]))
            elif kind == "years":
                d = dt.date(int(g[1]), 12, 31)
            elif kind == "y":
                d = dt.date(int(g[0]), 12, 31)
            else:
                d = dt.date(report_date.year, int(g[1]), int(g[0]))
        except (ValueError, TypeError):
            continue
        if d is None:
            continue
        before = text[max(0, m.start() - 40):m.start()]
        out.append(DatePhrase(m.start(), m.end(), d, bool(_UNTIL.search(before)), bool(_COMPARED.search(before)),
                              bool(_DOCUMENT.search(before)), bool(_DEADLINE.search(before))))
    return out


_REPORT_DATE = re.compile(r"(?:[A-ZĐ][\wÀ-ỹ. ]{1,30},\s*)?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)


def report_date(text: str) -> dt.date | None:
    """The date a report gives itself: "Hà Nội, ngày 22 tháng 9 năm 2025" in its first lines, else None."""
    m = _REPORT_DATE.search(text[:3000])
    if not m:
        return None
    try:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Deadline:
    """The last day a deadline as a report words it allows, and a note when the wording is not a real date."""

    date: dt.date
    note_vi: str | None = None
    note_en: str | None = None


_DEADLINE_DATE = re.compile(r"(trước\s+(?:ngày\s+)?)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_DEADLINE_QUARTER = re.compile(r"quý\s+(iv|iii|ii|i|[1-4])\s*(?:/\s*(?:năm\s+)?|năm\s+)(\d{4})")
_DEADLINE_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/\s*|năm\s+)(\d{4})")
_DEADLINE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def parse_deadline(text: str | None) -> Deadline | None:
    """The last day a deadline allows (data/README.md, `deadline_text`): 'trước ngày 01/3/2027' (before) -> the day
    before, 28/02/2027; a date ('Thời hạn: 30/6/2026') -> that day; 'Quý I/2026' -> 31/03/2026; 'tháng 11/2025' ->
    30/11/2025; a year ('năm 2025', 'đến năm 2030') -> 31/12. A day the month does not have ('31/6/2026') becomes the
    month's last day, and the note says so. None when the words hold no date, month, quarter or year."""
    if not text or not text.strip():
        return None
    low = nfc(text).lower()
    if m := _DEADLINE_DATE.search(low):
        day, month, year = int(m[2]), int(m[3]), int(m[4])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        last = _month_end(year, month)
        note_vi = note_en = None
        if day > last.day:  # e.g. 31/6: no such day; the month's last day is what the writer meant
            written = f"{day}/{month}/{year}"
            note_vi = (f"Báo cáo ghi “{written}”, một ngày không có thật; bảng điều khiển dùng ngày cuối tháng "
                       f"{last:%d/%m/%Y}.")
            note_en = (f"The report writes “{written}”, a day that does not exist; the dashboard uses the month's "
                       f"last day, {last:%d/%m/%Y}.")
        date = min(dt.date(year, month, 1) + dt.timedelta(days=day - 1), last)
        return Deadline(date - dt.timedelta(days=1) if m[1] else date, note_vi, note_en)
    if m := _DEADLINE_QUARTER.search(low):
        return Deadline(_month_end(int(m[2]), 3 * _ROMAN[m[1]]))
    if re.search(r"quý\s+\w+\s*(?:/|năm)", low):  # a quarter that is not one ("Quý V/2026"): not the year's end
        return None
    if m := _DEADLINE_MONTH.search(low):
        month = int(m[1])
        return Deadline(_month_end(int(m[2]), month)) if 1 <= month <= 12 else None
    if m := _DEADLINE_YEAR.search(low):
        return Deadline(dt.date(int(m[1]), 12, 31))
    return None
