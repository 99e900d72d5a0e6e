"""The columns of every curated file: (required, optional)."""

from __future__ import annotations

from kpis.registry import INDICATOR_COLUMNS, TARGET_COLUMNS, TARGET_OPTIONAL

Columns = tuple[tuple[str, ...], tuple[str, ...]]

OBSERVATIONS: Columns = (("indicator_id", "value", "unit", "as_of", "source_file", "source_quote"),
                         ("entity", "programme", "category", "base", "qualifier", "value_high", "definition",
                          "modality", "conflict_id", "note"))
BUDGET: Columns = (("fiscal_year", "level", "spending_kind", "domain", "stage", "amount", "unit", "as_of",
                    "source_file", "source_quote"), ("entity", "qualifier", "definition", "conflict_id", "note"))
# name in the build -> (path under the data folder, or kpis/..., columns, whether the file may be absent)
SMALL: dict[str, tuple[str, Columns, bool]] = {
    "sources": ("sources.csv", (("id", "source_file", "issuer_vi", "issuer_en", "title_vi", "title_en",
                                 "report_date", "note"), ()), False),
    "agencies": ("dims/agencies.csv", (("id", "kind", "name_vi", "name_en", "short_vi", "region", "code",
                                        "parent_id"), ()), False),
    "aliases": ("dims/agency_aliases.csv", (("alias", "agency_id"), ()), False),
    "programmes": ("dims/programmes.csv", (("id", "name_vi", "name_en", "year", "description"), ()), False),
    "indicators": ("kpis/indicators.csv", (INDICATOR_COLUMNS, ()), False),
    "targets": ("kpis/targets.csv", (tuple(c for c in TARGET_COLUMNS if c not in TARGET_OPTIONAL), TARGET_OPTIONAL),
                 False),
    # the overview's headline indicators per theme, in order
    "headlines": ("kpis/headlines.csv", (("theme", "indicator_id", "position"), ()), True),
    # the labels of the `category` sub-groups and what each conflict id flags: optional until a dataset ships them
    "categories": ("dims/categories.csv", (("slug", "name_vi", "name_en"), ()), True),
    "conflict_notes": ("dims/conflicts.csv", (("conflict_id", "explanation_vi", "explanation_en"), ()), True),
    # the 63 provinces before the merger of 1 July 2025 and the unit each is part of now (data/geo/README.md)
    "mergers": ("geo/province_mergers.csv", (("code", "name_vi", "hasc"), ("old_name_vi",)), True),
    # the illustrative task registry (made by `python data/illustrative/make_tasks.py`)
    "tasks": ("illustrative/tasks.csv", (("task_id", "programme", "as_of", "title_vi", "title_en", "lead_agency_ids",
                                           "co_agency_ids", "task_group", "deadline", "status", "completion_date",
                                           "deliverable_vi", "is_illustrative"), ()), True),
    # the dated tasks the reports state (not quantitative targets: those are kpis/targets.csv), data/README.md
    "dated_tasks": ("dated_tasks.csv", (("id", "lead", "scope", "title_vi", "title_en", "deadline_text", "stated_as",
                                         "source_file", "source_quote", "note"), ("partners", "programme", "target_id")),
                    True),
}
# A submission's rows in the staging shape of the curated ones, per staging table: column -> DuckDB type.
# A report's proposals also carry how each figure is stated, a range's high end and a base (etl.intake).
ROW_COLUMNS = {"obs": {"row": "BIGINT"} | {c: "VARCHAR" for c in ("indicator_id", "entity", "programme", "category",
                                                                    "value", "unit", "as_of", "source_quote", "note",
                                                                    "qualifier", "value_high", "base")}
                      | {"num": "DOUBLE", "as_of_date": "DATE", "high_num": "DOUBLE", "base_num": "DOUBLE"},
               "bud": {"row": "BIGINT"} | {c: "VARCHAR" for c in ("fiscal_year", "level", "spending_kind", "domain",
                                                                    "stage", "entity", "amount", "unit", "as_of",
                                                                    "source_quote", "note")}
                      | {"num": "DOUBLE", "year_num": "INTEGER", "as_of_date": "DATE"}}
