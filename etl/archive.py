"""The loaded submissions: data/submissions/manifest.csv, each original kept as <sha256>.<ext> and its rows, parsed
once at load, as <sha256>.parquet; and all of them as staging rows for the build."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from etl import paths, sheets
from etl.inputs import table
from etl.issues import Issue

MANIFEST_COLUMNS = ("sha256", "original_name", "kind", "rows", "loaded_at", "loaded_by")
FOLDER = "submissions"  # under data/
_EXTRA = [("file", pa.string()), ("is_submission", pa.bool_()), ("source_file", pa.string()),
          ("conflict_id", pa.string()), ("loaded_at", pa.timestamp("us")), ("load_order", pa.int64())]
# The staging shape of submitted rows, as etl/sql/staging.sql unions them with the curated ones.
SCHEMA = {part: pa.schema(list(s) + [pa.field(*f) for f in _EXTRA]) for part, s in sheets.ROW_SCHEMA.items()}
SOURCE_SCHEMA = pa.schema([(c, pa.string()) for c in ("id", "source_file", "issuer_vi", "issuer_en", "title_vi",
                                                        "title_en")] + [("report_date", pa.date32()),
                                                                        ("note", pa.string()), ("file", pa.string()),
                                                                        ("row", pa.int64())])


def folder(data_dir: Path | None = None) -> Path:
    return Path(data_dir or paths.data_dir()) / FOLDER


def read_manifest(data_dir: Path | None = None) -> list[dict[str, str]]:
    """The manifest's entries in load order; an absent or empty manifest means no submissions."""
    path = folder(data_dir) / "manifest.csv"
    if not path.exists() or not path.read_bytes().strip():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [dict(r) for r in csv.DictReader(fh)]


def archived_name(sha: str, ext: str) -> str:
    return f"{sha}{ext.lower()}"


@dataclass
class Staged:
    """Every loaded submission as staging rows, its source row and load-log row, or what stops the build."""

    obs: pa.Table = field(default_factory=lambda: table(SCHEMA["obs"]))
    bud: pa.Table = field(default_factory=lambda: table(SCHEMA["bud"]))
    sources: pa.Table = field(default_factory=lambda: table(SOURCE_SCHEMA))
    log: list[tuple] = field(default_factory=list)  # rows of the load log
    issues: list[Issue] = field(default_factory=list)


def as_staged(parsed: sheets.Parsed, entry: dict[str, str], order: int, rel: str, size: int,
              file: str | None = None) -> Staged:
    """One parsed submission (`rel` = its path under data/) as staging rows of load number `order`; their file is
    data/`rel` unless `file` names it otherwise."""
    loaded_at = dt.datetime.fromisoformat(entry["loaded_at"])
    if loaded_at.tzinfo is not None:
        loaded_at = loaded_at.astimezone().replace(tzinfo=None)
    rows = parsed.table
    extra = {"file": file or f"data/{rel}", "is_submission": True, "source_file": rel, "conflict_id": None,
             "loaded_at": loaded_at, "load_order": order}
    for name, typ in _EXTRA:
        rows = rows.append_column(pa.field(name, typ), pa.array([extra[name]] * rows.num_rows, typ))
    who, name = entry.get("loaded_by") or "", entry.get("original_name") or ""
    source = table(SOURCE_SCHEMA, [(f"sub_{entry['sha256'][:12]}", rel, who, who, name, name, loaded_at.date(),
                                    f"agency submission ({parsed.kind}, {parsed.rows} rows)",
                                    f"data/{FOLDER}/manifest.csv", order)])
    log = [(f"data/{rel}", entry["sha256"], size, parsed.rows, loaded_at, FOLDER)]
    return Staged(**{parsed.part: rows.select(SCHEMA[parsed.part].names)}, sources=source, log=log)


def staged(data_dir: Path, kpi_dir: Path) -> Staged:
    """Every submission of the manifest, in load order, as the build stages it: the rows stored at load, or the
    original parsed again when they are not there."""
    out, parts = Staged(), {"obs": [], "bud": [], "sources": []}
    manifest = f"data/{FOLDER}/manifest.csv"
    ref, seen = None, set()
    for line, e in enumerate(read_manifest(data_dir), start=2):
        sha = (e.get("sha256") or "").strip()
        rel = f"{FOLDER}/{archived_name(sha, Path(e.get('original_name') or '').suffix)}"
        path = data_dir / rel
        try:
            dt.datetime.fromisoformat((e.get("loaded_at") or "").strip())
        except ValueError:
            out.issues.append(Issue(manifest, line, "loaded_at", e.get("loaded_at"), "thời điểm nạp không hợp lệ",
                                    "loaded_at is not an ISO timestamp"))
            continue
        if sha in seen or not re.fullmatch(r"[0-9a-f]{64}", sha) or not path.exists():
            out.issues.append(Issue(manifest, line, "sha256", sha, "tệp nộp đã lưu bị thiếu hoặc trùng",
                                    "archived submission is missing or listed twice"))
            continue
        seen.add(sha)
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha:
            out.issues.append(Issue(manifest, line, "sha256", sha, "tệp nộp đã lưu bị thay đổi (sha256 không khớp)",
                                    "archived submission was altered (sha256 differs)"))
            continue
        stored = path.with_suffix(".parquet")
        if stored.exists():
            parsed = sheets.Parsed(e.get("kind"), int(e.get("rows") or 0), pq.read_table(stored), [])
        else:
            ref = ref or sheets.Reference.load(data_dir, kpi_dir)
            try:
                parsed = sheets.parse_bytes(raw, f"data/{rel}", path.suffix, ref)
            except sheets.UnreadableFile as exc:
                parsed = sheets.Parsed(None, 0, None, [exc.issue])
            if parsed.issues or parsed.table is None:
                out.issues += parsed.issues
                continue
        one = as_staged(parsed, e, line, rel, len(raw))
        for part in parts:
            parts[part].append(getattr(one, part))
        out.log += one.log
    for part, tables in parts.items():
        if tables:
            setattr(out, part, pa.concat_tables([getattr(out, part), *tables]))
    return out
