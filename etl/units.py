"""Units as the reports state them, and the factor that turns each into the registry's unit."""

from __future__ import annotations

# Units in one family convert into each other; the factor is the size of one unit in the family's base.
FAMILIES: dict[str, dict[str, float]] = {
    "count": {"count": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9},
    "vnd": {"million_vnd": 1e-3, "billion_vnd": 1.0, "trillion_vnd": 1e3},
    "usd": {"usd": 1e-6, "million_usd": 1.0, "billion_usd": 1e3},
}
# percent_change: growth on the previous period (any sign); percent_of_plan: attainment, may pass 100.
SINGLE = ("percent", "percent_change", "percent_of_plan", "rank", "mbps", "mw", "score", "per_10000", "flag")

STATED_UNITS: frozenset[str] = frozenset(SINGLE) | frozenset(u for f in FAMILIES.values() for u in f)
# Registry units: the plain unit of each family plus the single units (no "thousand" in the registry).
CANONICAL_UNITS: frozenset[str] = frozenset(SINGLE) | frozenset(
    {"count", "billion_vnd", "million_usd", "billion_usd", "usd"}
)

LABELS: dict[str, tuple[str, str]] = {
    "percent": ("%", "%"),
    "percent_change": ("%", "%"),
    "percent_of_plan": ("% kế hoạch", "% of plan"),
    "rank": ("hạng", "rank"),
    "count": ("", ""),
    "thousand": ("nghìn", "thousand"),
    "million": ("triệu", "million"),
    "billion": ("tỷ", "billion"),
    "billion_vnd": ("tỷ đồng", "billion VND"),
    "trillion_vnd": ("nghìn tỷ đồng", "trillion VND"),
    "million_vnd": ("triệu đồng", "million VND"),
    "usd": ("USD", "USD"),
    "million_usd": ("triệu USD", "million USD"),
    "billion_usd": ("tỷ USD", "billion USD"),
    "mbps": ("Mbps", "Mbps"),
    "mw": ("MW", "MW"),
    "score": ("điểm", "points"),
    "per_10000": ("/10.000 dân", "per 10,000 people"),
    "flag": ("", ""),
}


def factor(stated: str, canonical: str) -> float | None:
    """Multiplier from a stated unit to a registry unit, or None when they do not convert."""
    if stated == canonical:
        return 1.0
    for family in FAMILIES.values():
        if stated in family and canonical in family:
            return family[stated] / family[canonical]
    return None


def conversion_rows() -> list[tuple[str, str, float]]:
    """(stated, canonical, factor) for every convertible pair: a lookup table for the warehouse build."""
    return [
        (s, c, f)
        for s in sorted(STATED_UNITS)
        for c in sorted(CANONICAL_UNITS)
        if (f := factor(s, c)) is not None
    ]
