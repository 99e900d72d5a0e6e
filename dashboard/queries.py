"""The one query module: every read of the warehouse the pages make, as named, parameterised functions.

One read-only DuckDB connection per warehouse file is shared by all sessions and reopened when the ETL swaps in a
new file; results are cached by their parameters and the file's identity (dashboard/cache.py). No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading

import duckdb
import pandas as pd

from dashboard.cache import Stamp, pin, query, stamp
from etl import paths

__all__ = ["Stamp", "pin", "stamp"]  # re-exported: app.py pins the warehouse of a run here

_CONNECTIONS: dict[Stamp, duckdb.DuckDBPyConnection] = {}
_CONNECT_LOCK = threading.Lock()


def warehouse_exists() -> bool:
    return paths.warehouse_path().exists()


def connect(s: Stamp) -> duckdb.DuckDBPyConnection:
    """The connection to the warehouse file of stamp `s` (the two latest are kept open).

    The connection keeps the file it opened even after os.replace, so readers never see a half state. ATTACH into a
    private in-memory database: duckdb.connect(path) would hand back the instance an older connection still holds
    open (the previous warehouse) instead of the file now at that path."""
    with _CONNECT_LOCK:
        if s not in _CONNECTIONS:
            con = duckdb.connect(":memory:")
            con.execute("ATTACH ? AS w (READ_ONLY)", [s[0]])
            _CONNECTIONS[s] = con
            for old in list(_CONNECTIONS)[:-2]:
                del _CONNECTIONS[old]  # closed when the last cursor on it is gone
        return _CONNECTIONS[s]


def _cursor() -> duckdb.DuckDBPyConnection:
    cur = connect(stamp()).cursor()
    cur.execute("USE w")
    return cur


def _df(sql: str, params: list | None = None) -> pd.DataFrame:
    return _cursor().execute(sql, params or []).df()


_OBS_SQL = """
    SELECT o.indicator_id, o.indicator_name_vi, o.indicator_name_en, o.theme, o.pillar, o.scope,
           o.entity_id, o.entity_name, ag.name_en AS entity_name_en, ag.kind AS entity_kind, ag.region,
           o.programme, o.category, o.category_name_vi, o.category_name_en, o.value, o.base, o.unit, o.as_of,
           o.qualifier, o.value_high, o.value_stated, o.unit_stated, o.definition, o.definition_vi,
           o.definition_en, o.modality, o.source_file, o.source_quote,
           o.conflict_id, o.note, o.is_illustrative, o.direction, s.title_vi AS source_title_vi,
           s.title_en AS source_title_en, s.report_date, s.issuer_vi AS source_issuer_vi,
           s.issuer_en AS source_issuer_en
    FROM observations o
    JOIN sources s ON s.source_file = o.source_file
    LEFT JOIN agencies ag ON ag.id = o.entity_id
    WHERE o.as_of <= ? AND s.report_date <= ?
