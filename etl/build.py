"""Build the warehouse: read data/, validate everything, write a new DuckDB file, swap it in."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl import checks, paths, submissions, units
from etl.issues import Issue, ValidationFailed
from etl.read import CsvFile, read_csv
from etl.schema import (
    AGENCY_COLUMNS,
    ALIAS_COLUMNS,
    BUDGET_COLUMNS,
    BUDGET_REQUIRED,
    CATEGORY_COLUMNS,
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
        self.obs_table: pa.Table | None = None  # `obs` as Arrow, when staged that way
        self.subs: submissions.Staged | None = None  # agency submissions (data/submissions/)
        self.sources_raw: pa.Table | None = None

    def one(self, path: Path, base: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> CsvFile | None:
        if not path.exists():
            self.issues.append(Issue(str(path.relative_to(base.parent)), None, None, None,
                                     "thiếu tệp bắt buộc", "required file is missing"))
            return None
        f, issues = read_csv(path, str(path.relative_to(base.parent)), required, optional)
        self.issues += issues
        if f is not None:
            self.files.append(f)
        return f

    def many(self, folder: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> list[CsvFile]:
        out = []
        for path in sorted(folder.glob("*.csv")) if folder.exists() else []:
            f = self.one(path, self.data_dir, required, optional)
            if f is not None:
                out.append(f)
        return out


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


def _concat(files: list[CsvFile], columns: tuple[str, ...]) -> pa.Table:
    """One table of all files of a kind, with `seq`: the position in file order, the id of each fact."""
    schema = pa.schema([(c, pa.string()) for c in columns] + [("row", pa.int64()), ("file", pa.string())])
    if not files:
        return schema.empty_table().append_column("seq", pa.array([], pa.int64()))
    table = pa.concat_tables([f.table.select(list(columns) + ["row", "file"]).cast(schema) for f in files])
    return table.append_column("seq", pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64)))


def stage(con: duckdb.DuckDBPyConnection, data_dir: Path, kpi_dir: Path) -> tuple[_Inputs, list[Issue]]:
    """Read all inputs into typed staging tables of an open connection; return what reading found wrong."""
    inp = _Inputs(data_dir, kpi_dir)
    d = inp.one
    sources = d(data_dir / "sources.csv", data_dir, SOURCE_COLUMNS)
    agencies = d(data_dir / "dims" / "agencies.csv", data_dir, AGENCY_COLUMNS)
    aliases = d(data_dir / "dims" / "agency_aliases.csv", data_dir, ALIAS_COLUMNS)
    programmes = d(data_dir / "dims" / "programmes.csv", data_dir, PROGRAMME_COLUMNS)
    cat_path = data_dir / "dims" / "categories.csv"
    categories = d(cat_path, data_dir, CATEGORY_COLUMNS) if cat_path.exists() else None
    indicators = d(kpi_dir / "indicators.csv", kpi_dir, INDICATOR_COLUMNS)
    targets = d(kpi_dir / "targets.csv", kpi_dir, TARGET_COLUMNS)
    obs_files = inp.many(data_dir / "observations", OBSERVATION_REQUIRED,
                         tuple(c for c in OBSERVATION_COLUMNS if c not in OBSERVATION_REQUIRED))
    bud_files = inp.many(data_dir / "budget", BUDGET_REQUIRED,
                         tuple(c for c in BUDGET_COLUMNS if c not in BUDGET_REQUIRED))
    task_path = data_dir / "illustrative" / "tasks.csv"
    tasks = d(task_path, data_dir, TASK_COLUMNS) if task_path.exists() else None
    shapes = _read_shapes(data_dir / "geo" / "vn_provinces_34.geojson", inp)
    if inp.issues:
        return inp, inp.issues
    # Submissions are re-parsed with the loader's own parser; their fact ids follow the curated ones.
    n_obs = sum(f.table.num_rows for f in obs_files)
    n_bud = sum(f.table.num_rows for f in bud_files)
    inp.subs = submissions.stage_for_build(data_dir, kpi_dir, n_obs, n_bud)
    if inp.subs.issues:
        inp.issues += inp.subs.issues
        return inp, inp.issues
    inp.sources_raw = sources.table

    def reg(name: str, table: pa.Table) -> None:
        con.register(f"raw_{name}", table)

    for name, f in (("sources", sources), ("agencies", agencies), ("aliases", aliases),
                    ("programmes", programmes), ("indicators", indicators), ("targets", targets)):
        reg(name, f.table)
    no_tasks = pa.schema([(c, pa.string()) for c in TASK_COLUMNS] + [("row", pa.int64()), ("file", pa.string())])
    reg("tasks", tasks.table if tasks is not None else no_tasks.empty_table())
    reg("shapes", shapes)
    no_cats = pa.schema([(c, pa.string()) for c in CATEGORY_COLUMNS] + [("row", pa.int64()), ("file", pa.string())])
    reg("categories", categories.table if categories is not None else no_cats.empty_table())
    raw_obs, raw_bud = _concat(obs_files, OBSERVATION_COLUMNS), _concat(bud_files, BUDGET_COLUMNS)
    reg("obs", raw_obs)
    reg("bud", raw_bud)

    con.execute(f"CREATE TEMP TABLE ref_sources AS SELECT {_text('id')} AS id, "
                f"{_text('source_file')} AS source_file, {_text('issuer_vi')} AS issuer_vi, "
                f"{_text('issuer_en')} AS issuer_en, {_text('title_vi')} AS title_vi, "
                f"{_text('title_en')} AS title_en, try_cast(report_date AS DATE) AS report_date, "
                f"{_text('note')} AS note, file, row FROM raw_sources")
    if inp.subs.sources:
        con.executemany("INSERT INTO ref_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inp.subs.sources)
    con.execute("CREATE TEMP TABLE ref_agencies AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in AGENCY_COLUMNS) + ", file, row FROM raw_agencies")
    con.execute(f"CREATE TEMP TABLE ref_alias_display AS SELECT DISTINCT {_text('alias')} AS alias, "
                f"{_text('agency_id')} AS agency_id FROM raw_aliases "
                f"UNION SELECT name_vi, id FROM ref_agencies UNION SELECT short_vi, id FROM ref_agencies "
                f"WHERE short_vi IS NOT NULL")
    con.execute(f"CREATE TEMP TABLE ref_alias AS SELECT DISTINCT {_key('alias')} AS key, agency_id "
                "FROM ref_alias_display")
    con.execute("CREATE TEMP TABLE ref_programmes AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in PROGRAMME_COLUMNS) + " FROM raw_programmes")
    con.execute("CREATE TEMP TABLE ref_indicators AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in INDICATOR_COLUMNS) + ", file, row FROM raw_indicators")
    con.execute("CREATE TEMP TABLE ref_units (stated VARCHAR, canonical VARCHAR, factor DOUBLE)")
    con.executemany("INSERT INTO ref_units VALUES (?, ?, ?)", units.conversion_rows())
    con.execute("CREATE TEMP TABLE ref_targets AS SELECT "
                + ", ".join(f"{_text(c)} AS {c}" for c in TARGET_COLUMNS)
                + ", try_cast(value AS DOUBLE) AS num, try_cast(year AS INTEGER) AS year_num, "
                  "NULL::DOUBLE AS base_num, NULL::VARCHAR AS entity, file, row, row AS seq FROM raw_targets")

    inp.obs_table = _stage_facts(con, raw_obs, raw_bud)
    return inp, []


# Aliases are unique per key (a dimension rule); the join keeps every row (LEFT) and adds none.
_ENTITY_JOIN = ("LEFT JOIN (SELECT key, min(agency_id) AS entity_id FROM ref_alias GROUP BY key) e "
                f"ON e.key = {_key('r.entity')}")


def _stage_facts_sql(con: duckdb.DuckDBPyConnection) -> None:
    """The staging of `obs` and `bud` as one SQL pass per row: the reference form of _stage_facts."""
    # One pass: typed cells, the resolved entity, and the value in the registry's unit (NULL until valid).
    con.execute(
        "CREATE TEMP TABLE obs AS SELECT r.file, r.row, "
        + ", ".join(f"{_text('r.' + c)} AS {c}" for c in OBSERVATION_COLUMNS)
        + ", try_cast(r.value AS DOUBLE) AS num, try_cast(nullif(trim(r.base), '') AS DOUBLE) AS base_num, "
          f"try_strptime(trim(r.as_of), '%Y-%m-%d')::DATE AS as_of_date, e.entity_id, r.seq, "
          "i.unit AS canonical_unit, u.factor "
          f"FROM raw_obs r {_ENTITY_JOIN} "
          "LEFT JOIN ref_indicators i ON i.id = trim(r.indicator_id) "
          "LEFT JOIN ref_units u ON u.stated = trim(r.unit) AND u.canonical = i.unit"
    )
    con.execute(
        "CREATE TEMP TABLE bud AS SELECT r.file, r.row, "
        + ", ".join(f"{_text('r.' + c)} AS {c}" for c in BUDGET_COLUMNS)
        + ", try_cast(r.amount AS DOUBLE) AS num, NULL::DOUBLE AS base_num, "
          "try_cast(trim(r.fiscal_year) AS INTEGER) AS year_num, "
          f"try_strptime(trim(r.as_of), '%Y-%m-%d')::DATE AS as_of_date, e.entity_id, r.seq "
          f"FROM raw_bud r {_ENTITY_JOIN}"
    )


class _Distinct:
    """A raw table's columns with each distinct cell (or tuple of cells) computed once.

    Curated files repeat the same names, units, quotes and dates on many rows, so every per-cell
    expression of the staging SQL runs in DuckDB over the distinct values only, and the results are
    spread back to the rows by index. The expressions are the very ones _stage_facts_sql applies per row.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, raw: pa.Table):
        self.con, self.raw = con, raw
        self._enc: dict[str, pa.DictionaryArray] = {}
        self._flat: dict[str, pa.Array] = {}

    def encoded(self, col: str) -> pa.DictionaryArray:
        if col not in self._enc:
            self._flat[col] = self.raw[col].combine_chunks()
            self._enc[col] = pc.dictionary_encode(self._flat[col])
        return self._enc[col]

    def map(self, cols: tuple[str, ...], select: str, joins: str = "") -> pa.Table | None:
        """`select` over the distinct tuples of `cols` (as r.<col>), one result row per input row.

        None when the joins do not yield exactly one row per distinct tuple (the row-wise SQL would then
        repeat rows, which the caller leaves to that SQL)."""
        encs = [self.encoded(c) for c in cols]
        if len(cols) == 1:
            index = encs[0].indices
            dicts = {cols[0]: encs[0].dictionary}
        else:
            key = pc.cast(encs[0].indices, pa.int64())
            for e in encs[1:]:
                key = pc.add(pc.multiply(key, len(e.dictionary)), pc.cast(e.indices, pa.int64()))
            combo = pc.dictionary_encode(key)
            index = combo.indices
            k = combo.dictionary.to_numpy()
            dicts = {}
            for c, e in reversed(list(zip(cols, encs, strict=True))):
                n = len(e.dictionary)
                dicts[c] = e.dictionary.take(pa.array(k % n))
                k = k // n
        n_distinct = len(next(iter(dicts.values())))
        distinct = pa.table({"i": pa.array(np.arange(n_distinct, dtype=np.int64)), **dicts})
        self.con.register("_distinct", distinct)
        try:
            res = self.con.sql(f"SELECT r.i, {select} FROM _distinct r {joins} ORDER BY r.i").to_arrow_table()
        finally:
            self.con.unregister("_distinct")
        if res.num_rows != n_distinct:
            return None
        res = res.drop_columns(["i"])
        out = []
        for name, c in zip(res.column_names, res.columns, strict=True):
            c = c.combine_chunks()
            if len(cols) == 1 and name in dicts and _same(c, dicts[name]):
                out.append(self._flat[name])  # the expression leaves every value as it is
            else:
                out.append(c.take(index))
        return pa.table(out, names=res.column_names)


