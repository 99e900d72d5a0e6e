"""Each validation rule, triggered by one small change to the clean fixture."""

from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb
import pytest

from etl.build import build
from etl.issues import ValidationFailed
from etl.text import parse_deadline

OBS = "data/observations/r1.csv"
BUD = "data/budget/r1.csv"

# (file, data-row index, column, new value, expected column in the error, words of the English reason)
CELL_CASES = [
    (OBS, 0, "indicator_id", "tasks_totl", "indicator_id", "not in the registry"),
    (OBS, 0, "value", "một trăm", "value", "not a number"),
    (OBS, 0, "unit", "piece", "unit", "unknown unit"),
    (OBS, 5, "unit", "count", "unit", "does not match the registry"),
    (OBS, 0, "as_of", "03/05/2026", "as_of", "does not parse"),
    (OBS, 0, "as_of", "2026-02-30", "as_of", "does not parse"),
    (OBS, 0, "as_of", "2099-01-01", "as_of", "in the future"),
    (OBS, 5, "value", "148.9", "value", "within 0-100"),
    (OBS, 1, "value", "-120", "value", "must not be negative"),
    (OBS, 7, "value", "2", "value", "flag row's value must be 1"),
    (OBS, 6, "base", "100", "base", "value exceeds its base"),
    (OBS, 0, "programme", "", "programme", "needs its programme"),
    (OBS, 0, "programme", "p2099", "programme", "not in data/dims/programmes.csv"),
    (OBS, 6, "entity", "Thành phố Hồ Chí Mính", "entity", "did you mean"),
    (OBS, 0, "source_file", "r9.txt", "source_file", "not listed in data/sources.csv"),
    (OBS, 0, "source_quote", "", "source_quote", "quote is missing"),
    (OBS, 0, "source_quote", "Chương trình có tổng số 195 nhiệm vụ", "source_quote", "not found verbatim"),
    (OBS, 0, "value", "195", "value", "does not contain this number"),
    (OBS, 8, "entity", "Bộ Y tế", "source_quote", None),  # duplicate flag for Bộ Y tế is fine: see below
    (BUD, 0, "level", "federal", "level", "not one of"),
    (BUD, 0, "stage", "spent", "stage", "not one of"),
    (BUD, 0, "fiscal_year", "20x6", "fiscal_year", "not a valid year"),
    (BUD, 0, "amount", "abc", "amount", "not a number"),
    (BUD, 0, "unit", "usd", "unit", "unknown currency unit"),
]


def _errors(ds) -> list:
    with pytest.raises(ValidationFailed) as exc:
        build(ds.data, ds.db, ds.kpis)
    return exc.value.issues


def test_clean_fixture_builds(dataset):
    result = build(dataset.data, dataset.db, dataset.kpis)
    assert result.observations == 9
    assert result.budget_rows == 2


@pytest.mark.parametrize(("rel", "index", "column", "value", "err_col", "reason"), CELL_CASES)
def test_rule(dataset, rel, index, column, value, err_col, reason):
    dataset.set(rel, index, column, value)
    if reason is None:  # the change keeps the file valid
        build(dataset.data, dataset.db, dataset.kpis)
        return
    errors = _errors(dataset)
    matching = [e for e in errors if e.column == err_col and reason in e.reason_en]
    assert matching, [str(e) for e in errors]
    err = matching[0]
    assert err.file == rel
    assert err.row == index + 2  # line number: header is line 1
    assert err.reason_vi and err.reason_vi != err.reason_en


def test_flag_row_must_name_its_entity(dataset):
    dataset.set(OBS, 7, "source_quote", "Các đơn vị chưa gửi báo cáo")
    errors = _errors(dataset)
    assert any(e.column == "source_quote" and "does not name the entity" in e.reason_en for e in errors)


def test_task_counts_must_add_up(dataset):
    dataset.set(OBS, 4, "value", "14")  # overdue 14 instead of 10: 120+14+50+14 != 194
    dataset.set(OBS, 4, "source_quote", "14 nhiệm vụ hoàn thành quá hạn")  # a quote that prints 14
    errors = _errors(dataset)
    assert any("do not add up" in e.reason_en and e.row == 2 for e in errors), [str(e) for e in errors]


def test_broken_identity_passes_when_flagged(dataset):
    dataset.set(OBS, 4, "value", "14")
    dataset.set(OBS, 4, "source_quote", "14 nhiệm vụ hoàn thành quá hạn")
    for i in range(5):
        dataset.set(OBS, i, "conflict_id", "c_fixture_total")
    result = build(dataset.data, dataset.db, dataset.kpis)
    assert result.observations == 9