"""
_ORDER = " ORDER BY o.indicator_id, o.as_of, o.entity_id NULLS FIRST, o.category NULLS FIRST, o.source_file"


@query
def report_dates() -> list[dt.date]:
    """The dates a user can view the dashboard at: one per source report."""
    return [r for r in _df("SELECT DISTINCT report_date FROM sources ORDER BY 1")["report_date"].dt.date]


@query
def sources() -> pd.DataFrame:
    return _df("SELECT * FROM sources ORDER BY report_date, id")


@query
def indicators() -> pd.DataFrame:
    return _df("SELECT * FROM indicators ORDER BY theme, id")


@query
def targets() -> pd.DataFrame:
    return _df("SELECT * FROM targets ORDER BY indicator_id, year")


@query
def theme_observations(view: dt.date, theme: str, pillar: str | None = None,
                       illustrative: bool = True) -> pd.DataFrame:
    """Every observation of a theme (optionally one pillar) known at the view date, with its source."""
    sql = _OBS_SQL + " AND o.theme = ? AND (? IS NULL OR o.pillar = ?) AND (? OR NOT o.is_illustrative)" + _ORDER
    return _df(sql, [view, view, theme, pillar, pillar, illustrative])


@query
def indicator_observations(view: dt.date, ids: tuple[str, ...]) -> pd.DataFrame:
    return _df(_OBS_SQL + " AND list_contains(?, o.indicator_id)" + _ORDER, [view, view, list(ids)])


@query
def entity_observations(view: dt.date, entity_id: str, illustrative: bool = True) -> pd.DataFrame:
    """Every figure the warehouse holds about one agency or province, with its source."""
    return _df(_OBS_SQL + " AND o.entity_id = ? AND (? OR NOT o.is_illustrative)" + _ORDER,
               [view, view, entity_id, illustrative])


@query
def figures_by_source(view: dt.date) -> pd.DataFrame:
    """How many reported figures each report issued by the view date gives (illustrative rows left out)."""
    sql = ("SELECT o.source_file, count(*) AS figures FROM observations o JOIN sources s ON s.source_file = o.source_file "
           "WHERE s.report_date <= ? AND NOT o.is_illustrative GROUP BY o.source_file")
    return _df(sql, [view])


@query
def freshness(view: dt.date) -> pd.DataFrame:
    """Latest as-of date and number of figures per theme at the view date."""
    sql = ("SELECT o.theme, max(o.as_of) AS latest, count(*) AS figures FROM observations o "
           "JOIN sources s ON s.source_file = o.source_file "
           "WHERE o.as_of <= ? AND s.report_date <= ? AND NOT o.is_illustrative GROUP BY o.theme")
    return _df(sql, [view, view])


@query
def latest_task_status(view: dt.date) -> pd.DataFrame:
    """National task-status breakdown of each programme at its latest report date up to the view date."""
    sql = """
        SELECT t.*, p.name_vi AS programme_name_vi, p.name_en AS programme_name_en
        FROM task_status t JOIN sources s ON s.source_file = t.source_file
        JOIN programmes p ON p.id = t.programme
        WHERE t.entity_id IS NULL AND t.category IS NULL AND t.as_of <= ? AND s.report_date <= ?
        QUALIFY t.as_of = max(t.as_of) OVER (PARTITION BY t.programme)
        ORDER BY t.as_of DESC, t.programme, t.source_file
    """
    return _df(sql, [view, view])


@query
def task_status(view: dt.date) -> pd.DataFrame:
    sql = """
        SELECT t.*, p.name_vi AS programme_name_vi, p.name_en AS programme_name_en
        FROM task_status t JOIN sources s ON s.source_file = t.source_file
        JOIN programmes p ON p.id = t.programme
        WHERE t.as_of <= ? AND s.report_date <= ?
        ORDER BY t.programme, t.as_of, t.entity_id NULLS FIRST, t.category NULLS FIRST
    """
    return _df(sql, [view, view])


@query
def budget(view: dt.date) -> pd.DataFrame:
    """Budget amounts (billion VND) by year, level, kind, domain and stage, with their sources."""
    sql = """
        SELECT b.*, s.title_vi AS source_title_vi, s.title_en AS source_title_en, s.report_date,
               s.issuer_vi AS source_issuer_vi, s.issuer_en AS source_issuer_en
        FROM budget b JOIN sources s ON s.source_file = b.source_file
        WHERE b.as_of <= ? AND s.report_date <= ?
        ORDER BY b.year, b.stage, b.level, b.spending_kind, b.domain, b.as_of, b.entity_id NULLS FIRST, b.data_file,
                 b.data_row
    """
    return _df(sql, [view, view])


@query
def agencies() -> pd.DataFrame:
    return _df("SELECT * FROM agencies ORDER BY kind, name_vi")


@query
def categories() -> pd.DataFrame:
    """The label of every sub-group slug (data/dims/categories.csv), by slug."""
    return _df("SELECT slug, name_vi, name_en FROM categories ORDER BY category_id").set_index("slug", drop=False)


@query
def conflicts() -> pd.DataFrame:
    return _df("SELECT * FROM conflicts ORDER BY conflict_id")


@query
def load_log() -> pd.DataFrame:
    return _df("SELECT * FROM load_log ORDER BY loaded_at DESC, file")


def ensure_warehouse() -> None:
    """Build the warehouse from the shipped data on first start (a fresh checkout has none)."""
    if not warehouse_exists():
        from etl.build import build

        build()


@query
def entity_figures(view: dt.date) -> pd.DataFrame:
    """Every reported figure about a named agency or province at the view date (the league table's source)."""
    return _df(_OBS_SQL + " AND o.entity_id IS NOT NULL AND NOT o.is_illustrative" + _ORDER, [view, view])


@query
def entity_latest(view: dt.date) -> pd.DataFrame:
    """Each unit's latest reported figure of each measure (indicator, programme, group, basis) at the view date, with
    `measure` as its key: what a comparison of units reads, however many dates the figures span."""
    sql = ("SELECT concat_ws('|', o.indicator_id, coalesce(o.programme, ''), coalesce(o.category, ''), "
           "coalesce(o.definition, '')) AS measure, * FROM (" + _OBS_SQL +
           " AND o.entity_id IS NOT NULL AND NOT o.is_illustrative) o "
           "QUALIFY row_number() OVER (PARTITION BY o.indicator_id, o.entity_id, o.programme, o.category, o.definition "
           "ORDER BY o.as_of DESC, o.report_date DESC, o.value DESC) = 1 "
           "ORDER BY measure, o.entity_id")
    return _df(sql, [view, view])


@query
def measure_figures(view: dt.date, indicator_id: str, programme: str | None, category: str | None,
                    as_of: dt.date) -> pd.DataFrame:
    """Every unit's figure of one measure at one date (a unit among its peers)."""
    sql = (_OBS_SQL + " AND o.entity_id IS NOT NULL AND NOT o.is_illustrative AND o.indicator_id = ? "
           "AND o.programme IS NOT DISTINCT FROM ? AND o.category IS NOT DISTINCT FROM ? AND o.as_of = ?" + _ORDER)
    return _df(sql, [view, view, indicator_id, programme, category, as_of])


@query
def programmes() -> pd.DataFrame:
    return _df("SELECT * FROM programmes ORDER BY year NULLS LAST, id")


def resolve_agency(text: str) -> str | None:
    """An agency id from an id, a canonical name or any alias the reports use (for ?agency=... links); a slug typed
    in a link ("bac-ninh", "bo_y_te") is read with its hyphens and underscores as spaces."""
    text = text.strip() if text else ""
    if not text:
        return None
    slug = re.sub(r"[-_]+", " ", text)
    return _resolve_agency(text) or (_resolve_agency(slug) if slug != text else None)


@query
def _resolve_agency(text: str) -> str | None:
    # resolve_entity: the ETL's own resolver, stored in the warehouse (etl/sql/entities.sql)
    return _cursor().execute("SELECT coalesce((SELECT id FROM agencies WHERE id = $t), resolve_entity($t))",
                             {"t": text}).fetchone()[0]


@query
def entity_budget(view: dt.date, entity_id: str) -> pd.DataFrame:
    sql = """
        SELECT b.*, s.title_vi AS source_title_vi, s.title_en AS source_title_en, s.report_date
        FROM budget b JOIN sources s ON s.source_file = b.source_file
        WHERE b.as_of <= ? AND s.report_date <= ? AND b.entity_id = ?
        ORDER BY b.year, b.stage, b.as_of, b.data_file, b.data_row
    """
    return _df(sql, [view, view, entity_id])


@query
def illustrative_tasks() -> pd.DataFrame:
    """The illustrative task registry (every row is_illustrative): generated, not reported."""
    has = _df("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'tasks'")["n"].iloc[0]
    return _df("SELECT * FROM tasks ORDER BY programme, task_id") if has else pd.DataFrame()


@query
def province_shapes() -> dict:
    """The 34 provincial units as a GeoJSON FeatureCollection (offline; built into the warehouse by the ETL).

    One shared object (callers only read it and build new dicts around its features): a copy per call, tens of
    thousands of small coordinate lists, made every visit of the provinces page pay a full garbage collection."""
    rows = _df("SELECT code, agency_id, name_vi, name_en, geometry FROM province_shapes ORDER BY code")

    def coarse(c):  # 3 decimals (~100 m) is finer than a screen pixel at country zoom; halves what is sent
        return [coarse(x) for x in c] if isinstance(c[0], list) else [round(c[0], 3), round(c[1], 3)]

    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.code, "properties": {"code": r.code, "agency_id": r.agency_id,
                                                          "name_vi": r.name_vi, "name_en": r.name_en},
         "geometry": {**(g := json.loads(r.geometry)), "coordinates": coarse(g["coordinates"])}}
        for r in rows.itertuples()]}


