"""Command line: `python -m etl build` builds the warehouse; `python -m etl template KIND --out FILE` writes a
submission template; `python -m etl propose REPORT --out FILE` proposes a report's figures for review; `python -m etl
load FILE` loads a submission or a reviewed proposals file (exit 0 loaded or unchanged, 1 rejected and nothing
written, 2 unreadable file or bad usage)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

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


def _cmd_template(args: argparse.Namespace) -> int:
    from etl.sheets import EXTENSIONS, KINDS  # the submission parser: imported by the commands that need it
    from etl.templates import make_template

    if args.kind not in KINDS:
        print(f"Loại biểu mẫu không có / unknown template kind '{args.kind}': {', '.join(KINDS)}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.suffix.lower() not in EXTENSIONS:
        print("Tệp ra phải có đuôi .xlsx hoặc .csv / the output file must end in .xlsx or .csv", file=sys.stderr)
        return 2
    make_template(args.kind, out)
    print(f"{out}: biểu mẫu / template '{args.kind}'")
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    from etl import submissions

    try:
        result = submissions.load(args.file, dry_run=args.dry_run, loaded_by=args.by, source=args.source)
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


def _cmd_propose(args: argparse.Namespace) -> int:
    from etl.propose import propose, write_proposals
    from etl.reports import BadReport
    from etl.text import parse_date

    report = Path(args.report)
    out = Path(args.out) if args.out else report.with_name(report.stem + ".proposals.xlsx")
    if out.suffix.lower() not in (".xlsx", ".csv"):
        print("Tệp ra phải có đuôi .xlsx hoặc .csv / the output file must end in .xlsx or .csv", file=sys.stderr)
        return 2
    as_of = None
    if args.as_of:
        as_of, why = parse_date(args.as_of)
        if why:
            print(f"Ngày không hợp lệ / invalid date '{args.as_of}' (dd/mm/yyyy)", file=sys.stderr)
            return 2
    try:
        frame = propose(report, as_of=as_of)
    except BadReport as exc:
        print(f"{exc.name}: {exc.vi} / {exc.en}. Không ghi gì / nothing written.", file=sys.stderr)
        return 2
    write_proposals(frame, out)
    print(f"{out}: {len(frame)} đề xuất / proposals from {report.name} (ngày báo cáo / report date "
          f"{frame.attrs['report_date']}); đánh dấu x ở cột 'Nhận' rồi / mark x in 'Nhận', then: python -m etl load {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="validate data/ and build the DuckDB warehouse")
    b.add_argument("--db", help="warehouse path (default: $NQ57_DB or data/warehouse.duckdb)")
    b.add_argument("--report", help="write the errors as CSV to this file")
    b.set_defaults(fn=_cmd_build)
    t = sub.add_parser("template", help="write a submission template (.xlsx or .csv by the suffix of --out)")
    t.add_argument("kind", help="indicators, tasks, budget or products")
    t.add_argument("--out", required=True)
    t.set_defaults(fn=_cmd_template)
    ld = sub.add_parser("load", help="validate and load an agency submission (.xlsx or .csv)")
    ld.add_argument("file")
    ld.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    ld.add_argument("--report", help="write the errors as CSV to this file")
    ld.add_argument("--by", default="cli", help="who loads the file (recorded in the manifest)")
    ld.add_argument("--source", help="a reviewed proposals file: the report it comes from (else looked for beside it)")
    ld.set_defaults(fn=_cmd_load)
    pr = sub.add_parser("propose", help="propose the figures of a report (.docx, .pdf, .txt) for review")
    pr.add_argument("report")
    pr.add_argument("--out", help="proposals.xlsx or proposals.csv (default: <report>.proposals.xlsx beside it)")
    pr.add_argument("--as-of", help="the report's date, dd/mm/yyyy (default: the date it gives itself)")
    pr.set_defaults(fn=_cmd_propose)
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except (OSError, duckdb.Error) as exc:  # a full disk, a read-only folder, a locked warehouse: nothing was changed
        reason = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) and exc.strerror else str(exc)
        print(f"Không đọc hoặc ghi được dữ liệu; không có gì thay đổi / Could not read or write the data; nothing "
              f"changed: {reason.splitlines()[0]}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
