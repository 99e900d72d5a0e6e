"""What every load shares, a template's (etl.submissions) and a reviewed proposals file's (etl.intake): the file
read, its parsed rows as Parquet, whether the warehouse holds it, and recording it (archive, manifest, rebuild) all
or nothing. The order, and what a load killed at any moment leaves, is in data/submissions/README.md."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import archive, build, inputs, paths, sheets
from etl.inputs import Rows
from etl.issues import Issue, ValidationFailed
from etl.sheets import EXTENSIONS, Parsed, UnreadableFile


def store(data: Rows, path: Path) -> None:
    """Parsed rows as Parquet, as the build reads them."""
    with duckdb.connect() as con:
        inputs.load(con, "parsed", data)
        con.table("parsed").write_parquet(str(path))


def read_submission(path: Path, name: str) -> bytes:
    """The file's bytes, `name` naming it in an error: one over the size limit is not read (a stand-in of that size,
    which the parsers refuse); raises UnreadableFile when it is not .xlsx or .csv or cannot be read."""
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


UNCHANGED = "đã nạp trước đó, không thay đổi gì / already loaded, nothing changed"


def in_warehouse(sha: str, db_path: Path | None) -> bool:
    """Whether the warehouse was built with the submission (a load killed before its rebuild had swapped the new
    warehouse in leaves it in the manifest only)."""
    path = Path(db_path or paths.warehouse_path())
    if not path.exists():
        return False
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS w (READ_ONLY)", [str(path)])
        return con.execute("SELECT count(*) FROM w.load_log WHERE sha256 = ?", [sha]).fetchone()[0] > 0


def record(raw: bytes, sha: str, name: str, suffix: str, parsed: Parsed, parsed_rows: Path, loaded_by: str,
           data_dir: Path, db_path: Path | None, kpi_dir: Path | None, extra: dict[Path, bytes] | None = None,
           source: str = "") -> LoadResult | None:
    """Archive the file and its rows, add it to the manifest and rebuild; on a failure put back every file this
    load wrote (and return the rebuild's findings, or raise). `extra` files (a report and its text, etl.intake) are
    written first, each unless it is there already; `source` names that report in the manifest."""
    folder = archive.folder(data_dir)
    with paths.locked(folder / ".lock"):
        for stale in folder.glob("*.tmp"):  # written by a load that died: none runs now, we hold the lock
            stale.unlink()
        entries = archive.read_manifest(data_dir)
        listed = any(e.get("sha256") == sha for e in entries)
        if listed and in_warehouse(sha, db_path):  # another load won the race
            return LoadResult("unchanged", sha, parsed.kind, parsed.rows, [], UNCHANGED)
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
