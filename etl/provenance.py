"""Checks that tie a figure to its source: the quote is in the report and the number is in the quote."""

from __future__ import annotations

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


def fold(text: str) -> str:
    """NFC, typographic quotes and dashes folded, whitespace collapsed: the form quotes are compared in."""
    return _WS.sub(" ", nfc(text).translate(_FOLD)).strip()


def readings(token: str) -> set[float]:
    """Every value a printed number can mean under Vietnamese or English separators."""
    out: set[float] = set()
    if "." not in token and "," not in token:
        return {float(token)}
    for thousands, decimal in ((".", ","), (",", ".")):
        parts = token.split(decimal)
        if len(parts) > 2:
            continue
        whole = parts[0]
        groups = whole.split(thousands)
        if len(groups) > 1 and not all(len(g) == 3 for g in groups[1:]):
            continue
        text = "".join(groups) + ("." + parts[1] if len(parts) == 2 else "")
        try:
            out.add(float(text))
        except ValueError:
            continue
    return out


def numbers_in(text: str) -> set[float]:
    """All numeric readings of every number printed in a text."""
    found: set[float] = set()
    for token in _NUMBER.findall(text):
        found |= readings(token)
    return found


def quote_states(quote: str, value: float) -> bool:
    """True when the quote prints the value (in any accepted number format)."""
    return any(abs(n - value) <= 1e-9 * max(1.0, abs(value)) for n in numbers_in(quote))


@lru_cache(maxsize=16)
def _folded_source(path: str) -> str:
    return fold(Path(path).read_text(encoding="utf-8"))


def quote_in_source(quote: str, source_path: Path) -> bool:
    """True when the quote is a contiguous excerpt of the source file (after folding)."""
    return fold(quote) in _folded_source(str(source_path))
