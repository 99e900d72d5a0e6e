"""Reading the curated files: encoding, header and shape checks, then every cell as trimmed text (NULL if empty)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from etl.issues import Issue
from etl.text import decode

MAX_FILE_BYTES = 200 * 1024 * 1024


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
    columns: dict[str, list[str | None]] = {c: [] for c in header}
    lines: list[int] = []
    line = 2
    for record in reader:
        if len(record) > len(header):
            issues.append(Issue(name, line, None, None, "dòng có nhiều ô hơn dòng tiêu đề",
                                "the line has more cells than the header"))
        if any(cell.strip() for cell in record):
            lines.append(line)
            for c, cell in zip(header, record + [""] * (len(header) - len(record)), strict=False):
                columns[c].append(cell.strip() or None)
        line = reader.line_num + 1
    if issues:
        return None, issues
    n = len(lines)
    table = pa.table({c: pa.array(columns.get(c, [None] * n), pa.string()) for c in required + optional}
                     | {"file": pa.array([name] * n, pa.string()), "row": pa.array(lines, pa.int64())})
    return InputFile(name, table, hashlib.sha256(raw).hexdigest(), len(raw)), []


SHAPE_SCHEMA = pa.schema([(c, pa.string()) for c in ("code", "agency_id", "name_vi", "name_en", "geometry")])


def read_shapes(path: Path, name: str) -> tuple[pa.Table, list[Issue]]:
    """The province map (one GeoJSON feature per unit) as rows; the geometry stays GeoJSON text."""
    if not path.exists():
        return SHAPE_SCHEMA.empty_table(), []
    try:
        rows = [{**{k: f["properties"][k] for k in ("code", "agency_id", "name_vi", "name_en")},
                 "geometry": json.dumps(f["geometry"], separators=(",", ":"))}
                for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
    except (ValueError, KeyError, TypeError) as exc:
        return SHAPE_SCHEMA.empty_table(), [Issue(name, None, None, None, f"GeoJSON không đọc được: {exc}",
                                                  f"GeoJSON cannot be read: {exc}")]
    return pa.Table.from_pylist(rows, schema=SHAPE_SCHEMA), []
