"""Build the warehouse: read data/, stage and validate it in DuckDB (etl/sql/), write a new file and swap it in."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import archive, inputs, paths, schema
from etl.issues import Issue, ValidationFailed
from etl.text import parse_deadline
from kpis.registry import TASK_STATUSES

SQL = Path(__file__).resolve().parent / "sql"


@dataclass(frozen=True)
class BuildResult:
    path: Path
    observations: int
    budget_rows: int
    files: int
    seconds: float


def statements(name: str) -> list[str]:
    """The statements of etl/sql/<name>.sql, in order."""
    return [s.strip() for s in (SQL / f"{name}.sql").read_text(encoding="utf-8").split(";\n") if s.strip()]


def _reason(statement: str) -> tuple[str, str]:
    comment = [line[3:] for line in statement.splitlines() if line.startswith("-- ") and " | " in line][-1]
    vi, en = comment.split(" | ")
    return vi, en


def _fill(reason: str, detail: object) -> str:
    """The reason with its {...%s...} part showing the detail, or left out when there is none."""
    return re.sub(r"\{([^}]*)\}", lambda m: m[1].replace("%s", str(detail)) if detail is not None else "", reason)


def run_rules(con: duckdb.DuckDBPyConnection, name: str) -> list[Issue]:
    """Every rule of etl/sql/<name>.sql, in one query: the cells each finds, with its reason in both languages."""
    rules = statements(name)
    found = con.execute(" UNION ALL ".join(
        f"SELECT {i}, #1::VARCHAR, #2::BIGINT, #3::VARCHAR, #4::VARCHAR, #5::VARCHAR FROM ({sql})"
        for i, sql in enumerate(rules)) + " ORDER BY 1").fetchall()
    reasons = [_reason(sql) for sql in rules]
    return [Issue(file, row, column, value, _fill(reasons[i][0], detail), _fill(reasons[i][1], detail))
            for i, file, row, column, value, detail in found]


def stage(con: duckdb.DuckDBPyConnection, tables: dict[str, inputs.Rows], subs: archive.Staged) -> None:
    """The inputs loaded and typed (etl/sql/staging.sql)."""
    for name, rows in tables.items():
        inputs.load(con, name if name in ("vocab", "units") else f"raw_{name}", rows)
    inputs.load(con, "sub_sources", inputs.Rows(archive.SOURCE_COLUMNS, subs.sources))
    inputs.load(con, "sub_source_texts", inputs.Rows({"source_file": "VARCHAR", "text": "VARCHAR"}, subs.texts))
    for part, columns in schema.ROW_COLUMNS.items():
        inputs.load(con, f"sub_{part}", inputs.Rows(columns | archive.EXTRA, []))
    for sub in subs.submissions:
        if isinstance(sub.rows, inputs.Rows):
            inputs.load(con, "parsed", sub.rows)
        extra = ", ".join(f"${c} AS {c}" for c in archive.EXTRA)
        source = "parsed" if isinstance(sub.rows, inputs.Rows) else "read_parquet($path)"
        con.execute(f"INSERT INTO sub_{sub.part} BY NAME SELECT *, {extra} FROM {source}",
                    sub.extra | ({} if isinstance(sub.rows, inputs.Rows) else {"path": str(sub.rows)}))
        con.execute("DROP TABLE IF EXISTS parsed")
    register_deadline_reader(con)
    for sql in statements("entities") + statements("staging"):
        con.execute(sql)


DEADLINE = duckdb.struct_type({"deadline": "DATE", "note_vi": "VARCHAR", "note_en": "VARCHAR"})


def register_deadline_reader(con: duckdb.DuckDBPyConnection) -> None:
    """deadline_of(text) for etl/sql/staging.sql: a target's deadline as worded, read by etl.text.parse_deadline (one
    reader of deadlines for the build and for Python callers)."""
    def read(text: str | None) -> dict | None:
        d = parse_deadline(text)
        return None if d is None else {"deadline": d.date, "note_vi": d.note_vi, "note_en": d.note_en}

    con.create_function("deadline_of", read, ["VARCHAR"], DEADLINE, null_handling="special", side_effects=False)


class Resolver:
    """A resolver of unit names and ids: resolver(text) -> id or None; resolver.many(texts) -> ids, in one query."""

    def __init__(self, con: duckdb.DuckDBPyConnection, expr: str):
        self.con, self.expr = con, expr  # expr: SQL of the id for the text in column t

    def __call__(self, text: str) -> str | None:
        return self.con.execute(f"SELECT {self.expr} FROM (SELECT $t AS t)", {"t": text}).fetchone()[0]

    def many(self, texts: list[str]) -> list[str | None]:
        rows = self.con.execute(f"SELECT k, {self.expr} FROM (SELECT unnest($ts) AS t, generate_subscripts($ts, 1) AS k)"
                                " ORDER BY k", {"ts": list(texts)}).fetchall()
        return [r[1] for r in rows]


def resolver(data_dir: Path, former: bool = False) -> Resolver:
    """The warehouse's resolver of unit names and ids (etl/sql/entities.sql) over the dimension files of data_dir,
    for Python callers. With `former`, a province that no longer exists (merged on 1 July 2025, e.g. "Quảng Nam")
    answers the unit it is part of today, as the rules' message for such a name says (etl/sql/staging.sql)."""
    con = duckdb.connect()
    for name in ("aliases", "agencies", "mergers"):
        rel, columns, optional = schema.SMALL[name]
        if optional and not (data_dir / rel).exists():
            inputs.load(con, f"raw_{name}", inputs.Rows(inputs.text_columns(columns[0] + columns[1]), []))
            continue
        f, issues = inputs.read(data_dir / rel, rel, *columns)
        if f is None:
            raise ValidationFailed(issues)
        inputs.load(con, f"raw_{name}", f.data)
    for sql in statements("entities"):
        con.execute(sql)
    merged = """(SELECT min(a.id) FROM raw_mergers m JOIN raw_agencies a ON a.kind = 'province' AND a.code = m.code
                 WHERE m.old_name_vi <> m.name_vi AND (entity_key(t) = entity_key(m.old_name_vi)
                       OR (entity_plain(t) = entity_key(t) AND entity_plain(t) = entity_plain(m.old_name_vi))))"""
    return Resolver(con, f"coalesce((SELECT id FROM raw_agencies WHERE id = t), resolve_entity(t)"
                         f"{', ' + merged if former else ''})")


