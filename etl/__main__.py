"""Command line: `python -m etl build` builds the warehouse; `python -m etl check-draft TAG` checks a draft;
`python -m etl template KIND --out FILE` writes a submission template; `python -m etl load FILE` loads a
submission (exit 0 loaded or unchanged, 1 rejected and nothing written, 2 unreadable file or bad usage)."""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from pathlib import Path

from etl import paths
from etl.build import build
from etl.issues import ValidationFailed


def _cmd_build(args: argparse.Namespace) -> int:
    try:
        result = build(db_path=Path(args.db) if args.db else None)
    except ValidationFailed as exc:
        print(exc.report(), file=sys.stderr)
        if args.report:
            Path(args.report).write_text(exc.to_csv(), encoding="utf-8")
        print("Không xây dựng kho dữ liệu; kho cũ được giữ nguyên. / Build refused; the previous warehouse "
              "is untouched.", file=sys.stderr)
        return 1
    print(f"{result.path}: {result.observations} observations, {result.budget_rows} budget rows, "
          f"{result.files} files, {result.seconds:.2f} s")
    return 0


def _merge_csv(parts: list[Path], out: Path, key: str | None) -> None:
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    seen: set[str] = set()
    for p in parts:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = header or list(reader.fieldnames or [])
            for r in reader:
                if key and r.get(key) in seen:
                    continue
                seen.add(r.get(key, ""))
                rows.append(r)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header or [], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def _cmd_check_draft(args: argparse.Namespace) -> int:
    """Check one extraction draft in a scratch copy of data/ (no warehouse is written)."""
    data, kpi, tag = paths.DATA_DIR, paths.KPI_DIR, args.tag
    with tempfile.TemporaryDirectory() as tmp:
        t_data, t_kpi = Path(tmp) / "data", Path(tmp) / "kpis"
        (t_data / "dims").mkdir(parents=True)
        t_kpi.mkdir()
        shutil.copytree(data / "sources", t_data / "sources")
        shutil.copy(data / "sources.csv", t_data / "sources.csv")
        _merge_csv([data / "dims" / "programmes.csv", *sorted((data / "dims" / "drafts").glob("*_programmes.csv"))],
                   t_data / "dims" / "programmes.csv", "id")
        have_dims = (data / "dims" / "agencies.csv").exists() and (data / "dims" / "agency_aliases.csv").exists()
        for name, header in (("agencies.csv", "id,kind,name_vi,name_en,short_vi,region,code,parent_id\n"),
                             ("agency_aliases.csv", "alias,agency_id\n")):
            src = data / "dims" / name
            if have_dims:
                shutil.copy(src, t_data / "dims" / name)
            else:
                (t_data / "dims" / name).write_text(header, encoding="utf-8")
        for folder in ("observations", "budget"):
            (t_data / folder).mkdir()
            if (data / folder / f"{tag}.csv").exists():
                shutil.copy(data / folder / f"{tag}.csv", t_data / folder / f"{tag}.csv")
        _merge_csv([kpi / "indicators.csv", *sorted((kpi / "drafts").glob("*_indicators.csv"))],
                   t_kpi / "indicators.csv", "id")
        targets = kpi / "drafts" / f"{tag}_targets.csv"
        if targets.exists():
            shutil.copy(targets, t_kpi / "targets.csv")
        else:
            (t_kpi / "targets.csv").write_text(
                "indicator_id,comparator,value,unit,year,source_file,source_quote,note\n", encoding="utf-8")
        try:
            result = build(data_dir=t_data, db_path=Path(tmp) / "w.duckdb", kpi_dir=t_kpi)
        except ValidationFailed as exc:
            issues = exc.issues
            if not have_dims:
                issues = [i for i in issues if i.column != "entity"]
            if issues:
                print("\n".join(str(i) for i in issues))
                print(f"{len(issues)} errors")
                return 1
            print("clean (entities not checked: data/dims/agencies.csv is not there yet)")
            return 0
        print(f"clean: {result.observations} observations, {result.budget_rows} budget rows")
        return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from etl import submissions

    out = Path(args.out)
    if out.suffix.lower() not in submissions.EXTENSIONS:
        print("Tệp ra phải có đuôi .xlsx hoặc .csv / the output file must end in .xlsx or .csv", file=sys.stderr)
        return 2
    submissions.make_template(args.kind, out)
    print(f"{out}: biểu mẫu / template '{args.kind}'")
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    from etl import submissions

    try:
        result = submissions.load(args.file, dry_run=args.dry_run, loaded_by=args.by)
    except submissions.UnreadableFile as exc:
        print(str(exc.issue), file=sys.stderr)
        if args.report:
            Path(args.report).write_text(submissions.report_csv([exc.issue]), encoding="utf-8")
        return 2
    if result.status == "rejected":
        print(submissions.report_text(result.issues), file=sys.stderr)
        if args.report:
            Path(args.report).write_text(submissions.report_csv(result.issues), encoding="utf-8")
        print(f"{args.file}: {result.message}", file=sys.stderr)
        return 1
    if args.report:  # an empty report: the header only
        Path(args.report).write_text(submissions.report_csv([]), encoding="utf-8")
    print(f"{args.file}: {result.message} [{result.kind}, sha256 {result.sha256[:12]}]")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="validate data/ and build the DuckDB warehouse")
    b.add_argument("--db", help="warehouse path (default: $NQ57_DB or data/warehouse.duckdb)")
    b.add_argument("--report", help="write the errors as CSV to this file")
    b.set_defaults(fn=_cmd_build)
    c = sub.add_parser("check-draft", help="check one extraction draft (observations/TAG.csv, budget/TAG.csv)")
    c.add_argument("tag")
    c.set_defaults(fn=_cmd_check_draft)
    t = sub.add_parser("template", help="write a submission template (.xlsx or .csv by the suffix of --out)")
    t.add_argument("kind", choices=["indicators", "tasks", "budget", "products"])
    t.add_argument("--out", required=True)
    t.set_defaults(fn=_cmd_template)
    ld = sub.add_parser("load", help="validate and load an agency submission (.xlsx or .csv)")
    ld.add_argument("file")
    ld.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    ld.add_argument("--report", help="write the errors as CSV to this file")
    ld.add_argument("--by", default="cli", help="who loads the file (recorded in the manifest)")
    ld.set_defaults(fn=_cmd_load)
    args = parser.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