def test_disagreeing_rows_need_a_shared_conflict_id(dataset):
    # a second reading of the same quote, taking the "5" of "5G" as the coverage: disagrees with 48.9
    dataset.append(OBS, indicator_id="coverage_5g_population", value="5", unit="percent", as_of="2026-05-03",
                   source_file="r1.txt", source_quote="Tỷ lệ phủ sóng 5G đạt 48,9% dân số")
    errors = _errors(dataset)
    assert any(e.column == "conflict_id" and e.row == 11 for e in errors), [str(e) for e in errors]
    dataset.set(OBS, 9, "conflict_id", "c_5g")
    dataset.set(OBS, 5, "conflict_id", "c_5g")
    build(dataset.data, dataset.db, dataset.kpis)


def test_unknown_indicator_in_target(dataset):
    dataset.set("kpis/targets.csv", 0, "indicator_id", "nope")
    assert any(e.file == "kpis/targets.csv" and e.column == "indicator_id" for e in _errors(dataset))


def test_target_without_source(dataset):
    dataset.set("kpis/targets.csv", 0, "source_quote", "")
    assert any("no source" in e.reason_en for e in _errors(dataset))


def test_alias_to_two_agencies(dataset):
    dataset.append("data/dims/agency_aliases.csv", alias="TP.HCM", agency_id="lao_cai")
    assert any("several agencies" in e.reason_en for e in _errors(dataset))


def test_duplicate_registry_id(dataset):
    dataset.append("kpis/indicators.csv", id="tasks_total", theme="tasks", name_vi="x", name_en="x",
                   unit="count", direction="higher", description="x")
    assert any("indicator id is duplicated" in e.reason_en for e in _errors(dataset))


def test_missing_and_extra_columns(dataset):
    rows = dataset.rows(OBS)
    for r in rows:
        r.pop("unit")
        r["colour"] = "red"
    dataset.write(OBS, rows)
    errors = _errors(dataset)
    assert any(e.column == "unit" and "required column" in e.reason_en and e.row == 1 for e in errors)
    assert any(e.column == "colour" and "unexpected column" in e.reason_en for e in errors)


def test_not_utf8(dataset):
    path = dataset.data / "observations" / "r1.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1258", errors="replace"))
    assert any("not UTF-8" in e.reason_en for e in _errors(dataset))


def test_utf8_bom_is_accepted(dataset):
    path = dataset.data / "observations" / "r1.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert build(dataset.data, dataset.db, dataset.kpis).observations == 9


def test_empty_file(dataset):
    (dataset.data / "observations" / "r1.csv").write_text("", encoding="utf-8")
    assert any("file is empty" in e.reason_en for e in _errors(dataset))


def test_decomposed_unicode_is_normalised(dataset):
    import unicodedata

    path = dataset.data / "observations" / "r1.csv"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert build(dataset.data, dataset.db, dataset.kpis).observations == 9


def test_error_report_is_bilingual_and_named(dataset):
    dataset.set(OBS, 0, "value", "abc")
    with pytest.raises(ValidationFailed) as exc:
        build(dataset.data, dataset.db, dataset.kpis)
    text = exc.value.report()
    assert "data/observations/r1.csv, dòng/row 2, cột/column 'value'" in text
    assert "không phải là số" in text and "not a number" in text
    assert exc.value.to_csv().splitlines()[0] == "file,row,column,value,reason_vi,reason_en"


def test_a_category_without_a_label_is_an_error_once_labels_ship(dataset):
    (dataset.data / "dims" / "categories.csv").write_text("slug,name_vi,name_en\nha_tang,Hạ tầng,Infrastructure\n",
                                                          encoding="utf-8")
    dataset.set(OBS, 5, "category", "the_che")
    with pytest.raises(ValidationFailed) as err:
        build(dataset.data, dataset.db, dataset.kpis)
    assert any(i.column == "category" and "no label" in i.reason_en for i in err.value.issues)
    dataset.set(OBS, 5, "category", "ha_tang")
    build(dataset.data, dataset.db, dataset.kpis)


EXPLANATIONS = "data/dims/conflicts.csv"


def _explain(dataset, *rows: tuple[str, str, str]) -> None:
    dataset.write(EXPLANATIONS, [{"conflict_id": c, "explanation_vi": vi, "explanation_en": en} for c, vi, en in rows])


