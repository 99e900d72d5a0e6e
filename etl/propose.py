"""A new report in: propose its figures as rows of the indicators template, for an analyst to confirm.

    propose(path, as_of=None) -> DataFrame   one row per figure, in report order (PROPOSAL_COLUMNS)
    write_proposals(frame, out)              the frame as .xlsx (frozen bold header, filter) or .csv (UTF-8, BOM)
    etl.intake.load_proposals(path, ...)     load the rows marked x (see etl/intake.py)
    etl.proposals                            the file's columns, and how a reviewed one is read

How an indicator is chosen (offline, nothing downloaded; etl/match.py): every figure the warehouse holds with a
verbatim quote of a report whose text is at hand (the curated reports of data/sources/, and reports loaded through
this path) is found again in its report by the same figure finder (etl.figures), so that a learned example has the
same shape as a new figure. A new figure's own words, sentence, lead-in, headings and paragraph are compared with
each candidate indicator's name and closest example (only indicators whose unit fits the figure's are candidates),
and those scores are weighed by a model learned from the warehouse's reports, each ranked against the others. The
report being read never teaches itself: its own rows are left out (same bytes, or same text in another format)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import archive, paths
from etl.figures import FAMILY, Figure, Names, find_figures
from etl.match import Example, contexts, rank
from etl.proposals import ACCEPT, INFO_FIELDS, INFO_SHEET, PROPOSAL_COLUMNS, SOURCE_MARK
from etl.reports import Report, read_report
from etl.sheets import ENTITY_VI
from kpis.registry import read_rows, unit_factor

YES = "có"  # "Đã có": the warehouse holds the same figure
THEMES_ELSEWHERE = ("budget",)  # budget amounts go in the budget template, not here


class Reference:
    """What proposing needs of the registry, the dimensions and the warehouse; built once and reused (the admin
    page keeps one)."""

    def __init__(self, data_dir: Path | None = None, kpi_dir: Path | None = None, db_path: Path | None = None):
        from etl.build import build, resolver

        self.data_dir = Path(data_dir or paths.data_dir())
        self.kpi_dir = Path(kpi_dir or paths.kpi_dir())
        self.db_path = Path(db_path or paths.warehouse_path())
        if not self.db_path.exists():
            build(self.data_dir, self.db_path, self.kpi_dir)
        self.indicators = {r["id"]: r for r in read_rows(self.kpi_dir / "indicators.csv")
                           if r.get("id") and r.get("theme") not in THEMES_ELSEWHERE}
        self.resolve = resolver(self.data_dir, former=True)
        agencies = read_rows(self.data_dir / "dims" / "agencies.csv")
        aliases = read_rows(self.data_dir / "dims" / "agency_aliases.csv")
        mergers = self.data_dir / "geo" / "province_mergers.csv"
        former = [r["old_name_vi"] for r in read_rows(mergers)] if mergers.exists() else []
        self.names = Names.build([a["name_vi"] for a in agencies] + [a["short_vi"] for a in agencies]
                                 + [a["alias"] for a in aliases] + former, self.resolve.many,
                                 {a["id"]: a["name_vi"] for a in agencies})
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            self.facts = con.execute("""
                SELECT indicator_id, entity_id, value_stated, unit_stated, unit, value, as_of, source_file,
                       source_quote, programme, category, qualifier
                FROM facts WHERE NOT is_illustrative AND source_quote IS NOT NULL AND is_current""").fetchall()
        self._texts: dict[str, str | None] = {}

    def text_of(self, source_file: str) -> str | None:
        """The clean text of a report the warehouse quotes: a shipped report, or a report loaded through intake."""
        if source_file not in self._texts:
            if source_file.startswith(f"{archive.FOLDER}/"):
                path = self.data_dir / archive.FOLDER / (Path(source_file).stem + ".txt")
            else:
                path = self.data_dir / "sources" / source_file
            try:
                self._texts[source_file] = read_report(path).text if path.exists() else None
            except ValueError:
                self._texts[source_file] = None
        return self._texts[source_file]

    def report_dates(self) -> dict[str, dt.date]:
        rows = read_rows(self.data_dir / "sources.csv")
        out = {r["source_file"]: dt.date.fromisoformat(r["report_date"]) for r in rows if r.get("report_date")}
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            out |= dict(con.execute("SELECT source_file, report_date FROM sources WHERE report_date IS NOT NULL")
                        .fetchall())
        return out


def _text_key(text: str) -> str:
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode()).hexdigest()


def align(figures: list[Figure], text: str, rows: list[dict], resolve) -> list[tuple[dict, Figure | None]]:
    """Each row (value, unit, source_quote, entity_id) with the figure that states it: the same value (within
    0.2%) in a figure whose quote overlaps the row's quote where it stands in the text; for a flag, the same unit
    of government. None when no figure states it. The benchmark judges proposals by the same rule."""
    flat = text.replace("\n", " ")
    out = []
    for r in rows:
        q = re.sub(r"\s+", " ", r["source_quote"] or "").strip()
        hit = None
        if q:
            for m in re.finditer(re.escape(q), flat):
                qs, qe = m.start(), m.end()
                best = None
                for f in figures:
                    if f.quote[1] <= qs or f.quote[0] >= qe:
                        continue
                    if abs(f.value - r["value"]) > 1e-9 + 0.002 * abs(r["value"]):
                        continue
                    if (r["unit"] == "flag") != (f.unit == "flag"):
                        continue
                    if r["unit"] == "flag" and f.entity_id != r.get("entity_id"):
                        continue
                    d = 0 if qs <= f.start < qe else min(abs(f.start - qs), abs(f.start - qe))
                    if best is None or d < best[0]:
                        best = (d, f)
                if best:
                    hit = best[1]
                    break
        out.append((r, hit))
    return out


def examples(ref: Reference, exclude: set[str]) -> list[Example]:
    """The warehouse's quoted figures found again in their reports (those whose clean text's key is in `exclude` left
    out), each with its indicator and context; a figure that cannot be found again is not an example."""
    by_file: dict[str, list[dict]] = {}
    for ind, ent, v, u, _cu, _cv, _as_of, sf, q, _prog, _cat, _qual in ref.facts:
        if ind in ref.indicators:
            by_file.setdefault(sf, []).append(dict(indicator_id=ind, entity_id=ent, value=v, unit=u, source_quote=q))
    dates = ref.report_dates()
    out: list[Example] = []
    for sf, rows in sorted(by_file.items()):
        text = ref.text_of(sf)
        if text is None or _text_key(text) in exclude:
            continue
        figs = find_figures(text, dates.get(sf, dt.date.today()), ref.names)
        found = [(r, f) for r, f in align(figs, text, rows, ref.resolve) if f is not None]
        ctx = dict(zip(map(id, figs), contexts(text, figs, ref.names.masked(text)), strict=True))
        out += [Example(r["indicator_id"], sf, f, ctx[id(f)]) for r, f in found]
    return out


@dataclass
class Proposal:
    figure: Figure
    candidates: list[tuple[str, float]]
    quote: str


def proposals(report: Report, ref: Reference, as_of: dt.date | None = None) -> tuple[list[Proposal], dt.date]:
    """The figures of a report with their candidate indicators, and the report date used."""
    date = as_of or report.date or _latest_date(report.text) or dt.date.today()
    figures = find_figures(report.text, date, ref.names)
    figures = [f for f in figures if f.family != "flag" or any(i["unit"] == "flag" for i in ref.indicators.values())]
    exs = examples(ref, {_text_key(report.text)})
    ranked = rank(ref.indicators, exs, figures, contexts(report.text, figures, ref.names.masked(report.text)))
    return [Proposal(f, c, report.text[f.quote[0]:f.quote[1]]) for f, c in zip(figures, ranked, strict=True)], date


def _latest_date(text: str) -> dt.date | None:
    from etl.text import find_dates

    today = dt.date.today()
    found = [d for d in find_dates(text, today) if not d.comparison and not d.deadline and d.date <= today]
    # "Tính đến ngày 03/5/2026" says what the figures are counted to; a period named in passing ("Quý II năm 2026",
    # the tasks due in it) does not
    counted = [d.date for d in found if d.until]
    return max(counted or [d.date for d in found], default=None)


def _stated_unit(f: Figure, ind: dict | None) -> str:
    if ind is None:
        return "percent" if f.unit == "percent_points" else f.unit
    if f.family == "percent" or (f.unit == "count" and FAMILY.get(ind["unit"]) in ("rank", "times")):
        return ind["unit"]
    return f.unit


def _number(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(x, 6)


def propose(path: str | Path, as_of: dt.date | None = None, data_dir: Path | None = None,
            kpi_dir: Path | None = None, db_path: Path | None = None, ref: Reference | None = None,
            name: str | None = None):
    """One row per figure of the report at `path` (.txt, .docx or .pdf), in report order, as a pandas DataFrame with
    PROPOSAL_COLUMNS: the best indicator and the figure as the indicators template takes it, the quote, how the
    figure is stated, two other indicators, a confidence (0-1), whether the warehouse already holds the same figure,
    and an empty "Nhận" for the analyst's x. `as_of` is the report's date (else the date it gives itself). Raises
    etl.reports.BadReport for a file that cannot be read (nothing is written)."""
    import pandas as pd

    report = read_report(path, name)
    ref = ref or Reference(data_dir, kpi_dir, db_path)
    props, date = proposals(report, ref, as_of)
    held = {}
    for ind, ent, _v, _u, cu, cv, d, *_ in ref.facts:
        held.setdefault((ind, ent, d), []).append((cv, cu))
    source = f"{report.name} · {SOURCE_MARK}{report.sha256}"
    rows = []
    for p in props:
        f = p.figure
        best = p.candidates[0][0] if p.candidates else ""
        ind = ref.indicators.get(best)
        unit = _stated_unit(f, ind)
        value = 1 if f.unit == "flag" else f.value
        factor = unit_factor(unit, ind["unit"]) if ind else None
        same = ind is not None and factor is not None and any(
            cu == ind["unit"] and abs(cv - value * factor) <= 1e-9 * max(1, abs(cv))
            for cv, cu in held.get((best, f.entity_id, f.as_of), []))
        confidence = p.candidates[0][1] if p.candidates else 0.0
        notes = [f"ngày theo / date from: {f.as_of_how}"] + f.notes
        rows.append({
            "Mã chỉ tiêu": best, ENTITY_VI: f.entity or "", "Ngày số liệu": f.as_of.strftime("%d/%m/%Y"),
            "Giá trị": _number(value), "Đơn vị tính": unit, "Nguồn": source, "Ghi chú": "; ".join(notes),
            "Trích dẫn": p.quote, "Cách nêu": f.qualifier, "Cận trên": _number(f.value_high),
            "Mẫu số": _number(f.base), "Chương trình": "", "Nhóm": "",
            "Chỉ tiêu khác": ";".join(c for c, _ in p.candidates[1:3]), "Độ tin cậy": round(float(confidence), 2),
            "Đã có": YES if same else "", ACCEPT: ""})
    frame = pd.DataFrame(rows, columns=PROPOSAL_COLUMNS)
    frame.attrs.update(report=report.name, sha256=report.sha256, report_date=date.isoformat(), issuer=report.issuer,
                       title=report.title)
    return frame


def write_proposals(frame, out: str | Path) -> Path:
    """The proposals as .xlsx (sheet "Đề xuất": frozen bold header, widths, filter; sheet "Báo cáo": the report's
    file, SHA-256, issuer, title and date, which the load reads back and the analyst may correct) or as .csv (UTF-8
    with BOM, one table); written whole or not at all."""
    out = Path(out)
    fmt = out.suffix.lower()
    if fmt == ".csv":
        import csv
        import io

        from etl.text import inert

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(PROPOSAL_COLUMNS)
        for r in frame.itertuples(index=False):
            w.writerow([_csv_cell(v, inert) for v in r])
        paths.write_atomic(out, b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"), 0o644)
        return out
    if fmt != ".xlsx":
        raise ValueError("the output file must end in .xlsx or .csv")
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from etl.text import inert

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(PROPOSAL_COLUMNS)
    for r in frame.itertuples(index=False):
        ws.append([inert(None if (isinstance(v, float) and v != v) else v) for v in r])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    widths = {"Mã chỉ tiêu": 34, ENTITY_VI: 26, "Ngày số liệu": 13, "Giá trị": 12, "Đơn vị tính": 14, "Nguồn": 24,
              "Ghi chú": 30, "Trích dẫn": 70, "Cách nêu": 10, "Cận trên": 10, "Mẫu số": 9, "Chương trình": 14,
              "Nhóm": 14, "Chỉ tiêu khác": 40, "Độ tin cậy": 11, "Đã có": 7, ACCEPT: 7}
    for j, c in enumerate(PROPOSAL_COLUMNS, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = widths.get(c, 14)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(PROPOSAL_COLUMNS))}{max(1, len(frame)) + 1}"
    info = wb.create_sheet(INFO_SHEET)
    for k, label in INFO_FIELDS.items():
        info.append([label, frame.attrs.get(k, "")])
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 90
    for row in info.iter_rows(max_col=1):
        row[0].font = bold
    buf = io.BytesIO()
    wb.save(buf)
    paths.write_atomic(out, buf.getvalue(), 0o644)
    return out


SHEET = "Đề xuất"


def _csv_cell(v: object, inert) -> object:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float):
        return repr(v).replace(".", ",") if not v.is_integer() else str(int(v))
    return inert(v)
