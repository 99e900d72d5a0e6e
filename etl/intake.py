"""Loading a reviewed proposals file (etl.propose): only the rows the analyst marked x in "Nhận", with the report as
their source.

    load_proposals(path, report=None, loaded_by="cli", dry_run=False, ...) -> etl.loading.LoadResult

The reviewed file is a submission like any other (kept as <sha256>.<ext> with its rows as <sha256>.parquet, a line in
data/submissions/manifest.csv, kind `report`), checked by the build's rules and loaded by the same crash-safe steps
(etl.loading). The report it quotes is kept beside it, unchanged, as <sha256 of the report>.<ext>, with its text
(<sha>.txt) and what `sources` says of it (<sha>.json: file, issuer, title, date); the rows name it as their
source_file, keep their qualifier, range and base, and their quotes are checked verbatim against its text
(etl/sql/rules.sql). Rules and limits: data/submissions/README.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import duckdb

from etl import archive, build, inputs, loading, paths
from etl.issues import Issue, ordered
from etl.proposals import KIND, LABELS, SOURCE_MARK, parse_reviewed, read_info
from etl.reports import BadReport, read_bytes
from etl.sheets import Parsed, UnreadableFile
from etl.text import parse_date


def _report_sha(sources: list[str], name: str) -> str:
    shas = {m.group(1) for s in sources if (m := re.search(SOURCE_MARK + r"([0-9a-f]{64})", s))}
    if len(shas) != 1:
        raise UnreadableFile(name, "các dòng được nhận phải cùng một báo cáo (cột 'Nguồn': '... · sha256:...')",
                             "the accepted rows must all come from one report (column 'Nguồn': '... · sha256:...')")
    return shas.pop()


def _find_report(sha: str, info: dict[str, str], sources: list[str], path: Path, report: Path | None,
                 data_dir: Path, name: str) -> tuple[bytes, str]:
    """The report's bytes and name: the file given, else beside the reviewed file, else already archived."""
    names = [info.get("report", "")] + [s.split(" · ")[0] for s in sources]
    candidates = ([report] if report else []) + [path.parent / Path(n).name for n in names if n]
    candidates += sorted(archive.folder(data_dir).glob(f"{sha}.*"))
    for c in candidates:
        if c.suffix.lower() in (".txt", ".docx", ".pdf") and c.is_file():
            raw = c.read_bytes()
            if hashlib.sha256(raw).hexdigest() == sha:
                return raw, (Path(names[0] or names[-1]).name if c.parent == archive.folder(data_dir) else c.name)
    if report:
        raise UnreadableFile(name, f"tệp báo cáo {report.name} không phải báo cáo của các đề xuất (sha256 khác)",
                             f"the report file {report.name} is not the one the proposals come from (sha256 differs)")
    raise UnreadableFile(name, f"không tìm thấy báo cáo gốc ({names[0] or names[-1]}, sha256 {sha[:12]}…): hãy để "
                         "nó cạnh tệp đề xuất hoặc chỉ ra bằng --source", f"cannot find the report "
                         f"({names[0] or names[-1]}, sha256 {sha[:12]}…): put it beside the proposals file or "
                         "name it with --source")


