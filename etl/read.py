"""Reading curated CSV files: encoding, header and shape checks, then every cell as text."""

from __future__ import annotations

import csv
import hashlib
import io
import mmap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.coded import recode
from etl.issues import Issue

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class CsvFile:
    """A file read as text columns, with the line number of each record in `row` (unless read as dictionaries)."""

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
    dictionary: bool = False,
    threads: bool = True,
) -> tuple[CsvFile | None, list[Issue]]:
    """Read one CSV file; on a problem return the issues and no table.

    With `dictionary`, every column comes dictionary-encoded (one dictionary for the file) and without the
    `row` and `file` columns: the coded staging (etl.figures.stage) reads it without ever spelling out
    repeated cells."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Issue(name, None, None, str(size),
                  f"tệp lớn hơn giới hạn {MAX_FILE_BYTES // 1024 // 1024} MB",
                  f"file exceeds the {MAX_FILE_BYTES // 1024 // 1024} MB limit")
        ]
    if size == 0:
        return None, [Issue(name, None, None, None, "tệp rỗng", "file is empty")]
    # Mapped rather than read: hashing and parsing look at the page cache, and no copy of the file is made.
    # The mapping is not closed by hand: pyarrow's reader threads may hold it a moment longer, and it goes
    # away with its last reference.
    with path.open("rb") as fh:
        raw = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return _read_mapped(raw, path, name, required, optional, dictionary, threads)


def _read_mapped(raw: mmap.mmap, path: Path, name: str, required: tuple[str, ...], optional: tuple[str, ...],
                 dictionary: bool, threads: bool) -> tuple[CsvFile | None, list[Issue]]:
    digest = hashlib.sha256(raw).hexdigest()
    start = 3 if raw[:3] == b"\xef\xbb\xbf" else 0
    if _blank(raw, start):
        return None, [Issue(name, None, None, None, "tệp rỗng", "file is empty")]
    end = raw.find(b"\n", start)
    first_line = raw[start:] if end < 0 else raw[start:end]
    try:
        first_line.decode("utf-8")
    except UnicodeDecodeError:
        return None, [_not_utf8(name, raw[start:])]
    text = first_line.decode("utf-8")
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
        # a dictionary read is parsed unchecked: every byte of every cell lies in its column's dictionary, so
        # checking the (few) distinct cells checks the file
        table = _parse(raw, start, header, threads, check_utf8=not dictionary)
        if dictionary:
            table = pa.table([_encoded(col) for col in table.columns], names=table.column_names)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) or "UTF-8" in str(exc):
            return None, [_not_utf8(name, raw[start:])]
        return None, [Issue(name, None, None, None, f"không đọc được CSV: {exc}", f"unreadable CSV: {exc}")]
    if dictionary:
        table = pa.table([_nfc_dictionary(col.chunk(0)) for col in table.columns], names=table.column_names)
    elif _combining(raw, start):
        table = pa.table([_nfc(col) for col in table.columns], names=table.column_names)
    for col in optional:
        if col not in header:
            empty = pa.array([""] * table.num_rows, pa.string())
            table = table.append_column(col, pc.dictionary_encode(empty) if dictionary else empty)
    table = table.select(list(required) + [c for c in optional])
    if not dictionary:  # the coded staging numbers its rows and names its files itself (etl.figures.stage)
        # Line numbers as an editor shows them (header is line 1); curated files hold no multi-line cells.
        table = table.append_column("row", pa.array(np.arange(2, table.num_rows + 2, dtype=np.int64)))
        table = table.append_column("file", pa.repeat(pa.scalar(name, pa.string()), table.num_rows))
    return CsvFile(path, name, table, digest, len(raw)), []


def _parse(raw: mmap.mmap, start: int, header: list[str], threads: bool, check_utf8: bool) -> pa.Table:
    body = pa.py_buffer(raw)[start:]
    return pacsv.read_csv(
        pa.BufferReader(body),  # with check_utf8, pyarrow checks while parsing; _not_utf8's line search runs on failure
        read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, use_threads=threads),
        convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                             strings_can_be_null=False, check_utf8=check_utf8),
    )


def _encoded(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """A text column as one dictionary-encoded array, its dictionary checked for UTF-8.

    Encoded after parsing rather than by the reader: the reader gives each block a dictionary of its own, which
    then have to be merged, while one encoding of the whole column makes one dictionary that every chunk shares
    (and costs less than the reader's)."""
    encoded = pc.dictionary_encode(column)
    if encoded.num_chunks == 0:
        return pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary  # the chunks' dictionaries grow: the last is whole
    dictionary.validate(full=True)
    indices = pa.concat_arrays([chunk.indices for chunk in encoded.chunks])
    return pa.DictionaryArray.from_arrays(indices, dictionary, safe=False)  # indices the encoding made


def _blank(raw: mmap.mmap, start: int) -> bool:
    """Whether the file holds nothing but white space (looked at a megabyte at a time)."""
    step = 1 << 20
    return all(not raw[i:i + step].strip() for i in range(start, len(raw), step))


def _combining(text: bytes | mmap.mmap, start: int = 0) -> bool:
    """Whether UTF-8 text may hold a combining diacritic (U+0300-U+036F), the only way the reports' Vietnamese is
    not NFC: their lead bytes are 0xCC and 0xCD, which no other character uses."""
    return text.find(b"\xcc", start) >= 0 or text.find(b"\xcd", start) >= 0


def _not_utf8(name: str, raw: bytes) -> Issue:
    try:
        raw.decode("utf-8")
        line = None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
    return Issue(name, line, None, None, "tệp không mã hóa UTF-8", "file is not UTF-8 encoded")


def _nfc_dictionary(column: pa.DictionaryArray) -> pa.DictionaryArray:
    """NFC-normalise the dictionary of a dictionary-encoded column; cells that become equal share one entry."""
    values = column.dictionary
    data = values.buffers()[2]
    if data is None or not _combining(data.to_pybytes()):
        return column
    fixed = pa.array([unicodedata.normalize("NFC", v) for v in values.to_pylist()], pa.string())
    cells = recode(fixed, column.indices.to_numpy(zero_copy_only=False))  # two spellings of one text: one cell
    return pa.DictionaryArray.from_arrays(pa.array(cells.codes), cells.values)


def _nfc(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """NFC-normalise a text column, looking at each distinct value once (files repeat quotes and names)."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    values = encoded.dictionary.to_pylist()
    if all(unicodedata.is_normalized("NFC", v) for v in values):
        return column
    fixed = pa.array([unicodedata.normalize("NFC", v) for v in values], pa.string())
    return pa.chunked_array([pc.take(fixed, encoded.indices)])
