"""Text as the reports and agencies write it: UTF-8 and NFC, quotes folded for comparison, numbers in quotes."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Typographic variants the reports mix; folded so a quote copied with straight quotes still matches.
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def nfc(text: str) -> str:
    """Unicode NFC; the seed files mix composed and decomposed Vietnamese."""
    return unicodedata.normalize("NFC", text)


def decode(raw: bytes) -> tuple[str | None, int | None]:
    """UTF-8 text (BOM dropped, NFC), or None and the line of the first byte that is not UTF-8."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, raw[: exc.start].count(b"\n") + 1
    # combining diacritics (U+0300-U+036F, lead bytes 0xCC/0xCD) are the only way Vietnamese is not NFC
    return (nfc(text) if b"\xcc" in raw or b"\xcd" in raw else text), None


def fold(text: str) -> str:
    """NFC, typographic quotes and dashes folded, whitespace collapsed: the form quotes are compared in."""
    return _WS.sub(" ", nfc(text).translate(_FOLD)).strip()


def readings(token: str) -> set[float]:
    """Every value a printed number can mean under Vietnamese or English separators."""
    if "." not in token and "," not in token:
        return {float(token)}
    out: set[float] = set()
    for thousands, decimal in ((".", ","), (",", ".")):
        parts = token.split(decimal)
        groups = parts[0].split(thousands)
        if len(parts) > 2 or (len(groups) > 1 and not all(len(g) == 3 for g in groups[1:])):
            continue
        with contextlib.suppress(ValueError):  # "1.163,5" read with "," for thousands is no number
            out.add(float("".join(groups) + ("." + parts[1] if len(parts) == 2 else "")))
    return out


def quote_states(quote: str, value: float) -> bool:
    """True when the quote prints the value (in any accepted number format)."""
    return any(abs(n - value) <= 1e-9 * max(1.0, abs(value))
               for token in _NUMBER.findall(quote) for n in readings(token))


@lru_cache(maxsize=16)
def _folded_source(path: str) -> str:
    return fold(Path(path).read_text(encoding="utf-8"))


def quote_in_source(quote: str, source_path: Path) -> bool:
    """True when the quote is a contiguous excerpt of the source file (after folding)."""
    return source_path.exists() and fold(quote) in _folded_source(str(source_path))


def names(quote: str, entity: str) -> bool:
    """True when the quote names the entity (a flag row: 'the units that did not report: ...')."""
    return fold(entity).lower() in fold(quote).lower()
