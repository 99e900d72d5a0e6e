"""Curated rows held as codes: each column's distinct cells once, and one integer per row pointing at its cell.

Curated files repeat the same names, units, quotes and dates on many rows. Every per-cell expression of the
staging (trimming, casts, entity resolution, unit factors) and every rule about a single row runs once per
distinct cell, or distinct tuple of cells (in Arrow, or in DuckDB over a small table of them); a finding is
then spread back to every row that holds the same cells. Only the checks that compare rows with each other
and the facts written to the warehouse touch every row, and those work on the integer codes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.issues import Issue

# Unicode space separators (category Zs): what DuckDB's trim() removes, so Arrow and SQL trim alike.
SPACES = " \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"


@dataclass(frozen=True)
class Coded:
    """One column: `values` holds each distinct cell once, `codes` (one per row) index into it."""

    values: pa.Array
    codes: np.ndarray

    def rows(self) -> pa.Array:
        """The column spelt out, one value per row."""
        return self.values.take(pa.array(self.codes))

    def at(self, rows: np.ndarray) -> pa.Array:
        return self.values.take(pa.array(self.codes[rows]))


def recode(values: pa.Array, codes: np.ndarray) -> Coded:
    """`values[codes]` as a Coded column whose values are distinct (a transform may have merged some)."""
    enc = pc.dictionary_encode(values, null_encoding="encode")
    if len(enc.dictionary) == len(values):  # nothing merged: the codes stay as they are
        return Coded(values, codes)
    remap = enc.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    return Coded(enc.dictionary, remap[codes])


def from_chunks(chunks: list[pa.DictionaryArray]) -> Coded:
    """One Coded column from dictionary-encoded chunks, each with a dictionary of its own that holds each cell
    once (as etl.read gives them: one per file)."""
    if not chunks:
        return Coded(pa.array([], pa.string()), np.empty(0, np.int32))
    if len(chunks) == 1:
        return Coded(chunks[0].dictionary, chunks[0].indices.to_numpy(zero_copy_only=False).astype(np.int32))
    # Number the cells of all dictionaries together (equal cells of two dictionaries become one), then
    # turn each chunk's indices into those numbers.
    enc = pc.dictionary_encode(pa.concat_arrays([c.dictionary for c in chunks]))
    return Coded(enc.dictionary, _renumber(chunks, enc.indices, 0))


def _renumber(chunks: list[pa.DictionaryArray], number: pa.Array, start: int) -> np.ndarray:
    """Each chunk's indices turned into `number`, which numbers the cells of the chunks' dictionaries one after
    the other from position `start`."""
    number = number.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    codes = np.empty(sum(len(c) for c in chunks), np.int32)
    at = 0
    for c in chunks:
        n, k = len(c), len(c.dictionary)
        # a dictionary's indices lie within it, so "clip" never changes one; it spares the bounds check and the
        # buffered copy that the default mode makes of `out`
        np.take(number[start:start + k], c.indices.to_numpy(zero_copy_only=False), out=codes[at:at + n], mode="clip")
        at, start = at + n, start + k
    return codes


def from_chunks_among(chunks: list[pa.DictionaryArray], known: pa.Array) -> tuple[Coded, pa.Array]:
    """from_chunks, and each distinct cell's position among `known` (its first, NULL when absent).

    The cells and `known` are hashed together, once, instead of once to merge the chunks' dictionaries and once
    more to look the cells up (the sub-groups and their labels are the largest such sets)."""
    k = len(known)
    enc = pc.dictionary_encode(pa.concat_arrays([known.cast(pa.string()), *(c.dictionary for c in chunks)]))
    codes = _renumber(chunks, enc.indices, k)
    position = np.full(len(enc.dictionary), -1, np.int64)
    among = enc.indices.slice(0, k).to_numpy(zero_copy_only=False)
    position[among[::-1]] = np.arange(k - 1, -1, -1)  # the last write wins: each cell's first position
    # only the cells some row holds: a known value that no row uses is no cell of the column
    used = np.flatnonzero(np.bincount(codes, minlength=len(enc.dictionary)))
    renumber = np.empty(len(enc.dictionary), np.int32)
    renumber[used] = np.arange(len(used), dtype=np.int32)
    found = position[used]
    return Coded(enc.dictionary.take(pa.array(used)), renumber[codes]), pa.array(found, mask=found < 0)


def combine(columns: list[Coded]) -> np.ndarray:
    """A tuple id per row (0, 1, 2... in order of first appearance) over several columns."""
    if len(columns) > 2:
        # Number the tuples by a 64-bit hash of their codes, then check that each number holds one tuple
        # only; a collision (vanishingly rare) falls back to the exact numbering below.
        enc = pc.dictionary_encode(pa.array(_hash(columns)))
        ids = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        first = first_rows(ids)
        if all(np.array_equal(c.codes[first][ids], c.codes) for c in columns):
            return ids
    n = len(columns[0].codes)
    room = max(4 * n, 1 << 16)  # the largest key space numbered through a lookup table
    key = columns[0].codes.astype(np.int64)
    size = max(len(columns[0].values), 1)
    for c in columns[1:]:
        width = max(len(c.values), 1)
        if size * width > room:
            key, size = _dense(key, size)
        key = key * width + c.codes
        size *= width
    return _dense(key, size)[0]


def _hash(columns: list[Coded]) -> np.ndarray:
    """A 64-bit hash of each row's codes."""
    h = np.zeros(len(columns[0].codes), np.uint64)
    shifted = np.empty_like(h)
    for c in columns:
        # in place, one scratch array: temporaries of a million rows each cost fresh pages
        # codes are never negative, so their unsigned view reads the same numbers (and mixes with h without a copy)
        np.bitwise_xor(h, c.codes.view(f"u{c.codes.dtype.itemsize}"), out=h)
        np.multiply(h, np.uint64(0x9E3779B97F4A7C15), out=h)
        np.right_shift(h, np.uint64(29), out=shifted)
        np.bitwise_xor(h, shifted, out=h)
    return h