def test_a_conflict_id_without_an_explanation_is_an_error_once_explanations_ship(dataset):
    dataset.set(OBS, 0, "conflict_id", "c_obs")
    dataset.set(BUD, 0, "conflict_id", "c_bud")
    build(dataset.data, dataset.db, dataset.kpis)  # no explanations shipped: the ids alone flag the rows
    _explain(dataset, ("c_obs", "Hai báo cáo khác nhau", "Two reports differ"))
    with pytest.raises(ValidationFailed) as err:
        build(dataset.data, dataset.db, dataset.kpis)
    found = [(i.file, i.row, i.column, i.value) for i in err.value.issues if "no explanation" in i.reason_en]
    assert found == [(BUD, 2, "conflict_id", "c_bud")]
    _explain(dataset, ("c_obs", "Hai báo cáo khác nhau", "Two reports differ"),
             ("c_bud", "Tổng không khớp", "The total does not add up"))
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    assert con.execute("SELECT conflict_id, explanation_vi, explanation_en FROM conflicts ORDER BY 1").fetchall() == [
        ("c_bud", "Tổng không khớp", "The total does not add up"),
        ("c_obs", "Hai báo cáo khác nhau", "Two reports differ")]


@pytest.mark.parametrize(("rows", "column", "words"), [
    ([("c1", "", "Two reports differ")], "explanation_en", "Vietnamese or English explanation is missing"),
    ([("c1", "Hai báo cáo khác nhau", "Two reports differ"), ("c1", "Lặp", "Again")], "conflict_id",
     "explained twice"),
    ([("", "Không mã", "No id")], "conflict_id", "conflict id is missing"),
])
def test_each_conflict_explanation_is_complete_and_given_once(dataset, rows, column, words):
    _explain(dataset, *rows)
    with pytest.raises(ValidationFailed) as err:
        build(dataset.data, dataset.db, dataset.kpis)
    assert any(i.file == EXPLANATIONS and i.column == column and words in i.reason_en for i in err.value.issues)


@pytest.mark.parametrize("name", ["rules", "cross"])
def test_every_rule_states_its_reason_in_both_languages(name):
    from etl.build import _reason, statements

    rules = statements(name)
    assert len(rules) >= (50 if name == "rules" else 3)
    for sql in rules:
        vi, en = _reason(sql)  # IndexError: a rule without its "-- vi | en" comment
        assert vi.strip() and en.strip() and vi != en, sql


def test_a_name_without_diacritics_resolves_when_only_one_unit_has_it(dataset):
    dataset.set(OBS, 6, "entity", "Thanh pho Ho Chi Minh")
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    assert con.execute("SELECT entity_id FROM facts WHERE entity_as_written = 'Thanh pho Ho Chi Minh'").fetchone() == (
        "tp_ho_chi_minh",)


@pytest.mark.parametrize(("quote", "value", "states"), [
    ("đạt 65.020 tỷ đồng", 65020, True), ("đạt 65.020 tỷ đồng", 65.02, True), ("7.225,56 tỷ đồng", 7225.56, True),
    ("48,9% dân số", 48.9, True), ("1,234.5 units", 1234.5, True), ("131/167 nhiệm vụ", 167, True),
    ("12.25 Mbps", 1225, False), ("1.163,5", 1.1635, False), ("không có số", 0, False), ("48,9%", 49, False),
])
def test_a_quote_states_a_number_under_either_separator_convention(quote, value, states):
    from etl.build import statements

    con = duckdb.connect()
    for sql in (s for s in statements("staging") if "CREATE MACRO" in s and "suggest" not in s):
        con.execute(sql)
    assert con.execute("SELECT states(?, ?), contains(fold(?), fold(?))",
                       [quote, value, f"  “{quote}”\u00a0 ", f'"{quote}"']).fetchone() == (states, True)


@pytest.mark.parametrize(("written", "hint"), [("Quảng Nam", "Đà Nẵng"), ("Quang Nam", "Đà Nẵng"),
                                                ("tỉnh Hà Giang", None), ("Hà Giang", "Tuyên Quang")])
