"""The curated figures (observation and budget rows) staged as codes, checked, and shaped into fact rows."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl import checks
from etl.coded import Coded, CodedRows, combine, from_chunks, from_chunks_among, shared_rows
from etl.issues import Issue
from etl.read import CsvFile
from etl.schema import BUDGET_COLUMNS, OBSERVATION_COLUMNS, TASK_STATUS_INDICATORS, VOCAB
from etl.task_pivot import TASK_KEY, TaskRows

# Aliases are unique per key (a dimension rule); the join keeps every row (LEFT) and adds none.
ENTITY_JOIN = ("LEFT JOIN (SELECT key, min(agency_id) AS entity_id FROM ref_alias GROUP BY key) e "
               "ON e.key = lower(trim(r.entity))")

# Staged columns computed from a raw column besides its text (CodedRows.text: trimmed, empty as NULL).
_TYPED: dict[str, tuple[str, str]] = {
    "value": ("try_cast(r.value AS DOUBLE) AS num", ""),
    "amount": ("try_cast(r.amount AS DOUBLE) AS num, NULL::DOUBLE AS base_num", ""),
    "base": ("try_cast(nullif(trim(r.base), '') AS DOUBLE) AS base_num", ""),
    "as_of": ("try_strptime(trim(r.as_of), '%Y-%m-%d')::DATE AS as_of_date", ""),
    "fiscal_year": ("try_cast(trim(r.fiscal_year) AS INTEGER) AS year_num", ""),
    "entity": ("e.entity_id", ENTITY_JOIN),
}
# The registry's unit of the indicator and the factor from the stated unit into it (ids are unique by a
# dimension rule; the grouping only keeps a duplicated id from repeating rows before that rule reports it).
_UNIT_SQL = ("i.unit AS canonical_unit, u.factor",
             "LEFT JOIN (SELECT id, min(unit) AS unit FROM ref_indicators GROUP BY id) i ON i.id = trim(r.indicator_id) "
             "LEFT JOIN ref_units u ON u.stated = trim(r.unit) AND u.canonical = i.unit")

# Cells that vary from row to row of one statement (a figure repeated per date or sub-group); the rules
# about a single row read the other columns, so they run once per distinct tuple of those.
_PER_ROW = ("as_of", "category")


def stage(con: duckdb.DuckDBPyConnection, files: list[CsvFile], columns: tuple[str, ...],
          slugs: pa.Array | None = None) -> CodedRows:
    """The rows of `files` (dictionary-encoded, as etl.read gives them) with every staged column; with the
    labelled sub-group `slugs`, also the `category_id` of each category (its 1-based position among them, NULL for
    a category without a label).

    Columns are staged two at a time, each on a connection of its own: the work is Arrow, numpy and DuckDB,
    which let go of the GIL."""
    sizes = [f.table.num_rows for f in files]
    n = sum(sizes)
    rows = CodedRows(
        con, {},
        file=Coded(pa.array([f.name for f in files], pa.string()),
                   np.repeat(np.arange(len(files), dtype=np.int32), sizes)),
        # line numbers as an editor shows them (header is line 1); curated files hold no multi-line cells
        row=np.concatenate([np.arange(2, k + 2, dtype=np.int64) for k in sizes]) if files else np.empty(0, np.int64),
        seq=np.arange(1, n + 1, dtype=np.int64),  # the position in file order: the id of each fact
    )

    def one(c: str) -> list[str]:
        chunks = [ch for f in files for ch in f.table[c].chunks]
        labelled = c == "category" and slugs is not None
        if labelled:
            rows.raw[c], position = from_chunks_among(chunks, slugs)
        else:
            rows.raw[c] = from_chunks(chunks)
        names = rows.text(c)
        if labelled:
            cat, raw = rows.cols[c], rows.raw[c]
            kept = cat.codes is raw.codes and pc.all(pc.equal(cat.values.fill_null(""), raw.values)).as_py()
            if not kept:  # trimming changed some cells: look the trimmed ones up
                position = pc.index_in(cat.values, slugs, skip_nulls=True)
            ids = pc.if_else(pc.is_valid(cat.values), pc.add(position, 1), pa.scalar(None, pa.int64()))
            rows.cols["category_id"] = Coded(ids, cat.codes)
            rows.sources["category_id"] = (c,)
            names.append("category_id")
        if c in _TYPED:
            cur = con.cursor()
            try:
                names += rows.derive((c,), *_TYPED[c], con=cur)
            finally:
                cur.close()
        return names

    # the sub-groups, with the most distinct cells, take longest: started first, while the other worker stages
    # the other columns
    first = sorted(columns, key=lambda c: c != "category")
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(first, pool.map(one, first), strict=True))
    staged = [name for c in columns for name in done[c]]
    rows.raw = {c: rows.raw[c] for c in columns}
    if "indicator_id" in columns:
        staged += rows.derive(("indicator_id", "unit"), *_UNIT_SQL)
    rows.order(staged)
    return rows


def statement_key(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The columns that make a statement: all but the per-row ones, and the data file it is written in."""
    return ("file", *(c for c in columns if c not in _PER_ROW))