def _same(a: pa.Array, b: pa.Array) -> bool:
    return a.null_count == 0 and b.null_count == 0 and a.type == b.type and a.equals(b)


def _stage_table(con: duckdb.DuckDBPyConnection, raw: pa.Table, columns: tuple[str, ...],
                 extra: list[tuple[tuple[str, ...], str, str]]) -> pa.Table | None:
    """file, row, each column as _text, then each (cols, select, joins) of `extra`, then seq."""
    d = _Distinct(con, raw)
    parts: list[tuple[str, pa.ChunkedArray | pa.Array]] = [("file", raw["file"]), ("row", raw["row"])]
    for c in columns:
        t = d.map((c,), f"{_text('r.' + c)} AS {c}")
        parts.append((c, t[c]))
    seq_at = None
    for cols, select, joins in extra:
        if select == "seq":
            seq_at = len(parts)
            parts.append(("seq", raw["seq"]))
            continue
        t = d.map(cols, select, joins)
        if t is None:
            return None
        parts += [(n, t[n]) for n in t.column_names]
    assert seq_at is not None
    # One chunk per column: DuckDB then scans whole batches instead of the CSV reader's small blocks.
    return pa.table([p for _, p in parts], names=[n for n, _ in parts]).combine_chunks()


def _stage_facts(con: duckdb.DuckDBPyConnection, raw_obs: pa.Table, raw_bud: pa.Table) -> pa.Table | None:
    """`obs` and `bud`: typed cells, resolved entity, and for observations the registry unit and factor.

    Same rows and values as _stage_facts_sql, computed once per distinct cell; held as Arrow tables
    (DuckDB scans them in place), so the rows are materialised only once, in the warehouse."""
    entity = (("entity",), "e.entity_id", _ENTITY_JOIN)
    obs = _stage_table(con, raw_obs, OBSERVATION_COLUMNS, [
        (("value",), "try_cast(r.value AS DOUBLE) AS num", ""),
        (("base",), "try_cast(nullif(trim(r.base), '') AS DOUBLE) AS base_num", ""),
        (("as_of",), "try_strptime(trim(r.as_of), '%Y-%m-%d')::DATE AS as_of_date", ""),
        entity,
        ((), "seq", ""),
        (("indicator_id", "unit"), "i.unit AS canonical_unit, u.factor",
         "LEFT JOIN ref_indicators i ON i.id = trim(r.indicator_id) "
         "LEFT JOIN ref_units u ON u.stated = trim(r.unit) AND u.canonical = i.unit"),
    ])
    bud = _stage_table(con, raw_bud, BUDGET_COLUMNS, [
        (("amount",), "try_cast(r.amount AS DOUBLE) AS num, NULL::DOUBLE AS base_num", ""),
        (("fiscal_year",), "try_cast(trim(r.fiscal_year) AS INTEGER) AS year_num", ""),
        (("as_of",), "try_strptime(trim(r.as_of), '%Y-%m-%d')::DATE AS as_of_date", ""),
        entity,
        ((), "seq", ""),
    ])
    if obs is None or bud is None:
        _stage_facts_sql(con)
        return None
    con.register("obs", obs)
    con.register("bud", bud)
    return obs