def test_a_former_province_says_which_unit_it_is_part_of_now(dataset, written, hint):
    rows = [r for r in csv.DictReader(io.StringIO(MERGERS))]
    (dataset.data / "geo").mkdir()
    dataset.write("data/geo/province_mergers.csv", rows)
    for code, aid, name in (("48", "da_nang", "Đà Nẵng"), ("08", "tuyen_quang", "Tuyên Quang")):
        dataset.append("data/dims/agencies.csv", id=aid, kind="province", name_vi=name, name_en=name,
                       region="red_river_delta", code=code)
    dataset.set(OBS, 8, "entity", written)
    dataset.set(OBS, 8, "source_quote", "Các đơn vị chưa gửi báo cáo")
    found = [e for e in _errors(dataset) if e.column == "entity"]
    assert len(found) == 1 and found[0].row == 10
    if hint:
        assert f"merged into {hint} on 1 July 2025" in found[0].reason_en and hint in found[0].reason_vi
    else:  # not the province's name as written: the ordinary finding
        assert "not a known agency or province" in found[0].reason_en


MERGERS = """code,name_vi,hasc,old_name_vi
15,Lào Cai,LO,Lào Cai
48,Đà Nẵng,DA,Đà Nẵng
48,Đà Nẵng,QM,Quảng Nam
08,Tuyên Quang,HG,Hà Giang
"""


# Targets: the deadline as worded, the unit, the series that measure it, its kind and how it states a whole.

TARGETS = "kpis/targets.csv"
# a report's dated commitment on the fixture report: the quote states 48,9 and the deadline's words are in the report
REPORT_TARGET = dict(id="t_r1", indicator_id="coverage_5g_population", comparator=">=", value="48.9", unit="percent",
                     deadline_text="03/5/2026", kind="commitment", source_file="r1.txt",
                     source_quote="Tỷ lệ phủ sóng 5G đạt 48,9% dân số")


@pytest.mark.parametrize(("written", "deadline", "note"), [
    ("trước ngày 01/3/2027", dt.date(2027, 2, 28), False),  # before a day: the day before is the last allowed
    ("Hoàn thành trước ngày 01/01/2026", dt.date(2025, 12, 31), False),
    ("trước 01/01/2026", dt.date(2025, 12, 31), False),
    ("Thời hạn: 30/6/2026", dt.date(2026, 6, 30), False),
    ("Thời hạn: 31/6/2026", dt.date(2026, 6, 30), True),  # no such day: the month's last, and a note says so
    ("Quý I/2026", dt.date(2026, 3, 31), False),
    ("trong Quý II năm 2026", dt.date(2026, 6, 30), False),
    ("trong tháng 11/2025", dt.date(2025, 11, 30), False),
    ("trong tháng 2/2028", dt.date(2028, 2, 29), False),
    ("năm 2025", dt.date(2025, 12, 31), False),
    ("đến năm 2030", dt.date(2030, 12, 31), False),
    ("NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM NĂM 2026", dt.date(2026, 12, 31), False),
])
def test_a_deadline_is_read_as_the_last_day_its_words_allow(written, deadline, note):
    found = parse_deadline(written)
    assert found is not None and found.date == deadline
    assert (found.note_vi is not None) == note and (found.note_en is not None) == note
    if note:
        assert "31/6/2026" in found.note_vi and "30/06/2026" in found.note_en


@pytest.mark.parametrize("written", ["", "sớm", "32/1/2026", "1/13/2026", "tháng 13/2026", "Quý V/2026"])
def test_words_without_a_date_are_no_deadline(written):
    assert parse_deadline(written) is None


def test_a_report_target_builds_with_its_deadline_unit_and_note(dataset):
    dataset.append(TARGETS, **REPORT_TARGET)
    dataset.append(TARGETS, **(REPORT_TARGET | dict(id="t_hcm", entity="TP.HCM", deadline_text="Tính đến ngày 03/5/2026")))
    dataset.append(TARGETS, **(REPORT_TARGET | dict(id="t_whole", value="100", value_words="Tỷ lệ phủ sóng 5G")))
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    rows = con.execute("SELECT id, entity_id, deadline, year, kind, deadline_note_en FROM targets ORDER BY id").fetchall()
    assert rows == [("t_5g_2030", None, dt.date(2030, 12, 31), 2030, "resolution", None),
                    ("t_hcm", "tp_ho_chi_minh", dt.date(2026, 5, 3), 2026, "commitment", None),
                    ("t_r1", None, dt.date(2026, 5, 3), 2026, "commitment", None),
                    ("t_whole", None, dt.date(2026, 5, 3), 2026, "commitment", None)]


GROWTH = dict(id="growth_5g", theme="digital_infra", name_vi="Tăng trưởng phủ sóng 5G", name_en="5G coverage growth",
              unit="percent_change", direction="higher", period="period_growth", description="Growth.")