@query
def submission_history() -> pd.DataFrame:
    """Every agency submission in the warehouse: when, by whom, which file (sha256), how many rows."""
    # an agency's file is its own source (issuer: who loaded it, title: its name); a new report's reviewed figures
    # quote the report, so their file has no source row of its own: its name is shown instead
    sql = """
        SELECT l.loaded_at, s.issuer_vi AS loaded_by, coalesce(s.title_vi, parse_filename(l.file)) AS original_name,
               l.sha256, l.rows, l.bytes
        FROM load_log l LEFT JOIN sources s ON 'data/' || s.source_file = l.file
        WHERE l.kind = 'submissions' ORDER BY l.loaded_at DESC
    """
    return _df(sql)


@query
def dated_tasks(view: dt.date) -> pd.DataFrame:
    """The tasks with a deadline that the reports issued by the view date assign, soonest first."""
    has = _df("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'dated_tasks'")["n"].iloc[0]
    return _df("SELECT * FROM dated_tasks WHERE stated_on <= ? ORDER BY deadline, id", [view]) if has else pd.DataFrame()


@query
def vocabularies() -> pd.DataFrame:
    """Every closed list (kpis/vocabularies.csv as the build loaded it), in the order lists are shown in."""
    return _df("SELECT * FROM vocabularies ORDER BY position")


@query
def headlines() -> pd.DataFrame:
    """The headline indicators of each dashboard theme, in the order the overview shows them."""
    return _df("SELECT * FROM headlines ORDER BY theme_position, position")


@query
def units() -> pd.DataFrame:
    """The units figures are stated in, with their labels (kpis/units.csv as the build loaded it)."""
    return _df("SELECT * FROM units ORDER BY id")
