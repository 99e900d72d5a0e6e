"""Shared fixtures: a copy of the small clean dataset per test, and a built warehouse of the shipped data."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run: a property test that passes here passes in CI (new cases are found by
# running with --hypothesis-seed=random).
settings.register_profile("nq57", derandomize=True, deadline=None)
settings.load_profile("nq57")

# The shipped config hides error details from readers (.streamlit/config.toml); a failing test shows them.
os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")

REPO = Path(__file__).resolve().parent.parent
CLEAN = Path(__file__).resolve().parent / "etl" / "fixtures" / "clean"


class Dataset:
    """A writable copy of the clean fixture: data/ and kpis/ folders plus a warehouse path."""

    def __init__(self, root: Path):
        shutil.copytree(CLEAN, root, dirs_exist_ok=True)
        self.data = root / "data"
        self.kpis = root / "kpis"
        self.db = root / "warehouse.duckdb"

    def rows(self, rel: str) -> list[dict[str, str]]:
        with (self.data.parent / rel).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    def write(self, rel: str, rows: list[dict[str, str]]) -> None:
        path = self.data.parent / rel
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)

    def set(self, rel: str, index: int, column: str, value: str) -> None:
        """Change one cell (index 0 = first data row, which is line 2 of the file)."""
        rows = self.rows(rel)
        rows[index][column] = value
        self.write(rel, rows)

    def append(self, rel: str, **cells: str) -> None:
        rows = self.rows(rel)
        rows.append({k: cells.get(k, "") for k in rows[0]})
        self.write(rel, rows)


def theme_pages() -> dict[str, str]:
    """Each dashboard theme's page (theme id -> pages/<slug>.py), as the page registry makes them from the `theme`
    vocabulary; read from the file, because tests are parametrised before any warehouse exists."""
    from kpis.registry import terms

    return {r["id"]: f"pages/{r['page']}.py" for r in terms(REPO / "kpis") if r["vocabulary"] == "theme" and r["page"]}


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    return Dataset(tmp_path / "ds")


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse built from the shipped data/ folder (built once per test session)."""
    from etl.build import build

    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    build(REPO / "data", path, REPO / "kpis")
    return path
