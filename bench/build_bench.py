"""Benchmark of the warehouse build on the shipped data (not a test).

Runs `python -m etl build` into a scratch warehouse, process start included, as a user would; prints each run and
the median. Bar (issue #14): median of 3 under 0.8 s.

    python bench/build_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BAR = 0.8


def time_cli(args: list[str], env: dict[str, str]) -> float:
    """Seconds one `python -m etl ...` takes from process start to exit (it must succeed)."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "etl", *args], cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"python -m etl {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NQ57_DB": str(Path(tmp) / "warehouse.duckdb")}
        runs = [time_cli(["build"], env) for _ in range(args.repeat)]
    med = statistics.median(runs)
    print(f"python -m etl build, shipped data: median {med:.2f} s over {args.repeat} runs "
          f"({', '.join(f'{x:.2f}' for x in runs)}) -> {'PASS' if med < BAR else 'FAIL'} (bar {BAR} s)")


if __name__ == "__main__":
    main()
