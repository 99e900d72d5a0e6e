"""Where the ETL reads and writes."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
KPI_DIR = REPO / "kpis"


def data_dir() -> Path:
    """The curated data folder; NQ57_DATA overrides it (tests and benchmarks build from fixtures)."""
    return Path(os.environ.get("NQ57_DATA", DATA_DIR))


def warehouse_path() -> Path:
    """The DuckDB file; NQ57_DB overrides the default data/warehouse.duckdb."""
    return Path(os.environ.get("NQ57_DB", DATA_DIR / "warehouse.duckdb"))


def kpi_dir() -> Path:
    """The registry folder; NQ57_KPIS overrides kpis/ (tests build from fixtures)."""
    return Path(os.environ.get("NQ57_KPIS", KPI_DIR))
