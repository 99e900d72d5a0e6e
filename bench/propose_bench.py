"""Benchmark of report intake (issue #27): leave-one-report-out on the shipped reports.

For each report of data/sources.csv, a copy of data/ without that report's curated figures (observations and budget
rows) is built into a scratch warehouse, and `etl.propose.propose` reads the report with only that warehouse to learn
from. Its proposals are then compared with the report's curated figures:
- found: a proposal states the same value (within 0.2%) in a quote that overlaps the curated quote where it stands in
  the report (for a flag row, the same unit of government: every flag of a list has the value 1);
- top-1: the proposed indicator is the curated one; top-3: it is among the three proposed (best + "Chỉ tiêu khác"),
  both over the found rows;
- seconds: the call to propose() (reading, finding, learning from the warehouse, ranking), imports excluded, as wall
  time and as the CPU time of this process (which other users of a shared machine slow down much less).
Bars: found >= 90%, top-1 >= 70%, top-3 >= 85%, <= 15 s per report. The machine is shared: times are noisy.

What is learned and what was tuned: in each fold the ranking model's weights are learned by propose() itself from the
three other reports only (each ranked against the other two's examples; etl/match.py). What the model looks at (the
scores in etl.match.FEATURES, the context windows, the ridge penalty L2) was chosen by hand by looking at the results
of all four folds: a development score, not a test on unseen reports.

    python bench/propose_bench.py [--report 004] [--misses N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import scipy.optimize  # noqa: E402,F401  (imported before the clock starts: imports are not timed)
import sklearn.feature_extraction.text  # noqa: E402,F401

from etl import paths  # noqa: E402
from etl.build import build, resolver  # noqa: E402
from etl.match import FEATURES, weights  # noqa: E402
from etl.propose import Reference, examples, propose  # noqa: E402
from etl.reports import read_report  # noqa: E402
from etl.sheets import ENTITY_VI  # noqa: E402


def _without(src: Path, dst: Path, report: str) -> None:
    """A copy of the data folder without the curated rows of `report` (and no warehouse or submissions)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("warehouse.duckdb*", ".*lock", "submissions"))
    for folder in ("observations", "budget"):
        for path in (dst / folder).glob("*.csv"):
            with path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
            if not rows:
                continue
            kept = [r for r in rows if r["source_file"] != report]
            with path.open("w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=list(rows[0]))
                w.writeheader()
                w.writerows(kept)


def _curated(report: str) -> list[dict]:
    out = []
    for path in sorted((paths.DATA_DIR / "observations").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            out += [r for r in csv.DictReader(fh) if r["source_file"] == report]
    return out


def _spans(flat: str, quote: str) -> list[tuple[int, int]]:
    q = re.sub(r"\s+", " ", quote or "").strip()
    return [(m.start(), m.end()) for m in re.finditer(re.escape(q), flat)] if q else []


def compare(frame, curated: list[dict], text: str, resolve) -> dict:
    """found / top-1 / top-3 of the proposals against the curated rows (see the module's docstring)."""
    flat = text.replace("\n", " ")
    props = []
    for r in frame.to_dict("records"):
        props.append((float(r["Giá trị"]), r["Đơn vị tính"] == "flag", resolve(r[ENTITY_VI]) if r[ENTITY_VI] else None,
                      _spans(flat, r["Trích dẫn"]), [r["Mã chỉ tiêu"]] + [x for x in r["Chỉ tiêu khác"].split(";") if x]))
    found = top1 = top3 = 0
    misses = []
    for c in curated:
        v, flag = float(c["value"]), c["unit"] == "flag"
        ent = resolve(c["entity"]) if c["entity"] else None
        hit = None
        for qs, qe in _spans(flat, c["source_quote"]):
            for pv, pflag, pent, spans, ids in props:
                if pflag != flag or abs(pv - v) > 1e-9 + 0.002 * abs(v) or (flag and pent != ent):
                    continue
                overlaps = any(a < qe and qs < b for a, b in spans)
                if overlaps and (hit is None or (c["indicator_id"] in ids and hit[0] != c["indicator_id"])):
                    hit = ids
            if hit:
                break
        if hit is None:
            misses.append(("not found", c))
            continue
        found += 1
        top1 += hit[0] == c["indicator_id"]
        top3 += c["indicator_id"] in hit[:3]
        if hit[0] != c["indicator_id"]:
            misses.append((f"proposed {hit[0]}", c))
    return dict(rows=len(curated), found=found, top1=top1, top3=top3, misses=misses)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--report", help="only the report whose file name starts with this")
    ap.add_argument("--misses", type=int, default=0, help="print this many misses per report")
    ap.add_argument("--weights", action="store_true",
                    help="print the weights learned from all the shipped reports (etl.match.DEFAULT_WEIGHTS) and stop")
    args = ap.parse_args()
    if args.weights:
        with tempfile.TemporaryDirectory(prefix="nq57_bench_") as tmp:
            db = Path(tmp) / "warehouse.duckdb"
            build(paths.DATA_DIR, db)
            ref = Reference(db_path=db)
            w = weights(ref.indicators, examples(ref, set()))
        print("DEFAULT_WEIGHTS = np.array([" + ", ".join(f"{x:.2f}" for x in w) + "])")
        print("    # " + ", ".join(FEATURES))
        return 0
    with (paths.DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as fh:
        sources = [r for r in csv.DictReader(fh) if not args.report or r["source_file"].startswith(args.report)]
    resolve = resolver(paths.DATA_DIR, former=True)
    print(f"{'report':<8}{'curated rows':>13}{'proposals':>11}{'found':>9}{'top-1':>9}{'top-3':>9}{'seconds':>9}"
          f"{'cpu s':>8}")
    total = dict(rows=0, props=0, found=0, top1=0, top3=0, secs=0.0, cpu=0.0)
    for s in sources:
        report = s["source_file"]
        with tempfile.TemporaryDirectory(prefix="nq57_bench_") as tmp:
            data = Path(tmp) / "data"
            _without(paths.DATA_DIR, data, report)
            db = Path(tmp) / "warehouse.duckdb"
            build(data, db)
            started, cpu_started = time.perf_counter(), time.process_time()
            frame = propose(paths.DATA_DIR / "sources" / report, as_of=dt.date.fromisoformat(s["report_date"]),
                            data_dir=data, db_path=db)
            secs, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        text = read_report(paths.DATA_DIR / "sources" / report).text
        c = compare(frame, _curated(report), text, resolve)
        n = max(1, c["found"])
        print(f"{report[:3]:<8}{c['rows']:>13}{len(frame):>11}{c['found'] / max(1, c['rows']):>9.1%}"
              f"{c['top1'] / n:>9.1%}{c['top3'] / n:>9.1%}{secs:>9.1f}{cpu:>8.1f}")
        for k, v in (("rows", c["rows"]), ("props", len(frame)), ("found", c["found"]), ("top1", c["top1"]),
                     ("top3", c["top3"]), ("secs", secs), ("cpu", cpu)):
            total[k] += v
        for why, row in c["misses"][:args.misses]:
            print(f"    {why:<45} {row['indicator_id']:<42} {row['value']:>10} {row['unit']:<8} "
                  f"{row['source_quote'][:90]}")
    if len(sources) > 1:
        n = max(1, total["found"])
        print(f"{'all':<8}{total['rows']:>13}{total['props']:>11}{total['found'] / max(1, total['rows']):>9.1%}"
              f"{total['top1'] / n:>9.1%}{total['top3'] / n:>9.1%}{total['secs']:>9.1f}{total['cpu']:>8.1f}")
    print("Weights learned in each fold from the other reports only; features, windows and L2 chosen by looking at all"
          " four folds (a development score).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
