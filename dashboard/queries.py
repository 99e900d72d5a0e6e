"""The one query module: every read of the warehouse the pages make, as named, parameterised functions.

One read-only DuckDB connection is shared by all sessions (``st.cache_resource``) and reopened when the
ETL swaps in a new warehouse file; results are cached by their parameters and the file's identity.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import os

import duckdb
import pandas as pd
import streamlit as st

from etl import paths

Stamp = tuple[str, int, int]


_PINNED: contextvars.ContextVar[Stamp | None] = contextvars.ContextVar("warehouse", default=None)


def _now() -> Stamp:
    """Identity of the warehouse file now: a swapped-in build has a new inode and mtime."""
    path = paths.warehouse_path()
    st_ = os.stat(path)
    return (str(path), st_.st_ino, st_.st_mtime_ns)


def pin() -> None:
    """Read every query of this page run from the warehouse there is now, though a rebuild swap in another."""
    _PINNED.set(_now())


def stamp() -> Stamp:
    """The warehouse this page run reads (pinned by app.py), or the one there is now."""
    return _PINNED.get() or _now()


def warehouse_exists() -> bool:
    return paths.warehouse_path().exists()


@st.cache_resource(max_entries=2, show_spinner=False)
def _connect(path: str, inode: int, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    # The connection keeps the file it opened even after os.replace, so readers never see a half state.
    # ATTACH into a private in-memory database: duckdb.connect(path) would hand back the instance an older
    # connection still holds open (the previous warehouse) instead of the file now at that path.
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS w (READ_ONLY)", [path])
    return con


def _cursor(s: Stamp) -> duckdb.DuckDBPyConnection:
    cur = _connect(*s).cursor()
    cur.execute("USE w")
    return cur


def _df(s: Stamp, sql: str, params: list | None = None) -> pd.DataFrame:
    return _cursor(s).execute(sql, params or []).df()


_CACHE = dict(max_entries=256, show_spinner=False)

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


@st.cache_data(**_CACHE)
def _report_dates(s: Stamp) -> list[dt.date]:
    return [r for r in _df(s, "SELECT DISTINCT report_date FROM sources ORDER BY 1")["report_date"].dt.date]


def report_dates() -> list[dt.date]:
    """The dates a user can view the dashboard at: one per source report."""
    return _report_dates(stamp())


@st.cache_data(**_CACHE)
def _sources(s: Stamp) -> pd.DataFrame:
    return _df(s, "SELECT * FROM sources ORDER BY report_date, id")


def sources() -> pd.DataFrame:
    return _sources(stamp())


@st.cache_data(**_CACHE)
def _indicators(s: Stamp) -> pd.DataFrame:
    return _df(s, "SELECT * FROM indicators ORDER BY theme, id")


def indicators() -> pd.DataFrame:
    return _indicators(stamp())


@st.cache_data(**_CACHE)
def _targets(s: Stamp) -> pd.DataFrame:
    return _df(s, "SELECT * FROM targets ORDER BY indicator_id, year")


def targets() -> pd.DataFrame:
    return _targets(stamp())


@st.cache_data(**_CACHE)
def _theme_observations(s: Stamp, view: dt.date, theme: str, pillar: str | None, illustrative: bool) -> pd.DataFrame:
    sql = _OBS_SQL + " AND o.theme = ? AND (? IS NULL OR o.pillar = ?) AND (? OR NOT o.is_illustrative)" + _ORDER
    return _df(s, sql, [view, view, theme, pillar, pillar, illustrative])


def theme_observations(view: dt.date, theme: str, pillar: str | None = None,
                       illustrative: bool = True) -> pd.DataFrame:
    """Every observation of a theme (optionally one pillar) known at the view date, with its source."""
    return _theme_observations(stamp(), view, theme, pillar, illustrative)


@st.cache_data(**_CACHE)
def _indicator_observations(s: Stamp, view: dt.date, ids: tuple[str, ...]) -> pd.DataFrame:
    return _df(s, _OBS_SQL + " AND list_contains(?, o.indicator_id)" + _ORDER, [view, view, list(ids)])


def indicator_observations(view: dt.date, ids: tuple[str, ...]) -> pd.DataFrame:
    return _indicator_observations(stamp(), view, tuple(ids))


@st.cache_data(**_CACHE)
def _entity_observations(s: Stamp, view: dt.date, entity_id: str, illustrative: bool) -> pd.DataFrame:
    return _df(s, _OBS_SQL + " AND o.entity_id = ? AND (? OR NOT o.is_illustrative)" + _ORDER,
               [view, view, entity_id, illustrative])


def entity_observations(view: dt.date, entity_id: str, illustrative: bool = True) -> pd.DataFrame:
    """Every figure the warehouse holds about one agency or province, with its source."""
    return _entity_observations(stamp(), view, entity_id, illustrative)


@st.cache_data(**_CACHE)
def _freshness(s: Stamp, view: dt.date) -> pd.DataFrame:
    sql = ("SELECT o.theme, max(o.as_of) AS latest, count(*) AS figures FROM observations o "
           "JOIN sources s ON s.source_file = o.source_file "
           "WHERE o.as_of <= ? AND s.report_date <= ? AND NOT o.is_illustrative GROUP BY o.theme")
    return _df(s, sql, [view, view])


def freshness(view: dt.date) -> pd.DataFrame:
    """Latest as-of date and number of figures per theme at the view date."""
    return _freshness(stamp(), view)


@st.cache_data(**_CACHE)
def _latest_task_status(s: Stamp, view: dt.date) -> pd.DataFrame:
    sql = """
        SELECT t.*, p.name_vi AS programme_name_vi, p.name_en AS programme_name_en
        FROM task_status t JOIN sources s ON s.source_file = t.source_file
        JOIN programmes p ON p.id = t.programme
        WHERE t.entity_id IS NULL AND t.category IS NULL AND t.as_of <= ? AND s.report_date <= ?
        QUALIFY t.as_of = max(t.as_of) OVER (PARTITION BY t.programme)
        ORDER BY t.as_of DESC, t.programme, t.source_file
    """
    return _df(s, sql, [view, view])


def latest_task_status(view: dt.date) -> pd.DataFrame:
    """National task-status breakdown of each programme at its latest report date up to the view date."""
    return _latest_task_status(stamp(), view)


@st.cache_data(**_CACHE)
def _task_status(s: Stamp, view: dt.date) -> pd.DataFrame:
    sql = """
        SELECT t.*, p.name_vi AS programme_name_vi, p.name_en AS programme_name_en
        FROM task_status t JOIN sources s ON s.source_file = t.source_file
        JOIN programmes p ON p.id = t.programme
        WHERE t.as_of <= ? AND s.report_date <= ?
        ORDER BY t.programme, t.as_of, t.entity_id NULLS FIRST, t.category NULLS FIRST
    """
    return _df(s, sql, [view, view])


def task_status(view: dt.date) -> pd.DataFrame:
    return _task_status(stamp(), view)


@st.cache_data(**_CACHE)
def _budget(s: Stamp, view: dt.date) -> pd.DataFrame:
    sql = """
        SELECT b.*, s.title_vi AS source_title_vi, s.title_en AS source_title_en, s.report_date,
               s.issuer_vi AS source_issuer_vi, s.issuer_en AS source_issuer_en
        FROM budget b JOIN sources s ON s.source_file = b.source_file
        WHERE b.as_of <= ? AND s.report_date <= ?
        ORDER BY b.year, b.stage, b.level, b.spending_kind, b.domain, b.as_of, b.entity_id NULLS FIRST, b.data_file,
                 b.data_row
    """
    return _df(s, sql, [view, view])


def budget(view: dt.date) -> pd.DataFrame:
    """Budget amounts (billion VND) by year, level, kind, domain and stage, with their sources."""
    return _budget(stamp(), view)


@st.cache_data(**_CACHE)
def _agencies(s: Stamp) -> pd.DataFrame:
    return _df(s, "SELECT * FROM agencies ORDER BY kind, name_vi")


def agencies() -> pd.DataFrame:
    return _agencies(stamp())


@st.cache_data(**_CACHE)
def _categories(s: Stamp) -> pd.DataFrame:
    return _df(s, "SELECT slug, name_vi, name_en FROM categories ORDER BY category_id")


def categories() -> pd.DataFrame:
    """The label of every sub-group slug (data/dims/categories.csv), by slug."""
    return _categories(stamp()).set_index("slug", drop=False)


@st.cache_data(**_CACHE)
def _conflicts(s: Stamp) -> pd.DataFrame:
    return _df(s, "SELECT * FROM conflicts ORDER BY conflict_id")


def conflicts() -> pd.DataFrame:
    return _conflicts(stamp())


@st.cache_data(**_CACHE)
def _load_log(s: Stamp) -> pd.DataFrame:
    return _df(s, "SELECT * FROM load_log ORDER BY loaded_at DESC, file")


def load_log() -> pd.DataFrame:
    return _load_log(stamp())


def ensure_warehouse() -> None:
    """Build the warehouse from the shipped data on first start (a fresh checkout has none)."""
    if not warehouse_exists():
        from etl.build import build

        build()


@st.cache_data(**_CACHE)
def _entity_figures(s: Stamp, view: dt.date) -> pd.DataFrame:
    return _df(s, _OBS_SQL + " AND o.entity_id IS NOT NULL AND NOT o.is_illustrative" + _ORDER, [view, view])


def entity_figures(view: dt.date) -> pd.DataFrame:
    """Every reported figure about a named agency or province at the view date (the league table's source)."""
    return _entity_figures(stamp(), view)


@st.cache_data(**_CACHE)
def _programmes(s: Stamp) -> pd.DataFrame:
    return _df(s, "SELECT * FROM programmes ORDER BY year NULLS LAST, id")


def programmes() -> pd.DataFrame:
    return _programmes(stamp())


@st.cache_data(**_CACHE)
def _resolve_agency(s: Stamp, text: str) -> str | None:
    # resolve_entity: the ETL's own resolver, stored in the warehouse (etl/sql/entities.sql)
    return _cursor(s).execute("SELECT coalesce((SELECT id FROM agencies WHERE id = $t), resolve_entity($t))",
                              {"t": text}).fetchone()[0]


def resolve_agency(text: str) -> str | None:
    """An agency id from an id, a canonical name or any alias the reports use (for ?agency=... links)."""
    return _resolve_agency(stamp(), text.strip()) if text and text.strip() else None


@st.cache_data(**_CACHE)
def _entity_budget(s: Stamp, view: dt.date, entity_id: str) -> pd.DataFrame:
    sql = """
        SELECT b.*, s.title_vi AS source_title_vi, s.title_en AS source_title_en, s.report_date
        FROM budget b JOIN sources s ON s.source_file = b.source_file
        WHERE b.as_of <= ? AND s.report_date <= ? AND b.entity_id = ?
        ORDER BY b.year, b.stage, b.as_of, b.data_file, b.data_row
    """
    return _df(s, sql, [view, view, entity_id])


def entity_budget(view: dt.date, entity_id: str) -> pd.DataFrame:
    return _entity_budget(stamp(), view, entity_id)


@st.cache_data(**_CACHE)
def _illustrative_tasks(s: Stamp) -> pd.DataFrame:
    has = _df(s, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'tasks'")["n"].iloc[0]
    return _df(s, "SELECT * FROM tasks ORDER BY programme, task_id") if has else pd.DataFrame()


def illustrative_tasks() -> pd.DataFrame:
    """The illustrative task registry (every row is_illustrative): generated, not reported."""
    return _illustrative_tasks(stamp())


# A resource, not data: one shared object instead of an unpickled copy per call, because the copy (tens of
# thousands of small coordinate lists) made every visit of the provinces page pay a full garbage collection.
# Callers only read it (they build new dicts around its features).
@st.cache_resource(max_entries=2, show_spinner=False)
def _province_shapes(s: Stamp) -> dict:
    rows = _df(s, "SELECT code, agency_id, name_vi, name_en, geometry FROM province_shapes ORDER BY code")

    def coarse(c):  # 3 decimals (~100 m) is finer than a screen pixel at country zoom; halves what is sent
        return [coarse(x) for x in c] if isinstance(c[0], list) else [round(c[0], 3), round(c[1], 3)]

    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.code, "properties": {"code": r.code, "agency_id": r.agency_id,
                                                          "name_vi": r.name_vi, "name_en": r.name_en},
         "geometry": {**(g := json.loads(r.geometry)), "coordinates": coarse(g["coordinates"])}}
        for r in rows.itertuples()]}


def province_shapes() -> dict:
    """The 34 provincial units as a GeoJSON FeatureCollection (offline; built into the warehouse by the ETL)."""
    return _province_shapes(stamp())


@st.cache_data(**_CACHE)
def _submission_history(s: Stamp) -> pd.DataFrame:
    sql = """
        SELECT l.loaded_at, s.issuer_vi AS loaded_by, s.title_vi AS original_name, l.sha256, l.rows, l.bytes
        FROM load_log l JOIN sources s ON 'data/' || s.source_file = l.file
        WHERE l.kind = 'submissions' ORDER BY l.loaded_at DESC
    """
    return _df(s, sql)


def submission_history() -> pd.DataFrame:
    """Every agency submission in the warehouse: when, by whom, which file (sha256), how many rows."""
    return _submission_history(stamp())
