"""The category dimension the facts point into, and the facts view that spells it out."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from etl.build import build
from etl.figures import category_codes, category_table

OBS = "data/observations/r1.csv"


def test_labelled_slugs_come_first_in_file_order_and_others_follow_in_order_of_first_use():
    slugs, (first, second) = category_codes(pa.array(["b", "a"]), [pa.array(["x", None, "a", "x"]),
                                                                    pa.array(["", "y", "b"])])
    assert slugs.to_pylist() == ["b", "a", "x", "y"]
    assert first.to_pylist() == [3, None, 2, 3]
    assert second.to_pylist() == [None, 4, 1]  # a submission's empty cell is no category


def test_no_submission_needs_no_lookup():
    slugs, (curated, submitted) = category_codes(pa.array(["a"]), [pa.array(["a"]), pa.array([], pa.string())])
    assert slugs.to_pylist() == ["a"] and curated.to_pylist() == [1] and len(submitted) == 0


def test_a_slug_without_a_label_gets_no_name():
    labels = pa.table({"slug": ["a"], "name_vi": ["Ạ"], "name_en": ["A"]})
    table = category_table(pa.array(["a", "z"]), labels)
    assert table.to_pylist() == [{"category_id": 1, "slug": "a", "name_vi": "Ạ", "name_en": "A"},
                                 {"category_id": 2, "slug": "z", "name_vi": None, "name_en": None}]


def _rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_facts_spell_out_the_category_and_observations_its_label(dataset):
    (dataset.data / "dims" / "categories.csv").write_text("slug,name_vi,name_en\nha_tang,Hạ tầng,Infrastructure\n",
                                                          encoding="utf-8")
    dataset.set(OBS, 5, "category", " ha_tang ")  # trimmed like every cell
    build(dataset.data, dataset.db, dataset.kpis)
    assert _rows(dataset.db, "SELECT category_id, slug, name_en FROM categories") == [(1, "ha_tang", "Infrastructure")]
    assert _rows(dataset.db, "SELECT data_row, category FROM facts WHERE category IS NOT NULL") == [(7, "ha_tang")]
    assert _rows(dataset.db, "SELECT category, category_name_vi FROM observations WHERE category IS NOT NULL "
                             "AND NOT starts_with(indicator_id, 'budget_')") == [("ha_tang", "Hạ tầng")]


def test_without_labels_the_categories_table_still_lists_every_slug_used(dataset):
    dataset.set(OBS, 5, "category", "the_che")
    build(dataset.data, dataset.db, dataset.kpis)
    assert _rows(dataset.db, "SELECT slug, name_vi FROM categories") == [("the_che", None)]
    assert _rows(dataset.db, "SELECT category, category_name_vi FROM observations WHERE category = 'the_che'") == [
        ("the_che", None)]


def test_every_figure_keeps_its_statement_and_provenance(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    n = _rows(dataset.db, "SELECT count(*) FROM fact_values")[0][0]
    assert _rows(dataset.db, "SELECT count(*) FROM facts")[0][0] == n == len(dataset.rows(OBS))
    # no figure lost its statement, provenance or indicator in the joins
    assert _rows(dataset.db, "SELECT count(*) FROM facts WHERE indicator_id IS NULL OR source_quote IS NULL "
                             "OR unit IS NULL")[0][0] == 0
