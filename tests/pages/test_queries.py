"""The query module: parameterised reads, and a swapped-in warehouse is noticed without a restart."""

from __future__ import annotations

import contextvars
import datetime as dt

from dashboard import queries
from etl.build import build


def _coverage(view: dt.date) -> float:
    obs = queries.indicator_observations(view, ("coverage_5g_population",))
    return float(obs["value"].iloc[0])


def test_a_rebuilt_warehouse_is_read_while_old_connections_stay_open(dataset, monkeypatch):
    monkeypatch.setenv("NQ57_DB", str(dataset.db))
    build(dataset.data, dataset.db, dataset.kpis)
    view = dt.date(2026, 5, 3)
    assert _coverage(view) == 48.9
    old_connection = queries.connect(queries.stamp())  # still cached and open, as in a running app
    rows = [r for r in dataset.rows("data/observations/r1.csv") if r["indicator_id"] != "coverage_5g_population"]
    dataset.write("data/observations/r1.csv", rows)
    build(dataset.data, dataset.db, dataset.kpis)
    assert queries.indicator_observations(view, ("coverage_5g_population",)).empty
    assert old_connection.execute("SELECT count(*) FROM w.facts").fetchone()[0] > 0  # old readers unharmed


def test_user_text_is_a_parameter_not_sql(dataset, monkeypatch):
    monkeypatch.setenv("NQ57_DB", str(dataset.db))
    build(dataset.data, dataset.db, dataset.kpis)
    assert queries.resolve_agency("x' OR '1'='1") is None
    assert queries.resolve_agency("x') OR 1=1 --") is None
    assert queries.resolve_agency("TP.HCM") == "tp_ho_chi_minh"


def test_links_resolve_every_spelling_with_the_etl_s_resolver(dataset, monkeypatch):
    monkeypatch.setenv("NQ57_DB", str(dataset.db))
    build(dataset.data, dataset.db, dataset.kpis)
    spellings = {"tp_ho_chi_minh": "tp_ho_chi_minh", "TP. Hồ Chí Minh": "tp_ho_chi_minh", "tp.hcm": "tp_ho_chi_minh",
                 "  TP.  Hồ   Chí Minh ": "tp_ho_chi_minh", "Lao Cai": "lao_cai", "BYT": "bo_y_te",
                 "Lào Cay": None, "": None}
    assert {s: queries.resolve_agency(s) for s in spellings} == spellings


def test_a_page_run_reads_one_warehouse_though_a_load_swaps_in_another(dataset, monkeypatch):
    monkeypatch.setenv("NQ57_DB", str(dataset.db))
    build(dataset.data, dataset.db, dataset.kpis)
    view = dt.date(2026, 5, 3)

    def page_runs() -> None:
        queries.pin()  # as app.py does at the start of every run
        assert _coverage(view) == 48.9
        rows = [r for r in dataset.rows("data/observations/r1.csv") if r["indicator_id"] != "coverage_5g_population"]
        dataset.write("data/observations/r1.csv", rows)
        build(dataset.data, dataset.db, dataset.kpis)
        assert _coverage(view) == 48.9  # the same run: the warehouse it started with
        queries.pin()  # the next run
        assert queries.indicator_observations(view, ("coverage_5g_population",)).empty

    contextvars.copy_context().run(page_runs)  # the pin stays inside these runs
