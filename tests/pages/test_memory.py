"""The server's long-lived objects are left out of garbage collection once, and shared data is not copied."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_startup_objects_are_frozen_once_and_later_ones_stay_collectable():
    code = textwrap.dedent("""
        import gc
        from dashboard import shell
        shell.freeze_startup_objects()
        first = gc.get_freeze_count()
        later = [[i] for i in range(1000)]  # made by a later run
        shell.freeze_startup_objects()
        print(first > 10000, gc.get_freeze_count() == first)
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_app_freezes_after_its_first_run(shipped_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard import shell

    monkeypatch.setenv("NQ57_DB", str(shipped_db))
    AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert shell.frozen()


def test_province_shapes_are_one_shared_object(shipped_db, monkeypatch):
    from dashboard import queries

    monkeypatch.setenv("NQ57_DB", str(shipped_db))
    # a cached copy per call made tens of thousands of lists of garbage on every visit of the provinces page
    assert queries.province_shapes() is queries.province_shapes()
    assert len(queries.province_shapes()["features"]) == 34
