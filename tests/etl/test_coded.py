"""The coded staging (etl.coded): numbering tuples, finding shared keys, trimming like SQL, spreading findings."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from etl.coded import (
    SPACES,
    Coded,
    CodedRows,
    combine,
    first_rows,
    from_chunks,
    from_chunks_among,
    recode,
    shared_rows,
)
from etl.issues import Issue


def _coded(cells: list) -> Coded:
    enc = pa.array(cells).dictionary_encode()
    return Coded(enc.dictionary, enc.indices.to_numpy().astype(np.int32))


def _naive_ids(columns: list[list]) -> list[int]:
    seen: dict[tuple, int] = {}
    return [seen.setdefault(t, len(seen)) for t in zip(*columns, strict=True)]


@pytest.mark.parametrize("cardinality", [3, 50, 5000])
def test_combine_numbers_tuples_in_order_of_first_appearance(cardinality):
    rng = np.random.default_rng(cardinality)
    columns = [rng.integers(0, cardinality, 20_000).tolist() for _ in range(4)]
    ids = combine([_coded(c) for c in columns])
    assert ids.tolist() == _naive_ids(columns)


def test_combine_over_a_key_space_too_sparse_for_a_table():
    # 4 columns of 20,000 distinct cells each: the product passes int64, so the key is renumbered on the way
    columns = [list(range(20_000)), list(range(20_000))[::-1], list(range(20_000)), [1] * 20_000]
    assert combine([_coded(c) for c in columns]).tolist() == list(range(20_000))


def test_first_rows_finds_where_each_id_starts():
    ids = np.array([0, 1, 0, 2, 1, 3, 2])
    assert first_rows(ids).tolist() == [0, 1, 3, 5]


def test_shared_rows_are_exactly_the_rows_whose_tuple_repeats():
    rng = np.random.default_rng(7)
    columns = [rng.integers(0, 40, 30_000).tolist(), rng.integers(0, 40, 30_000).tolist(),
               rng.integers(0, 40, 30_000).tolist()]
    ids = np.array(_naive_ids(columns))
    expected = np.flatnonzero(np.bincount(ids)[ids] > 1)
    assert shared_rows([_coded(c) for c in columns]).tolist() == expected.tolist()
    unique = [list(range(1000)), list(range(1000))]
    assert shared_rows([_coded(c) for c in unique]).size == 0


def test_chunks_with_their_own_dictionaries_become_one_column():
    a = pa.array(["x", "y", "x"]).dictionary_encode()
    b = pa.array(["z", "x"]).dictionary_encode()
    c = from_chunks([a, b])
    assert c.rows().to_pylist() == ["x", "y", "x", "z", "x"]
    assert len(c.values) == 3


def test_chunks_looked_up_among_known_values_keep_only_the_cells_rows_hold():
    chunks = [pa.array(["b", "x", "b"]).dictionary_encode(), pa.array(["a", "x", ""]).dictionary_encode()]
    known = pa.array(["a", "b", "unused", "a"])  # "a" twice: its first position counts
    col, position = from_chunks_among(chunks, known)
    assert col.rows().to_pylist() == ["b", "x", "b", "a", "x", ""]
    assert sorted(col.values.to_pylist()) == ["", "a", "b", "x"]  # no row holds "unused"
    where = dict(zip(col.values.to_pylist(), position.to_pylist(), strict=True))
    assert where == {"a": 0, "b": 1, "x": None, "": None}


def test_recode_merges_values_a_transform_made_equal():
    c = recode(pa.array(["a", "a", None, "b"]), np.array([0, 1, 2, 3, 1]))
    assert c.rows().to_pylist() == ["a", "a", None, "b", "a"]
    assert len(c.values) == 3


def _rows(con: duckdb.DuckDBPyConnection, cells: dict[str, list]) -> CodedRows:
    n = len(next(iter(cells.values())))
    return CodedRows(con, {k: _coded(v) for k, v in cells.items()},
                     file=Coded(pa.array(["data/x.csv"]), np.zeros(n, np.int32)),
                     row=np.arange(2, n + 2), seq=np.arange(1, n + 1))


def test_text_trims_and_nulls_exactly_as_sql_does():
    con = duckdb.connect()
    cells = [" a ", "\ta\t", "  ", "", "b", "\u00a0c\u3000", " d\n", "Hà Nội "] + [s + "x" + s for s in SPACES]
    rows = _rows(con, {"c": cells})
    rows.text("c")
    sql = con.execute("SELECT [nullif(trim(x), '') FOR x IN ?]", [cells]).fetchone()[0]
    assert rows.cols["c"].rows().to_pylist() == sql


def test_a_finding_about_a_distinct_cell_reaches_every_row_holding_it():
    con = duckdb.connect()
    rows = _rows(con, {"unit": ["count", "bad", "count", "bad", "bad"]})
    rows.text("unit")

    def rule(c: duckdb.DuckDBPyConnection) -> list[Issue]:
        return [Issue(f, r, "unit", u, "sai", "wrong")
                for f, r, u in c.execute("SELECT file, row, unit FROM t WHERE unit = 'bad'").fetchall()]

    found = rows.check("t", ("unit",), rule)
    assert [(i.file, i.row, i.value) for i in found] == [("data/x.csv", 3, "bad"), ("data/x.csv", 5, "bad"),
                                                         ("data/x.csv", 6, "bad")]
    assert rows.check("t", ("unit",), rule, per_row=False) == found[:1]


def test_derive_computes_once_per_distinct_cell_and_spreads_the_result():
    con = duckdb.connect()
    rows = _rows(con, {"value": ["1", "x", "1", "2.5"]})
    rows.derive(("value",), "try_cast(r.value AS DOUBLE) AS num")
    assert rows.cols["num"].rows().to_pylist() == [1.0, None, 1.0, 2.5]
    with pytest.raises(RuntimeError):  # a join that repeats rows is refused, not silently spread
        rows.derive(("value",), "1 AS one", "JOIN (SELECT 1 UNION ALL SELECT 2) t ON true")


def test_combine_is_exact_even_when_every_hash_collides(monkeypatch):
    import etl.coded

    monkeypatch.setattr(etl.coded, "_hash", lambda columns: np.zeros(len(columns[0].codes), np.uint64))
    rng = np.random.default_rng(3)
    columns = [rng.integers(0, 30, 5000).tolist() for _ in range(3)]
    assert combine([_coded(c) for c in columns]).tolist() == _naive_ids(columns)