@pytest.mark.parametrize(("cells", "column", "words"), [
    (dict(deadline_text="sớm"), "deadline_text", "the deadline does not read"),
    (dict(deadline_text="31/13/2026"), "deadline_text", "the deadline does not read"),
    (dict(deadline_text="năm 2027"), "deadline_text", "not found verbatim"),
    (dict(deadline_text="ngày 03/5/2020", source_quote="Tính đến ngày 03/5/2026, Chương trình có tổng số 194 nhiệm vụ",
          value="194"), "deadline_text", "before Resolution 57"),
    (dict(entity="Tỉnh Không Có"), "entity", "not a known agency or province"),
    (dict(entity="Thanh pho Ho Chi Mính"), "entity", "did you mean"),
    (dict(kind="wish"), "kind", "unknown target kind"),
    (dict(kind="resolution"), "kind", "only a Resolution 57 target"),
    (dict(id=""), "id", "target id is missing"),
    (dict(id="t_5g_2030"), "id", "target id is duplicated"),
    (dict(series="coverage_5g_populatio"), "series", "not in the registry"),
    (dict(series="tasks_total"), "series", "not measured in the target's unit"),
    (dict(value_words="Tỷ lệ phủ sóng 5G"), "value_words", "only for a target of the whole"),
    (dict(value="100", value_words="toàn bộ"), "value_words", "not found verbatim in the quote"),
    (dict(value="100"), "value", "does not contain this number"),
])
def test_a_bad_target_is_named_with_its_reason(dataset, cells, column, words):
    dataset.append(TARGETS, **(REPORT_TARGET | cells))
    found = [e for e in _errors(dataset) if e.file == TARGETS and e.column == column and words in e.reason_en]
    assert found, [str(e) for e in _errors(dataset)]
    assert found[0].row in (2, 3) and found[0].reason_vi and found[0].reason_vi != found[0].reason_en


def test_a_growth_target_needs_the_series_it_is_measured_by(dataset):
    dataset.append("kpis/indicators.csv", **GROWTH)
    dataset.append(TARGETS, **(REPORT_TARGET | dict(indicator_id="growth_5g", unit="percent_change")))
    assert any(e.column == "series" and "growth target needs its series" in e.reason_en for e in _errors(dataset))
    dataset.set(TARGETS, 1, "series", "coverage_5g_population")  # the levels its growth is computed from
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    assert con.execute("SELECT series FROM targets WHERE id = 't_r1'").fetchone() == (["coverage_5g_population"],)


def test_a_target_category_needs_a_label_once_labels_ship(dataset):
    (dataset.data / "dims" / "categories.csv").write_text("slug,name_vi,name_en\nha_tang,Hạ tầng,Infrastructure\n",
                                                          encoding="utf-8")
    dataset.append(TARGETS, **(REPORT_TARGET | dict(category="the_che")))
    assert any(e.column == "category" and e.file == TARGETS and "no label" in e.reason_en for e in _errors(dataset))


def test_a_figure_stated_as_a_plan_pledge_or_forecast_is_marked_and_exposed(dataset):
    rows = dataset.rows(OBS)
    for r in rows:
        r["modality"] = ""
    rows[5]["modality"] = "pledge"
    dataset.write(OBS, rows)
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    assert con.execute("SELECT modality, modality_vi, modality_en FROM observations "
                       "WHERE indicator_id = 'coverage_5g_population'").fetchone() == ("pledge", "cam kết", "pledge")
    assert con.execute("SELECT DISTINCT modality FROM observations WHERE indicator_id = 'tasks_total'").fetchall() == [
        ("outcome",)]
    con.close()
    dataset.set(OBS, 5, "modality", "hope")
    found = [e for e in _errors(dataset) if e.column == "modality"]
    assert found and found[0].row == 7 and "unknown modality" in found[0].reason_en and "pledge" in found[0].reason_en


# The reports' dated tasks (data/dated_tasks.csv): the clean fixture holds one task of a unit, with a partner and the
# impossible "31/6/2026", and one proposed task of every ministry, agency and province.

DATED = "data/dated_tasks.csv"


