"""Loading a reviewed proposals file (etl.propose): only the rows the analyst marked x in "Nhận", with the report as
their source.

    load_proposals(path, report=None, loaded_by="cli", dry_run=False, ...) -> etl.submissions.LoadResult

The reviewed file is a submission like any other (kept as <sha256>.<ext> with its rows as <sha256>.parquet, a line in
data/submissions/manifest.csv, kind `report`), checked by the build's rules and loaded by the same crash-safe steps
(etl.submissions). The report it quotes is kept beside it, unchanged, as <sha256 of the report>.<ext>, with its text
(<sha>.txt) and what `sources` says of it (<sha>.json: file, issuer, title, date); the rows name it as their
source_file, keep their qualifier, range and base, and their quotes are checked verbatim against its text
(etl/sql/rules.sql). Rules and limits: data/submissions/README.md."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from etl import archive, paths, sheets
from etl.inputs import Rows
from etl.issues import Issue
from etl.propose import ACCEPT, INFO_FIELDS, INFO_SHEET, PROPOSAL_COLUMNS, SOURCE_MARK
from etl.reports import BadReport, read_bytes
from etl.schema import ROW_COLUMNS
from etl.sheets import ENTITY_VI, Parsed, UnreadableFile
from etl.text import parse_date, parse_number

KIND = "report"
# proposal column -> staging column
_COLUMNS = {"Mã chỉ tiêu": "indicator_id", ENTITY_VI: "entity", "Ngày số liệu": "as_of", "Giá trị": "value",
            "Đơn vị tính": "unit", "Nguồn": "source", "Ghi chú": "note", "Trích dẫn": "source_quote",
            "Cách nêu": "qualifier", "Cận trên": "value_high", "Mẫu số": "base", "Chương trình": "programme",
            "Nhóm": "category", ACCEPT: "accept"}
LABELS = {v: k for k, v in _COLUMNS.items()} | {"key": "Mã chỉ tiêu"}  # what an issue names a staging column by


def is_proposals(header: list[object]) -> bool:
    """Whether a sheet's header is a proposals file's (it has the review columns "Trích dẫn" and "Nhận")."""
    cells = {str(h).strip() for h in header if h is not None}
    return {"Trích dẫn", ACCEPT} <= cells


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return sheets._text(v)


def _info(raw: bytes, ext: str) -> dict[str, str]:
    """The "Báo cáo" sheet of an .xlsx proposals file (report file, SHA-256, issuer, title, date), as corrected."""
    if ext != ".xlsx":
        return {}
    import io

    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        if INFO_SHEET not in wb.sheetnames:
            return {}
        by_label = {v: k for k, v in INFO_FIELDS.items()}
        out = {by_label[str(a).strip()]: _cell(b) for a, b, *_ in wb[INFO_SHEET].iter_rows(values_only=True)
               if a is not None and str(a).strip() in by_label}
        wb.close()
        return out
    except Exception:  # noqa: BLE001 - a damaged info sheet: the report's own heading is used instead
        return {}


def parse_reviewed(raw: bytes, name: str, ext: str, data_dir: Path | None = None, kpi_dir: Path | None = None
                   ) -> Parsed:
    """The rows marked x of a reviewed proposals file, in the staging shape of the curated figures (ROW_COLUMNS),
    with what reading them found wrong. Raises UnreadableFile when the file cannot be read at all."""
    if len(raw) > sheets.MAX_BYTES:
        return Parsed(KIND, 0, None, [Issue(name, None, None, str(len(raw)), f"tệp lớn hơn giới hạn "
                                            f"{sheets.MAX_BYTES >> 20} MB", f"file exceeds the "
                                            f"{sheets.MAX_BYTES >> 20} MB limit")])
    s = sheets.read_sheet(raw, name, ext.lower())
    if s.issues:
        return Parsed(KIND, len(s.rows), None, s.issues, s)
    header = [_cell(h) for h in s.header]
    missing = [c for c in PROPOSAL_COLUMNS if c not in header and c != "Đã có"]
    if missing:
        return Parsed(KIND, len(s.rows), None, [s.issue(1, c, None, f"thiếu cột '{c}' của tệp đề xuất",
                                                          f"the proposals file lacks its column '{c}'")
                                                  for c in missing], s)
    pos = {_COLUMNS[c]: header.index(c) for c in _COLUMNS}
    ref = sheets.Reference.load(data_dir, kpi_dir)
    units = sheets._unit_ids()
    out, issues, accepted = [], [], 0
    for n, cells in s.rows:
        cell = {k: _cell(cells[i]) if i < len(cells) else "" for k, i in pos.items()}
        if cell["accept"].casefold() != "x":
            continue
        accepted += 1

        def bad(key: str, vi: str, en: str, n: int = n, cell: dict = cell) -> None:
            issues.append(s.issue(n, LABELS.get(key, key), cell.get(key) or None, vi, en))

        ind = ref.indicators.get(cell["indicator_id"])
        if ind is not None and ind.get("theme") == "budget":
            bad("indicator_id", "số liệu ngân sách phải nộp bằng mẫu 'budget'", "budget figures go in the 'budget' "
                "template")
        unit = units.get(cell["unit"].casefold(), cell["unit"]) or None
        nums = {}
        for key in ("value", "value_high", "base"):
            raw_cell = cells[pos[key]] if pos[key] < len(cells) else None
            x, why = parse_number(raw_cell, unit, prose=True)
            if why == "empty" and key == "value":
                bad(key, "thiếu giá trị số", "number is missing")
            elif why not in (None, "empty"):
                bad(key, "ô số chứa chữ, không phải là số", "text in a numeric cell: not a number")
            nums[key] = x
        d, why = parse_date(cells[pos["as_of"]] if pos["as_of"] < len(cells) else None)
        if why == "empty":
            bad("as_of", "thiếu ngày số liệu", "as-of date is missing")
        elif why:
            bad("as_of", "ngày không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)",
                "date does not parse (use dd/mm/yyyy or yyyy-mm-dd)")
        if not cell["source_quote"]:
            bad("source_quote", "thiếu trích dẫn", "the quote is missing")
        out.append(dict(row=n, indicator_id=cell["indicator_id"] or None, entity=cell["entity"] or None,
                        programme=cell["programme"] or None, category=cell["category"] or None,
                        value=cell["value"] or None, num=nums["value"], unit=unit, as_of=cell["as_of"] or None,
                        as_of_date=d, source_quote=cell["source_quote"] or None, note=cell["note"] or None,
                        qualifier=cell["qualifier"] or None, value_high=cell["value_high"] or None,
                        high_num=nums["value_high"], base=cell["base"] or None, base_num=nums["base"],
                        source=cell["source"]))
    if not accepted:
        issues.append(s.issue(None, ACCEPT, None, "không có dòng nào được đánh dấu x ở cột 'Nhận'",
                              "no row is marked x in the column 'Nhận'"))
    columns = ROW_COLUMNS["obs"]
    parsed = Parsed(KIND, accepted, Rows(columns, [tuple(map(r.get, columns)) for r in out]), issues, s)
    parsed.sources = sorted({r["source"] for r in out})  # type: ignore[attr-defined]
    return parsed


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
                   title: str | None = None, report_date: str | None = None):
    """Check the rows marked x of a reviewed proposals file (.xlsx or .csv) by the build's rules, then archive the
    file and its report and rebuild (etl.submissions: one load at a time, all or nothing). `report` is the report's
    file (else it is looked for beside the proposals file, or among the reports loaded before); `issuer`, `title`
    and `report_date` (yyyy-mm-dd) override what the "Báo cáo" sheet or the report's heading says. Returns a
    LoadResult (loaded / unchanged / rejected / dry_run_ok); raises UnreadableFile when a file cannot be read."""
    import datetime as dt

    from etl import submissions
    from etl.issues import ordered

    path = Path(path)
    name = re.sub(r"[\x00-\x1f\x7f]", "", Path(original_name or path.name).name)[:200] or f"proposals{path.suffix}"
    data_dir = Path(data_dir or paths.data_dir())
    kpi_dir = Path(kpi_dir or paths.kpi_dir())
    raw = submissions._read_bytes(path, name)
    sha = hashlib.sha256(raw).hexdigest()
    known = next((e for e in archive.read_manifest(data_dir) if e.get("sha256") == sha), None)
    if known is not None and not dry_run and submissions._in_warehouse(sha, db_path):
        return submissions.LoadResult("unchanged", sha, KIND, int(known.get("rows") or 0), [], submissions._UNCHANGED)
    parsed = parse_reviewed(raw, name, path.suffix, data_dir, kpi_dir)
    if parsed.data is None or not parsed.rows:
        return submissions.LoadResult("rejected", sha, KIND, parsed.rows, ordered(parsed.issues),
                                      "tệp bị từ chối, không ghi gì / file rejected, nothing written")
    info = _info(raw, path.suffix.lower())
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
        submissions.store(parsed.data, stored)
        issues = _check(parsed, stored, rel, rep.text, meta, data_dir, kpi_dir, name)
        if issues:
            return submissions.LoadResult("rejected", sha, KIND, parsed.rows, issues,
                                          "tệp bị từ chối, không ghi gì / file rejected, nothing written")
        if dry_run:
            return submissions.LoadResult("dry_run_ok", sha, KIND, parsed.rows, [],
                                          "hợp lệ (chạy thử, chưa nạp) / valid (dry run, not loaded)")
        original, text_file, meta_file = archive.report_files(data_dir, source)
        extra = {original: rraw, meta_file: json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")}
        if text_file != original:  # a .txt report is its own text
            extra[text_file] = rep.text.encode("utf-8")
        failed = submissions._record(raw, sha, name, path.suffix, parsed, stored, loaded_by, data_dir, db_path,
                                     kpi_dir, extra=extra, source=source)
    return failed or submissions.LoadResult(
        "loaded", sha, KIND, parsed.rows, [], f"đã nạp / loaded: {name} ({parsed.rows} dòng/rows từ báo cáo / from "
        f"the report {rep.name})")


def _check(parsed: Parsed, stored: Path, rel: str, text: str, meta: dict[str, str], data_dir: Path, kpi_dir: Path,
           name: str) -> list[Issue]:
    """What reading found, and what the build's rules find in the rows (their quotes against the report's text)."""
    import datetime as dt

    import duckdb

    from etl import build, inputs
    from etl.issues import ordered

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
