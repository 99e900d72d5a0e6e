"""A load killed (SIGKILL) at any moment: the same load again ends with its rows in the warehouse and nothing left
behind by the dead process."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import duckdb
import pytest

from etl import archive
from etl import submissions as sub
from etl.build import build

REPO = Path(__file__).resolve().parents[2]
GOOD = Path(__file__).resolve().parent / "fixtures" / "submissions" / "good_indicators.csv"
EXTRA = "data_centres,digital_infra,,Số trung tâm dữ liệu,Data centres,count,higher,point,Data centres.\n"

# The moments a load can die at: (module, function, which call, before or after the call runs).
MOMENTS = {
    "while the file is checked": ("etl.build", "stage", 1, "before"),
    "after the original is archived": ("etl.paths", "write_atomic", 1, "after"),
    "after its Parquet rows are stored": ("etl.paths", "write_atomic", 2, "after"),
    "after the manifest line": ("etl.paths", "write_atomic", 3, "after"),
    "while the rebuild stages": ("etl.build", "stage", 2, "before"),
    "with the new warehouse half written": ("etl.build", "_write", 1, "before"),
    "with the new warehouse written, not swapped in": ("etl.build", "_write", 1, "after"),
}
KILLER = textwrap.dedent("""
    import importlib, os, signal, sys
    from pathlib import Path
    module, name, nth, when = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    target, real, calls = importlib.import_module(module), None, [0]
    real = getattr(target, name)
    def dying(*args, **kwargs):
        calls[0] += 1
        if calls[0] == nth and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if calls[0] == nth and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    setattr(target, name, dying)
    from etl import submissions
    submissions.load(sys.argv[5], data_dir=Path(sys.argv[6]), db_path=Path(sys.argv[7]), kpi_dir=Path(sys.argv[8]))
""")


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_killed_load_is_finished_by_the_same_load_again(dataset, moment, tmp_path, monkeypatch):
    system_tmp = tmp_path / "system_tmp"  # the dead process's scratch folders land here, where we can count them
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    with (dataset.kpis / "indicators.csv").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA)
    build(dataset.data, dataset.db, dataset.kpis)
    module, name, nth, when = MOMENTS[moment]
    died = subprocess.run([sys.executable, "-c", KILLER, module, name, str(nth), when, str(GOOD), str(dataset.data),
                           str(dataset.db), str(dataset.kpis)], cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(system_tmp)},
                          capture_output=True, text=True)
    assert died.returncode == -9, died.stderr  # it was killed, at that moment

    again = sub.load(GOOD, data_dir=dataset.data, db_path=dataset.db, kpi_dir=dataset.kpis)
    assert again.status == "loaded", again.message
    rel = f"submissions/{again.sha256}.csv"
    con = duckdb.connect(str(dataset.db), read_only=True)
    assert con.execute("SELECT count(*) FROM observations WHERE source_file = ?", [rel]).fetchone()[0] == 6
    con.close()
    assert [e["sha256"] for e in archive.read_manifest(dataset.data)] == [again.sha256]
    leftovers = [p.name for folder in (dataset.db.parent, dataset.data / "submissions") for p in folder.iterdir()
                 if ".tmp" in p.name]
    assert leftovers == []
    assert list(system_tmp.iterdir()) == []  # the dead load's scratch folder went with the next load
    assert sub.load(GOOD, data_dir=dataset.data, db_path=dataset.db, kpi_dir=dataset.kpis).status == "unchanged"
