"""Benchmark of the warehouse build (not a test).

Builds the shipped data, then a synthetic dataset N times larger (default 1,000x): every curated row is
repeated with its as-of date moved back one day per copy and its category tagged with the copy number,
so every rule still runs on every row and the data stays valid. Prints build time and rows per second.

    python bench/build_bench.py [--scale 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from etl.build import build  # noqa: E402


def _scaled_copy(src: Path, dst: Path, scale: int) -> int:
    """Copy data/ to dst with each observations/budget file repeated `scale` times; return the row count."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("warehouse.duckdb*", "drafts"))
    total = 0
    for folder in ("observations", "budget"):
        for path in sorted((dst / folder).glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                header, rows = reader.fieldnames, list(reader)
            with path.open("w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=header)
                w.writeheader()
                for i in range(scale):
                    for r in rows:
                        day = dt.date.fromisoformat(r["as_of"]) - dt.timedelta(days=i)
                        row = {**r, "as_of": day.isoformat()}
                        if i and "category" in row:
                            # a copy of its own: shifted dates must not collide with another real figure
                            row["category"] = f"{row['category']}~{i}"
                        w.writerow(row)
            total += len(rows) * scale
    _label_copies(dst / "dims" / "categories.csv", scale)
    return total


def _label_copies(path: Path, scale: int) -> None:
    """Every tagged category of the copies gets its label, as the build requires of any category."""
    if not path.exists() or scale < 2:
        return
    with path.open(encoding="utf-8", newline="") as fh:
        labels = list(csv.DictReader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["slug", "name_vi", "name_en"], lineterminator="\n")
        for i in range(1, scale):
            w.writerow({"slug": f"~{i}", "name_vi": f"bản sao {i}", "name_en": f"copy {i}"})
            for r in labels:
                w.writerow({"slug": f"{r['slug']}~{i}", "name_vi": r["name_vi"], "name_en": r["name_en"]})


def _time_build(data: Path, db: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock seconds of each build, and the CPU seconds (all threads) it used: on a shared machine the
    CPU time varies less than the wall clock."""
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        build(data, db)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return times, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        shipped = _scaled_copy(REPO / "data", tmp_path / "shipped", 1)
        t, _ = _time_build(tmp_path / "shipped", tmp_path / "shipped.duckdb", args.repeat)
        print(f"shipped data: {shipped:,} rows, build median {statistics.median(t):.2f} s "
              f"(runs: {', '.join(f'{x:.2f}' for x in t)})")
        n = _scaled_copy(REPO / "data", tmp_path / "big", args.scale)
        t, cpu = _time_build(tmp_path / "big", tmp_path / "big.duckdb", args.repeat)
        med = statistics.median(t)
        print(f"{args.scale}x synthetic: {n:,} rows, build median {med:.2f} s, {n / med:,.0f} rows/s "
              f"(runs: {', '.join(f'{x:.2f}' for x in t)}; CPU median {statistics.median(cpu):.2f} s)")


if __name__ == "__main__":
    main()
