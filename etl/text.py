"""Text as agencies write it: UTF-8 and NFC, and the numbers and dates in the cells of a submission (the quotes
of the reports are checked in SQL: etl/sql/staging.sql)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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


def parse_number(raw: object, unit: str | None = None) -> tuple[float | None, str | None]:
    """A number from a cell; (None, reason) when the cell is empty, text, or its separators are ambiguous.

    Vietnamese convention first: spaces between digits are dropped; with both "." and "," the later one is the
    decimal mark; a lone "," is the decimal mark ("48,9") unless exactly three digits follow it ("1,234" is
    ambiguous) - "0,125" is a decimal; several "," or several "." group thousands ("1.234.567"); a lone "."
    followed by exactly three digits groups thousands ("65.020" = 65020) except in fractional units (percent,
    score, ...) where it is ambiguous; otherwise "." is the decimal mark. A "%" suffix is accepted for percent units.
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