def test_dated_tasks_load_with_their_deadline_lead_partners_and_report_date(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    rows = con.execute("SELECT id, scope, lead_id, lead_name_en, partner_ids, partner_names_vi, deadline, deadline_text, "
                       "deadline_note_en, stated_as, programme, stated_on FROM dated_tasks").fetchall()
    assert rows == [
        ("d_review", "all", None, None, [], [], dt.date(2026, 5, 14), "trước ngày 15/5/2026", None, "proposed", None,
         dt.date(2026, 5, 3)),
        ("d_vneid", "unit", "bo_y_te", "Ministry of Health", ["lao_cai"], ["Lào Cai"], dt.date(2026, 6, 30),
         "Thời hạn: 31/6/2026", "The report writes “31/6/2026”, a day that does not exist; the dashboard uses the "
         "month's last day, 30/06/2026.", "assigned", "p2026", dt.date(2026, 5, 3))]
    assert con.execute("SELECT deadline_note_vi FROM dated_tasks WHERE id = 'd_vneid'").fetchone()[0].startswith(
        "Báo cáo ghi “31/6/2026”")


def test_a_dataset_without_dated_tasks_builds_an_empty_table(dataset):
    (dataset.data / "dated_tasks.csv").unlink()
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    assert con.execute("SELECT count(*) FROM dated_tasks").fetchone() == (0,)


@pytest.mark.parametrize(("index", "cells", "column", "words"), [
    (0, dict(id=""), "id", "task id is missing"),
    (1, dict(id="d_vneid"), "id", "task id is duplicated"),
    (0, dict(lead="Bộ Y tê"), "lead", "did you mean 'Bộ Y tế'"),
    (0, dict(lead=""), "lead", "needs its lead"),
    (1, dict(lead="Các bộ, ngành, địa phương"), "lead", "leaves lead empty"),
    (0, dict(partners="tỉnh Lào Cai; Tỉnh Lào Kai"), "partners", "partner is not a known agency or province"),
    (0, dict(scope="everyone"), "scope", "unknown scope of the task (use: unit, ministries, provinces, all, unstated)"),
    (0, dict(stated_as="hoped"), "stated_as", "unknown stated_as (use: assigned, planned, proposed)"),
    (0, dict(title_vi=""), "title_vi", "Vietnamese title is missing"),
    (0, dict(title_en=""), "title_en", "English title"),
    (0, dict(deadline_text=""), "deadline_text", "has no deadline"),
    (0, dict(deadline_text="sớm"), "deadline_text", "the deadline does not read"),
    (0, dict(deadline_text="Thời hạn: 31/6/2020"), "deadline_text", "before Resolution 57"),
    (0, dict(deadline_text="trước ngày 15/5/2026"), "deadline_text", "not found verbatim in the quote"),
    (0, dict(source_quote="Bộ Y tế: Hướng dẫn kết nối dữ liệu xét nghiệm (Thời hạn: 31/6/2026)"), "source_quote",
     "not found verbatim in r1.txt"),
    (0, dict(source_quote=""), "source_quote", "quote is missing"),
    (0, dict(source_file="r9.txt"), "source_file", "not listed in data/sources.csv"),
    (0, dict(programme="p2099"), "programme", "not in data/dims/programmes.csv"),
    (0, dict(target_id="t_5g_203"), "target_id", "did you mean 't_5g_2030'"),
    (0, dict(target_id="t_5g_2030"), "deadline_text", "another day than its linked target (31/12/2030)"),
])
def test_a_bad_dated_task_is_named_with_its_reason(dataset, index, cells, column, words):
    for key, value in cells.items():
        dataset.set(DATED, index, key, value)
    errors = _errors(dataset)
    found = [e for e in errors if e.file == DATED and e.column == column and words in e.reason_en]
    assert any(e.row == index + 2 for e in found), [str(e) for e in found]
    assert found[0].reason_vi and found[0].reason_vi != found[0].reason_en


def test_a_dated_task_may_be_the_same_commitment_as_a_target_due_the_same_day(dataset):
    # the heading "Quý II năm 2026" and the item's "Thời hạn: 31/6/2026" both end on 30/06/2026
    dataset.append(TARGETS, **(REPORT_TARGET | dict(id="t_q2", deadline_text="Quý II năm 2026")))
    dataset.set(DATED, 0, "target_id", "t_q2")
    build(dataset.data, dataset.db, dataset.kpis)
    con = duckdb.connect(str(dataset.db), read_only=True)
    assert con.execute("SELECT d.id, d.deadline, t.deadline FROM dated_tasks d JOIN targets t ON t.id = d.target_id"
                       ).fetchall() == [("d_vneid", dt.date(2026, 6, 30), dt.date(2026, 6, 30))]
