"""The task-status figures pivoted: one row per programme, date, unit, sub-group and report, a column per status.

The identity rule (checks.task_identity_issues) reads the pivot of the curated rows; the warehouse stores the pivot
of the current rows (curated, or a submission that superseded them) as task_keys and task_status_values. The rows
arrive as Coded columns (etl.coded), so grouping and spreading work on integer codes, not text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.coded import Coded, combine, first_rows, recode
from etl.schema import TASK_STATUS_INDICATORS

# What makes one pivot row; the task_status view shows the same key.
TASK_KEY = ("programme", "as_of", "entity_id", "category", "source_file")
# A pivot column per status, named as in task_status: tasks_done -> done.
STATUS_COLUMNS = tuple(i.removeprefix("tasks_") for i in TASK_STATUS_INDICATORS)
# The columns a task row brings besides its key.
ROW_COLUMNS = ("indicator_id", "conflict_id", "file")


@dataclass(frozen=True)
class TaskRows:
    """Task-status figures: the Coded columns of TASK_KEY and ROW_COLUMNS, and per row its line, fact id (seq),
    value and base (NaN where none)."""

    cols: dict[str, Coded]
    row: np.ndarray
    seq: np.ndarray
    value: np.ndarray
    base: np.ndarray

    @classmethod
    def from_table(cls, table: pa.Table) -> TaskRows:
        """From rows spelt out (the current versions, read back from SQL), each text column encoded once."""
        cols = {}
        for c in (*TASK_KEY, *ROW_COLUMNS):
            col = table[c].combine_chunks()
            cols[c] = recode(col, np.arange(len(col), dtype=np.int64))
        return cls(cols, table["row"].to_numpy(), table["seq"].to_numpy(), _floats(table["value"]),
                   _floats(table["base"]))

    def table(self) -> pa.Table:
        """The rows spelt out, as the version rules of submissions (etl.build) read them."""
        return pa.table({
            "file": self.cols["file"].rows(), "row": pa.array(self.row), "seq": pa.array(self.seq),
            **{c: self.cols[c].rows() for c in ("indicator_id", "entity_id", "programme", "category", "as_of",
                                                "source_file", "conflict_id")},
            "value": pa.array(self.value), "base": _nullable(self.base),
        })


def _floats(col: pa.ChunkedArray) -> np.ndarray:
    return col.combine_chunks().cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)


@dataclass(frozen=True)
class Pivot:
    """One row per group (TASK_KEY), in order of first appearance: the key's cells, the status counts, and what the
    identity rule needs (d, p, the line of the total, whether any row of the group carries a conflict id)."""

    table: pa.Table
    group: np.ndarray  # the group of each task row
    first: np.ndarray  # the first task row of each group


def pivot(rows: TaskRows) -> Pivot:
    """Each status in its column: the largest value the group's rows state for it (NULL when none does)."""
    group = combine([rows.cols[c] for c in TASK_KEY]) if len(rows.row) else np.empty(0, np.int64)
    first = first_rows(group)
    k = len(first)
    indicator = rows.cols["indicator_id"]
    names = indicator.values.to_pylist()

    def stating(name: str) -> np.ndarray:
        """Whether each row states the indicator `name`."""
        return indicator.codes == names.index(name) if name in names else np.zeros(len(group), bool)

    def largest(values: np.ndarray, where: np.ndarray) -> np.ndarray:
        out = np.full(k, np.nan)
        np.fmax.at(out, group[where], values[where])  # fmax: a row without a base leaves the others' base
        return out

    status = {col: largest(rows.value, stating(ind)) for col, ind in zip(STATUS_COLUMNS, TASK_STATUS_INDICATORS,
                                                                          strict=True)}
    # "131/167 nhiệm vụ hoàn thành" states the total as the base of the done count
    done_base = largest(rows.base, stating("tasks_done"))
    d = np.where(np.isnan(status["done"]), status["done_on_time"] + status["done_late"], status["done"])
    p = np.where(np.isnan(status["in_progress"]), status["in_progress_on_time"], status["in_progress"])
    # the line of each group's total (its first, should two rows state it), where the rule reports a sum
    total = np.flatnonzero(stating("tasks_total"))
    total = total[np.argsort(rows.row[total], kind="stable")[::-1]]
    at = np.full(k, -1, np.int64)
    at[group[total]] = total  # the last write wins: the smallest line
    has_total = at >= 0
    conflict = rows.cols["conflict_id"]
    carries = pc.is_valid(conflict.values).to_numpy(zero_copy_only=False)[conflict.codes]
    table = pa.table({
        **{c: rows.cols[c].at(first) for c in TASK_KEY},
        **{c: _nullable(v) for c, v in status.items()},
        "done_base": _nullable(done_base), "d": _nullable(d), "p": _nullable(p),
        "total_file": rows.cols["file"].values.take(pa.array(rows.cols["file"].codes[np.maximum(at, 0)],
                                                               mask=~has_total)),
        "total_row": pa.array(rows.row[np.maximum(at, 0)], mask=~has_total),
        "flagged": pa.array(np.bincount(group, weights=carries, minlength=k) > 0),
    })
    return Pivot(table, group, first)