def observation_issues(obs: CodedRows, sources_dir: Path, labelled: bool, explained: bool = False) -> list[Issue]:
    """Every rule about a single observation row (`labelled`, `explained`: the dataset ships sub-group labels,
    conflict explanations)."""
    key = statement_key(OBSERVATION_COLUMNS)

    def per_statement(con: duckdb.DuckDBPyConnection) -> list[Issue]:
        rules = checks.OBSERVATION_RULES + checks.on_table(checks.SOURCE_RULES, "obs")
        rules += checks.explained_conflict_rules("obs") if explained else []
        return checks.run_rules(con, rules) + checks.entity_suggestions(con, "obs")

    issues = obs.check("obs", key, per_statement)
    issues += obs.check("obs", ("as_of",), lambda con: checks.run_rules(con, checks.on_table(checks.DATE_RULES, "obs")))
    if labelled:
        issues += obs.check("obs", ("category",), lambda con: checks.run_rules(con, checks.OBSERVATION_CATEGORY_RULES))
    # one finding per distinct quote and figure, at its first row, as the rule itself groups them
    issues += obs.check("obs", key, lambda con: checks.provenance_issues(con, sources_dir, "obs", "num"),
                        per_row=False)
    return issues


def budget_issues(bud: CodedRows, sources_dir: Path, con: duckdb.DuckDBPyConnection | None = None,
                  explained: bool = False) -> list[Issue]:
    """Every rule about a single budget row (on `con`, or the connection the rows were staged on; `explained`:
    the dataset ships conflict explanations)."""
    key = statement_key(BUDGET_COLUMNS)

    def per_statement(con: duckdb.DuckDBPyConnection) -> list[Issue]:
        rules = checks.BUDGET_RULES + checks.vocabulary_rules(VOCAB) + checks.on_table(checks.SOURCE_RULES, "bud")
        rules += checks.explained_conflict_rules("bud") if explained else []
        return checks.run_rules(con, rules) + checks.entity_suggestions(con, "bud")

    issues = bud.check("bud", key, per_statement, con=con)
    issues += bud.check("bud", ("as_of",), lambda c: checks.run_rules(c, checks.on_table(checks.DATE_RULES, "bud")),
                        con=con)
    issues += bud.check("bud", key, lambda c: checks.provenance_issues(c, sources_dir, "bud", "num"),
                        per_row=False, con=con)
    return issues


def _numbers(c: Coded, rows: np.ndarray | None = None) -> np.ndarray:
    return c.values.to_numpy(zero_copy_only=False)[c.codes if rows is None else c.codes[rows]]


