"""The task-status pivot (etl.build.task_pivot), which the identity rule and the task_status table both read."""

from __future__ import annotations

import datetime as dt

import duckdb

from etl.build import task_pivot
from etl.inputs import Rows, load

COLUMNS = {"file": "VARCHAR", "row": "BIGINT", "programme": "VARCHAR", "as_of": "DATE", "entity_id": "VARCHAR",
           "category": "VARCHAR", "source_file": "VARCHAR", "indicator_id": "VARCHAR", "value": "DOUBLE",
           "base": "DOUBLE", "conflict_id": "VARCHAR"}
D1, D2 = dt.date(2026, 5, 3), dt.date(2026, 5, 8)


def _row(line: int, status: str, value: float, *, as_of: dt.date = D1, entity: str | None = None,
         base: float | None = None, conflict: str | None = None) -> tuple:
    return ("a.csv", line, "p1", as_of, entity, None, "s.txt", f"tasks_{status}", value, base, conflict)


def _pivot(rows: list[tuple]) -> list[dict]:
    con = duckdb.connect()
    load(con, "t", Rows(COLUMNS, rows))
    cur = con.execute(task_pivot("SELECT * FROM t") + " ORDER BY as_of, entity_id NULLS FIRST")
    return [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()]


def test_each_status_lands_in_its_column_per_programme_date_unit_and_report():
    national, unit, later = _pivot([_row(2, "total", 194), _row(3, "done", 131, base=167),
                                    _row(4, "in_progress_on_time", 40), _row(5, "total", 30, entity="bo_a"),
                                    _row(6, "done_on_time", 100, as_of=D2), _row(7, "done_late", 20, as_of=D2)])
    assert (national["total"], national["done"], national["done_base"]) == (194, 131, 167)
    assert national["overdue"] is None  # never stated: NULL, not zero
    assert (national["d"], national["p"]) == (131, 40)  # in progress falls back on "in progress, on time"
    assert unit["entity_id"] == "bo_a" and unit["total"] == 30
    assert later["d"] == 120 and later["done"] is None  # done falls back on on time + late
    assert (later["total_file"], later["total_row"]) == ("a.csv", 6)  # no total: a finding names the group's first line


def test_a_status_stated_twice_keeps_the_larger_value_and_the_total_points_at_its_first_line():
    (row,) = _pivot([_row(9, "total", 50), _row(4, "total", 40), _row(5, "done", 12, base=60), _row(6, "done", 10)])
    assert (row["total"], row["done"], row["done_base"]) == (50, 12, 60)  # a row without a base hides no base
    assert (row["total_file"], row["total_row"], row["flagged"]) == ("a.csv", 4, False)


def test_conflict_ids_of_a_group_are_listed_once_each_in_order():
    rows = _pivot([_row(2, "total", 5, conflict="zeta"), _row(3, "done", 3, conflict="alpha"),
                   _row(4, "overdue", 1, conflict="zeta"), _row(5, "total", 7, as_of=D2, conflict="alpha"),
                   _row(6, "total", 9, entity="bo_a")])
    assert [(r["as_of"], r["entity_id"], r["conflict_id"], r["flagged"]) for r in rows] == [
        (D1, None, "alpha,zeta", True), (D1, "bo_a", None, False), (D2, None, "alpha", True)]


def test_no_task_rows_give_no_groups():
    assert _pivot([]) == []
