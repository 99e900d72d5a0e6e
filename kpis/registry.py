"""The KPI registry: indicators and targets declared as data, loaded and checked here."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

KPI_DIR = Path(__file__).resolve().parent
INDICATORS_CSV = KPI_DIR / "indicators.csv"
TARGETS_CSV = KPI_DIR / "targets.csv"
HEADLINES_CSV = KPI_DIR / "headlines.csv"

THEMES = (
    "capacity",
    "contribution",
    "resources",
    "digital_infra",
    "digital_transformation",
    "tasks",
    "budget",
    "products",
    "other",
)
DASHBOARD_THEMES = THEMES[:5]
PILLARS = ("digital_government", "digital_economy", "digital_society")
DIRECTIONS = ("higher", "lower")
COMPARATORS = (">=", "<=", "=")

INDICATOR_COLUMNS = ("id", "theme", "pillar", "name_vi", "name_en", "unit", "direction", "period", "description")
# point: a level at its date; year_to_date: accumulated since 1 January (comparable only with the same date
# of another year); period_growth: growth over a stated earlier period (not comparable between dates).
PERIODS = ("point", "year_to_date", "period_growth")
TARGET_COLUMNS = ("indicator_id", "comparator", "value", "unit", "year", "source_file", "source_quote", "note")


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    pillar: str | None
    name_vi: str
    name_en: str
    unit: str
    direction: str
    period: str
    description: str


@dataclass(frozen=True)
class Target:
    indicator_id: str
    comparator: str
    value: float
    unit: str
    year: int
    source_file: str
    source_quote: str
    note: str


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k: unicodedata.normalize("NFC", (v or "").strip()) for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


@lru_cache(maxsize=4)
def load_indicators(path: Path = INDICATORS_CSV) -> tuple[Indicator, ...]:
    return tuple(
        Indicator(
            id=r["id"],
            theme=r["theme"],
            pillar=r["pillar"] or None,
            name_vi=r["name_vi"],
            name_en=r["name_en"],
            unit=r["unit"],
            direction=r["direction"],
            period=r["period"] or "point",
            description=r["description"],
        )
        for r in _rows(path)
    )


@lru_cache(maxsize=4)
def load_targets(path: Path = TARGETS_CSV) -> tuple[Target, ...]:
    if not path.exists():
        return ()
    return tuple(
        Target(
            indicator_id=r["indicator_id"],
            comparator=r["comparator"],
            value=float(r["value"]),
            unit=r["unit"],
            year=int(r["year"]),
            source_file=r["source_file"],
            source_quote=r["source_quote"],
            note=r.get("note", ""),
        )
        for r in _rows(path)
    )


def indicators_by_id(path: Path = INDICATORS_CSV) -> dict[str, Indicator]:
    return {i.id: i for i in load_indicators(path)}


@dataclass(frozen=True)
class Headline:
    theme: str
    indicator_id: str
    order: int


@lru_cache(maxsize=4)
def load_headlines(path: Path = HEADLINES_CSV) -> tuple[Headline, ...]:
    """The 3-5 headline indicators of each dashboard theme, in the order the overview shows them."""
    rows = [Headline(r["theme"], r["indicator_id"], int(r["order"])) for r in _rows(path)]
    return tuple(sorted(rows, key=lambda h: (DASHBOARD_THEMES.index(h.theme) if h.theme in DASHBOARD_THEMES else 99,
                                             h.order)))