def _nullable(values: np.ndarray) -> pa.Array:
    return pa.array(values, mask=np.isnan(values))


def conflict_ids(rows: TaskRows, piv: Pivot) -> pa.Array:
    """Per group: the distinct conflict ids its rows carry, in order and joined by commas (NULL when none)."""
    conflict = rows.cols["conflict_id"]
    carrying = np.flatnonzero(pc.is_valid(conflict.values).to_numpy(zero_copy_only=False)[conflict.codes])
    # each distinct (group, id) once, ordered by group and then by the id's text
    by_text = pc.array_sort_indices(conflict.values, null_placement="at_end").to_numpy()
    rank = np.empty(len(by_text), np.int64)
    rank[by_text] = np.arange(len(by_text))
    width = max(len(by_text), 1)
    pairs = np.unique(piv.group[carrying] * width + rank[conflict.codes[carrying]])
    group, text = pairs // width, conflict.values.take(pa.array(by_text[pairs % width])).to_numpy(zero_copy_only=False)
    out = np.full(len(piv.first), None, object)
    out[group] = text  # a group with one id (nearly all); those with several are joined below
    bounds = np.flatnonzero(np.diff(group, prepend=-1, append=-1))  # where each group's run of pairs starts
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if end - start > 1:
            out[group[start]] = ",".join(text[start:end])
    return pa.array(out, pa.string())


def status_tables(rows: TaskRows, piv: Pivot | None = None) -> tuple[pa.Table, pa.Table]:
    """task_keys (each programme, unit and report once, numbered in that order) and task_status_values (one row
    per group, ordered by key, date and sub-group, with the conflict ids of its rows); `piv` may give the pivot of
    `rows`, made already."""
    piv = piv or pivot(rows)
    t = piv.table
    keys = pa.table({c: t[c] for c in ("programme", "entity_id", "source_file")})
    key_of = combine([Coded(rows.cols[c].values, rows.cols[c].codes[piv.first]) for c in keys.column_names]) \
        if keys.num_rows else np.empty(0, np.int64)
    distinct = keys.take(pa.array(first_rows(key_of)))
    # numbered as SQL would order them: programme, then the unit (national first), then the report
    order = pc.sort_indices(distinct, sort_keys=[("programme", "ascending", "at_end"),
                                                 ("entity_id", "ascending", "at_start"),
                                                 ("source_file", "ascending", "at_end")])
    number = np.empty(distinct.num_rows, np.int64)
    number[order.to_numpy()] = np.arange(1, distinct.num_rows + 1)
    task_keys = distinct.take(order)
    task_keys = pa.table({"task_key_id": pa.array(np.arange(1, task_keys.num_rows + 1, dtype=np.int64)),
                          **{c: task_keys[c] for c in task_keys.column_names}})
    values = pa.table({
        "task_key_id": pa.array(number[key_of]),
        "as_of": t["as_of"], "category": t["category"],
        **{c: t[c] for c in STATUS_COLUMNS},
        "done_base": t["done_base"], "conflict_id": conflict_ids(rows, piv),
    })
    values = values.take(pc.sort_indices(values, sort_keys=[("task_key_id", "ascending", "at_end"),
                                                            ("as_of", "ascending", "at_end"),
                                                            ("category", "ascending", "at_start")]))
    return task_keys, values
