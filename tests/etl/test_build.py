"""The warehouse build: contract, atomic swap, idempotency, load log, command line."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.build import build
from etl.issues import ValidationFailed

REPO = Path(__file__).resolve().parents[2]

OBSERVATIONS_CONTRACT = [
    ("indicator_id", "VARCHAR"), ("indicator_name_vi", "VARCHAR"), ("theme", "VARCHAR"), ("scope", "VARCHAR"),
    ("entity_name", "VARCHAR"), ("value", "DOUBLE"), ("unit", "VARCHAR"), ("as_of", "DATE"),
    ("source_file", "VARCHAR"), ("source_quote", "VARCHAR"), ("is_illustrative", "BOOLEAN"),
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_observations_view_has_the_contract_columns(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    cols = {name: typ for name, typ, *_ in con.execute("DESCRIBE observations").fetchall()}
    for name, typ in OBSERVATIONS_CONTRACT:
        assert cols.get(name) == typ, (name, cols.get(name))
    scopes = dict(con.execute("SELECT entity_name, scope FROM observations WHERE entity_name IS NOT NULL").fetchall())
    assert scopes == {"TP. Hồ Chí Minh": "province", "Bộ Y tế": "agency", "Lào Cai": "province"}
    for table in ("agencies", "indicators", "task_status", "budget", "load_log"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table


def test_units_are_converted_and_stated_values_kept(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    rows = con.execute("SELECT stage, amount_bn_vnd, amount_stated, unit_stated FROM budget ORDER BY stage").fetchall()
    assert rows == [("approved", 65020.0, 65020.0, "billion_vnd"), ("disbursed", 12000.0, 12.0, "trillion_vnd")]


def test_task_status_pivots_the_reported_counts(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    row = con.execute(
        "SELECT total, done_on_time, done_late, in_progress, overdue FROM task_status WHERE entity IS NULL"
    ).fetchone()
    assert row == (194, 120, 14, 50, 10)
    assert sum(row[1:]) == row[0]
    hcm = con.execute("SELECT done, done_base FROM task_status WHERE entity = 'TP. Hồ Chí Minh'").fetchone()
    assert hcm == (131, 167)


def test_failed_build_leaves_previous_warehouse_byte_identical(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    before = _digest(dataset.db)
    dataset.set("data/observations/r1.csv", 0, "value", "not-a-number")
    with pytest.raises(ValidationFailed):
        build(dataset.data, dataset.db, dataset.kpis)
    assert _digest(dataset.db) == before
    assert sorted(p.name for p in dataset.db.parent.iterdir() if p.name.startswith("warehouse")) == [
        "warehouse.duckdb"
    ]


def test_failure_while_writing_leaves_previous_warehouse(dataset, monkeypatch):
    build(dataset.data, dataset.db, dataset.kpis)
    before = _digest(dataset.db)
    import etl.build as b

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(b.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        build(dataset.data, dataset.db, dataset.kpis)
    assert _digest(dataset.db) == before
    assert [p.name for p in dataset.db.parent.iterdir() if p.suffix == ".tmp"] == []


def _contents(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
    out = {}
    for t in tables:
        cols = [r[0] for r in con.execute(f'DESCRIBE "{t}"').fetchall() if r[0] != "loaded_at"]
        out[t] = sorted(con.execute(f'SELECT {", ".join(cols)} FROM "{t}"').fetchall(), key=repr)
    con.close()
    return out


def test_building_twice_gives_identical_contents(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    first = _contents(dataset.db)
    build(dataset.data, dataset.db, dataset.kpis)
    assert _contents(dataset.db) == first
    assert "observations" in first and len(first["facts"]) == 9


def test_load_log_records_every_input_with_sha256(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    log = {f: (sha, rows) for f, sha, rows in con.execute("SELECT file, sha256, rows FROM load_log").fetchall()}
    obs = dataset.data / "observations" / "r1.csv"
    assert log["data/observations/r1.csv"] == (_digest(obs), 9)
    assert "kpis/indicators.csv" in log and "data/dims/agencies.csv" in log
    assert con.execute("SELECT count(*) FROM load_log WHERE loaded_at IS NULL").fetchone()[0] == 0


def test_cli_exit_codes_and_report(dataset, tmp_path):
    env = {**os.environ, "NQ57_DATA": str(dataset.data), "NQ57_DB": str(dataset.db), "NQ57_KPIS": str(dataset.kpis)}
    ok = subprocess.run([sys.executable, "-m", "etl", "build"], cwd=REPO, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    dataset.set("data/observations/r1.csv", 0, "value", "x")
    report = tmp_path / "errors.csv"
    bad = subprocess.run([sys.executable, "-m", "etl", "build", "--report", str(report)], cwd=REPO, env=env,
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "not a number" in bad.stderr and "không phải là số" in bad.stderr
    assert "data/observations/r1.csv,2,value,x," in report.read_text(encoding="utf-8")


def test_every_table_and_view_of_the_warehouse_is_documented(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    con.close()
    readme = (Path(__file__).resolve().parents[2] / "data" / "README.md").read_text(encoding="utf-8")
    assert [n for n in names if f"`{n}`" not in readme] == []


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_facts_spell_out_the_category_and_observations_its_label(dataset):
    (dataset.data / "dims" / "categories.csv").write_text("slug,name_vi,name_en\nha_tang,Hạ tầng,Infrastructure\n",
                                                          encoding="utf-8")
    dataset.set("data/observations/r1.csv", 5, "category", " ha_tang ")  # trimmed like every cell
    build(dataset.data, dataset.db, dataset.kpis)
    assert _rows(dataset.db, "SELECT category_id, slug, name_en FROM categories") == [(1, "ha_tang", "Infrastructure")]
    assert _rows(dataset.db, "SELECT data_row, category FROM facts WHERE category IS NOT NULL") == [(7, "ha_tang")]
    assert _rows(dataset.db, "SELECT category, category_name_vi FROM observations WHERE category IS NOT NULL "
                             "AND NOT starts_with(indicator_id, 'budget_')") == [("ha_tang", "Hạ tầng")]


def test_without_labels_the_categories_table_still_lists_every_slug_used(dataset):
    dataset.set("data/observations/r1.csv", 5, "category", "the_che")
    build(dataset.data, dataset.db, dataset.kpis)
    assert _rows(dataset.db, "SELECT slug, name_vi FROM categories") == [("the_che", None)]
    assert _rows(dataset.db, "SELECT category, category_name_vi FROM observations WHERE category = 'the_che'") == [
        ("the_che", None)]


def test_every_figure_keeps_its_source_quote_and_unit(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    assert _rows(dataset.db, "SELECT count(*) FROM facts")[0][0] == len(dataset.rows("data/observations/r1.csv"))
    assert _rows(dataset.db, "SELECT count(*) FROM facts WHERE indicator_id IS NULL OR source_quote IS NULL "
                             "OR unit IS NULL")[0][0] == 0


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device", "warehouse.duckdb"),
                                     duckdb.IOException("Could not set lock on file \"warehouse.duckdb\"")])
def test_a_failure_to_write_is_a_message_not_a_traceback(dataset, monkeypatch, capsys, failure):
    import etl.build as b
    from etl.__main__ import main

    for k, v in (("NQ57_DATA", dataset.data), ("NQ57_DB", dataset.db), ("NQ57_KPIS", dataset.kpis)):
        monkeypatch.setenv(k, str(v))
    assert main(["build"]) == 0
    before = _digest(dataset.db)

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(b.os, "replace", fail)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "Could not read or write the data; nothing changed" in err and "không có gì thay đổi" in err
    assert "Traceback" not in err and _digest(dataset.db) == before
