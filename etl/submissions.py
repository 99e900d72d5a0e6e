"""Agency submissions: check one file by the rules every figure meets, then load it.

`load()` parses the file once (etl.sheets), judges its rows with the build's own rules (etl/sql/), keeps the original
as data/submissions/<sha256>.<ext> with its parsed rows beside it (<sha256>.parquet), records it in the manifest
and rebuilds the warehouse; any failure puts every file back as it was. Rules and limits: data/submissions/README.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import archive, build, inputs, paths, sheets
from etl.inputs import Rows
from etl.issues import Issue, ValidationFailed, ordered, report_csv, report_text  # noqa: F401 (the reports of a load)
from etl.sheets import EXTENSIONS, KEY_COLUMN, KINDS, VALUE_COLUMN, Parsed, Reference, UnreadableFile, parse_bytes

REPORT_COLUMNS = ("file", "sheet", "row", "column", "value", "reason_vi", "reason_en")  # of report_csv


def _labels(kind: str) -> dict[str, str]:
    """The template header of each staging column a rule may name, for this kind."""
    labels = {c.key: c.vi for c in KINDS[kind]}
    value = labels[VALUE_COLUMN[kind]]
    return labels | {"value": value, "indicator_id": labels.get("indicator_id", value), "source_quote": labels["source"],
                     "key": labels[KEY_COLUMN[kind]]}


def store(data: Rows, path: Path) -> None:
    """Parsed rows as Parquet, as the build reads them."""
    with duckdb.connect() as con:
        inputs.load(con, "parsed", data)
        con.table("parsed").write_parquet(str(path))


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


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        if path.stat().st_size > sheets.MAX_BYTES:
            return b"\0" * (sheets.MAX_BYTES + 1)  # parse_bytes refuses it by size without reading it
        if path.suffix.lower() not in EXTENSIONS:
            raise UnreadableFile(name, f"định dạng tệp không được hỗ trợ ({path.suffix or 'không có đuôi'}); "
                                 "cần .xlsx hoặc .csv",
                                 f"unsupported file type ({path.suffix or 'no extension'}); use .xlsx or .csv")
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(name, f"không đọc được tệp: {exc.strerror or exc}",
                             f"cannot read the file: {exc.strerror or exc}") from exc


def _parse(path: Path, name: str, data_dir: Path | None, kpi_dir: Path | None, stored: Path
           ) -> tuple[bytes, Parsed, list[Issue]]:
    """The file read, parsed once into `stored` (Parquet) and checked from there."""
    raw = _read_bytes(path, name)
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


@dataclass(frozen=True)
class LoadResult:
    status: str  # loaded | unchanged | rejected | dry_run_ok
    sha256: str
    kind: str | None
    rows: int
    issues: list[Issue]
    message: str = ""


def _manifest_bytes(entries: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(archive.MANIFEST_COLUMNS), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(entries)
    return buf.getvalue().encode("utf-8")


_UNCHANGED = "đã nạp trước đó, không thay đổi gì / already loaded, nothing changed"


def load(path: str | Path, dry_run: bool = False, loaded_by: str = "cli", data_dir: Path | None = None,
         db_path: Path | None = None, kpi_dir: Path | None = None, original_name: str | None = None,
         source: str | Path | None = None) -> LoadResult:
    """Check, archive, record and rebuild. Raises UnreadableFile when the file cannot be read at all. A reviewed
    proposals file (etl.propose) is loaded by etl.intake, its report found at `source` or beside it."""
    path = Path(path)
    # the name as the manifest and the sources list show it: the file's own name, no folders, nothing invisible
    name = re.sub(r"[\x00-\x1f\x7f]", "", Path(original_name or path.name).name)[:200] or f"submission{path.suffix}"
    data_dir = Path(data_dir or paths.data_dir())
    raw = _read_bytes(path, name)
    if _is_proposals(raw, name, path.suffix):
        from etl import intake

        return intake.load_proposals(path, source, loaded_by, dry_run, data_dir, db_path, kpi_dir, original_name)
    sha = hashlib.sha256(raw).hexdigest()
    known = next((e for e in archive.read_manifest(data_dir) if e.get("sha256") == sha), None)
    if known is not None and not dry_run and _in_warehouse(sha, db_path):
        return LoadResult("unchanged", sha, known.get("kind"), int(known.get("rows") or 0), [], _UNCHANGED)
    with paths.scratch_folder("load") as tmp:
        parsed_rows = tmp / "rows.parquet"
        raw, parsed, issues = _parse(path, name, data_dir, kpi_dir, parsed_rows)
        if issues:
            return LoadResult("rejected", sha, parsed.kind, parsed.rows, issues,
                              "tệp bị từ chối, không ghi gì / file rejected, nothing written")
        if dry_run:
            return LoadResult("dry_run_ok", sha, parsed.kind, parsed.rows, [],
                              "hợp lệ (chạy thử, chưa nạp) / valid (dry run, not loaded)")
        failed = _record(raw, sha, name, path.suffix, parsed, parsed_rows, loaded_by, data_dir, db_path,
                         kpi_dir)
    return failed or LoadResult("loaded", sha, parsed.kind, parsed.rows, [],
                                f"đã nạp / loaded: {name} ({parsed.kind}, {parsed.rows} dòng/rows)")


def _is_proposals(raw: bytes, name: str, suffix: str) -> bool:
    """Whether a file is a reviewed proposals file (its header has the review columns), not a template."""
    from etl.intake import is_proposals

    if len(raw) > sheets.MAX_BYTES or suffix.lower() not in EXTENSIONS:
        return False
    try:
        return is_proposals(sheets.read_sheet(raw, name, suffix.lower()).header)
    except UnreadableFile:
        return False


def _in_warehouse(sha: str, db_path: Path | None) -> bool:
    """Whether the warehouse was built with the submission (a load killed before its rebuild had swapped the new
    warehouse in leaves it in the manifest only)."""
    path = Path(db_path or paths.warehouse_path())
    if not path.exists():
        return False
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS w (READ_ONLY)", [str(path)])
        return con.execute("SELECT count(*) FROM w.load_log WHERE sha256 = ?", [sha]).fetchone()[0] > 0


def _record(raw: bytes, sha: str, name: str, suffix: str, parsed: Parsed, parsed_rows: Path, loaded_by: str,
            data_dir: Path, db_path: Path | None, kpi_dir: Path | None, extra: dict[Path, bytes] | None = None,
            source: str = "") -> LoadResult | None:
    """Archive the file and its rows, add it to the manifest and rebuild; on a failure put back every file this
    load wrote (and return the rebuild's findings, or raise). `extra` files (a report and its text, etl.intake) are
    written first, each unless it is there already; `source` names that report in the manifest. The order, and what
    a load killed at any moment leaves, is in data/submissions/README.md."""
    folder = archive.folder(data_dir)
    with paths.locked(folder / ".lock"):
        for stale in folder.glob("*.tmp"):  # written by a load that died: none runs now, we hold the lock
            stale.unlink()
        entries = archive.read_manifest(data_dir)
        listed = any(e.get("sha256") == sha for e in entries)
        if listed and _in_warehouse(sha, db_path):  # another load won the race
            return LoadResult("unchanged", sha, parsed.kind, parsed.rows, [], _UNCHANGED)
        manifest = folder / "manifest.csv"
        before = manifest.read_bytes() if manifest.exists() else None
        original = folder / archive.archived_name(sha, Path(name).suffix or suffix)
        stored = original.with_suffix(".parquet")
        extra = extra or {}
        kept = {p: p.read_bytes() for p in extra if p.exists() and p.suffix == ".json"}  # rewritten: put back
        written = [p for p in (*extra, original, stored) if not p.exists()]
        entry = dict(sha256=sha, original_name=name, kind=parsed.kind, rows=str(parsed.rows),
                     loaded_at=dt.datetime.now().isoformat(timespec="seconds"), loaded_by=loaded_by, source=source)
        try:
            for p, body in extra.items():
                if p in written or p in kept:
                    paths.write_atomic(p, body)
            if original in written:
                paths.write_atomic(original, raw)
            if stored in written:
                paths.write_atomic(stored, parsed_rows.read_bytes())
            if not listed:  # listed already: a load died before its rebuild; the rebuild below finishes it
                paths.write_atomic(manifest, _manifest_bytes(entries + [entry]))
            build.build(data_dir, db_path, kpi_dir)
        except BaseException as exc:
            if not listed:
                if before is None:
                    manifest.unlink(missing_ok=True)
                else:
                    paths.write_atomic(manifest, before)
            for p in written:
                p.unlink(missing_ok=True)
            for p, body in kept.items():
                paths.write_atomic(p, body)
            if isinstance(exc, ValidationFailed):
                return LoadResult("rejected", sha, parsed.kind, parsed.rows, list(exc.issues),
                                  "nạp lại kho dữ liệu thất bại; đã hoàn tác / rebuilding the warehouse failed; undone")
            raise
    return None
