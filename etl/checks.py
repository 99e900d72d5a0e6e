"""Validation rules over the staged tables. Each rule returns issues; none writes anything."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from etl.issues import Issue
from etl.provenance import fold, quote_in_source, quote_states

# A rule is SQL yielding (file, row, column, value) for each offending cell, and the reason in both languages.
Rule = tuple[str, str, str]

OBSERVATION_RULES: list[Rule] = [
    ("SELECT file, row, 'indicator_id', indicator_id FROM obs WHERE indicator_id IS NULL",
     "thiếu mã chỉ tiêu", "indicator id is missing"),
    ("SELECT o.file, o.row, 'indicator_id', o.indicator_id FROM obs o ANTI JOIN ref_indicators i "
     "ON o.indicator_id = i.id WHERE o.indicator_id IS NOT NULL",
     "chỉ tiêu chưa có trong danh mục (kpis/indicators.csv)", "indicator is not in the registry (kpis/indicators.csv)"),
    ("SELECT file, row, 'value', value FROM obs WHERE num IS NULL",
     "giá trị không phải là số", "value is not a number"),
    ("SELECT file, row, 'base', base FROM obs WHERE base IS NOT NULL AND base_num IS NULL",
     "mẫu số không phải là số", "base is not a number"),
    ("SELECT file, row, 'unit', unit FROM obs o WHERE unit IS NULL OR unit NOT IN (SELECT stated FROM ref_units)",
     "đơn vị không hợp lệ", "unknown unit"),
    ("SELECT o.file, o.row, 'unit', o.unit FROM obs o JOIN ref_indicators i ON o.indicator_id = i.id "
     "WHERE o.unit IN (SELECT stated FROM ref_units) "
     "AND NOT EXISTS (SELECT 1 FROM ref_units u WHERE u.stated = o.unit AND u.canonical = i.unit)",
     "đơn vị không khớp với danh mục chỉ tiêu", "unit does not match the registry's unit"),
    ("SELECT file, row, 'value', value FROM obs WHERE unit = 'percent' AND (num < 0 OR num > 100)",
     "tỷ lệ phần trăm phải trong khoảng 0-100", "a percentage must lie within 0-100"),
    ("SELECT file, row, 'value', value FROM obs WHERE unit NOT IN ('percent', 'percent_change') AND num < 0",
     "giá trị không được âm", "value must not be negative"),
    ("SELECT file, row, 'value', value FROM obs WHERE unit = 'rank' AND (num < 1 OR num <> floor(num))",
     "thứ hạng phải là số nguyên dương", "a rank must be a positive whole number"),
    ("SELECT file, row, 'value', value FROM obs WHERE unit = 'flag' AND num <> 1",
     "giá trị của dòng đánh dấu phải là 1", "a flag row's value must be 1"),
    ("SELECT file, row, 'base', base FROM obs WHERE base_num IS NOT NULL AND base_num < num AND unit <> 'rank'",
     "tử số lớn hơn mẫu số", "value exceeds its base"),
    ("SELECT o.file, o.row, 'programme', o.programme FROM obs o JOIN ref_indicators i ON o.indicator_id = i.id "
     "WHERE i.theme = 'tasks' AND o.indicator_id LIKE 'tasks\\_%' ESCAPE '\\' AND o.programme IS NULL",
     "số liệu nhiệm vụ phải ghi chương trình", "a task figure needs its programme"),
    ("SELECT file, row, 'programme', programme FROM obs WHERE programme IS NOT NULL "
     "AND programme NOT IN (SELECT id FROM ref_programmes)",
     "chương trình không có trong data/dims/programmes.csv", "programme is not in data/dims/programmes.csv"),
]

BUDGET_RULES: list[Rule] = [
    ("SELECT file, row, 'fiscal_year', fiscal_year FROM bud WHERE year_num IS NULL OR year_num < 2000 "
     "OR year_num > 2100", "năm ngân sách không hợp lệ", "fiscal year is not a valid year"),
    ("SELECT file, row, 'amount', amount FROM bud WHERE num IS NULL", "số tiền không phải là số",
     "amount is not a number"),
    ("SELECT file, row, 'amount', amount FROM bud WHERE num < 0", "số tiền không được âm",
     "amount must not be negative"),
    ("SELECT file, row, 'unit', unit FROM bud WHERE unit IS NULL OR unit NOT IN "
     "('billion_vnd', 'trillion_vnd', 'million_vnd')", "đơn vị tiền không hợp lệ", "unknown currency unit"),
]

# The as-of date of a figure (observations or budget); run over each distinct date once.
DATE_RULES: list[Rule] = [
    ("SELECT file, row, 'as_of', as_of FROM {t} WHERE as_of_date IS NULL",
     "ngày không hợp lệ (cần yyyy-mm-dd)", "date does not parse (expected yyyy-mm-dd)"),
    ("SELECT file, row, 'as_of', as_of FROM {t} WHERE as_of_date > current_date",
     "ngày ở tương lai", "date is in the future"),
]


# Every figure names a listed report and quotes it (an unknown entity is entity_suggestions' finding).
SOURCE_RULES: list[Rule] = [
    ("SELECT file, row, 'source_file', source_file FROM {t} WHERE source_file IS NULL "
     "OR source_file NOT IN (SELECT source_file FROM ref_sources)",
     "nguồn không có trong data/sources.csv", "source is not listed in data/sources.csv"),
    ("SELECT file, row, 'source_quote', source_quote FROM {t} WHERE source_quote IS NULL",
     "thiếu trích dẫn nguồn", "source quote is missing"),
]


def on_table(rules: list[Rule], table: str) -> list[Rule]:
    """Rules written for any table of figures ({t}), bound to one."""
    return [(sql.format(t=table), vi, en) for sql, vi, en in rules]

VOCAB_RULE = (
    "SELECT file, row, '{col}', {col} FROM bud WHERE {col} IS NULL OR {col} NOT IN (SELECT unnest(?))",
    "giá trị không thuộc danh mục cho phép: {allowed}", "value is not one of: {allowed}",
)


def run_rules(con: duckdb.DuckDBPyConnection, rules: Iterable[Rule | tuple[str, str, str, list]],
              params: list | None = None) -> list[Issue]:
    """Every rule in one query, each a branch of a UNION ALL: one round trip however many rules there are.

    A rule may carry its own parameters as a fourth element; `params` serve the rules that do not."""
    rules = list(rules)
    if not rules:
        return []
    branches, args = [], []
    for i, rule in enumerate(rules):
        # each branch casts its four columns alike: file, line, column name, offending value as text
        branches.append(f"SELECT {i} AS _rule, #1::VARCHAR, #2::BIGINT, #3::VARCHAR, #4::VARCHAR FROM ({rule[0]})")
        if "?" in rule[0]:
            args += rule[3] if len(rule) > 3 else (params or [])
    found = con.execute(" UNION ALL ".join(branches) + " ORDER BY _rule", args).fetchall()
    return [Issue(file, row, col, value, rules[i][1], rules[i][2]) for i, file, row, col, value in found]


def vocabulary_rules(vocab: dict[str, tuple[str, ...]]) -> list[tuple[str, str, str, list]]:
    """Each budget column with a vocabulary, as a rule carrying its allowed values."""
    sql, vi, en = VOCAB_RULE
    return [(sql.format(col=col), vi.format(allowed=", ".join(vocab[col])), en.format(allowed=", ".join(vocab[col])),
             [list(vocab[col])]) for col in ("level", "spending_kind", "domain", "stage")]


def entity_suggestions(con: duckdb.DuckDBPyConnection, table: str) -> list[Issue]:
    """Unknown entities, each with the closest canonical name or alias as a suggestion."""
    names = [r[0] for r in con.execute("SELECT alias FROM ref_alias_display").fetchall()]
    issues = []
    rows = con.execute(f"SELECT file, row, entity FROM {table} WHERE entity IS NOT NULL AND entity_id IS NULL").fetchall()
    for file, row, entity in rows:
        close = difflib.get_close_matches(entity, names, n=1, cutoff=0.6)
        hint_vi = f"; có phải '{close[0]}'?" if close else ""
        hint_en = f"; did you mean '{close[0]}'?" if close else ""
        issues.append(Issue(file, row, "entity", entity,
                            "đơn vị không có trong danh mục cơ quan, địa phương" + hint_vi,
                            "entity is not a known agency or province" + hint_en))
    return issues


def provenance_issues(con: duckdb.DuckDBPyConnection, sources_dir: Path, table: str, value_col: str) -> list[Issue]:
    """Quotes must be verbatim in their source and print the figure; checked once per distinct pair."""
    issues: list[Issue] = []
    known = {r[0] for r in con.execute("SELECT source_file FROM ref_sources").fetchall()}
    pairs = con.execute(
        f"SELECT source_file, source_quote, arg_min(file, seq), arg_min(row, seq) FROM {table} "
        "WHERE source_quote IS NOT NULL AND source_file IS NOT NULL GROUP BY ALL"
    ).fetchall()
    for source_file, quote, file, row in pairs:
        path = sources_dir / source_file
        if source_file in known and path.exists() and not quote_in_source(quote, path):
            issues.append(Issue(file, row, "source_quote", quote[:80],
                                f"trích dẫn không có nguyên văn trong {source_file}",
                                f"quote is not found verbatim in {source_file}"))
    unit_col = "unit"
    triples = con.execute(
        f"SELECT source_quote, {value_col}, base_num, {unit_col}, entity, "
        "arg_min(file, seq), arg_min(row, seq) "
        f"FROM {table} WHERE source_quote IS NOT NULL AND {value_col} IS NOT NULL GROUP BY ALL"
    ).fetchall()
    for quote, value, base, unit, entity, file, row in triples:
        if unit == "flag":
            if entity and fold(entity).lower() not in fold(quote).lower():
                issues.append(Issue(file, row, "source_quote", quote[:80],
                                    "trích dẫn không nêu tên đơn vị", "quote does not name the entity"))
            continue
        if not quote_states(quote, value):
            issues.append(Issue(file, row, "value", _fmt(value),
                                "trích dẫn không chứa con số này", "quote does not contain this number"))
        if base is not None and not quote_states(quote, base):
            issues.append(Issue(file, row, "base", _fmt(base),
                                "trích dẫn không chứa mẫu số này", "quote does not contain this base"))
    return issues


def task_identity_issues(con: duckdb.DuckDBPyConnection) -> list[Issue]:
    """Status counts must add up to their totals unless the rows carry a conflict id."""
    rows = con.execute(
        """
        SELECT file, row, rule FROM (
            SELECT total_file AS file, total_row AS row, flagged,
                CASE
                  WHEN done IS NOT NULL AND done_on_time IS NOT NULL AND done_late IS NOT NULL
                       AND done <> done_on_time + done_late THEN 'done'
                  WHEN total IS NOT NULL AND d IS NOT NULL AND p IS NOT NULL
                       AND total NOT IN (d + p + coalesce(overdue, 0) + coalesce(recurring, 0),
                                         d + p + coalesce(recurring, 0),
                                         d + p + coalesce(overdue, 0)) THEN 'total'
                  WHEN total IS NOT NULL AND d IS NOT NULL AND p IS NULL AND overdue IS NOT NULL
                       AND in_progress IS NULL AND recurring IS NULL AND total < d + overdue THEN 'parts'
                END AS rule
            FROM task_check
        ) WHERE rule IS NOT NULL AND NOT flagged
        ORDER BY file, row
        """
    ).fetchall()
    msgs = {
        "done": ("số hoàn thành đúng hạn + quá hạn khác tổng số hoàn thành",
                 "done on time + done late differs from done"),
        "total": ("các trạng thái không cộng lại bằng tổng số nhiệm vụ",
                  "status counts do not add up to the total"),
        "parts": ("các trạng thái vượt quá tổng số nhiệm vụ", "status counts exceed the total"),
    }
    return [Issue(f, r, "value", None, *msgs[rule]) for f, r, rule in rows]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


CheckFn = Callable[[duckdb.DuckDBPyConnection], list[Issue]]


# The illustrative task registry: every row flagged, known programme, agencies, status, and dates that fit it.
TASK_REGISTRY_RULES: list[Rule] = [
    ("SELECT file, row, 'is_illustrative', is_illustrative FROM raw_tasks WHERE is_illustrative IS DISTINCT FROM 'true'",
     "danh mục nhiệm vụ minh họa: mọi dòng phải ghi is_illustrative = true",
     "illustrative task registry: every row must say is_illustrative = true"),
    ("SELECT file, row, 'programme', programme FROM raw_tasks WHERE programme NOT IN (SELECT id FROM ref_programmes)",
     "chương trình không có trong data/dims/programmes.csv", "programme is not in data/dims/programmes.csv"),
    ("SELECT file, row, 'status', status FROM raw_tasks WHERE status NOT IN "
     "('done_on_time', 'done_late', 'in_progress_on_time', 'overdue', 'recurring')",
     "tình trạng nhiệm vụ không hợp lệ", "unknown task status"),
    ("SELECT file, row, 'lead_agency_ids', a FROM (SELECT file, row, unnest(string_split(lead_agency_ids, ';')) AS a "
     "FROM raw_tasks) WHERE a NOT IN (SELECT id FROM ref_agencies)",
     "cơ quan chủ trì không có trong danh mục đơn vị", "lead agency is not in the agency table"),
    *[(f"SELECT file, row, '{c}', {c} FROM raw_tasks WHERE nullif({c}, '') IS NOT NULL "
       f"AND try_cast({c} AS DATE) IS NULL", "ngày không hợp lệ (cần yyyy-mm-dd)", "date is not valid (yyyy-mm-dd)")
      for c in ("as_of", "deadline", "completion_date")],
    ("SELECT file, row, 'deadline', deadline FROM raw_tasks WHERE status = 'overdue' AND "
     "NOT (try_cast(deadline AS DATE) < try_cast(as_of AS DATE))",
     "nhiệm vụ quá hạn phải có hạn trước ngày báo cáo", "an overdue task needs a deadline before the report date"),
]

# The province map: one feature per province of the agency table, and nothing else.
SHAPE_RULES: list[Rule] = [
    ("SELECT 'data/geo/vn_provinces_34.geojson', NULL, 'agency_id', agency_id FROM raw_shapes "
     "WHERE agency_id NOT IN (SELECT id FROM ref_agencies WHERE kind = 'province')",
     "vùng bản đồ không khớp tỉnh nào", "map feature matches no province"),
    ("SELECT 'data/geo/vn_provinces_34.geojson', NULL, 'code', code FROM raw_shapes "
     "GROUP BY code HAVING count(*) > 1", "mã tỉnh trùng trên bản đồ", "province code appears twice on the map"),
]


# Every sub-group a figure uses has a label (data/dims/categories.csv), once.
OBSERVATION_CATEGORY_RULES: list[Rule] = [
    # category_id: the category's position among the labelled slugs, found once in staging (etl.figures.stage)
    ("SELECT file, row, 'category', category FROM obs WHERE category IS NOT NULL AND category_id IS NULL",
     "nhóm chưa có tên trong data/dims/categories.csv", "category has no label in data/dims/categories.csv"),
]
# What each conflict id flags, in both languages (data/dims/conflicts.csv): once, and complete.
CONFLICT_RULES: list[Rule] = [
    ("SELECT file, row, 'conflict_id', conflict_id FROM ref_conflicts WHERE conflict_id IS NULL",
     "thiếu mã xung đột", "conflict id is missing"),
    ("SELECT file, row, 'explanation_en', conflict_id FROM ref_conflicts "
     "WHERE explanation_vi IS NULL OR explanation_en IS NULL",
     "thiếu giải thích tiếng Việt hoặc tiếng Anh", "the Vietnamese or English explanation is missing"),
    ("SELECT file, min(row), 'conflict_id', conflict_id FROM ref_conflicts GROUP BY file, conflict_id "
     "HAVING count(*) > 1", "mã xung đột được giải thích hai lần", "conflict id is explained twice"),
]


def explained_conflict_rules(table: str) -> list[Rule]:
    """A dataset that ships data/dims/conflicts.csv explains there every conflict id its figures carry."""
    return [(f"SELECT file, row, 'conflict_id', conflict_id FROM {table} WHERE conflict_id IS NOT NULL "
             "AND conflict_id NOT IN (SELECT conflict_id FROM ref_conflicts WHERE conflict_id IS NOT NULL)",
             "mã xung đột chưa được giải thích trong data/dims/conflicts.csv",
             "conflict id has no explanation in data/dims/conflicts.csv")]


CATEGORY_RULES: list[Rule] = [
    ("SELECT file, row, 'slug', slug FROM ref_categories WHERE name_vi IS NULL OR name_en IS NULL",
     "nhóm thiếu tên tiếng Việt hoặc tiếng Anh", "category label lacks its Vietnamese or English name"),
    ("SELECT file, min(row), 'slug', slug FROM ref_categories GROUP BY file, slug HAVING count(*) > 1",
     "nhóm được khai báo hai lần", "category is declared twice"),
]
