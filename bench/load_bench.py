"""Benchmark of a submission load (not a test).

Copies data/ to a temporary folder, generates a valid 100,000-row indicator submission from the real
registry, entities and units, and times validation (`validate_file`) and the full load (validate, archive,
record, rebuild the warehouse). Also times the same rows as .xlsx (unless --no-xlsx). Bar: under 10 s.

    python bench/load_bench.py [--rows 100000] [--no-xlsx]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from etl import submissions as sub  # noqa: E402
from etl.build import build  # noqa: E402


def _rows(data: Path, n: int) -> list[list[object]]:
    ref = sub.Reference.load(data, REPO / "kpis")
    inds = [(i, r["unit"]) for i, r in sorted(ref.indicators.items())
            if r.get("theme") not in ("tasks", "budget") and r["unit"] != "flag"]
    entities = [""] + ref.entities
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


def _fresh_copy(root: Path) -> tuple[Path, Path]:
    """data/ without warehouse or submissions, and a warehouse path next to it."""
    data = root / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("warehouse.duckdb*", "drafts"))
    for p in (data / "submissions").glob("*") if (data / "submissions").exists() else []:
        if p.name != "README.md":
            p.unlink()
    return data, root / "w.duckdb"


def _time(label: str, fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    res = fn()
    dt_ = time.perf_counter() - t0
    return dt_, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--no-xlsx", action="store_true")
    args = ap.parse_args()
    header = [c.vi for c in sub.KINDS["indicators"]]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        data, db = _fresh_copy(tmp_path / "csv")
        t_build, _ = _time("build", lambda: build(data, db, REPO / "kpis"))
        rows = _rows(data, args.rows)
        path = tmp_path / "big.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
        size = path.stat().st_size / 1e6
        print(f"baseline build of the shipped data: {t_build:.2f} s")
        t_val, (kind, n, issues) = _time("validate", lambda: sub.validate_file(path, data, REPO / "kpis"))
        assert not issues, issues[:5]
        print(f"csv {n:,} rows ({size:.1f} MB): validate {t_val:.2f} s ({n / t_val:,.0f} rows/s)")
        t_load, res = _time("load", lambda: sub.load(path, data_dir=data, db_path=db, kpi_dir=REPO / "kpis",
                                                     loaded_by="bench"))
        assert res.status == "loaded", res.issues[:5]
        print(f"csv {n:,} rows: load (validate + archive + manifest + rebuild) {t_load:.2f} s "
              f"-> {'PASS' if t_load < 10 else 'FAIL'} (bar 10 s)")
        t_again, res2 = _time("again", lambda: sub.load(path, data_dir=data, db_path=db, kpi_dir=REPO / "kpis"))
        print(f"same file again: {res2.status} in {t_again:.2f} s")
        if not args.no_xlsx:
            import openpyxl

            xpath = tmp_path / "big.xlsx"
            t0 = time.perf_counter()
            wb = openpyxl.Workbook(write_only=True)
            ws = wb.create_sheet("Dữ liệu")
            ws.append(header)
            for r in rows:
                ws.append([r[0], r[1], r[2], float(r[3].replace(",", ".")), r[4], r[5], None])
            wb.save(xpath)
            t_write = time.perf_counter() - t0
            t_xval, (_, xn, xissues) = _time("xval", lambda: sub.validate_file(xpath, data, REPO / "kpis"))
            assert not xissues, xissues[:5]
            print(f"xlsx {xn:,} rows ({xpath.stat().st_size / 1e6:.1f} MB, written in {t_write:.2f} s): "
                  f"validate {t_xval:.2f} s")
            xdata, xdb = _fresh_copy(tmp_path / "xlsx")
            build(xdata, xdb, REPO / "kpis")
            t_xload, xres = _time("xload", lambda: sub.load(xpath, data_dir=xdata, db_path=xdb,
                                                            kpi_dir=REPO / "kpis", loaded_by="bench"))
            assert xres.status == "loaded", xres.issues[:5]
            print(f"xlsx {xn:,} rows: load into a fresh copy {t_xload:.2f} s "
                  f"-> {'PASS' if t_xload < 10 else 'FAIL'} (bar 10 s)")
            t_both, res3 = _time("both", lambda: sub.load(xpath, data_dir=data, db_path=db,
                                                          kpi_dir=REPO / "kpis", loaded_by="bench"))
            assert res3.status == "loaded", res3.issues[:5]
            print(f"xlsx {xn:,} rows loaded on top of the csv ones (superseding all 100,000; the rebuild re-parses "
                  f"the archived csv): {t_both:.2f} s")


if __name__ == "__main__":
    main()
