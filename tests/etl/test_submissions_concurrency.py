"""Readers never see an error or a partial warehouse while a submission loads; concurrent loads serialise."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl import submissions as sub
from etl.build import build

FIX = Path(__file__).resolve().parent / "fixtures" / "submissions"
EXTRA = "data_centres,digital_infra,,Số trung tâm dữ liệu,Data centres,count,higher,point,Data centres.\n"


def _prepare(dataset) -> None:
    with (dataset.kpis / "indicators.csv").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA)
    build(dataset.data, dataset.db, dataset.kpis)


def _count(db: Path) -> tuple[int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT (SELECT count(*) FROM facts), (SELECT count(*) FROM sources)").fetchone()
    finally:
        con.close()


@pytest.mark.parametrize("mode", ["new_connection_per_query", "held_connection"])
def test_reader_sees_old_or_new_state_never_partial(dataset, mode):
    _prepare(dataset)
    old = _count(dataset.db)
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()
    # DuckDB shares one database instance per path within a process, so the two modes run separately.
    held = duckdb.connect(str(dataset.db), read_only=True) if mode == "held_connection" else None

    def read():
        while not stop.is_set():
            try:
                if held is None:
                    seen.append(_count(dataset.db))
                else:
                    seen.append(held.cursor().execute(
                        "SELECT (SELECT count(*) FROM facts), (SELECT count(*) FROM sources)").fetchone())
            except BaseException as exc:  # noqa: BLE001 - any error is a failure of the test
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.05)
    try:
        result = sub.load(FIX / "good_indicators.csv", data_dir=dataset.data, db_path=dataset.db,
                          kpi_dir=dataset.kpis)
        n_at_load = len(seen)
        deadline = time.monotonic() + 5
        while len(seen) < n_at_load + 5 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        reader.join()
        if held is not None:
            held.close()
    assert result.status == "loaded", result.issues
    new = _count(dataset.db)
    assert new == (old[0] + 6, old[1] + 1)
    assert not errors, errors
    assert set(seen) <= {old, new} and seen[0] == old
    if held is None:
        assert seen[-1] == new  # a new connection opens the swapped-in file
    else:
        assert set(seen) == {old}  # a held connection keeps the file it opened


def test_concurrent_loads_serialise(dataset):
    _prepare(dataset)
    results: list[sub.LoadResult] = []
    files = [FIX / "correction_1.csv", FIX / "good_indicators_en.csv", FIX / "good_tasks.csv"]

    def go(p: Path):
        results.append(sub.load(p, data_dir=dataset.data, db_path=dataset.db, kpi_dir=dataset.kpis))

    # tasks need two more indicators in the registry
    with (dataset.kpis / "indicators.csv").open("a", encoding="utf-8") as fh:
        fh.write("tasks_in_progress_on_time,tasks,,Đang thực hiện trong hạn,In progress on time,count,lower,point,x.\n")
    threads = [threading.Thread(target=go, args=(p,)) for p in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status for r in results) == ["loaded"] * 3, [r.issues for r in results]
    with (dataset.data / "submissions" / "manifest.csv").open(encoding="utf-8") as fh:
        entries = list(csv.DictReader(fh))
    assert {e["sha256"] for e in entries} == {r.sha256 for r in results}
    con = duckdb.connect(str(dataset.db), read_only=True)
    n = con.execute("SELECT count(DISTINCT source_file) FROM facts WHERE is_submission").fetchone()[0]
    con.close()
    assert n == 3
