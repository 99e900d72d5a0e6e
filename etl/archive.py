"""The loaded submissions: data/submissions/manifest.csv, each original kept as <sha256>.<ext> and its rows, parsed
once at load, as <sha256>.parquet; and all of them as the build stages them."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from etl import paths
from etl.inputs import Rows
from etl.issues import Issue

if TYPE_CHECKING:
    from etl.sheets import Parsed

# `source`: for a reviewed report's proposals (kind `report`, etl.intake), the archived report they quote
MANIFEST_COLUMNS = ("sha256", "original_name", "kind", "rows", "loaded_at", "loaded_by", "source")
FOLDER = "submissions"  # under data/
# What the build adds to a submission's rows (etl/sql/staging.sql unions them with the curated figures).
EXTRA = {"file": "VARCHAR", "is_submission": "BOOLEAN", "source_file": "VARCHAR", "conflict_id": "VARCHAR",
         "loaded_at": "TIMESTAMP", "load_order": "BIGINT"}
SOURCE_COLUMNS = {c: "VARCHAR" for c in ("id", "source_file", "issuer_vi", "issuer_en", "title_vi", "title_en")} | {
    "report_date": "DATE", "note": "VARCHAR", "file": "VARCHAR", "row": "BIGINT"}


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


@dataclass(frozen=True)
class Submission:
    part: str  # the staging table its rows join: obs (figures) or bud (budget rows)
    rows: Path | Rows  # its rows stored at load (Parquet), or parsed in this process
    extra: dict[str, object]  # the values of EXTRA


@dataclass
class Staged:
    """Every loaded submission as the build stages it, its source rows and load-log rows, or what stops the build."""

    submissions: list[Submission] = field(default_factory=list)
    sources: list[tuple] = field(default_factory=list)  # rows of SOURCE_COLUMNS
    log: list[tuple] = field(default_factory=list)  # rows of the load log
    issues: list[Issue] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (source_file, text) of the reports loaded

    def add_report(self, rel: str, text: str, meta: dict[str, str], order: int, rows: int) -> None:
        """A report whose proposals were loaded (`rel` = its path under data/): its text, which the quotes are
        checked against, and its row in `sources` (once, however many reviewed files quote it)."""
        sid = f"sub_{Path(rel).stem[:12]}"
        if any(s[0] == sid for s in self.sources):
            return
        try:
            date = dt.date.fromisoformat(meta.get("report_date") or "")
        except ValueError:
            date = None
        name = meta.get("report") or Path(rel).name
        self.texts.append((rel, text))
        self.sources.append((sid, rel, meta.get("issuer") or "", meta.get("issuer") or "", meta.get("title") or name,
                             meta.get("title") or name, date, f"report loaded from reviewed proposals ({name})",
                             f"data/{FOLDER}/manifest.csv", order))

    def add(self, rows: Path | Rows, parsed: Parsed, entry: dict[str, str], order: int, rel: str, size: int,
            file: str | None = None, source: str | None = None) -> None:
        """One submission (`rel` = its path under data/) of load number `order`; its rows name data/`rel` as their
        file unless `file` says otherwise, and `rel` as their source unless `source` (a report they quote) does."""
        loaded_at = dt.datetime.fromisoformat(entry["loaded_at"])
        if loaded_at.tzinfo is not None:
            loaded_at = loaded_at.astimezone().replace(tzinfo=None)
        self.submissions.append(Submission(parsed.part, rows, {
            "file": file or f"data/{rel}", "is_submission": True, "source_file": source or rel, "conflict_id": None,
            "loaded_at": loaded_at, "load_order": order}))
        if source:  # the report is the source (add_report), the reviewed file only its rows
            self.log.append((f"data/{rel}", entry["sha256"], size, parsed.rows, loaded_at, FOLDER))
            return
        who, name = entry.get("loaded_by") or "", entry.get("original_name") or ""
        self.sources.append((f"sub_{entry['sha256'][:12]}", rel, who, who, name, name, loaded_at.date(),
                             f"agency submission ({parsed.kind}, {parsed.rows} rows)", f"data/{FOLDER}/manifest.csv",
                             order))
        self.log.append((f"data/{rel}", entry["sha256"], size, parsed.rows, loaded_at, FOLDER))


def staged(data_dir: Path, kpi_dir: Path) -> Staged:
    """Every submission of the manifest, in load order: the rows stored at load, or the original parsed again when
    they are not there."""
    out, ref, seen, entries = Staged(), None, set(), read_manifest(data_dir)
    if not entries:
        return out
    from etl import sheets  # the parser: for submissions only, not for every build

    manifest = f"data/{FOLDER}/manifest.csv"
    for line, e in enumerate(entries, start=2):
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
        source = None
        if e.get("kind") == "report":
            source = _report(data_dir, e, line, out)
            if source is None:
                continue
        stored = path.with_suffix(".parquet")
        if stored.exists() and source:
            out.add(stored, sheets.Parsed(e.get("kind"), int(e.get("rows") or 0), None, []), e, line, rel, len(raw),
                    source=source)
            continue
        if source:
            from etl.proposals import parse_reviewed  # as the load read it (etl.intake)

            parsed = parse_reviewed(raw, f"data/{rel}", path.suffix, data_dir, kpi_dir)
            if parsed.issues or parsed.data is None:
                out.issues += parsed.issues
            else:
                out.add(parsed.data, parsed, e, line, rel, len(raw), source=source)
            continue
        if stored.exists():
            out.add(stored, sheets.Parsed(e.get("kind"), int(e.get("rows") or 0), None, []), e, line, rel, len(raw))
            continue
        ref = ref or sheets.Reference.load(data_dir, kpi_dir)
        try:
            parsed = sheets.parse_bytes(raw, f"data/{rel}", path.suffix, ref)
        except sheets.UnreadableFile as exc:
            parsed = sheets.Parsed(None, 0, None, [exc.issue])
        if parsed.issues or parsed.data is None:
            out.issues += parsed.issues
        else:
            out.add(parsed.data, parsed, e, line, rel, len(raw))
    return out


def report_files(data_dir: Path, source: str) -> tuple[Path, Path, Path]:
    """The archived report `source` (<sha256>.<ext>), the file of its text and the file of what `sources` says of it."""
    original = folder(data_dir) / Path(source).name
    return original, original.with_suffix(".txt"), original.with_suffix(".json")


def _report(data_dir: Path, e: dict[str, str], line: int, out: Staged) -> str | None:
    """The report a reviewed file quotes, checked and added to `out`; its path under data/, or None (an issue)."""
    import json

    manifest = f"data/{FOLDER}/manifest.csv"
    src = (e.get("source") or "").strip()
    original, text_file, meta_file = report_files(data_dir, src)
    if not re.fullmatch(r"[0-9a-f]{64}\.(?:txt|docx|pdf)", src) or not original.exists() or not text_file.exists():
        out.issues.append(Issue(manifest, line, "source", src, "báo cáo gốc đã lưu bị thiếu",
                                "the archived report is missing"))
        return None
    if hashlib.sha256(original.read_bytes()).hexdigest() != src.split(".")[0]:
        out.issues.append(Issue(manifest, line, "source", src, "báo cáo gốc đã lưu bị thay đổi (sha256 không khớp)",
                                "the archived report was altered (sha256 differs)"))
        return None
    from etl.reports import read_report

    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
    rel = f"{FOLDER}/{src}"
    out.add_report(rel, read_report(text_file).text, meta, line, int(e.get("rows") or 0))
    return rel