def task_pivot(rows: str) -> str:
    """The task-status figures of `rows` (a table or query with value, base and as_of in the registry's unit), one
    row per programme, date, unit, sub-group and report and a column per status: the largest figure stated for it."""
    status = ", ".join(f"max(value) FILTER (WHERE indicator_id = 'tasks_{s}') AS {s}" for s in TASK_STATUSES)
    ids = ", ".join(f"'tasks_{s}'" for s in TASK_STATUSES)
    return f"""
        SELECT programme, as_of, entity_id, category, source_file, {status},
               max(base) FILTER (WHERE indicator_id = 'tasks_done') AS done_base,
               string_agg(DISTINCT conflict_id, ',' ORDER BY conflict_id) AS conflict_id,
               coalesce(done, done_on_time + done_late) AS d, coalesce(in_progress, in_progress_on_time) AS p,
               coalesce(arg_min(file, row) FILTER (WHERE indicator_id = 'tasks_total'), min(file)) AS total_file,
               coalesce(min(row) FILTER (WHERE indicator_id = 'tasks_total'), min(row)) AS total_row,
               count(conflict_id) > 0 AS flagged
        FROM ({rows}) WHERE programme IS NOT NULL AND indicator_id IN ({ids})
        GROUP BY programme, as_of, entity_id, category, source_file"""


def validate(con: duckdb.DuckDBPyConnection) -> list[Issue]:
    """The rules of each row and file first; the rules across rows only when those pass."""
    issues = run_rules(con, "rules")
    if issues:
        return issues
    con.execute("CREATE OR REPLACE TEMP VIEW task_groups AS " + task_pivot(
        "SELECT * REPLACE (num * factor AS value, base_num * factor AS base, as_of_date AS as_of) FROM obs"))
    return run_rules(con, "cross")