def shared_rows(columns: list[Coded]) -> np.ndarray:
    """The rows whose tuple over `columns` appears on some other row too, in row order."""
    n = len(columns[0].codes)
    # Hash each tuple into ~4n buckets: a row alone in its bucket is unique for sure; the few others are
    # compared exactly. Cheaper than numbering every tuple when nearly all of them are unique.
    buckets = (_hash(columns) >> np.uint64(16)) % np.uint64(4 * n + 1)
    maybe = np.flatnonzero(np.bincount(buckets.astype(np.int64))[buckets.astype(np.int64)] > 1)
    if maybe.size == 0:
        return maybe
    ids = combine([Coded(c.values, c.codes[maybe]) for c in columns])
    return maybe[np.bincount(ids)[ids] > 1]


def _dense(key: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """Renumber keys (all below `size`) 0, 1, 2... in order of first appearance; also the count."""
    n = len(key)
    if size > max(4 * n, 1 << 16):  # too sparse for a table: sort instead
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        rank = np.empty(len(first), np.int64)
        rank[np.argsort(first)] = np.arange(len(first))
        return rank[inverse.reshape(-1)], len(first)
    first = np.full(size, n, np.int64)
    first[key[::-1]] = np.arange(n - 1, -1, -1)  # the last write wins: each key's first row
    used = np.flatnonzero(first < n)
    order = used[np.argsort(first[used], kind="stable")]
    number = np.empty(size, np.int64)
    number[order] = np.arange(len(order))
    return number[key], len(order)


def first_rows(ids: np.ndarray) -> np.ndarray:
    """The row where each tuple id (0 to k-1, every one present) first appears."""
    if ids.size == 0:
        return np.empty(0, np.int64)
    first = np.empty(int(ids.max()) + 1, np.int64)
    first[ids[::-1]] = np.arange(ids.size - 1, -1, -1)  # the last write wins: each id's first row
    return first


@dataclass
class CodedRows:
    """The rows of one kind of curated file (observations, budget) as Coded columns.

    `raw` holds the cells as read; `cols` the staged columns, each computed from some raw columns (its
    `sources`) once per distinct tuple of them."""

    con: duckdb.DuckDBPyConnection
    raw: dict[str, Coded]
    file: Coded
    row: np.ndarray
    seq: np.ndarray
    cols: dict[str, Coded] = field(default_factory=dict)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _tuples: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    _firsts: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    # the build's threads share the numbering: the first to ask computes it, the others wait for it
    _numbering: threading.Lock = field(default_factory=threading.Lock)

    @property
    def n(self) -> int:
        return len(self.row)

    def tuples(self, key: tuple[str, ...]) -> np.ndarray:
        """Tuple id per row over raw columns (`file` is the data file)."""
        with self._numbering:
            if key not in self._tuples:
                cols = [self.file if c == "file" else self.raw[c] for c in key]
                if len(cols) == 1 and np.bincount(cols[0].codes, minlength=len(cols[0].values)).all():
                    self._tuples[key] = cols[0].codes  # every distinct cell is used: its code is the tuple id
                else:
                    self._tuples[key] = combine(cols)
            return self._tuples[key]

    def firsts(self, key: tuple[str, ...]) -> np.ndarray:
        """The first row of each tuple of `tuples(key)`, in tuple order."""
        ids = self.tuples(key)
        with self._numbering:
            if key not in self._firsts:
                self._firsts[key] = first_rows(ids)
            return self._firsts[key]

    def derive(self, sources: tuple[str, ...], select: str, joins: str = "",
               con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
        """Staged columns: `select` (over r.<raw column>) run once per distinct tuple of `sources` (on `con`, by
        default the rows' connection); return their names."""
        if len(sources) == 1:
            src = self.raw[sources[0]]
            ids, table = src.codes, pa.table({sources[0]: src.values})
        else:
            ids, first = self.tuples(sources), self.firsts(sources)
            table = pa.table({c: self.raw[c].at(first) for c in sources})
        k = table.num_rows
        table = table.append_column("i", pa.array(np.arange(k, dtype=np.int64)))
        con = con or self.con
        con.register("_distinct", table)
        try:
            res = con.sql(f"SELECT {select} FROM _distinct r {joins} ORDER BY r.i").to_arrow_table()
        finally:
            con.unregister("_distinct")
        if res.num_rows != k:  # a join that repeats rows is a bug of the caller's SQL, not of the data
            raise RuntimeError(f"staging of {sources} returned {res.num_rows} rows for {k} distinct cells")
        for name, col in zip(res.column_names, res.columns, strict=True):
            self._store(name, sources, col.combine_chunks(), ids)
        return res.column_names

    def text(self, column: str) -> list[str]:
        """The staged text of a raw column: space separators trimmed, an empty cell NULL.

        The same as SQL's nullif(trim(c), ''), computed in Arrow over the distinct cells."""
        src = self.raw[column]
        trimmed = pc.utf8_trim(src.values, characters=SPACES)
        staged = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
        if trimmed.equals(src.values):
            # nothing trimmed: the distinct cells stay distinct (at most the one empty cell became NULL)
            self.cols[column], self.sources[column] = Coded(staged, src.codes), (column,)
        else:
            self._store(column, (column,), staged, src.codes)
        return [column]

    def order(self, names: list[str]) -> None:
        """Put the staged columns in the order of `names` (columns staged side by side arrive in any order)."""
        self.cols = {n: self.cols[n] for n in names}
        self.sources = {n: self.sources[n] for n in names}

    def _store(self, name: str, sources: tuple[str, ...], values: pa.Array, ids: np.ndarray) -> None:
        src = self.raw[sources[0]] if len(sources) == 1 else None
        if src is not None and values.null_count == 0 and values.equals(src.values):
            self.cols[name] = src  # every cell stays as it was (most text columns)
        else:
            self.cols[name] = recode(values, ids)
        self.sources[name] = sources

    def distinct(self, key: tuple[str, ...]) -> tuple[pa.Table, np.ndarray]:
        """One row per distinct tuple of raw `key` columns: its first row's file, row and seq, and every
        staged column computed from key columns alone; and the tuple id of each row."""
        ids, first = self.tuples(key), self.firsts(key)
        parts = {"file": self.file.at(first), "row": pa.array(self.row[first]), "seq": pa.array(self.seq[first])}
        for name, src in self.sources.items():
            if set(src) <= set(key):
                parts[name] = self.cols[name].at(first)
        return pa.table(parts), ids

    def check(self, name: str, key: tuple[str, ...], run: Callable[[duckdb.DuckDBPyConnection], list[Issue]],
              per_row: bool = True, con: duckdb.DuckDBPyConnection | None = None) -> list[Issue]:
        """Run `run` with `name` bound to the distinct tuples of `key` (on `con`, by default the connection the
        rows were staged on); with per_row, each finding is repeated for every row holding the same tuple (a rule
        about one row holds for all its twins)."""
        table, ids = self.distinct(key)
        con = con or self.con
        con.register(name, table)
        try:
            found = run(con)
        finally:
            con.unregister(name)
        return self.spread(found, table, ids) if per_row else found

    def spread(self, found: list[Issue], table: pa.Table, ids: np.ndarray) -> list[Issue]:
        """Each finding about a distinct tuple, for every row of that tuple, in row order."""
        if not found:
            return []
        where = {(f, r): i for i, (f, r) in enumerate(zip(table["file"].to_pylist(), table["row"].to_pylist(),
                                                           strict=True))}
        by_tuple: dict[int, list[Issue]] = {}
        for issue in found:
            by_tuple.setdefault(where[(issue.file, issue.row)], []).append(issue)
        rows = np.flatnonzero(np.isin(ids, np.fromiter(by_tuple, np.int64)))
        files = self.file.values.to_pylist()
        out: list[Issue] = []
        for r in rows.tolist():
            for i in by_tuple[int(ids[r])]:
                out.append(Issue(files[self.file.codes[r]], int(self.row[r]), i.column, i.value, i.reason_vi,
                                 i.reason_en))
        return out

    def table(self, names: list[str], rows: np.ndarray | None = None) -> pa.Table:
        """Staged columns spelt out per row (all rows, or those given), with file, row and seq."""
        pick = (lambda c: c.rows()) if rows is None else (lambda c: c.at(rows))
        parts = {"file": pick(self.file),
                 "row": pa.array(self.row if rows is None else self.row[rows]),
                 "seq": pa.array(self.seq if rows is None else self.seq[rows])}
        parts.update({n: pick(self.cols[n]) for n in names})
        return pa.table(parts)