def values(obs: CodedRows, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Value and base of every row (or of those given) in the registry's unit (NaN where there is no base)."""
    factor = _numbers(obs.cols["factor"], rows)
    return _numbers(obs.cols["num"], rows) * factor, _numbers(obs.cols["base_num"], rows) * factor


def _nullable_codes(c: Coded) -> pa.Array:
    return pa.array(c.codes, mask=c.values.is_null().to_numpy(zero_copy_only=False)[c.codes])


def conflict_issues(con: duckdb.DuckDBPyConnection, obs: CodedRows) -> list[Issue]:
    """Rows that disagree on the same indicator, entity, programme, category and date must share a conflict id."""
    # Two rows with one key state the same indicator, entity and programme, each in a statement of its own (a
    # statement has one value). Only statements whose (indicator, entity, programme) comes with two values or more
    # can disagree, so only their rows are compared.
    if obs.n == 0:
        return []
    statements = statement_key(OBSERVATION_COLUMNS)
    statement, first = obs.tuples(statements), obs.firsts(statements)
    triple = combine([Coded(obs.cols[c].values, obs.cols[c].codes[first])
                      for c in ("indicator_id", "entity_id", "programme")])
    # each (triple, value) once, then the triples stated with two values or more
    stated = np.unique(np.stack([triple.astype(np.float64), values(obs, first)[0]]), axis=1)[0]
    varies = np.bincount(stated.astype(np.int64), minlength=len(first)) > 1
    rows = np.flatnonzero(varies[triple][statement])
    key = [Coded(pa.array(np.arange(len(first))), triple[statement]), obs.cols["category"], obs.cols["as_of_date"]]

    def at(where: np.ndarray) -> list[Coded]:
        return [Coded(c.values, c.codes[where]) for c in key]

    shared = rows[shared_rows(at(rows))] if rows.size else rows  # only rows that share their key can disagree
    group = combine(at(shared)) if shared.size else shared
    conflict = _nullable_codes(obs.cols["conflict_id"]).take(pa.array(shared))
    con.register("_groups", pa.table({"k": group, "v": values(obs, shared)[0], "c": conflict}))
    try:
        bad = con.execute(
            "SELECT k FROM _groups GROUP BY k HAVING min(v) <> max(v) "
            "AND (count(c) < count(*) OR min(c) <> max(c))"
        ).fetchnumpy()["k"]
    finally:
        con.unregister("_groups")
    if len(bad) == 0:
        return []
    rows = shared[np.isin(group, np.asarray(bad))]
    files = obs.file.values.to_pylist()
    text = obs.cols["value"]
    found = sorted((files[obs.file.codes[r]], int(obs.row[r]), text.values[text.codes[r]].as_py()) for r in rows)
    return [
        Issue(file, row, "conflict_id", value,
              "số liệu mâu thuẫn với dòng khác cùng chỉ tiêu, đơn vị và ngày nhưng chưa gắn chung mã xung đột",
              "figure disagrees with another row for the same indicator, entity and date "
              "and does not share its conflict id")
        for file, row, value in found
    ]


def _where(c: Coded, test: pa.Array) -> np.ndarray:
    """Per row: whether its cell passes `test`, a boolean array over the distinct cells."""
    return test.to_numpy(zero_copy_only=False)[c.codes]


def task_rows(obs: CodedRows) -> TaskRows:
    """The task-status rows (those with a programme), as the identity rule and the task_status table read them."""
    ind = obs.cols["indicator_id"]
    mask = _where(ind, pc.is_in(ind.values, pa.array(TASK_STATUS_INDICATORS)).fill_null(False))
    mask &= _where(obs.cols["programme"], pc.is_valid(obs.cols["programme"].values))
    rows = np.flatnonzero(mask)
    value, base = values(obs, rows)
    staged = {"as_of": "as_of_date"}  # the task key's name of a staged column
    cols = {c: obs.cols[staged.get(c, c)] for c in (*TASK_KEY, "indicator_id", "conflict_id")}
    cols["file"] = obs.file
    return TaskRows({c: Coded(col.values, col.codes[rows]) for c, col in cols.items()}, obs.row[rows], obs.seq[rows],
                    value, base)


def flagged(obs: CodedRows) -> pa.Table:
    """The observation statements that carry a conflict id, with how many rows each has."""
    table, ids = obs.distinct(statement_key(OBSERVATION_COLUMNS))
    table = table.append_column("n", pa.array(np.bincount(ids, minlength=table.num_rows)))
    return table.filter(pc.is_valid(table["conflict_id"])).select(["conflict_id", "source_file", "note", "n"])


# What a statement says about where it comes from: one row of the `provenance` table per distinct tuple.
PROVENANCE_COLUMNS = ("data_file", "source_file", "source_quote", "unit_stated", "entity_as_written",
                      "conflict_id", "note")


def statements(obs: CodedRows) -> tuple[pa.Table, np.ndarray]:
    """One row per distinct observation statement with its provenance columns and figures; the id per row."""
    table, ids = obs.distinct(statement_key(OBSERVATION_COLUMNS))
    factor = table["factor"].to_numpy(zero_copy_only=False)
    num = table["num"].to_numpy(zero_copy_only=False)
    base = table["base_num"].to_numpy(zero_copy_only=False)
    table = pa.table({
        "i": pa.array(np.arange(table.num_rows, dtype=np.int64)), "seq": table["seq"],
        "data_file": table["file"], "source_file": table["source_file"], "source_quote": table["source_quote"],
        "unit_stated": table["unit"], "entity_as_written": table["entity"], "conflict_id": table["conflict_id"],
        "note": table["note"], "indicator_id": table["indicator_id"], "entity_id": table["entity_id"],
        "programme": table["programme"], "value": pa.array(num * factor),
        "base": pa.array(base * factor, mask=np.isnan(base)), "value_stated": table["num"],
    })
    return table, ids


def budget_statements(bud: CodedRows) -> tuple[pa.Table, np.ndarray]:
    """One row per distinct budget statement (a budget row but its date) with its staged columns; the id per
    row (0-based, in order of first appearance)."""
    table, ids = bud.distinct(statement_key(BUDGET_COLUMNS))
    return table.append_column("i", pa.array(np.arange(table.num_rows, dtype=np.int64))), ids


def budget_values(bud: CodedRows, ids: np.ndarray) -> pa.Table:
    """The budget_values rows of the curated files: row id, the statement (1-based), date and line."""
    return pa.table({
        "budget_id": pa.array(bud.seq),
        "statement_id": pa.array(ids + 1),
        "as_of": bud.cols["as_of_date"].rows(),
        "data_row": pa.array(bud.row),
    })


def category_codes(labelled: pa.Array, used: list[pa.Array],
                   staged: pa.Array | None = None) -> tuple[pa.Array, list[pa.Array]]:
    """Every category slug once, as the rows of the `categories` table: the labelled ones in file order, then
    any other slug a figure uses (a dataset without labels), in order of first use; and, for each array of
    `used`, the category_id (1-based position) of each cell, NULL for an empty one. `staged` may give the ids
    of the first array among the labelled slugs, as stage() found them."""
    slugs = labelled.cast(pa.string())
    ids = []
    for k, cells in enumerate(used):
        if len(cells) == 0:  # no submission: no lookup table to build
            ids.append(pa.array([], pa.int32()))
            continue
        found = pc.subtract(staged, 1) if k == 0 and staged is not None else pc.index_in(cells, slugs, skip_nulls=True)
        unlabelled = pc.and_(pc.is_null(found), pc.not_equal(cells, "")).fill_null(False)  # "" is no slug
        if pc.any(unlabelled).as_py():
            slugs = pa.concat_arrays([slugs, pc.unique(cells.filter(unlabelled))])
            found = pc.index_in(cells, slugs, skip_nulls=True)
        ids.append(pc.add(found, 1))  # the ids found earlier stay: slugs are only ever appended
    return slugs, ids


def category_table(slugs: pa.Array, labels: pa.Table) -> pa.Table:
    """The `categories` table: id, slug and the labels of data/dims/categories.csv (NULL for a slug without)."""
    missing = pa.nulls(len(slugs) - labels.num_rows, pa.string())
    return pa.table({
        "category_id": pa.array(np.arange(1, len(slugs) + 1, dtype=np.int32)),  # as fact_values points into it
        "slug": slugs,
        "name_vi": pa.concat_arrays([labels["name_vi"].combine_chunks().cast(pa.string()), missing]),
        "name_en": pa.concat_arrays([labels["name_en"].combine_chunks().cast(pa.string()), missing]),
    })


def curated_facts(obs: CodedRows, ids: np.ndarray, category_ids: pa.Array) -> pa.Table:
    """The fact_values rows of the curated files: the statement each row states (1-based, as `statements()`
    numbers them), and what varies from row to row: sub-group (`category_ids` per distinct cell), date,
    line number."""
    cat = obs.cols["category"]
    return pa.table({  # 32-bit, as fact_values stores them (etl.build._FACT_VALUES)
        "fact_id": pa.array(obs.seq.astype(np.int32)),
        "statement_id": pa.array((ids + 1).astype(np.int32)),
        "category_id": category_ids.cast(pa.int32()).take(pa.array(cat.codes)),
        "as_of": obs.cols["as_of_date"].rows(),
        "data_row": pa.array(obs.row.astype(np.int32)),
    })
