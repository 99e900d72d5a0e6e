"""Reading the curated files: encoding, header and shape checks, then every cell as trimmed text (NULL if empty)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from etl.issues import Issue
from etl.text import decode

MAX_FILE_BYTES = 200 * 1024 * 1024


def table(schema: pa.Schema, rows: Iterable[Sequence[object]] = ()) -> pa.Table:
    """Rows of Python values (None for NULL, "" read as NULL too) as an Arrow table of `schema`.

    Written as CSV text and parsed by Arrow's reader, because Arrow's converters of Python objects import pandas the
    first time they run: 0.2 s, a third of the build of the shipped data."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([schema.names, *rows])
    return pacsv.read_csv(io.BytesIO(buf.getvalue().encode()), parse_options=pacsv.ParseOptions(newlines_in_values=True),
                          convert_options=pacsv.ConvertOptions(column_types=schema, strings_can_be_null=True))


def text_schema(columns: Iterable[str]) -> pa.Schema:
    """The columns of a curated file as text, with the `file` and `row` (line) each record comes from."""
    return pa.schema([("file", pa.string()), ("row", pa.int64()), *[(c, pa.string()) for c in columns]])


@dataclass(frozen=True)
class InputFile:
    """One file read: its name as errors give it (relative to the repository), its rows and checksum."""

    name: str
    table: pa.Table  # the declared columns as text, then `file` and `row` (the line an editor shows)
    sha256: str
    size: int

    @property
    def kind(self) -> str:
        """The folder it sits in (`observations`, `dims`, `kpis`, ...), as the load log names it."""
        parts = self.name.split("/")
        return parts[-2] if len(parts) > 1 else "root"


def read(path: Path, name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
         ) -> tuple[InputFile | None, list[Issue]]:
    """Read one CSV file; on a problem return no table and the issues."""
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
    columns = required + optional
    at = [header.index(c) if c in header else None for c in columns]
    rows, line = [], 2
    for record in reader:
        if len(record) > len(header):
            issues.append(Issue(name, line, None, None, "dòng có nhiều ô hơn dòng tiêu đề",
                                "the line has more cells than the header"))
        if any(cell.strip() for cell in record):
            rows.append([name, line, *(record[i].strip() if i is not None and i < len(record) else None for i in at)])
        line = reader.line_num + 1
    if issues:
        return None, issues
    return InputFile(name, table(text_schema(columns), rows), hashlib.sha256(raw).hexdigest(), len(raw)), []


SHAPE_SCHEMA = pa.schema([(c, pa.string()) for c in ("code", "agency_id", "name_vi", "name_en", "geometry")])


def read_shapes(path: Path, name: str) -> tuple[pa.Table, list[Issue]]:
    """The province map (one GeoJSON feature per unit) as rows; the geometry stays GeoJSON text."""
    if not path.exists():
        return table(SHAPE_SCHEMA), []
    try:
        rows = [[*(f["properties"][k] for k in SHAPE_SCHEMA.names[:4]), json.dumps(f["geometry"], separators=(",", ":"))]
                for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
    except (ValueError, KeyError, TypeError) as exc:
        return table(SHAPE_SCHEMA), [Issue(name, None, None, None, f"GeoJSON không đọc được: {exc}",
                                           f"GeoJSON cannot be read: {exc}")]
    return table(SHAPE_SCHEMA, rows), []
