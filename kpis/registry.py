"""The KPI registry: indicators and targets declared as data, loaded and checked here."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.paths import kpi_dir

SHIPPED = Path(__file__).resolve().parent
KPI_DIR = kpi_dir()  # NQ57_KPIS, read when the ETL starts: the registry it builds from
INDICATORS_CSV = KPI_DIR / "indicators.csv"
TARGETS_CSV = KPI_DIR / "targets.csv"
HEADLINES_CSV = KPI_DIR / "headlines.csv"


def registry_file(name: str, folder: Path | None = None) -> Path:
    """kpis/<name> of the registry folder; the closed lists and units may be left out of a test registry (the shipped
    ones are then used: they define the product's words, not a dataset)."""
    path = (folder or KPI_DIR) / name
    return path if path.exists() or name not in ("vocabularies.csv", "units.csv") else SHIPPED / name


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows, every cell trimmed and NFC (empty cells as "")."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k: unicodedata.normalize("NFC", (v or "").strip()) for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


VOCABULARY_COLUMNS = ("vocabulary", "id", "name_vi", "name_en", "description_vi", "description_en", "symbol", "colour",
                      "icon", "page")


@lru_cache(maxsize=4)
def terms(folder: Path | None = None) -> tuple[dict[str, str], ...]:
    """Every row of kpis/vocabularies.csv, in file order (file order is the order lists are shown in): the labels,
    and where a list needs them a description, a symbol, a colour, a Material icon and a page slug ("" when unset)."""
    return tuple({c: r.get(c, "") for c in VOCABULARY_COLUMNS} for r in read_rows(registry_file("vocabularies.csv",
                                                                                               folder)))


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, dict[str, tuple[str, str]]]:
    """Every closed list of the product (themes, pillars, regions, agency kinds, budget and task-status words,
    periods, directions, progress statuses), in file order: vocabulary -> id -> (Vietnamese, English) label."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for r in terms():
        out.setdefault(r["vocabulary"], {})[r["id"]] = (r["name_vi"], r["name_en"])
    return out


def vocabulary(name: str) -> tuple[str, ...]:
    return tuple(vocabularies()[name])


@dataclass(frozen=True)
class Unit:
    id: str
    family: str  # units of one family convert into each other ("" for a unit of its own)
    factor: float  # the size of one unit in its family's base
    canonical: bool  # a unit the registry may measure an indicator in
    fractional: bool  # its figures are often fractional: a submitted "1.234" is ambiguous (1.234 or 1234)
    label_vi: str
    label_en: str


@lru_cache(maxsize=4)
def units(folder: Path | None = None) -> dict[str, Unit]:
    """The units figures are stated in (kpis/units.csv)."""
    return {r["id"]: Unit(r["id"], r["family"], float(r["factor"]), r["canonical"] == "true", r["fractional"] == "true",
                          r["label_vi"], r["label_en"]) for r in read_rows(registry_file("units.csv", folder))}


def unit_factor(stated: str, canonical: str) -> float | None:
    """Multiplier from a stated unit to a registry unit, or None when they do not convert."""
    s, c = units().get(stated), units().get(canonical)
    if s is None or c is None or not (s.id == c.id or (s.family and s.family == c.family)):
        return None
    return s.factor / c.factor


THEMES = vocabulary("theme")
DASHBOARD_THEMES = THEMES[:THEMES.index("tasks")]  # the rows before the monitoring views (tasks, budget, ...)
PILLARS = vocabulary("pillar")
REGIONS = vocabulary("region")
DIRECTIONS = vocabulary("direction")
PERIODS = vocabulary("period")
COMPARATORS = (">=", "<=", "=")
STATED_UNITS = frozenset(units())
CANONICAL_UNITS = frozenset(u.id for u in units().values() if u.canonical)
UNIT_LABELS = {u.id: (u.label_vi, u.label_en) for u in units().values()}
FRACTIONAL_UNITS = frozenset(u.id for u in units().values() if u.fractional)
# Each task status is reported by the indicator tasks_<status>; task_status has a column per status.
TASK_STATUSES = vocabulary("task_status")
TASK_STATUS_INDICATORS = tuple(f"tasks_{s}" for s in TASK_STATUSES)

INDICATOR_COLUMNS = ("id", "theme", "pillar", "name_vi", "name_en", "unit", "direction", "period", "description")
# period point: a level at its date; year_to_date: accumulated since 1 January (comparable only with the same
# date of another year); period_growth: growth over a stated earlier period (not comparable between dates).
# A target (data/README.md, kpis/targets.csv): its id, what it measures (indicator; the unit it is for, empty =
# national; a sub-group; the series it is read from when not its own indicator), the comparison, the deadline as the
# report words it (the warehouse derives the date: etl.text.parse_deadline), its kind and its source.
TARGET_COLUMNS = ("id", "indicator_id", "entity", "category", "series", "comparator", "value", "value_high",
                  "value_words", "unit", "deadline_text", "kind", "source_file", "source_quote", "note")
TARGET_OPTIONAL = ("entity", "category", "series", "value_high", "value_words")
TARGET_KINDS = vocabulary("target_kind")  # resolution (NQ57), a report's dated commitment, a report's forecast
MODALITIES = vocabulary("modality")  # how a report states a figure: an outcome, or a plan, pledge or forecast


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
    id: str
    indicator_id: str
    comparator: str
    value: float
    unit: str
    deadline_text: str  # the deadline as the report words it ("" when it states none)
    kind: str  # a target_kind: resolution, commitment or forecast
    source_file: str
    source_quote: str
    note: str
    value_high: float | None = None  # the upper end of a range ("40-50 tổ chức")
    entity: str = ""  # the unit the target is for, as written ("" = national)
    category: str = ""  # the sub-group of the indicator's figures it is read against
    series: tuple[str, ...] = ()  # the indicators whose figures measure it, when not its own
    value_words: str = ""  # the quote's words that state a whole (all, the plan) when it gives no number



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
        for r in read_rows(path)
    )


@lru_cache(maxsize=4)
def load_targets(path: Path = TARGETS_CSV) -> tuple[Target, ...]:
    if not path.exists():
        return ()
    return tuple(
        Target(
            id=r["id"],
            indicator_id=r["indicator_id"],
            comparator=r["comparator"],
            value=float(r["value"]),
            unit=r["unit"],
            deadline_text=r["deadline_text"],
            kind=r["kind"],
            source_file=r["source_file"],
            source_quote=r["source_quote"],
            note=r.get("note", ""),
            value_high=float(r["value_high"]) if r.get("value_high") else None,
            entity=r.get("entity", ""),
            category=r.get("category", ""),
            series=tuple(s.strip() for s in r.get("series", "").split(";") if s.strip()),
            value_words=r.get("value_words", ""),
        )
        for r in read_rows(path)
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
    rows = [Headline(r["theme"], r["indicator_id"], int(r["position"])) for r in read_rows(path)]
    return tuple(sorted(rows, key=lambda h: (DASHBOARD_THEMES.index(h.theme) if h.theme in DASHBOARD_THEMES else 99,
                                             h.order)))
