"""Agency submissions: check one file by the rules every figure meets, then load it.

`load()` parses the file once (etl.sheets), judges its rows with the build's own rules (etl/sql/), keeps the original
as data/submissions/<sha256>.<ext> with its parsed rows beside it (<sha256>.parquet), records it in the manifest
and rebuilds the warehouse (etl.loading); any failure puts every file back as it was. A reviewed proposals file
(etl.proposals) is handed to etl.intake. Rules and limits: data/submissions/README.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import duckdb

from etl import archive, build, inputs, intake, paths, sheets
from etl.issues import Issue, ordered, report_csv, report_text  # noqa: F401 (the reports of a load)
from etl.loading import UNCHANGED, LoadResult, in_warehouse, read_submission, record, store
from etl.proposals import is_proposals
from etl.sheets import EXTENSIONS, KEY_COLUMN, KINDS, VALUE_COLUMN, Parsed, Reference, UnreadableFile, parse_bytes

REPORT_COLUMNS = ("file", "sheet", "row", "column", "value", "reason_vi", "reason_en")  # of report_csv


def _labels(kind: str) -> dict[str, str]:
    """The template header of each staging column a rule may name, for this kind."""
    labels = {c.key: c.vi for c in KINDS[kind]}
    value = labels[VALUE_COLUMN[kind]]
    return labels | {"value": value, "indicator_id": labels.get("indicator_id", value), "source_quote": labels["source"],
                     "key": labels[KEY_COLUMN[kind]]}


def check(parsed: Parsed, data_dir: Path | None = None, kpi_dir: Path | None = None,
          stored: Path | None = None) -> list[Issue]:
    """What reading found wrong, and what the rules of the build find in the rows (read from `stored`, their
    Parquet, when given), named as the template names its columns."""
    if parsed.data is None:
        return ordered(parsed.issues)
    data_dir, kpi_dir = Path(data_dir or paths.data_dir()), Path(kpi_dir or paths.kpi_dir())
    files, tables, issues = inputs.read_all(data_dir, kpi_dir, figures=False)
    entry = {"sha256": "0" * 64, "loaded_at": dt.datetime.now().isoformat(timespec="seconds"), "original_name": ""}
    staged = archive.Staged()
    staged.add(stored or parsed.data, parsed, entry, 1, f"{archive.FOLDER}/{parsed.sheet.name}", 0, parsed.sheet.name)
    with duckdb.connect() as con:
        build.stage(con, tables, staged)
        found = build.validate(con)
    labels = _labels(parsed.kind)
    sheet = parsed.sheet.sheet if parsed.sheet else None
    return ordered(issues + parsed.issues + [
        Issue(i.file, i.row, labels.get(i.column, i.column), i.value, i.reason_vi, i.reason_en, sheet)
        if i.file == parsed.sheet.name else i for i in found])


def _parse(path: Path, name: str, data_dir: Path | None, kpi_dir: Path | None, stored: Path
           ) -> tuple[bytes, Parsed, list[Issue]]:
    """The file read, parsed once into `stored` (Parquet) and checked from there."""
    raw = read_submission(path, name)
    parsed = parse_bytes(raw, name, Path(name).suffix or path.suffix, Reference.load(data_dir, kpi_dir))
    if parsed.data is not None:
        store(parsed.data, stored)
    return raw, parsed, check(parsed, data_dir, kpi_dir, stored if parsed.data is not None else None)


def validate_file(path: str | Path, data_dir: Path | None = None, kpi_dir: Path | None = None,
                  name: str | None = None) -> tuple[str | None, int, list[Issue]]:
    """(kind, data rows, issues) of a submission; raises UnreadableFile when it cannot be read at all."""
    path = Path(path)
    with paths.scratch_folder("check") as tmp:
        _, parsed, issues = _parse(path, name or path.name, data_dir, kpi_dir, tmp / "rows.parquet")
    return parsed.kind, parsed.rows, issues


def load(path: str | Path, dry_run: bool = False, loaded_by: str = "cli", data_dir: Path | None = None,
         db_path: Path | None = None, kpi_dir: Path | None = None, original_name: str | None = None,
         source: str | Path | None = None) -> LoadResult:
    """Check, archive, record and rebuild. Raises UnreadableFile when the file cannot be read at all. A reviewed
    proposals file (etl.propose) is loaded by etl.intake, its report found at `source` or beside it."""
    path = Path(path)
    # the name as the manifest and the sources list show it: the file's own name, no folders, nothing invisible
    name = re.sub(r"[\x00-\x1f\x7f]", "", Path(original_name or path.name).name)[:200] or f"submission{path.suffix}"
    data_dir = Path(data_dir or paths.data_dir())
    raw = read_submission(path, name)
    if _is_proposals(raw, name, path.suffix):
        return intake.load_proposals(path, source, loaded_by, dry_run, data_dir, db_path, kpi_dir, original_name)
    sha = hashlib.sha256(raw).hexdigest()
    known = next((e for e in archive.read_manifest(data_dir) if e.get("sha256") == sha), None)
    if known is not None and not dry_run and in_warehouse(sha, db_path):
        return LoadResult("unchanged", sha, known.get("kind"), int(known.get("rows") or 0), [], UNCHANGED)
    with paths.scratch_folder("load") as tmp:
        parsed_rows = tmp / "rows.parquet"
        raw, parsed, issues = _parse(path, name, data_dir, kpi_dir, parsed_rows)
        if issues:
            return LoadResult("rejected", sha, parsed.kind, parsed.rows, issues,
                              "tệp bị từ chối, không ghi gì / file rejected, nothing written")
        if dry_run:
            return LoadResult("dry_run_ok", sha, parsed.kind, parsed.rows, [],
                              "hợp lệ (chạy thử, chưa nạp) / valid (dry run, not loaded)")
        failed = record(raw, sha, name, path.suffix, parsed, parsed_rows, loaded_by, data_dir, db_path, kpi_dir)
    return failed or LoadResult("loaded", sha, parsed.kind, parsed.rows, [],
                                f"đã nạp / loaded: {name} ({parsed.kind}, {parsed.rows} dòng/rows)")


def _is_proposals(raw: bytes, name: str, suffix: str) -> bool:
    """Whether a file is a reviewed proposals file (its header has the review columns), not a template."""
    if len(raw) > sheets.MAX_BYTES or suffix.lower() not in EXTENSIONS:
        return False
    try:
        return is_proposals(sheets.read_sheet(raw, name, suffix.lower()).header)
    except UnreadableFile:
        return False
