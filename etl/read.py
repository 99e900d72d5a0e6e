"""Reading curated CSV files: encoding, header and shape checks, then every cell as text."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from etl.issues import Issue

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class CsvFile:
    """A file read as text columns, with the line number of each record in `row`."""

    path: Path
    name: str  # path relative to the data folder, as errors name it
    table: pa.Table
    sha256: str
    size: int


def read_csv(
    path: Path,
    name: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> tuple[CsvFile | None, list[Issue]]:
    """Read one CSV file; on a problem return the issues and no table."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Issue(name, None, None, str(len(raw)),
                  f"tệp lớn hơn giới hạn {MAX_FILE_BYTES // 1024 // 1024} MB",
                  f"file exceeds the {MAX_FILE_BYTES // 1024 // 1024} MB limit")
        ]
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Issue(name, line, None, None, "tệp không mã hóa UTF-8", "file is not UTF-8 encoded")
        ]
    if not text.strip():
        return None, [Issue(name, None, None, None, "tệp rỗng", "file is empty")]
    header = [h.strip() for h in next(csv.reader(io.StringIO(text)))]
    issues = [
        Issue(name, 1, col, None, "thiếu cột bắt buộc", "required column is missing")
        for col in required
        if col not in header
    ]
    allowed = set(required) | set(optional)
    issues += [
        Issue(name, 1, col, None, "cột không được hỗ trợ", "unexpected column")
        for col in header
        if col not in allowed
    ]
    seen: set[str] = set()
    for col in header:
        if col in seen:
            issues.append(Issue(name, 1, col, None, "cột bị lặp", "duplicate column"))
        seen.add(col)
    if issues:
        return None, issues
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        return None, [Issue(name, None, None, None, f"không đọc được CSV: {exc}", f"unreadable CSV: {exc}")]
    for col in optional:
        if col not in header:
            table = table.append_column(col, pa.array([""] * table.num_rows, pa.string()))
    table = table.select(list(required) + [c for c in optional])
    # Line numbers as an editor shows them (header is line 1); curated files hold no multi-line cells.
    table = table.append_column("row", pa.array(range(2, table.num_rows + 2), pa.int64()))
    table = table.append_column("file", pa.array([name] * table.num_rows, pa.string()))
    return CsvFile(path, name, table, digest, len(raw)), []
