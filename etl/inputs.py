"""Reading the curated files (encoding, header and shape checks, every cell as trimmed text, NULL if empty) and
loading rows into DuckDB."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import schema
from etl.issues import Issue
from etl.text import decode
from kpis.registry import VOCABULARY_COLUMNS, terms, units

MAX_FILE_BYTES = 200 * 1024 * 1024
Columns = dict[str, str]  # column -> DuckDB type, in order


def text_columns(columns: Iterable[str]) -> Columns:
    """The columns of a curated file as text, after the `file` and line (`row`) each record comes from."""
    return {"file": "VARCHAR", "row": "BIGINT"} | {c: "VARCHAR" for c in columns}


@dataclass(frozen=True)
class Rows:
    """Rows of Python values (None for NULL) and the DuckDB type of each column."""

    columns: Columns
    rows: list[Sequence[object]]


def load(con: duckdb.DuckDBPyConnection, name: str, data: Rows) -> None:
    """`data` as the new table `name`: written as CSV and bulk-read by DuckDB, the way databases load files (Arrow's
    converters of Python objects would import pandas, a third of the build of the shipped data)."""
    con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in data.columns.items())})")  # names: the code's
    if not data.rows:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(data.rows)
        fh.flush()
        spec = ", ".join(f"'{c}': '{t}'" for c, t in data.columns.items())
        con.execute(f"INSERT INTO {name} SELECT * FROM read_csv(?, auto_detect = false, header = false, "
                    f"columns = {{{spec}}}, delim = ',', quote = '\"', escape = '\"', nullstr = '', new_line = '\\n', "
                    "max_line_size = 1000000000)", [fh.name])


@dataclass(frozen=True)
class InputFile:
    """One file read: its name as errors give it (relative to the repository), its rows and checksum."""

    name: str
    data: Rows
    sha256: str
    size: int

    @property
    def kind(self) -> str:
        """The folder it sits in (`observations`, `dims`, `kpis`, ...), as the load log names it."""
        parts = self.name.split("/")
        return parts[-2] if len(parts) > 1 else "root"


def read(path: Path, name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
         ) -> tuple[InputFile | None, list[Issue]]:
    """Read one CSV file; on a problem return no rows and the issues."""
    if not path.exists():
        return None, [Issue(name, None, None, None, "thiếu tệp bắt buộc", "required file is missing")]
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        return None, [Issue(name, None, None, str(len(raw)), f"tệp lớn hơn giới hạn {MAX_FILE_BYTES >> 20} MB",
                            f"file exceeds the {MAX_FILE_BYTES >> 20} MB limit")]
    text, bad_line = decode(raw)
    if text is None:
        return None, [Issue(name, bad_line, None, None, "tệp không mã hóa UTF-8", "file is not UTF-8 encoded")]
    if not text.strip():
        return None, [Issue(name, None, None, None, "tệp rỗng", "file is empty")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    issues = [Issue(name, 1, c, None, "thiếu cột bắt buộc", "required column is missing")
              for c in required if c not in header]
    issues += [Issue(name, 1, c, None, "cột không được hỗ trợ", "unexpected column")
               for c in header if c not in required + optional]
    issues += [Issue(name, 1, c, None, "cột bị lặp", "duplicate column") for i, c in enumerate(header) if c in header[:i]]
    if issues:
        return None, issues
    at = [header.index(c) if c in header else None for c in required + optional]
    rows, line = [], 2
    for record in reader:
        if len(record) > len(header):
            issues.append(Issue(name, line, None, None, "dòng có nhiều ô hơn dòng tiêu đề",
                                "the line has more cells than the header"))
        if any(cell.strip() for cell in record):
            rows.append([name, line, *((record[i].strip() or None) if i is not None and i < len(record) else None
                                       for i in at)])
        line = reader.line_num + 1
    if issues:
        return None, issues
    return InputFile(name, Rows(text_columns(required + optional), rows), hashlib.sha256(raw).hexdigest(), len(raw)), []


SHAPE_COLUMNS = {c: "VARCHAR" for c in ("code", "agency_id", "name_vi", "name_en", "geometry")}


def read_shapes(path: Path, name: str) -> tuple[Rows, list[Issue]]:
    """The province map (one GeoJSON feature per unit) as rows; the geometry stays GeoJSON text."""
    if not path.exists():
        return Rows(SHAPE_COLUMNS, []), []
    try:
        rows = [[*(f["properties"][k] for k in list(SHAPE_COLUMNS)[:4]), json.dumps(f["geometry"], separators=(",", ":"))]
                for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
    except (ValueError, KeyError, TypeError) as exc:
        return Rows(SHAPE_COLUMNS, []), [Issue(name, None, None, None, f"GeoJSON không đọc được: {exc}",
                                               f"GeoJSON cannot be read: {exc}")]
    return Rows(SHAPE_COLUMNS, rows), []


def read_all(data_dir: Path, kpi_dir: Path, figures: bool = True
             ) -> tuple[list[InputFile], dict[str, Rows], list[Issue]]:
    """Every curated input (the observation and budget files only with `figures`): the files read, their rows by
    name (as etl/sql/staging.sql reads them: raw_<name>), and what reading them found wrong."""
    files, found, issues = [], {}, []

    def read_into(name: str, paths: list[Path], columns: schema.Columns) -> None:
        rows = []
        for path in paths:
            base = kpi_dir if path.is_relative_to(kpi_dir) else data_dir
            f, problems = read(path, str(path.relative_to(base.parent)), *columns)
            issues.extend(problems)
            if f is not None:
                files.append(f)
                rows += f.data.rows
        found[name] = Rows(text_columns(columns[0] + columns[1]), rows)

    for name, (rel, columns, optional) in schema.SMALL.items():
        path = kpi_dir / rel.removeprefix("kpis/") if rel.startswith("kpis/") else data_dir / rel
        read_into(name, [path] if path.exists() or not optional else [], columns)
    for name, folder, columns in (("obs", "observations", schema.OBSERVATIONS), ("bud", "budget", schema.BUDGET)):
        read_into(name, sorted((data_dir / folder).glob("*.csv")) if figures else [], columns)
    texts = []
    for path in sorted((data_dir / "sources").glob("*.txt")):  # the reports the quotes are checked against
        text, bad_line = decode(path.read_bytes())
        texts.append((path.name, text))
        if text is None:
            issues.append(Issue(str(path.relative_to(data_dir.parent)), bad_line, None, None,
                                "tệp không mã hóa UTF-8", "file is not UTF-8 encoded"))
    found["source_texts"] = Rows({"source_file": "VARCHAR", "text": "VARCHAR"}, texts)
    geo = data_dir / "geo" / "vn_provinces_34.geojson"
    found["shapes"], problems = read_shapes(geo, str(geo.relative_to(data_dir.parent)))
    issues += problems
    found["vocab"] = Rows({c: "VARCHAR" for c in VOCABULARY_COLUMNS} | {"position": "INTEGER"},
                          [(*(r[c] or None for c in VOCABULARY_COLUMNS), i)
                           for i, r in enumerate(terms(kpi_dir), start=1)])
    found["units"] = Rows({"id": "VARCHAR", "family": "VARCHAR", "factor": "DOUBLE", "canonical": "BOOLEAN",
                           "label_vi": "VARCHAR", "label_en": "VARCHAR"},
                          [(u.id, u.family, u.factor, u.canonical, u.label_vi, u.label_en)
                           for u in units(kpi_dir).values()])
    return files, found, issues
