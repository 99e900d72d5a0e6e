"""The task-status pivot on coded rows: what the identity rule and the task_status tables are made of."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from etl.task_pivot import TaskRows, pivot, status_tables

D1, D2 = dt.date(2026, 5, 3), dt.date(2026, 6, 1)
COLUMNS = ("file", "row", "seq", "indicator_id", "entity_id", "programme", "category", "as_of", "source_file",
           "conflict_id", "value", "base")


def _rows(*rows: tuple) -> TaskRows:
    table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(COLUMNS)})
    return TaskRows.from_table(table.cast(pa.schema([
        ("file", pa.string()), ("row", pa.int64()), ("seq", pa.int64()), ("indicator_id", pa.string()),
        ("entity_id", pa.string()), ("programme", pa.string()), ("category", pa.string()), ("as_of", pa.date32()),
        ("source_file", pa.string()), ("conflict_id", pa.string()), ("value", pa.float64()), ("base", pa.float64()),
    ])))


def _by_key(table: pa.Table) -> dict[tuple, dict]:
    return {(r["programme"], r["as_of"], r["entity_id"], r["category"], r["source_file"]): r
            for r in table.to_pylist()}


def test_each_status_lands_in_its_column_per_programme_date_unit_group_and_report():
    rows = _rows(
        ("a.csv", 2, 1, "tasks_total", None, "p1", None, D1, "s.txt", None, 194, None),
        ("a.csv", 3, 2, "tasks_done", None, "p1", None, D1, "s.txt", None, 131, 167),
        ("a.csv", 4, 3, "tasks_in_progress_on_time", None, "p1", None, D1, "s.txt", None, 40, None),
        ("a.csv", 5, 4, "tasks_total", "bo_a", "p1", None, D1, "s.txt", None, 12, None),
        ("a.csv", 6, 5, "tasks_done_on_time", None, "p1", None, D2, "s.txt", None, 100, None),
        ("a.csv", 7, 6, "tasks_done_late", None, "p1", None, D2, "s.txt", None, 20, None),
    )
    got = _by_key(pivot(rows).table)
    assert set(got) == {("p1", D1, None, None, "s.txt"), ("p1", D1, "bo_a", None, "s.txt"),
                        ("p1", D2, None, None, "s.txt")}
    national = got[("p1", D1, None, None, "s.txt")]
    assert (national["total"], national["done"], national["done_base"]) == (194, 131, 167)
    assert national["overdue"] is None  # never stated: NULL, not zero
    assert (national["d"], national["p"]) == (131, 40)  # in progress falls back on "in progress, on time"
    later = got[("p1", D2, None, None, "s.txt")]
    assert later["d"] == 120 and later["done"] is None  # done falls back on on time + late
    assert later["total_file"] is None and later["total_row"] is None  # no total: nothing to report against


def test_a_status_stated_twice_keeps_the_larger_value_and_the_total_points_at_its_first_line():
    rows = _rows(
        ("b.csv", 9, 1, "tasks_total", None, "p1", None, D1, "s.txt", None, 50, None),
        ("a.csv", 4, 2, "tasks_total", None, "p1", None, D1, "s.txt", None, 48, None),
        ("a.csv", 5, 3, "tasks_done", None, "p1", None, D1, "s.txt", None, 10, None),
        ("a.csv", 6, 4, "tasks_done", None, "p1", None, D1, "s.txt", None, 12, 60),
    )
    (row,) = pivot(rows).table.to_pylist()
    assert row["total"] == 50 and row["done"] == 12
    assert row["done_base"] == 60  # a row without a base does not hide the other's
    assert (row["total_file"], row["total_row"]) == ("a.csv", 4)
    assert row["flagged"] is False


def test_conflict_ids_of_a_group_are_listed_once_each_in_order():
    rows = _rows(
        ("a.csv", 2, 1, "tasks_total", None, "p1", None, D1, "s.txt", "zeta", 10, None),
        ("a.csv", 3, 2, "tasks_done", None, "p1", None, D1, "s.txt", "alpha", 4, None),
        ("a.csv", 4, 3, "tasks_overdue", None, "p1", None, D1, "s.txt", "zeta", 7, None),
        ("a.csv", 5, 4, "tasks_total", None, "p1", None, D2, "s.txt", "alpha", 9, None),
        ("a.csv", 6, 5, "tasks_total", "bo_a", "p1", None, D1, "s.txt", None, 3, None),
    )
    piv = pivot(rows)
    assert {(r["as_of"], r["entity_id"]): r["flagged"] for r in piv.table.to_pylist()} == {
        (D1, None): True, (D2, None): True, (D1, "bo_a"): False}
    _, values = status_tables(rows, piv)
    got = {(r["as_of"], r["task_key_id"]): r["conflict_id"] for r in values.to_pylist()}
    assert got == {(D1, 1): "alpha,zeta", (D2, 1): "alpha", (D1, 2): None}


def test_keys_are_numbered_by_programme_then_unit_national_first_and_values_ordered_by_key_date_group():
    rows = _rows(
        ("a.csv", 2, 1, "tasks_total", "bo_b", "p2", None, D1, "s.txt", None, 1, None),
        ("a.csv", 3, 2, "tasks_total", None, "p2", "z_group", D2, "s.txt", None, 2, None),
        ("a.csv", 4, 3, "tasks_total", None, "p2", None, D2, "s.txt", None, 3, None),
        ("a.csv", 5, 4, "tasks_total", None, "p2", "a_group", D1, "s.txt", None, 4, None),
        ("a.csv", 6, 5, "tasks_total", "bo_a", "p1", None, D1, "r.txt", None, 5, None),
        ("a.csv", 7, 6, "tasks_total", "bo_a", "p1", None, D1, "q.txt", None, 6, None),
    )
    keys, values = status_tables(rows)
    assert keys.to_pylist() == [
        {"task_key_id": 1, "programme": "p1", "entity_id": "bo_a", "source_file": "q.txt"},
        {"task_key_id": 2, "programme": "p1", "entity_id": "bo_a", "source_file": "r.txt"},
        {"task_key_id": 3, "programme": "p2", "entity_id": None, "source_file": "s.txt"},
        {"task_key_id": 4, "programme": "p2", "entity_id": "bo_b", "source_file": "s.txt"},
    ]
    assert [(r["task_key_id"], r["as_of"], r["category"], r["total"]) for r in values.to_pylist()] == [
        (1, D1, None, 6), (2, D1, None, 5), (3, D1, "a_group", 4), (3, D2, None, 3), (3, D2, "z_group", 2),
        (4, D1, None, 1),
    ]


def test_no_task_rows_give_empty_tables_with_every_column():
    rows = _rows()
    piv = pivot(rows)
    keys, values = status_tables(rows, piv)
    assert piv.table.num_rows == keys.num_rows == values.num_rows == 0
    assert {"total", "d", "p", "total_file", "total_row", "flagged"} <= set(piv.table.column_names)
    assert values.column_names[:3] == ["task_key_id", "as_of", "category"]