def _write(con: duckdb.DuckDBPyConnection, files: list[inputs.InputFile], subs: archive.Staged,
           started: dt.datetime) -> None:
    """The marts (etl/sql/marts.sql), the task-status pivot and the load log, into the attached file `w`."""
    con.execute("USE w")
    con.execute("SET search_path = 'w.main,memory.main'")
    for sql in statements("entities") + statements("marts"):
        con.execute(sql)
    status = ", ".join(TASK_STATUSES)
    con.execute(f"""CREATE TABLE task_status AS
        SELECT t.programme, t.as_of, a.name_vi AS entity, t.entity_id, t.category, t.source_file, {status},
               t.done_base, t.conflict_id
        FROM ({task_pivot("SELECT *, data_file AS file, data_row AS row FROM facts WHERE is_current")}) t
        LEFT JOIN agencies a ON a.id = t.entity_id
        ORDER BY t.programme, t.entity_id NULLS FIRST, t.source_file, t.as_of, t.category NULLS FIRST""")
    log = [(f.name, f.sha256, f.size, len(f.data.rows), started, f.kind) for f in sorted(files, key=lambda f: f.name)]
    inputs.load(con, "load_log", inputs.Rows({"file": "VARCHAR", "sha256": "VARCHAR", "bytes": "BIGINT", "rows": "BIGINT",
                                              "loaded_at": "TIMESTAMP", "kind": "VARCHAR"}, log + subs.log))
    con.execute("USE memory")
    con.execute("RESET search_path")


def build(data_dir: Path | None = None, db_path: Path | None = None, kpi_dir: Path | None = None) -> BuildResult:
    """Validate and build; the previous warehouse is replaced only by a complete new one."""
    started = dt.datetime.now()
    data_dir, kpi_dir = data_dir or paths.data_dir(), kpi_dir or paths.kpi_dir()
    db_path = db_path or paths.warehouse_path()
    files, tables, issues = inputs.read_all(data_dir, kpi_dir)
    if issues:
        raise ValidationFailed(issues)
    subs = archive.staged(data_dir, kpi_dir)
    if subs.issues:
        raise ValidationFailed(subs.issues)
    made = [d for d in (db_path.parent, *db_path.parent.parents) if not d.exists()]
    tmp: Path | None = None
    # The curated files alone build faster on one thread (0.67 s against 0.87 s): a pool's start costs more than it
    # saves; submissions of up to 200,000 rows build faster on both cores (1.97 s against 2.4 s). No table relies on
    # the order rows were inserted in (each states its ORDER BY), which spares DuckDB keeping it.
    with duckdb.connect(config={"preserve_insertion_order": False} | ({} if subs.submissions else {"threads": 1})) as con:
        try:
            stage(con, tables, subs)
            issues = validate(con)
            if issues:
                raise ValidationFailed(issues)
            with paths.locked(db_path.parent / f".{db_path.name}.lock"):
                for stale in db_path.parent.glob(f"{db_path.name}.*.tmp*"):  # a dead build's: none runs now
                    stale.unlink()
                fd, name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
                os.close(fd)
                tmp = Path(name)
                tmp.unlink()  # DuckDB must create the file itself
                con.execute("ATTACH ? AS w", [str(tmp)])
                _write(con, files, subs, started)
                con.execute("DETACH w")
                os.replace(tmp, db_path)  # atomic on POSIX: readers see the old file or the new one
                tmp = None
            counts = con.execute("SELECT (SELECT count(*) FROM obs), (SELECT count(*) FROM bud)").fetchone()
        finally:
            if tmp is not None:  # a refused or failed build leaves nothing behind
                if con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'w'").fetchone()[0]:
                    con.execute("DETACH w")
                for leftover in (tmp, Path(f"{tmp}.wal")):
                    leftover.unlink(missing_ok=True)
                for d in made:
                    if d.exists() and not any(d.iterdir()):
                        d.rmdir()
    return BuildResult(db_path, counts[0], counts[1], len(files) + len(subs.log),
                       (dt.datetime.now() - started).total_seconds())