def load_proposals(path: str | Path, report: str | Path | None = None, loaded_by: str = "cli",
                   dry_run: bool = False, data_dir: Path | None = None, db_path: Path | None = None,
                   kpi_dir: Path | None = None, original_name: str | None = None, issuer: str | None = None,
                   title: str | None = None, report_date: str | None = None) -> loading.LoadResult:
    """Check the rows marked x of a reviewed proposals file (.xlsx or .csv) by the build's rules, then archive the
    file and its report and rebuild (etl.loading: one load at a time, all or nothing). `report` is the report's
    file (else it is looked for beside the proposals file, or among the reports loaded before); `issuer`, `title`
    and `report_date` (yyyy-mm-dd) override what the "Báo cáo" sheet or the report's heading says. Returns a
    LoadResult (loaded / unchanged / rejected / dry_run_ok); raises UnreadableFile when a file cannot be read."""
    path = Path(path)
    name = re.sub(r"[\x00-\x1f\x7f]", "", Path(original_name or path.name).name)[:200] or f"proposals{path.suffix}"
    data_dir = Path(data_dir or paths.data_dir())
    kpi_dir = Path(kpi_dir or paths.kpi_dir())
    raw = loading.read_submission(path, name)
    sha = hashlib.sha256(raw).hexdigest()
    known = next((e for e in archive.read_manifest(data_dir) if e.get("sha256") == sha), None)
    if known is not None and not dry_run and loading.in_warehouse(sha, db_path):
        return loading.LoadResult("unchanged", sha, KIND, int(known.get("rows") or 0), [], loading.UNCHANGED)
    parsed = parse_reviewed(raw, name, path.suffix, data_dir, kpi_dir)
    if parsed.data is None or not parsed.rows:
        return loading.LoadResult("rejected", sha, KIND, parsed.rows, ordered(parsed.issues),
                                  "tệp bị từ chối, không ghi gì / file rejected, nothing written")
    info = read_info(raw, path.suffix.lower())
    rsha = _report_sha(parsed.sources, name)
    rraw, rname = _find_report(rsha, info, parsed.sources, path, Path(report) if report else None, data_dir, name)
    try:
        rep = read_bytes(rraw, rname)
    except BadReport as exc:
        raise UnreadableFile(rname, exc.vi, exc.en) from exc
    source = archive.archived_name(rsha, rep.ext)
    meta = {"report": rep.name, "sha256": rsha, "issuer": rep.issuer, "title": rep.title,
            "report_date": rep.date.isoformat() if rep.date else ""}
    meta |= {k: v for k, v in info.items() if v and k in ("issuer", "title", "report_date")}
    meta |= {k: v for k, v in (("issuer", issuer), ("title", title), ("report_date", report_date)) if v}
    try:
        meta["report_date"] = dt.date.fromisoformat(meta["report_date"]).isoformat() if meta["report_date"] else ""
    except ValueError:
        d, _ = parse_date(meta["report_date"])
        meta["report_date"] = d.isoformat() if d else ""
    rel = f"{archive.FOLDER}/{source}"
    with paths.scratch_folder("load") as tmp:
        stored = tmp / "rows.parquet"
        loading.store(parsed.data, stored)
        issues = _check(parsed, stored, rel, rep.text, meta, data_dir, kpi_dir, name)
        if issues:
            return loading.LoadResult("rejected", sha, KIND, parsed.rows, issues,
                                      "tệp bị từ chối, không ghi gì / file rejected, nothing written")
        if dry_run:
            return loading.LoadResult("dry_run_ok", sha, KIND, parsed.rows, [],
                                      "hợp lệ (chạy thử, chưa nạp) / valid (dry run, not loaded)")
        original, text_file, meta_file = archive.report_files(data_dir, source)
        extra = {original: rraw, meta_file: json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")}
        if text_file != original:  # a .txt report is its own text
            extra[text_file] = rep.text.encode("utf-8")
        failed = loading.record(raw, sha, name, path.suffix, parsed, stored, loaded_by, data_dir, db_path,
                                kpi_dir, extra=extra, source=source)
    return failed or loading.LoadResult(
        "loaded", sha, KIND, parsed.rows, [], f"đã nạp / loaded: {name} ({parsed.rows} dòng/rows từ báo cáo / from "
        f"the report {rep.name})")


def _check(parsed: Parsed, stored: Path, rel: str, text: str, meta: dict[str, str], data_dir: Path, kpi_dir: Path,
           name: str) -> list[Issue]:
    """What reading found, and what the build's rules find in the rows (their quotes against the report's text)."""
    files, tables, issues = inputs.read_all(data_dir, kpi_dir, figures=False)
    entry = {"sha256": "0" * 64, "loaded_at": dt.datetime.now().isoformat(timespec="seconds"), "original_name": name}
    staged = archive.Staged()
    staged.add_report(rel, text, meta, 1, parsed.rows)
    staged.add(stored, parsed, entry, 1, f"{archive.FOLDER}/{name}", 0, name, source=rel)
    with duckdb.connect() as con:
        build.stage(con, tables, staged)
        found = build.validate(con)
    sheet = parsed.sheet.sheet if parsed.sheet else None
    return ordered(issues + parsed.issues + [
        Issue(i.file, i.row, LABELS.get(i.column, i.column), i.value, i.reason_vi, i.reason_en, sheet)
        if i.file == name else i for i in found])