def dimension_issues(con: duckdb.DuckDBPyConnection) -> list[Issue]:
    """The dimension tables and the registry must be well-formed before any figure is judged by them."""
    rules: list[checks.Rule] = [
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
    out = checks.run_rules(con, rules[:2])
    out += checks.run_rules(con, [rules[2]], [list(VOCAB["region"])])
    out += checks.run_rules(con, rules[3:8])
    out += checks.run_rules(con, [rules[8]], [sorted(units.CANONICAL_UNITS)])
    out += checks.run_rules(con, rules[9:])
    return out


def validate(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[Issue]:
    """All rules over the staged tables."""
    issues = dimension_issues(con)
    issues += checks.run_rules(con, checks.OBSERVATION_RULES)
    issues += checks.run_rules(con, checks.BUDGET_RULES)
    issues += checks.vocabulary_issues(con, VOCAB)
    for t in ("obs", "bud"):
        issues += checks.run_rules(con, [(sql.format(t=t), vi, en) for sql, vi, en in checks.SOURCE_RULES[:2]])
        issues += checks.entity_suggestions(con, t)
        issues += checks.provenance_issues(con, data_dir / "sources", t, "num")
    issues += _target_provenance(con, data_dir)
    issues += checks.run_rules(con, checks.TASK_REGISTRY_RULES)
    issues += checks.run_rules(con, checks.SHAPE_RULES)
    if cat_labels_present(con):
        issues += checks.run_rules(con, checks.CATEGORY_RULES)
    if issues:
        return issues
    _derive(con)
    issues += checks.conflict_issues(con)
    issues += checks.task_identity_issues(con)
    return issues


def cat_labels_present(con: duckdb.DuckDBPyConnection) -> bool:
    """A dataset that ships data/dims/categories.csv must label every category it uses."""
    return con.execute("SELECT count(*) FROM raw_categories").fetchone()[0] > 0


def _target_provenance(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[Issue]:
    # Targets from Resolution 57 itself cite the resolution, which is not among the stored reports.
    con.execute("CREATE OR REPLACE TEMP VIEW tgt_seed AS SELECT * FROM ref_targets "
                "WHERE source_file IN (SELECT source_file FROM ref_sources)")
    return checks.provenance_issues(con, data_dir / "sources", "tgt_seed", "num")


OBS_OK_VIEW = """
    CREATE TEMP VIEW obs_ok AS
    SELECT seq, file, row, indicator_id, entity_id, entity AS entity_as_written,
           coalesce(programme, '') AS programme, coalesce(category, '') AS category,
           num * factor AS value, base_num * factor AS base, canonical_unit AS unit,
           num AS value_stated, unit AS unit_stated, value AS value_text,
           as_of_date, source_file, source_quote, conflict_id, note
    FROM obs
"""


_VERSION_KEY = {
    "obs_ver": "indicator_id, entity_id, programme, category, as_of_date",
    "bud_ver": "year_num, level, spending_kind, domain, stage, entity_id, as_of_date",
}
_REPORT_DATES = ("(SELECT trim(source_file) AS source_file, min(try_cast(trim(report_date) AS DATE)) AS report_date "
                 "FROM src_raw GROUP BY 1)")


def _versions_sql(view: str, curated: str, has_submissions: bool) -> str:
    """Every version of a figure: curated rows (loaded_at = their source's report date) and submitted rows.

    A submitted row supersedes the curated rows and every earlier submission with the same key; curated rows
    never supersede each other (two reports that disagree are a conflict, checked elsewhere)."""
    base = (f"SELECT o.*, false AS is_submission, CAST(d.report_date AS TIMESTAMP) AS loaded_at FROM {curated} o "
            f"LEFT JOIN {_REPORT_DATES} d ON d.source_file = o.source_file")
    if not has_submissions:
        return (f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT *, true AS is_current, NULL::BIGINT AS superseded_by "
                f"FROM ({base})")
    sub = "sub_obs" if view == "obs_ver" else "sub_bud"
    part = f"PARTITION BY {_VERSION_KEY[view]}"
    order = f"{part} ORDER BY is_submission DESC, loaded_at DESC, seq DESC"
    current = "CASE WHEN is_submission THEN _rn = 1 ELSE _n_sub = 0 END"
    return f"""
        CREATE OR REPLACE TEMP VIEW {view} AS
        SELECT * EXCLUDE (_n_sub, _rn, _top), {current} AS is_current,
               CASE WHEN {current} THEN NULL ELSE _top END AS superseded_by
        FROM (SELECT *, count(*) FILTER (WHERE is_submission) OVER ({part}) AS _n_sub,
                     row_number() OVER ({order}) AS _rn, first_value(seq) OVER ({order}) AS _top
              FROM ({base} UNION ALL BY NAME SELECT * FROM {sub}))
    """


def _register_versions(cur: duckdb.DuckDBPyConnection, inputs: _Inputs, budget: bool = False) -> None:
    """obs_ver (and bud_ver) on a connection that already has obs_ok (and bud)."""
    subs = inputs.subs
    cur.register("src_raw", inputs.sources_raw)
    cur.register("sub_obs", subs.obs)
    cur.execute(_versions_sql("obs_ver", "obs_ok", subs.obs.num_rows > 0))
    if budget:
        cur.register("sub_bud", subs.bud)
        cur.execute(_versions_sql("bud_ver", "bud", subs.bud.num_rows > 0))


def _derive(con: duckdb.DuckDBPyConnection) -> None:
    """Validated rows in canonical units, and the task pivot the identity rule reads."""
    con.execute(OBS_OK_VIEW)
    cols = ", ".join(
        f"max(value) FILTER (WHERE indicator_id = '{ind}') AS {ind.removeprefix('tasks_')}"
        for ind in TASK_STATUS_INDICATORS
    )
    con.execute(
        f"""
        CREATE TEMP TABLE task_check AS
        SELECT source_file, programme, entity_id, category, as_of_date, {cols},
               coalesce(max(value) FILTER (WHERE indicator_id = 'tasks_done'),
                        max(value) FILTER (WHERE indicator_id = 'tasks_done_on_time')
                        + max(value) FILTER (WHERE indicator_id = 'tasks_done_late')) AS d,
               coalesce(max(value) FILTER (WHERE indicator_id = 'tasks_in_progress'),
                        max(value) FILTER (WHERE indicator_id = 'tasks_in_progress_on_time')) AS p,
               arg_min(file, row) FILTER (WHERE indicator_id = 'tasks_total') AS total_file,
               min(row) FILTER (WHERE indicator_id = 'tasks_total') AS total_row,
               count(conflict_id) > 0 AS flagged
        FROM obs_ok WHERE programme <> '' AND indicator_id IN (SELECT unnest(?))
        GROUP BY ALL
        """,
        [list(TASK_STATUS_INDICATORS)],
    )


WAREHOUSE_SQL = [
    """CREATE TABLE sources AS SELECT id, source_file, issuer_vi, issuer_en, title_vi, title_en, report_date, note
       FROM ref_sources ORDER BY id""",
    """CREATE TABLE agencies AS
       SELECT a.id, a.kind, a.name_vi, a.name_en, a.short_vi, a.region, a.code, a.parent_id,
              list(DISTINCT d.alias ORDER BY d.alias) FILTER (WHERE d.alias IS NOT NULL) AS aliases
       FROM ref_agencies a LEFT JOIN ref_alias_display d ON d.agency_id = a.id
       GROUP BY ALL ORDER BY a.kind, a.id""",
    """CREATE TABLE agency_aliases AS SELECT alias, agency_id FROM ref_alias_display ORDER BY alias, agency_id""",
    """CREATE TABLE categories AS SELECT nullif(trim(slug), '') AS slug, name_vi, name_en FROM raw_categories
       ORDER BY slug""",
    """CREATE TABLE programmes AS SELECT id, name_vi, name_en, try_cast(year AS INTEGER) AS year, description
       FROM ref_programmes ORDER BY id""",
    """CREATE TABLE indicators AS SELECT id, theme, pillar, name_vi, name_en, unit, direction,
       coalesce(period, 'point') AS period, description
       FROM ref_indicators ORDER BY id""",
    """CREATE TABLE targets AS SELECT indicator_id, comparator, num AS value, unit, year_num AS year,
       source_file, source_quote, note FROM ref_targets ORDER BY indicator_id, year, value""",
    """CREATE TABLE facts AS
       SELECT seq AS fact_id, indicator_id, entity_id, entity_as_written,
              nullif(programme, '') AS programme, nullif(category, '') AS category, value, base, unit,
              value_stated, unit_stated, as_of_date AS as_of, source_file, source_quote, conflict_id, note,
              file AS data_file, row AS data_row, false AS is_illustrative, is_submission, loaded_at, is_current,
              superseded_by
       FROM obs_ver""",
    """CREATE TABLE budget_history AS
       SELECT b.year_num AS year, b.level, b.spending_kind, b.domain, b.stage, b.num * u.factor AS amount_bn_vnd,
              b.as_of_date AS as_of, a.name_vi AS entity, b.entity_id, b.num AS amount_stated,
              b.unit AS unit_stated, b.source_file, b.source_quote, b.conflict_id, b.note,
              b.file AS data_file, b.row AS data_row,
              false AS is_illustrative, b.is_submission, b.loaded_at, b.is_current
       FROM bud_ver b JOIN ref_units u ON u.stated = b.unit AND u.canonical = 'billion_vnd'
       LEFT JOIN ref_agencies a ON a.id = b.entity_id ORDER BY b.seq""",
    """CREATE TABLE budget AS SELECT * EXCLUDE (is_current) FROM budget_history WHERE is_current""",
    """CREATE TABLE conflicts AS
       SELECT conflict_id, count(*) AS rows, list(DISTINCT source_file ORDER BY source_file) AS sources,
              string_agg(DISTINCT note, ' | ' ORDER BY note) AS notes
       FROM (SELECT conflict_id, source_file, note FROM obs_ok WHERE conflict_id IS NOT NULL
             UNION ALL SELECT conflict_id, source_file, note FROM budget WHERE conflict_id IS NOT NULL)
       GROUP BY conflict_id ORDER BY conflict_id""",
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


def _task_status_sql() -> str:
    cols = ",\n".join(
        f"max(value) FILTER (WHERE indicator_id = '{ind}') AS {ind.removeprefix('tasks_')}"
        for ind in TASK_STATUS_INDICATORS
    )
    return f"""
        CREATE TABLE task_status AS
        SELECT f.programme, f.as_of, a.name_vi AS entity, f.entity_id, f.category, f.source_file,
               {cols},
               -- "131/167 nhiệm vụ hoàn thành" states the total as the base of the done count
               max(base) FILTER (WHERE indicator_id = 'tasks_done') AS done_base,
               string_agg(DISTINCT f.conflict_id, ',') AS conflict_id
        FROM (SELECT nullif(programme, '') AS programme, as_of_date AS as_of, entity_id,
                     nullif(category, '') AS category, source_file, indicator_id, value, base, conflict_id
              FROM obs_ver WHERE is_current) f  -- the rows of facts, read before they are compressed on disk
        LEFT JOIN agencies a ON a.id = f.entity_id
        WHERE f.programme IS NOT NULL AND f.indicator_id IN ({", ".join(f"'{i}'" for i in TASK_STATUS_INDICATORS)})
        GROUP BY ALL ORDER BY f.programme, f.as_of, f.entity_id NULLS FIRST, f.category NULLS FIRST, f.source_file
    """


FACTS_SQL = next(sql for sql in WAREHOUSE_SQL if "CREATE TABLE facts" in sql)


class _FactsWriter(threading.Thread):
    """Writes the facts table on a second connection while the rules run on the first.

    The facts are the bulk of the warehouse; DuckDB releases the GIL while it writes them, so the write
    and the validation share the machine's cores. The table lands in the temporary file only: if a rule
    fails, the file is dropped and the warehouse is untouched, as before."""

    def __init__(self, con: duckdb.DuckDBPyConnection, obs: pa.Table, inputs: _Inputs):
        super().__init__(name="facts-writer", daemon=True)
        self.cur = con.cursor()
        self.obs = obs
        self.inputs = inputs
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.cur.register("obs", self.obs)
            self.cur.execute(OBS_OK_VIEW)
            _register_versions(self.cur, self.inputs)
            self.cur.execute("USE w")
            self.cur.execute(FACTS_SQL)
        except BaseException as exc:  # handed to the building thread by finish()
            self.error = exc

    def finish(self) -> None:
        self.join()
        self.cur.close()
        if self.error is not None:
            raise self.error


# Illustrative rows only: generated to reproduce the reported aggregates (see data/illustrative/README.md).
TASKS_SQL = """
    CREATE TABLE tasks AS
    SELECT task_id, programme, CAST(nullif(as_of, '') AS DATE) AS as_of, title_vi, title_en,
           string_split(lead_agency_ids, ';') AS lead_agency_ids_list, lead_agency_ids,
           coalesce(co_agency_ids, '') AS co_agency_ids, task_group, CAST(nullif(deadline, '') AS DATE) AS deadline,
           status,
           CAST(nullif(completion_date, '') AS DATE) AS completion_date, deliverable_vi, true AS is_illustrative
    FROM raw_tasks ORDER BY programme, task_id
"""


def _write(con: duckdb.DuckDBPyConnection, inputs: _Inputs, built_at: dt.datetime, facts_written: bool) -> None:
    """Every table into the attached database `w` (facts unless the writer thread made it), then detach."""
    _register_versions(con, inputs, budget=True)
    con.execute("USE w")
    for sql in WAREHOUSE_SQL:
        if sql is FACTS_SQL and facts_written:
            continue
        con.execute(sql)
    con.execute(_task_status_sql())
    con.execute(TASKS_SQL)
    con.execute("CREATE TABLE province_shapes AS SELECT * FROM raw_shapes ORDER BY code")
    con.execute(
        "CREATE TABLE load_log (file VARCHAR, sha256 VARCHAR, bytes BIGINT, rows BIGINT, loaded_at TIMESTAMP, "
        "kind VARCHAR)"
    )
    con.executemany(
        "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?)",
        [(f.name, f.sha256, f.size, f.table.num_rows, built_at, f.name.split("/")[-2] if "/" in f.name else "root")
         for f in sorted(inputs.files, key=lambda f: f.name)] + inputs.subs.log,
    )
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
    tmp: Path | None = None
    made: list[Path] = []
    attached = replaced = False
    try:
        inputs, issues = stage(con, data_dir, kpi_dir)
        if not issues:
            writer = None
            if inputs.obs_table is not None:
                tmp, made = _attach_temp(con, db_path)
                attached = True
                writer = _FactsWriter(con, inputs.obs_table, inputs)
                writer.start()
            try:
                issues = validate(con, data_dir)
            finally:
                if writer is not None:
                    writer.finish()
        if issues:
            raise ValidationFailed(issues)
        if tmp is None:
            tmp, made = _attach_temp(con, db_path)
            attached = True
        _write(con, inputs, start, facts_written=inputs.obs_table is not None)
        attached = False
        os.replace(tmp, db_path)  # atomic on POSIX: readers see the old file or the new one
        replaced = True
        n_obs = con.execute("SELECT count(*) FROM obs_ver").fetchone()[0]
        n_bud = con.execute("SELECT count(*) FROM bud").fetchone()[0]
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
