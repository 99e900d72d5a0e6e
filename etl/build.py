"""Build the warehouse: read data/, validate everything, write a new DuckDB file, swap it in."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from etl import checks, figures, paths, submissions, task_pivot, units
from etl.coded import CodedRows
from etl.issues import Issue, ValidationFailed
from etl.read import CsvFile, read_csv
from etl.schema import (
    AGENCY_COLUMNS,
    ALIAS_COLUMNS,
    BUDGET_COLUMNS,
    BUDGET_REQUIRED,
    CATEGORY_COLUMNS,
    CONFLICT_COLUMNS,
    OBSERVATION_COLUMNS,
    OBSERVATION_REQUIRED,
    PROGRAMME_COLUMNS,
    SOURCE_COLUMNS,
    TASK_COLUMNS,
    TASK_STATUS_INDICATORS,
    VOCAB,
)
from kpis.registry import INDICATOR_COLUMNS, TARGET_COLUMNS

# Files are NFC already (etl.read); cells are trimmed, and empty cells become NULL.
_TEXT = "nullif(trim({c}), '')"
_KEY = "lower(trim({c}))"


@dataclass(frozen=True)
class BuildResult:
    path: Path
    observations: int
    budget_rows: int
    files: int
    seconds: float


def _text(c: str) -> str:
    return _TEXT.format(c=c)


def _key(c: str) -> str:
    return _KEY.format(c=c)


class _Inputs:
    """Every input file read once, with the issues reading raised."""

    def __init__(self, data_dir: Path, kpi_dir: Path):
        self.files: list[CsvFile] = []
        self.issues: list[Issue] = []
        self.data_dir = data_dir
        self.kpi_dir = kpi_dir
        self.obs_files: list[CsvFile] = []
        self.obs: CodedRows | None = None  # the observation rows, staged (etl.figures)
        self.task_rows: task_pivot.TaskRows | None = None  # the curated task-status rows (figures.task_rows)
        self.pivot: _Job | None = None  # the thread making task_check (_pivot_tasks)
        self.task_check: pa.Table | None = None  # the pivot of task_rows, which the identity rule reads
        self.tables: _Job | None = None  # the thread writing the tables of TABLES (_write_tables)
        self.bud: CodedRows | None = None  # the budget rows, staged
        self.cats: CodedRows | None = None  # the sub-group labels, staged
        self.raw: dict[str, pa.Table] = {}  # inputs other connections register too (raw_<name>)
        self.subs: submissions.Staged | None = None  # agency submissions (data/submissions/)

    def one(self, path: Path, base: Path, required: tuple[str, ...], optional: tuple[str, ...] = (),
            dictionary: bool = False) -> CsvFile | None:
        if not path.exists():
            self.issues.append(Issue(str(path.relative_to(base.parent)), None, None, None,
                                     "thiếu tệp bắt buộc", "required file is missing"))
            return None
        f, issues = read_csv(path, str(path.relative_to(base.parent)), required, optional, dictionary=dictionary)
        self.issues += issues
        if f is not None:
            self.files.append(f)
        return f

    def figure_files(self, groups: list[tuple[list[Path], tuple[str, ...], tuple[str, ...]]]
                     ) -> Callable[[], list[list[CsvFile]]]:
        """Start reading every file of each (files, required, optional), dictionary-encoded for the coded
        staging; return the function that waits for them (the caller works meanwhile).

        Files are parsed two at a time, one thread each (whole files side by side keep both cores busier
        than split blocks), largest first so that no big file is left to parse alone at the end."""
        jobs = [(k, path, required, optional) for k, (paths, required, optional) in enumerate(groups)
                for path in paths]
        base = self.data_dir.parent

        def read(job: tuple) -> tuple[CsvFile | None, list[Issue]]:
            _, path, required, optional = job
            return read_csv(path, str(path.relative_to(base)), required, optional, dictionary=True, threads=False)

        pool = ThreadPoolExecutor(max_workers=2)
        pending = {i: pool.submit(read, jobs[i]) for i in sorted(range(len(jobs)), key=lambda i: -jobs[i][1].stat().st_size)}
        pool.shutdown(wait=False)

        def collect() -> list[list[CsvFile]]:
            results = [pending[i].result() for i in range(len(jobs))]
            out: list[list[CsvFile]] = [[] for _ in groups]
            for (k, *_), (f, issues) in zip(jobs, results, strict=True):
                self.issues += issues
                if f is not None:
                    self.files.append(f)
                    out[k].append(f)
            return out

        return collect


SHAPE_SCHEMA = pa.schema([("code", pa.string()), ("agency_id", pa.string()), ("name_vi", pa.string()),
                          ("name_en", pa.string()), ("geometry", pa.string())])


def _read_shapes(path: Path, inp: _Inputs) -> pa.Table:
    """The province map (one GeoJSON feature per unit) as rows; the geometry stays GeoJSON text."""
    if not path.exists():
        return SHAPE_SCHEMA.empty_table()
    name = str(path.relative_to(inp.data_dir.parent))
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        rows = [{**{k: f["properties"][k] for k in ("code", "agency_id", "name_vi", "name_en")},
                 "geometry": json.dumps(f["geometry"], separators=(",", ":"))} for f in features]
    except (ValueError, KeyError, TypeError) as exc:
        inp.issues.append(Issue(name, None, None, None, f"GeoJSON không đọc được: {exc}",
                                f"GeoJSON cannot be read: {exc}"))
        return SHAPE_SCHEMA.empty_table()
    return pa.Table.from_pylist(rows, schema=SHAPE_SCHEMA)


def _reference_tables(con: duckdb.DuckDBPyConnection, inp: _Inputs, small: list[tuple[str, CsvFile]],
                      tasks: CsvFile | None, shapes: pa.Table, explanations: CsvFile | None) -> None:
    """The small inputs registered as raw_<name>, and the typed ref_* tables made of them."""

    def reg(name: str, table: pa.Table) -> None:
        # one chunk per column: DuckDB then scans whole batches instead of the CSV reader's small blocks
        inp.raw[name] = table.combine_chunks()
        con.register(f"raw_{name}", inp.raw[name])

    for name, f in small:
        reg(name, f.table)
    def optional(f: CsvFile | None, columns: tuple[str, ...]) -> pa.Table:
        """An optional file's table, or none of its rows (as etl.read would give them) when it is absent."""
        if f is not None:
            return f.table
        return pa.schema([(c, pa.string()) for c in columns] + [("row", pa.int64()), ("file", pa.string())]).empty_table()

    reg("tasks", optional(tasks, TASK_COLUMNS))
    reg("shapes", shapes)
    reg("conflicts", optional(explanations, CONFLICT_COLUMNS))
    # ref_* are plain tables of the in-memory database (not TEMP): the writer connections read them too
    con.execute(f"CREATE TABLE ref_sources AS SELECT {_text('id')} AS id, "
                f"{_text('source_file')} AS source_file, {_text('issuer_vi')} AS issuer_vi, "
                f"{_text('issuer_en')} AS issuer_en, {_text('title_vi')} AS title_vi, "
                f"{_text('title_en')} AS title_en, try_cast(report_date AS DATE) AS report_date, "
                f"{_text('note')} AS note, file, row FROM raw_sources")
    con.execute("CREATE TABLE ref_agencies AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in AGENCY_COLUMNS) + ", file, row FROM raw_agencies")
    con.execute(f"CREATE TABLE ref_alias_display AS SELECT DISTINCT {_text('alias')} AS alias, "
                f"{_text('agency_id')} AS agency_id FROM raw_aliases "
                f"UNION SELECT name_vi, id FROM ref_agencies UNION SELECT short_vi, id FROM ref_agencies "
                f"WHERE short_vi IS NOT NULL")
    con.execute(f"CREATE TABLE ref_alias AS SELECT DISTINCT {_key('alias')} AS key, agency_id "
                "FROM ref_alias_display")
    con.execute("CREATE TABLE ref_programmes AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in PROGRAMME_COLUMNS) + " FROM raw_programmes")
    con.execute("CREATE TABLE ref_indicators AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in INDICATOR_COLUMNS) + ", file, row FROM raw_indicators")
    con.execute("CREATE TABLE ref_conflicts AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in CONFLICT_COLUMNS) + ", file, row FROM raw_conflicts")
    stated, canonical, factor = zip(*units.conversion_rows(), strict=True)
    con.register("unit_rows", pa.table({"stated": pa.array(stated, pa.string()),
                                        "canonical": pa.array(canonical, pa.string()),
                                        "factor": pa.array(factor, pa.float64())}))
    con.execute("CREATE TABLE ref_units AS SELECT * FROM unit_rows")  # one statement, not an INSERT per pair
    con.execute("CREATE TABLE ref_targets AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in TARGET_COLUMNS)
                + ", try_cast(value AS DOUBLE) AS num, try_cast(year AS INTEGER) AS year_num, "
                  "NULL::DOUBLE AS base_num, NULL::VARCHAR AS entity, file, row, row AS seq FROM raw_targets")



def stage(con: duckdb.DuckDBPyConnection, data_dir: Path, kpi_dir: Path) -> tuple[_Inputs, list[Issue]]:
    """Read all inputs into typed staging tables of an open connection; return what reading found wrong."""
    inp = _Inputs(data_dir, kpi_dir)
    d = inp.one
    sources = d(data_dir / "sources.csv", data_dir, SOURCE_COLUMNS)
    agencies = d(data_dir / "dims" / "agencies.csv", data_dir, AGENCY_COLUMNS)
    aliases = d(data_dir / "dims" / "agency_aliases.csv", data_dir, ALIAS_COLUMNS)
    programmes = d(data_dir / "dims" / "programmes.csv", data_dir, PROGRAMME_COLUMNS)
    indicators = d(kpi_dir / "indicators.csv", kpi_dir, INDICATOR_COLUMNS)
    targets = d(kpi_dir / "targets.csv", kpi_dir, TARGET_COLUMNS)
    explanations_path = data_dir / "dims" / "conflicts.csv"  # optional, like the sub-group labels
    explanations = d(explanations_path, data_dir, CONFLICT_COLUMNS) if explanations_path.exists() else None

    def csv_files(folder: Path) -> list[Path]:
        return sorted(folder.glob("*.csv")) if folder.exists() else []

    # the sub-group labels are optional, and as large as a figure file in the benchmark: parsed alongside
    cat_path = data_dir / "dims" / "categories.csv"
    figure_files = inp.figure_files([
        (csv_files(data_dir / "observations"), OBSERVATION_REQUIRED,
         tuple(c for c in OBSERVATION_COLUMNS if c not in OBSERVATION_REQUIRED)),
        (csv_files(data_dir / "budget"), BUDGET_REQUIRED,
         tuple(c for c in BUDGET_COLUMNS if c not in BUDGET_REQUIRED)),
        ([cat_path] if cat_path.exists() else [], CATEGORY_COLUMNS, ()),
    ])
    # while the figure files are parsed: the small inputs, and the reference tables made of them
    task_path = data_dir / "illustrative" / "tasks.csv"
    tasks = d(task_path, data_dir, TASK_COLUMNS) if task_path.exists() else None
    shapes = _read_shapes(data_dir / "geo" / "vn_provinces_34.geojson", inp)
    if not inp.issues:
        _reference_tables(con, inp, [("sources", sources), ("agencies", agencies), ("aliases", aliases),
                                     ("programmes", programmes), ("indicators", indicators), ("targets", targets)],
                          tasks, shapes, explanations)
    obs_files, bud_files, cat_files = figure_files()
    if inp.issues:
        return inp, inp.issues
    # Submissions are re-parsed with the loader's own parser; their fact ids follow the curated ones.
    n_obs = sum(f.table.num_rows for f in obs_files)
    n_bud = sum(f.table.num_rows for f in bud_files)
    inp.subs = submissions.stage_for_build(data_dir, kpi_dir, n_obs, n_bud)
    if inp.subs.issues:
        inp.issues += inp.subs.issues
        return inp, inp.issues
    if inp.subs.sources:
        con.executemany("INSERT INTO ref_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inp.subs.sources)

    inp.obs_files = obs_files  # staged by stage_observations, while the other tables are written
    inp.bud = figures.stage(con, bud_files, BUDGET_COLUMNS)
    # the sub-group labels (data/dims/categories.csv), trimmed once per distinct cell like the figures
    inp.cats = figures.stage(con, cat_files, CATEGORY_COLUMNS)
    inp.raw["categories"] = inp.cats.table(list(CATEGORY_COLUMNS))
    con.register("ref_categories", inp.raw["categories"])
    return inp, []


def dimension_issues(con: duckdb.DuckDBPyConnection) -> list[Issue]:
    """The dimension tables and the registry must be well-formed before any figure is judged by them."""
    rules: list[tuple] = [  # (sql, reason vi, reason en[, parameters])
        ("SELECT file, row, 'id', id FROM ref_agencies QUALIFY count(*) OVER (PARTITION BY id) > 1",
         "mã cơ quan bị trùng", "agency id is duplicated"),
        ("SELECT file, row, 'kind', kind FROM ref_agencies WHERE kind NOT IN ('province', 'ministry', 'other') "
         "OR kind IS NULL", "loại cơ quan không hợp lệ", "agency kind must be province, ministry or other"),
        ("SELECT file, row, 'region', region FROM ref_agencies WHERE kind = 'province' AND (region IS NULL "
         "OR region NOT IN (SELECT unnest(?)))", "tỉnh thiếu vùng hoặc vùng không hợp lệ",
         "province lacks a valid region"),
        ("SELECT file, row, 'name_en', name_en FROM ref_agencies WHERE name_vi IS NULL OR name_en IS NULL",
         "thiếu tên tiếng Việt hoặc tiếng Anh", "Vietnamese or English name is missing"),
        ("SELECT 'data/dims/agency_aliases.csv', NULL, 'alias', key FROM ref_alias GROUP BY key "
         "HAVING count(DISTINCT agency_id) > 1", "bí danh trỏ tới nhiều cơ quan", "alias maps to several agencies"),
        ("SELECT 'data/dims/agency_aliases.csv', NULL, 'agency_id', agency_id FROM ref_alias "
         "WHERE agency_id NOT IN (SELECT id FROM ref_agencies)", "bí danh trỏ tới cơ quan không tồn tại",
         "alias points to an unknown agency"),
        ("SELECT file, row, 'id', id FROM ref_indicators QUALIFY count(*) OVER (PARTITION BY id) > 1",
         "mã chỉ tiêu bị trùng", "indicator id is duplicated"),
        ("SELECT file, row, 'theme', theme FROM ref_indicators WHERE theme IS NULL OR theme NOT IN "
         "('capacity','contribution','resources','digital_infra','digital_transformation','tasks','budget',"
         "'products','other')", "chủ đề không hợp lệ", "unknown theme"),
        ("SELECT file, row, 'unit', unit FROM ref_indicators WHERE unit IS NULL OR unit NOT IN (SELECT unnest(?))",
         "đơn vị của chỉ tiêu không hợp lệ", "registry unit is not a canonical unit"),
        ("SELECT file, row, 'direction', direction FROM ref_indicators WHERE direction IS NULL "
         "OR direction NOT IN ('higher', 'lower')", "hướng phải là higher hoặc lower",
         "direction must be higher or lower"),
        ("SELECT file, row, 'period', period FROM ref_indicators WHERE period IS NOT NULL "
         "AND period NOT IN ('point', 'year_to_date', 'period_growth')",
         "kỳ phải là point, year_to_date hoặc period_growth", "period must be point, year_to_date or period_growth"),
        ("SELECT file, row, 'name_en', id FROM ref_indicators WHERE name_vi IS NULL OR name_en IS NULL",
         "thiếu tên tiếng Việt hoặc tiếng Anh", "Vietnamese or English name is missing"),
        ("SELECT file, row, 'indicator_id', indicator_id FROM ref_targets WHERE indicator_id NOT IN "
         "(SELECT id FROM ref_indicators)", "mục tiêu cho chỉ tiêu không có trong danh mục",
         "target for an indicator not in the registry"),
        ("SELECT file, row, 'comparator', comparator FROM ref_targets WHERE comparator IS NULL OR "
         "comparator NOT IN ('>=', '<=', '=')", "phép so sánh phải là >=, <= hoặc =",
         "comparator must be >=, <= or ="),
        ("SELECT file, row, 'value', value FROM ref_targets WHERE num IS NULL", "giá trị không phải là số",
         "value is not a number"),
        ("SELECT file, row, 'year', year FROM ref_targets WHERE year_num IS NULL", "năm không hợp lệ",
         "year is not valid"),
        ("SELECT file, row, 'source_quote', source_quote FROM ref_targets WHERE source_quote IS NULL "
         "OR source_file IS NULL", "mục tiêu thiếu nguồn", "target has no source"),
        ("SELECT t.file, t.row, 'unit', t.unit FROM ref_targets t JOIN ref_indicators i ON t.indicator_id = i.id "
         "WHERE t.unit <> i.unit", "đơn vị của mục tiêu khác đơn vị chỉ tiêu",
         "target unit differs from the indicator's unit"),
    ]
    rules[2] = (*rules[2], [list(VOCAB["region"])])
    rules[8] = (*rules[8], [sorted(units.CANONICAL_UNITS)])
    return checks.run_rules(con, rules)


def early_issues(con: duckdb.DuckDBPyConnection, data_dir: Path, inputs: _Inputs) -> tuple[list[Issue], list[Issue]]:
    """The rules that need no observation: those of the dimensions and registry, and those of the budget, targets,
    tasks, shapes and labels.

    Run on a connection of its own while the observations are staged (it registers the inputs it reads)."""
    for name in ("tasks", "shapes"):
        con.register(f"raw_{name}", inputs.raw[name])
    con.register("ref_categories", inputs.raw["categories"])
    issues = figures.budget_issues(inputs.bud, data_dir / "sources", con, explained=explanations_present(con))
    issues += _target_provenance(con, data_dir)
    issues += checks.run_rules(con, checks.TASK_REGISTRY_RULES + checks.SHAPE_RULES + checks.CONFLICT_RULES
                               + (checks.CATEGORY_RULES if cat_labels_present(con) else []))
    return dimension_issues(con), issues


def validate(con: duckdb.DuckDBPyConnection, data_dir: Path, inputs: _Inputs, early: _Job,
             conflicts: _Job) -> list[Issue]:
    """All rules over the staged tables: the observations' here, the others' from the `early` thread (reported
    in the same order: dimensions first), then the checks across rows, from the `conflicts` and pivot threads."""
    issues = figures.observation_issues(inputs.obs, data_dir / "sources", cat_labels_present(con),
                                        explanations_present(con))
    early.finish()
    dims, others = early.result
    issues = dims + issues + others
    if issues:
        return issues
    conflicts.finish()
    issues += conflicts.result
    inputs.pivot.finish()
    con.register("task_check", inputs.task_check)
    issues += checks.task_identity_issues(con)
    return issues


def explanations_present(con: duckdb.DuckDBPyConnection) -> bool:
    """A dataset that ships data/dims/conflicts.csv must explain every conflict id its figures carry."""
    return con.execute("SELECT count(*) FROM ref_conflicts").fetchall()[0][0] > 0


def cat_labels_present(con: duckdb.DuckDBPyConnection) -> bool:
    """A dataset that ships data/dims/categories.csv must label every category it uses."""
    return con.execute("SELECT count(*) FROM ref_categories").fetchall()[0][0] > 0


def _target_provenance(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[Issue]:
    # Targets from Resolution 57 itself cite the resolution, which is not among the stored reports.
    con.execute("CREATE OR REPLACE TEMP VIEW tgt_seed AS SELECT * FROM ref_targets "
                "WHERE source_file IN (SELECT source_file FROM ref_sources)")
    return checks.provenance_issues(con, data_dir / "sources", "tgt_seed", "num")


_REPORT_DATES = ("(SELECT trim(source_file) AS source_file, min(try_cast(trim(report_date) AS DATE)) AS report_date "
                 "FROM raw_sources GROUP BY 1)")


def _versions_sql(rows: str, key: str, fact_id: str) -> str:
    """Every version of a figure, from `rows` (curated and submitted, with is_submission and loaded_at).

    A submitted row supersedes the curated rows and every earlier submission with the same key; curated rows
    never supersede each other (two reports that disagree are a conflict, checked elsewhere)."""
    part = f"PARTITION BY {key}"
    order = f"{part} ORDER BY is_submission DESC, loaded_at DESC, {fact_id} DESC"
    current = "CASE WHEN is_submission THEN _rn = 1 ELSE _n_sub = 0 END"
    return f"""
        SELECT * EXCLUDE (_n_sub, _rn, _top), {current} AS is_current,
               CASE WHEN {current} THEN NULL ELSE _top END AS superseded_by
        FROM (SELECT *, count(*) FILTER (WHERE is_submission) OVER ({part}) AS _n_sub,
                     row_number() OVER ({order}) AS _rn, first_value({fact_id}) OVER ({order}) AS _top
              FROM ({rows}))
    """


_BUDGET_STATEMENT = """s.year_num AS year, s.level, s.spending_kind, s.domain, s.stage, s.num * u.factor AS amount_bn_vnd,
    s.entity_id, s.num AS amount_stated, s.unit AS unit_stated, s.source_file, s.source_quote, s.conflict_id, s.note"""


def _write_budget(con: duckdb.DuckDBPyConnection, inputs: _Inputs) -> None:
    """budget_statements (what each budget row states, once per distinct statement) and budget_values (one row
    per budget row and version: its statement, date and line); the views budget and budget_history join them.

    Without submissions every row is current; a submitted row supersedes the rows with its key."""
    stated, ids = figures.budget_statements(inputs.bud)
    con.register("bud_stmt", stated)
    con.register("bud_values", figures.budget_values(inputs.bud, ids))
    con.register("sub_bud", inputs.subs.bud)
    con.execute(f"""
        CREATE TABLE w.budget_statements AS
        SELECT s.i + 1 AS statement_id, {_BUDGET_STATEMENT}, s.file AS data_file, false AS is_submission,
               CAST(d.report_date AS TIMESTAMP) AS loaded_at
        FROM bud_stmt s JOIN ref_units u ON u.stated = s.unit AND u.canonical = 'billion_vnd'
        LEFT JOIN {_REPORT_DATES} d ON d.source_file = s.source_file
        UNION ALL
        SELECT $n + row_number() OVER (ORDER BY s.seq), {_BUDGET_STATEMENT}, s.file, true, s.loaded_at
        FROM sub_bud s JOIN ref_units u ON u.stated = s.unit AND u.canonical = 'billion_vnd'
        ORDER BY statement_id
    """, {"n": stated.num_rows})
    if inputs.subs.bud.num_rows == 0:
        con.execute("CREATE TABLE w.budget_values AS SELECT *, true AS is_current FROM bud_values")
        return
    rows = ("SELECT v.*, s.year, s.level, s.spending_kind, s.domain, s.stage, s.entity_id, s.is_submission, "
            "s.loaded_at FROM (SELECT * FROM bud_values UNION ALL SELECT seq, $n + row_number() OVER (ORDER BY seq), "
            "as_of_date, row FROM sub_bud) v JOIN w.budget_statements s USING (statement_id)")
    versions = _versions_sql(rows, "year, level, spending_kind, domain, stage, entity_id, as_of", "budget_id")
    con.execute(f"CREATE TABLE w.budget_values AS SELECT budget_id, statement_id, as_of, data_row, is_current "
                f"FROM ({versions}) ORDER BY budget_id", {"n": stated.num_rows})


_JOIN_PROVENANCE = " AND ".join(f"p.{c} IS NOT DISTINCT FROM s.{c}" for c in figures.PROVENANCE_COLUMNS)


def _fact_rows(con: duckdb.DuckDBPyConnection, inputs: _Inputs) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """The statements (curated and submitted), the curated and the submitted fact_values rows, and the categories
    they point into that no label names (_write_tables writes the labelled ones); and the table `prov`
    (provenance) the statements point into."""
    statements, ids = figures.statements(inputs.obs)
    con.register("raw_sources", inputs.raw["sources"])
    con.register("obs_statements", statements)
    con.register("sub_obs", inputs.subs.obs)
    cols = ", ".join(figures.PROVENANCE_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TABLE prov AS
        SELECT row_number() OVER (ORDER BY first_seq) AS provenance_id, * EXCLUDE (first_seq)
        FROM (SELECT {cols}, min(seq) AS first_seq
              FROM (SELECT {cols}, seq FROM obs_statements
                    UNION ALL SELECT file AS data_file, source_file, source_quote, unit_stated, entity_as_written,
                                     conflict_id, note, seq FROM sub_obs)
              GROUP BY ALL)
    """)
    # a submitted row is a statement of its own, numbered after the curated ones (sub_obs is in seq order)
    stated = con.sql(f"""
        SELECT (s.i + 1)::INTEGER AS statement_id, s.indicator_id, s.entity_id, s.programme, s.value, s.base, s.value_stated,
               p.provenance_id, false AS is_submission, CAST(d.report_date AS TIMESTAMP) AS loaded_at
        FROM obs_statements s JOIN prov p ON {_JOIN_PROVENANCE} LEFT JOIN {_REPORT_DATES} d
          ON d.source_file = s.source_file
        UNION ALL
        SELECT ($n + row_number() OVER (ORDER BY s.seq))::INTEGER, s.indicator_id, s.entity_id, nullif(s.programme, ''),
               s.value, s.base, s.value_stated, p.provenance_id, true, s.loaded_at
        FROM (SELECT *, file AS data_file FROM sub_obs) s JOIN prov p ON {_JOIN_PROVENANCE}
        ORDER BY statement_id
    """, params={"n": statements.num_rows}).to_arrow_table()
    staged = inputs.obs.cols.get("category_id")
    slugs, (cur_cats, sub_cats) = figures.category_codes(
        inputs.raw["categories"]["slug"].combine_chunks(),
        [inputs.obs.cols["category"].values, inputs.subs.obs["category"].combine_chunks()],
        staged.values if staged is not None else None)
    curated = figures.curated_facts(inputs.obs, ids, cur_cats)
    sub = inputs.subs.obs
    submitted = pa.table({
        "fact_id": sub["seq"],
        "statement_id": pa.array(np.arange(statements.num_rows + 1, statements.num_rows + sub.num_rows + 1)),
        "category_id": sub_cats,
        "as_of": sub["as_of_date"],
        "data_row": sub["row"],
    })
    labels = inputs.raw["categories"]
    return stated, curated, submitted, figures.category_table(slugs, labels).slice(labels.num_rows)


# is_current is not stored: a figure is current exactly when nothing superseded it (see _versions_sql)
# 32-bit ids and line numbers: a million rows of them compress in four fifths of the time 64-bit ones take
_FACT_VALUES = ("fact_id::INTEGER AS fact_id, statement_id::INTEGER AS statement_id, "
                "category_id::INTEGER AS category_id, as_of, data_row::INTEGER AS data_row, "
                "superseded_by::INTEGER AS superseded_by")


def _fact_values_sql(has_submissions: bool) -> str:
    if not has_submissions:
        return f"CREATE TABLE fact_values AS SELECT {_FACT_VALUES} FROM (SELECT *, NULL AS superseded_by FROM cur_facts)"
    key = "indicator_id, entity_id, coalesce(programme, ''), coalesce(category_id, 0), as_of"
    rows = ("SELECT f.*, s.indicator_id, s.entity_id, s.programme, s.is_submission, s.loaded_at "
            "FROM (SELECT * FROM cur_facts UNION ALL SELECT * FROM sub_facts) f JOIN stated s USING (statement_id)")
    return f"CREATE TABLE fact_values AS SELECT {_FACT_VALUES} FROM ({_versions_sql(rows, key, 'fact_id')}) ORDER BY fact_id"


def _register_task_versions(con: duckdb.DuckDBPyConnection, inputs: _Inputs) -> None:
    """task_versions: the task-status figures, curated and submitted, with which version is current.

    The version key starts with the indicator, so the task figures alone decide which of them is current;
    a curated row's loaded_at does not matter (any submission of its key supersedes it)."""
    tasks = ", ".join(f"'{i}'" for i in TASK_STATUS_INDICATORS)
    rows = (f"SELECT *, false AS is_submission, NULL::TIMESTAMP AS loaded_at FROM ({_CURATED_TASKS}) "
            f"UNION ALL SELECT file, row, seq, indicator_id, entity_id, nullif(programme, ''), nullif(category, ''), "
            f"as_of_date, source_file, conflict_id, value, base, true, loaded_at FROM sub_obs "
            f"WHERE nullif(programme, '') IS NOT NULL AND indicator_id IN ({tasks})")
    key = "indicator_id, entity_id, coalesce(programme, ''), coalesce(category, ''), as_of"
    con.execute(f"CREATE OR REPLACE TEMP VIEW task_versions AS {_versions_sql(rows, key, 'seq')}")


def stage_observations(con: duckdb.DuckDBPyConnection, inputs: _Inputs) -> None:
    """The observation rows, staged (after stage(), which leaves them for last)."""
    slugs = inputs.raw["categories"]["slug"].combine_chunks().cast(pa.string())
    inputs.obs = figures.stage(con, inputs.obs_files, OBSERVATION_COLUMNS, slugs if len(slugs) else None)


_CURATED_TASKS = ("SELECT file, row, seq, indicator_id, entity_id, programme, category, as_of, source_file, "
                  "conflict_id, value, base FROM obs_tasks")


def _pivot_tasks(cur: duckdb.DuckDBPyConnection, inputs: _Inputs) -> None:
    """The task pivot of the curated rows, which the identity rule reads (inputs.task_check); then task_keys and
    task_status_values, the pivot of the current rows (the same pivot when nothing was submitted).

    Made on a connection of its own while the facts are shaped."""
    rows = inputs.task_rows
    piv = task_pivot.pivot(rows)
    inputs.task_check = piv.table
    if inputs.subs.obs.num_rows > 0:
        cur.register("obs_tasks", rows.table())
        cur.register("sub_obs", inputs.subs.obs)
        _register_task_versions(cur, inputs)
        current = cur.sql("SELECT * FROM task_versions WHERE is_current").to_arrow_table()
        rows, piv = task_pivot.TaskRows.from_table(current), None
    keys, values = task_pivot.status_tables(rows, piv)
    cur.register("task_keys_rows", keys)
    cur.register("task_values_rows", values)
    cur.execute("CREATE TABLE w.task_keys AS SELECT * FROM task_keys_rows")
    cur.execute("CREATE TABLE w.task_status_values AS SELECT * FROM task_values_rows")
    _checkpoint(cur)


# Tables made from the staged inputs alone: written by a second connection while the rules run.
TABLES: dict[str, str] = {
    "sources": """SELECT id, source_file, issuer_vi, issuer_en, title_vi, title_en, report_date, note
       FROM ref_sources ORDER BY id""",
    "agencies": """SELECT a.id, a.kind, a.name_vi, a.name_en, a.short_vi, a.region, a.code, a.parent_id,
              list(DISTINCT d.alias ORDER BY d.alias) FILTER (WHERE d.alias IS NOT NULL) AS aliases
       FROM ref_agencies a LEFT JOIN ref_alias_display d ON d.agency_id = a.id
       GROUP BY ALL ORDER BY a.kind, a.id""",
    "agency_aliases": "SELECT alias, agency_id FROM ref_alias_display ORDER BY alias, agency_id",
    "programmes": """SELECT id, name_vi, name_en, try_cast(year AS INTEGER) AS year, description
       FROM ref_programmes ORDER BY id""",
    "indicators": """SELECT id, theme, pillar, name_vi, name_en, unit, direction,
       coalesce(period, 'point') AS period, description
       FROM ref_indicators ORDER BY id""",
    "targets": """SELECT indicator_id, comparator, num AS value, unit, year_num AS year,
       source_file, source_quote, note FROM ref_targets ORDER BY indicator_id, year, value""",
    # Illustrative rows only: generated to reproduce the reported aggregates (see data/illustrative/README.md).
    "tasks": """SELECT task_id, programme, CAST(nullif(as_of, '') AS DATE) AS as_of, title_vi, title_en,
           string_split(lead_agency_ids, ';') AS lead_agency_ids_list, lead_agency_ids,
           coalesce(co_agency_ids, '') AS co_agency_ids, task_group, CAST(nullif(deadline, '') AS DATE) AS deadline,
           status,
           CAST(nullif(completion_date, '') AS DATE) AS completion_date, deliverable_vi, true AS is_illustrative
       FROM raw_tasks ORDER BY programme, task_id""",
    "province_shapes": "SELECT * FROM raw_shapes ORDER BY code",
}

_TASK_STATUS = ", ".join(task_pivot.STATUS_COLUMNS)

# Made last, on the building connection, from the written tables and what the rules derived.
FINAL_SQL = [
    # budget_values holds one row per budget row and version, pointing at the statement it repeats
    """CREATE VIEW budget_history AS
       SELECT s.year, s.level, s.spending_kind, s.domain, s.stage, s.amount_bn_vnd, v.as_of, a.name_vi AS entity,
              s.entity_id, s.amount_stated, s.unit_stated, s.source_file, s.source_quote, s.conflict_id, s.note,
              s.data_file, v.data_row, false AS is_illustrative, s.is_submission, s.loaded_at, v.is_current
       FROM budget_values v JOIN budget_statements s ON s.statement_id = v.statement_id
       LEFT JOIN agencies a ON a.id = s.entity_id""",
    f"""CREATE VIEW task_status AS
       SELECT k.programme, v.as_of, a.name_vi AS entity, k.entity_id, v.category, k.source_file, {_TASK_STATUS},
              v.done_base, v.conflict_id
       FROM task_status_values v JOIN task_keys k ON k.task_key_id = v.task_key_id
       LEFT JOIN agencies a ON a.id = k.entity_id""",
    "CREATE VIEW budget AS SELECT * EXCLUDE (is_current) FROM budget_history WHERE is_current",
    "CREATE VIEW budget_superseded AS SELECT * EXCLUDE (is_current) FROM budget_history WHERE NOT is_current",
    # fact_values holds one row per figure, pointing at the statement it repeats (indicator, entity, value,
    # provenance) and its sub-group; facts spells them out.
    """CREATE VIEW facts AS
       SELECT f.fact_id, s.indicator_id, s.entity_id, p.entity_as_written, s.programme, c.slug AS category, s.value,
              s.base, i.unit, s.value_stated, p.unit_stated, f.as_of, p.source_file, p.source_quote, p.conflict_id,
              p.note, p.data_file, f.data_row, false AS is_illustrative, s.is_submission, s.loaded_at,
              f.superseded_by IS NULL AS is_current, f.superseded_by
       FROM fact_values f JOIN statements s ON s.statement_id = f.statement_id
       JOIN provenance p ON p.provenance_id = s.provenance_id
       LEFT JOIN categories c ON c.category_id = f.category_id
       LEFT JOIN indicators i ON i.id = s.indicator_id""",
    """CREATE TABLE conflicts AS
       SELECT f.conflict_id, CAST(sum(n) AS BIGINT) AS rows, list(DISTINCT source_file ORDER BY source_file) AS sources,
              string_agg(DISTINCT note, ' | ' ORDER BY note) AS notes,
              any_value(e.explanation_vi) AS explanation_vi, any_value(e.explanation_en) AS explanation_en
       FROM (SELECT conflict_id, source_file, note, n FROM obs_flagged
             UNION ALL SELECT conflict_id, source_file, note, 1 FROM budget WHERE conflict_id IS NOT NULL) f
       LEFT JOIN memory.ref_conflicts e ON e.conflict_id = f.conflict_id
       GROUP BY f.conflict_id ORDER BY f.conflict_id""",
    """CREATE VIEW observations AS
       SELECT f.fact_id, f.indicator_id, i.name_vi AS indicator_name_vi, i.name_en AS indicator_name_en,
              i.theme, i.pillar, c.name_vi AS category_name_vi, c.name_en AS category_name_en,
              CASE WHEN f.entity_id IS NULL THEN 'national'
                   WHEN a.kind = 'province' THEN 'province' ELSE 'agency' END AS scope,
              a.name_vi AS entity_name, f.entity_id, f.programme, f.category, f.value, f.base, f.unit,
              f.as_of, f.source_file, f.source_quote, f.is_illustrative, f.conflict_id, f.note,
              f.value_stated, f.unit_stated, i.direction
       FROM facts f JOIN indicators i ON i.id = f.indicator_id LEFT JOIN agencies a ON a.id = f.entity_id
       LEFT JOIN categories c ON c.slug = f.category
       WHERE f.is_current
       UNION ALL
       SELECT NULL, 'budget_' || b.stage, i.name_vi, i.name_en, 'budget', NULL, NULL, NULL,
              CASE WHEN b.entity_id IS NULL THEN 'national'
                   WHEN a.kind = 'province' THEN 'province' ELSE 'agency' END,
              b.entity, b.entity_id, NULL,
              concat_ws('/', b.year, b.level, b.spending_kind, b.domain), b.amount_bn_vnd, NULL, 'billion_vnd',
              b.as_of, b.source_file, b.source_quote, b.is_illustrative, b.conflict_id, b.note,
              b.amount_stated, b.unit_stated, i.direction
       FROM budget b LEFT JOIN indicators i ON i.id = 'budget_' || b.stage
       LEFT JOIN agencies a ON a.id = b.entity_id""",
    # Every version of every figure with its load time: a submission's loaded_at from the manifest, a curated
    # row's the report date of its source (so the warehouse stays a pure function of data/).
    """CREATE VIEW observation_history AS
       SELECT f.fact_id, f.indicator_id, f.entity_id, a.name_vi AS entity_name, f.programme, f.category, f.value,
              f.unit, f.value_stated, f.unit_stated, f.as_of, f.source_file, f.source_quote, f.note,
              f.is_submission, f.loaded_at, f.is_current, f.superseded_by
       FROM facts f LEFT JOIN agencies a ON a.id = f.entity_id
       UNION ALL
       SELECT NULL, 'budget_' || stage, entity_id, entity, NULL, concat_ws('/', year, level, spending_kind, domain),
              amount_bn_vnd, 'billion_vnd', amount_stated, unit_stated, as_of, source_file, source_quote, note,
              is_submission, loaded_at, is_current, NULL
       FROM budget_history""",
]


class _Job(threading.Thread):
    """Runs one job (writing tables, or some rules) on a connection of its own beside the building connection.

    DuckDB releases the GIL while it works, so writing and validating share the machine's cores. Whatever
    is written lands in the temporary file only: if a rule fails, the file is dropped and the warehouse
    is untouched."""

    def __init__(self, con: duckdb.DuckDBPyConnection, name: str, job: Callable[[duckdb.DuckDBPyConnection], Any]):
        super().__init__(name=name, daemon=True)
        self.cur = con.cursor()
        self.job = job
        self.result: Any = None  # what the job returned
        self.error: BaseException | None = None
        self.closed = False

    def run(self) -> None:
        try:
            self.result = self.job(self.cur)
        except BaseException as exc:  # handed to the building thread by finish()
            self.error = exc

    def finish(self, raise_error: bool = True) -> None:
        """Wait for the job; raise what it raised. Safe to call more than once."""
        self.join()
        if not self.closed:
            self.cur.close()
            self.closed = True
        if self.error is not None and raise_error:
            raise self.error


def _checkpoint(cur: duckdb.DuckDBPyConnection) -> None:
    """Compress and store what this job wrote now, beside the other jobs, instead of in the final DETACH (which
    otherwise checkpoints everything on one core at the very end); skipped while another job is still writing:
    DETACH stores the rest."""
    with contextlib.suppress(duckdb.TransactionException):
        cur.execute("CHECKPOINT w")


def _write_facts(cur: duckdb.DuckDBPyConnection, inputs: _Inputs) -> None:
    """fact_values, the bulk of the warehouse; the statements, provenance and categories its rows point into."""
    stated, curated, submitted, unlabelled = _fact_rows(cur, inputs)
    cur.register("stated", stated)
    cur.register("cur_facts", curated)
    cur.register("sub_facts", submitted)
    cur.execute("USE w")
    cur.execute(_fact_values_sql(submitted.num_rows > 0))
    cur.execute("CREATE TABLE statements AS SELECT * FROM stated")
    # where each figure comes from (data file, report, quote, as written): stored once, shared by its rows
    cur.execute("CREATE TABLE provenance AS SELECT * FROM memory.prov ORDER BY provenance_id")
    if unlabelled.num_rows:  # a dataset without labels: its slugs follow the labelled ones, once those are written
        inputs.tables.join()
        cur.register("cat_unlabelled", unlabelled)
        cur.execute("INSERT INTO categories SELECT * FROM cat_unlabelled ORDER BY category_id")
    _checkpoint(cur)


def _write_tables(cur: duckdb.DuckDBPyConnection, inputs: _Inputs, built_at: dt.datetime) -> None:
    """Every table of TABLES, and the load log."""
    for name, table in inputs.raw.items():
        cur.register(f"raw_{name}", table)
    for name, sql in TABLES.items():
        cur.execute(f"CREATE TABLE w.{name} AS {sql}")
    _write_budget(cur, inputs)
    # the labelled sub-groups, numbered in file order (_write_facts adds any slug used without a label)
    labels = inputs.raw["categories"]
    cur.register("cat_labels", figures.category_table(labels["slug"].combine_chunks().cast(pa.string()), labels))
    cur.execute("CREATE TABLE w.categories AS SELECT * FROM cat_labels")
    log = [(f.name, f.sha256, f.size, f.table.num_rows, built_at, f.name.split("/")[-2] if "/" in f.name else "root")
           for f in sorted(inputs.files, key=lambda f: f.name)] + inputs.subs.log
    # one statement for the whole log (an INSERT per file costs a round trip each)
    cur.register("log_rows", pa.table(list(zip(*log, strict=True)) if log else [[]] * 6, schema=pa.schema([
        ("file", pa.string()), ("sha256", pa.string()), ("bytes", pa.int64()), ("rows", pa.int64()),
        ("loaded_at", pa.timestamp("us")), ("kind", pa.string())])))
    cur.execute("CREATE TABLE w.load_log AS SELECT * FROM log_rows")
    _checkpoint(cur)


def _finish(con: duckdb.DuckDBPyConnection, inputs: _Inputs) -> None:
    """The views and the tables that need the written ones or the rules' findings; then detach `w`."""
    con.register("obs_flagged", figures.flagged(inputs.obs))
    con.execute("USE w")
    for sql in FINAL_SQL:
        con.execute(sql)
    con.execute("USE memory")
    con.execute("DETACH w")


def _attach_temp(con: duckdb.DuckDBPyConnection, db_path: Path) -> tuple[Path, list[Path]]:
    """A fresh temporary database next to db_path, attached as `w`; also the folders made for it."""
    made = [d for d in (db_path.parent, *db_path.parent.parents) if not d.exists()]
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    os.unlink(tmp)  # DuckDB must create the file itself
    con.execute("ATTACH ? AS w", [tmp])
    return Path(tmp), made


def build(data_dir: Path | None = None, db_path: Path | None = None, kpi_dir: Path | None = None) -> BuildResult:
    """Validate and build; the previous warehouse is replaced only by a complete new one."""
    start = dt.datetime.now()
    data_dir = data_dir or paths.data_dir()
    db_path = db_path or paths.warehouse_path()
    kpi_dir = kpi_dir or paths.kpi_dir()
    con = duckdb.connect()
    # DuckDB tries FSST on every text column it stores, and then keeps its dictionary compression for ours (names,
    # slugs, codes that repeat): the trial alone cost a third of writing the sub-group labels, for the same file.
    con.execute("SET disabled_compression_methods = 'fsst'")
    tmp: Path | None = None
    made: list[Path] = []
    attached = replaced = False
    try:
        inputs, issues = stage(con, data_dir, kpi_dir)
        if not issues:
            tmp, made = _attach_temp(con, db_path)
            attached = True
            # the tables and the rules that need no observation are done while the observations are staged
            early = _Job(con, "early-checks", lambda cur: early_issues(cur, data_dir, inputs))
            inputs.tables = _Job(con, "tables-writer", lambda cur: _write_tables(cur, inputs, start))
            jobs = [inputs.tables, early]
            for job in jobs:
                job.start()
            try:
                stage_observations(con, inputs)
                conflicts = _Job(con, "conflict-check", lambda cur: figures.conflict_issues(cur, inputs.obs))
                jobs.append(conflicts)
                conflicts.start()
                # the facts writer numbers the statements first; the rules wait for that numbering if they need it
                jobs.append(_Job(con, "facts-writer", lambda cur: _write_facts(cur, inputs)))
                jobs[-1].start()
                inputs.task_rows = figures.task_rows(inputs.obs)
                inputs.pivot = _Job(con, "task-pivot", lambda cur: _pivot_tasks(cur, inputs))
                jobs.append(inputs.pivot)
                inputs.pivot.start()
                issues = validate(con, data_dir, inputs, early, conflicts)
            finally:
                for job in jobs:  # every thread is done before the connection may close
                    job.join()
            for job in jobs:  # rows the rules refused may well break a writer: the rules' report comes first
                job.finish(raise_error=not issues)
        if issues:
            raise ValidationFailed(issues)
        _finish(con, inputs)
        attached = False
        os.replace(tmp, db_path)  # atomic on POSIX: readers see the old file or the new one
        replaced = True
        n_obs, n_bud = inputs.obs.n + inputs.subs.obs.num_rows, inputs.bud.n + inputs.subs.bud.num_rows
    finally:
        if attached:
            con.execute("USE memory")
            con.execute("DETACH w")
        con.close()
        if tmp is not None:
            for leftover in (tmp, Path(str(tmp) + ".wal")):
                leftover.unlink(missing_ok=True)
        if not replaced:
            for d in made:  # deepest first: leave no folder a refused build made
                try:
                    d.rmdir()
                except OSError:
                    break
    return BuildResult(db_path, n_obs, n_bud, len(inputs.files), (dt.datetime.now() - start).total_seconds())
