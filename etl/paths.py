"""Where the ETL reads and writes, and the lock that lets one writer at a time write there."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
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


@contextlib.contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (made if absent): writers of one place wait for each other, and what a
    dead writer left there can be cleared by the next one."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
