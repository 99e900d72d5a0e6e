"""Columns of every curated file and the vocabularies its cells come from."""

from __future__ import annotations

OBSERVATION_COLUMNS = (
    "indicator_id", "entity", "programme", "category", "value", "base", "unit", "as_of",
    "source_file", "source_quote", "conflict_id", "note",
)
OBSERVATION_REQUIRED = ("indicator_id", "value", "unit", "as_of", "source_file", "source_quote")

BUDGET_COLUMNS = (
    "fiscal_year", "level", "spending_kind", "domain", "stage", "entity", "amount", "unit", "as_of",
    "source_file", "source_quote", "conflict_id", "note",
)
BUDGET_REQUIRED = ("fiscal_year", "level", "spending_kind", "domain", "stage", "amount", "unit", "as_of",
                   "source_file", "source_quote")

AGENCY_COLUMNS = ("id", "kind", "name_vi", "name_en", "short_vi", "region", "code", "parent_id")
ALIAS_COLUMNS = ("alias", "agency_id")
PROGRAMME_COLUMNS = ("id", "name_vi", "name_en", "year", "description")
CATEGORY_COLUMNS = ("slug", "name_vi", "name_en")  # labels of the `category` sub-groups
CONFLICT_COLUMNS = ("conflict_id", "explanation_vi", "explanation_en")  # what each conflict id flags, in both languages
SOURCE_COLUMNS = ("id", "source_file", "issuer_vi", "issuer_en", "title_vi", "title_en", "report_date", "note")

VOCAB: dict[str, tuple[str, ...]] = {
    "level": ("central", "local", "total"),
    "spending_kind": ("recurrent", "investment", "total", "other"),
    "domain": ("st", "innovation", "dt", "st_innovation_dt", "st_innovation", "other"),
    "stage": ("approved", "assigned", "allocated", "pending", "disbursed", "requested"),
    "kind": ("province", "ministry", "other"),
    "region": (
        "northern_midlands_mountains", "red_river_delta", "north_central_central_coast",
        "central_highlands", "southeast", "mekong_delta",
    ),
}
BUDGET_UNITS = ("billion_vnd", "trillion_vnd", "million_vnd")

# Task-status columns of the task_status table, each fed by the indicator of the same name.
TASK_STATUS_INDICATORS = (
    "tasks_total", "tasks_done", "tasks_done_on_time", "tasks_done_late", "tasks_in_progress",
    "tasks_in_progress_on_time", "tasks_overdue", "tasks_recurring",
)

# The illustrative task registry (data/illustrative/tasks.csv, made by `python -m etl.illustrative`).
TASK_COLUMNS = (
    "task_id", "programme", "as_of", "title_vi", "title_en", "lead_agency_ids", "co_agency_ids", "task_group",
    "deadline", "status", "completion_date", "deliverable_vi", "is_illustrative",
)
TASK_STATUSES = ("done_on_time", "done_late", "in_progress_on_time", "overdue", "recurring")
