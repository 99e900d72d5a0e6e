"""Benchmark of an agency submission (not a test).

Copies data/ to a temporary folder, generates a valid indicator submission (default 200,000 rows) from the real
registry, entities and units, then times, each as its own process as a user runs it:
- `python -m etl load FILE` (parse, check by the build's rules, archive, record, rebuild): bar 8 s;
- `python -m etl build` with the submission archived (its rows read from the Parquet stored at load): bar 3 s;
- with --xlsx, the same rows as a workbook loaded into a fresh copy (no bar).

    python bench/load_bench.py [--rows 200000] [--xlsx]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.build_bench import time_cli  # noqa: E402
from etl import sheets  # noqa: E402


def figure_rows(data: Path, n: int, provinces: bool = False) -> list[list[object]]:
    """`n` valid rows of figures; with `provinces`, only figures of the 34 provinces (the many-readers bench's 100x)."""
    ref = sheets.Reference.load(data, REPO / "kpis")
    inds = [(i, r["unit"]) for i, r in sorted(ref.indicators.items())
            if r.get("theme") not in ("tasks", "budget") and r["unit"] != "flag"]
    entities = [""] + ref.entities
    if provinces:
        kinds = {r["name_vi"]: r["kind"] for r in csv.DictReader((data / "dims" / "agencies.csv").open(encoding="utf-8"))}
        entities = [e for e in ref.entities if kinds.get(e) == "province"]
    start = dt.date(2025, 12, 31)
    out = []
    keys = itertools.product(range(10_000), entities, inds)  # date, entity, indicator: every key distinct
    for k, (day, entity, (iid, unit)) in enumerate(keys):
        if k == n:
            break
        if unit == "percent":
            value = f"{(k % 1000) / 10:.1f}".replace(".", ",")  # Vietnamese decimal comma
        elif unit == "rank":
            value = str(1 + k % 150)
        elif unit == "percent_change":
            value = f"{(k % 200 - 100) / 10:.1f}".replace(".", ",")
        else:
            value = str(k % 100_000)
        out.append([iid, entity, f"{start - dt.timedelta(days=day):%d/%m/%Y}", value, unit,
                    f"Báo cáo số {k % 500}/BC", ""])
    return out


def fresh_copy(root: Path) -> dict[str, str]:
    """data/ without warehouse or submissions, built once; the environment that points the CLI at it."""
    data = root / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("warehouse.duckdb*", "submissions"))
    env = {**os.environ, "NQ57_DATA": str(data), "NQ57_DB": str(root / "w.duckdb")}
    time_cli(["build"], env)
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--xlsx", action="store_true")
    args = ap.parse_args()
    header = [c.vi for c in sheets.KINDS["indicators"]]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = fresh_copy(root / "csv")
        rows = figure_rows(REPO / "data", args.rows)
        path = root / "big.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
        t_load = time_cli(["load", str(path), "--by", "bench"], env)
        print(f"csv, {len(rows):,} rows ({path.stat().st_size / 1e6:.1f} MB): python -m etl load {t_load:.2f} s "
              f"-> {'PASS' if t_load < 8 else 'FAIL'} (bar 8 s)")
        t_build = time_cli(["build"], env)
        print(f"python -m etl build with it archived: {t_build:.2f} s -> {'PASS' if t_build < 3 else 'FAIL'} (bar 3 s)")
        t_again = time_cli(["load", str(path)], env)
        print(f"the same file again (unchanged): {t_again:.2f} s")
        if args.xlsx:
            import openpyxl

            xpath = root / "big.xlsx"
            wb = openpyxl.Workbook(write_only=True)
            ws = wb.create_sheet(sheets.DATA_SHEET)
            ws.append(header)
            for r in rows:
                ws.append([r[0], r[1], r[2], float(r[3].replace(",", ".")), r[4], r[5], None])
            wb.save(xpath)
            t_x = time_cli(["load", str(xpath), "--by", "bench"], fresh_copy(root / "xlsx"))
            print(f"xlsx, {len(rows):,} rows ({xpath.stat().st_size / 1e6:.1f} MB): python -m etl load {t_x:.2f} s")


if __name__ == "__main__":
    main()
