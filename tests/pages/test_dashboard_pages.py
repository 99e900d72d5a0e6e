"""Every dashboard page in both languages and at an earlier report date: no exception, headings, tiles."""

from __future__ import annotations

import re

import duckdb
import pytest

from dashboard.i18n import t
from dashboard.theme import plain_md
from tests.conftest import theme_pages
from tests.pages.conftest import open_page, texts

THEME_PAGES = theme_pages()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_opens_with_the_scorecard_then_context_tiles_and_freshness(lang):
    at = open_page(None, lang)
    assert at.title[0].value == t("app_title", lang)
    body = texts(at)
    first = [type(e).__name__ for e in at.main][:4]
    assert "Html" in first, "the scorecard comes right after the title"
    n_targets = re.search(r"(\d+) " + re.escape(t("scorecard_of", lang, n="", date="").split()[0]), body)
    assert n_targets and int(n_targets.group(1)) >= 25
    assert t("scorecard_of", lang, n=n_targets.group(1), date="08/05/2026" if lang == "vi" else "08 May 2026") in body
    statuses = [t(f"status_{s}", lang) for s in ("achieved", "on_track", "needs_acceleration", "limited",
                                                 "deterioration", "insufficient", "no_data")]
    assert sum(s in body for s in statuses) >= 3
    assert f"73 {t('overdue_tasks', lang)}" in body  # the overdue total of the latest report, on the first screen
    assert t("overdue_by_agency", lang) in body and t("compliance", lang) in body
    headings = [h.value for h in at.subheader]
    assert t("context_indicators", lang) in [h.value for h in at.header]
    assert sum(t(f"theme_{th}", lang) in headings for th in THEME_PAGES) >= 3
    assert t("late_strip", lang) in headings and t("freshness", lang) in headings


def test_overview_uses_vietnamese_number_and_date_formats():
    body = texts(open_page(None, "vi"))
    assert "03/05/2026" in body          # dd/mm/yyyy
    assert "91,9%" in body               # 5G coverage, decimal comma
    assert "khoảng 80 nghìn" in body     # digital-technology enterprises, as the report words its estimate
    assert "khoảng 20.296 triệu USD" in body  # dot thousands


def test_overview_in_english_uses_english_formats():
    body = texts(open_page(None, "en"))
    assert "91.9%" in body and "about 80 thousand" in body and "20,296 million USD" in body and "03 May 2026" in body


def test_no_change_is_computed_from_an_estimate_or_a_bound():
    """Digital certificates: "hơn 25 triệu" (12/2025) then "khoảng 29,12 triệu" (05/2026): no +4.120.000."""
    body = texts(open_page(None, "vi"))
    assert "khoảng 29,12 triệu" in body and "hơn 25 triệu" in body
    assert "4.120.000" not in body and "4\\.120\\.000" not in body
    assert t("not_precise", "vi") in body


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("theme", list(THEME_PAGES))
def test_theme_page_renders_charts_and_downloads(theme, lang):
    at = open_page(THEME_PAGES[theme], lang)
    assert at.title[0].value == t(f"theme_{theme}", lang)
    assert len(at.get("plotly_chart")) >= 1
    labels = {b.label for b in at.get("download_button")}
    # each button says what it holds (a chart's data, a table's)
    assert {f"{t(k, lang)} · {t('chart_data', lang).lower()}" for k in ("download_csv", "download_xlsx")} <= labels
    assert all(" · " in label for label in labels)


@pytest.mark.parametrize("theme", list(THEME_PAGES))
def test_theme_page_at_an_earlier_report_date(theme):
    at = open_page(THEME_PAGES[theme], "vi", as_of="22/09/2025")
    assert at.title[0].value == t(f"theme_{theme}", "vi")
    assert "03/05/2026" not in texts(at), "nothing published after the view date may show"


def test_earlier_date_hides_later_reports_on_the_overview():
    later = texts(open_page(None, "vi"))
    earlier = texts(open_page(None, "vi", as_of="31/12/2025"))
    assert "91,9%" in later and "91,9%" not in earlier
    assert "58,9%" in earlier  # 5G coverage as the end-2025 report stated it


def test_digital_transformation_has_the_three_pillar_tabs():
    at = open_page(THEME_PAGES["digital_transformation"], "vi")
    assert [tab.label for tab in at.tabs] == ["Chính phủ số", "Kinh tế số", "Xã hội số"]


def test_missing_figures_read_no_data_never_zero(shipped_db):
    at = open_page(THEME_PAGES["capacity"], "vi")
    con = duckdb.connect(str(shipped_db), read_only=True)
    missing = sorted(r[0] for r in con.execute(
        "SELECT name_vi FROM indicators i WHERE theme = 'capacity' "
        "AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.indicator_id = i.id)").fetchall())
    con.close()
    assert missing, "the registry holds capacity indicators that no report states"
    table = next(d.value for d in at.dataframe if "link" in d.value.columns)
    shown = table.set_index("name")
    for n in missing:  # in the table of all indicators, as "no data": never a zero, never a date
        assert shown.loc[n, "latest"] == t("no_data", "vi") and shown.loc[n, "date"] == ""
    # no card or tile stands in for them: nothing shows a figure, a zero least of all, under their names
    assert not {m.label for m in at.metric} & set(missing)


@pytest.mark.parametrize("theme", list(THEME_PAGES))
def test_a_theme_page_is_a_briefing_not_a_wall(theme, shipped_db):
    """At most 12 charts on a page or tab, none with fewer than three points, groups or units unless it is a
    target's trajectory; every indicator of the theme in one table, each row linking to its page."""
    from kpis.registry import vocabulary

    PILLARS = vocabulary("pillar")

    # a theme with pillar tabs draws only the open tab: each tab is opened by its link
    views = [open_page(THEME_PAGES[theme], "vi", pillar=t(f"pillar_{p}", "vi")) for p in PILLARS] \
        if theme == "digital_transformation" \
        else [open_page(THEME_PAGES[theme], "vi")]
    linked = set()
    for at in views:
        assert len(at.get("plotly_chart")) <= 12
        tables = [d.value for d in at.dataframe if "link" in d.value.columns]
        linked |= {u.split("id=")[1].split("&")[0] for tb in tables for u in tb["link"]}
    con = duckdb.connect(str(shipped_db), read_only=True)
    registered = {r[0] for r in con.execute("SELECT id FROM indicators WHERE theme = ?", [theme]).fetchall()}
    con.close()
    assert linked == registered


def test_sources_page_lists_reports_and_conflicts():
    at = open_page("pages/nguon.py", "vi")
    assert at.title[0].value == t("page_sources", "vi")
    assert len(at.dataframe) >= 2


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_progress_method_is_published_with_its_source_and_every_band(lang):
    at = open_page("pages/nguon.py", lang)
    body = texts(at)
    assert t("status_rule", lang) in body and "Open SDG" in body and "Statistics Canada" in body
    bands = next(d.value for d in at.table if t("status_when", lang) in d.value.columns)
    for status in ("achieved", "on_track", "needs_acceleration", "limited", "deterioration", "insufficient"):
        assert any(t(f"status_{status}", lang) in str(i) for i in bands.index)
        assert t(f"status_when_{status}", lang) in list(bands[t("status_when", lang)])


def test_an_agency_profile_says_whether_the_unit_reported():
    body = texts(open_page("pages/bo-nganh-dia-phuong.py", "vi", agency="p_thai_nguyen"))
    assert t("reporting_products_unit_no_info", "vi") in body and t("reporting_report_submitted_late", "vi") in body
    body = texts(open_page("pages/bo-nganh-dia-phuong.py", "en", agency="m_cong_thuong"))
    assert t("reporting_products_unit_with", "en") in body


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_conflict_is_explained_in_the_reader_s_language(lang, shipped_db):
    con = duckdb.connect(str(shipped_db), read_only=True)
    expected = dict(con.execute(f"SELECT conflict_id, explanation_{lang} FROM conflicts").fetchall())
    other = "en" if lang == "vi" else "vi"
    at = open_page("pages/nguon.py", lang)
    table = next(d.value for d in at.table if t("explanation", lang) in d.value.columns)
    shown = sorted(table[t("explanation", lang)])
    assert shown == sorted(expected.values()) and all(shown)
    assert t("explanation", other) not in table.columns
    # no id or file name: conflicts are numbered and their reports named by issuer and date
    assert not any(cid in " ".join(map(str, table.to_numpy().ravel())) for cid in expected)
    assert ".txt" not in " ".join(table[t("reports", lang)])
    # a flagged figure on a page carries the same explanation, not the curator's English working note
    tasks = texts(open_page("pages/nhiem-vu.py", lang))
    assert plain_md(expected["s004_overdue73_parts_sum121"]) in tasks  # Markdown source: shown as written, never run


def test_the_budget_reads_at_a_glance():
    """The latest year's budget as a small table (Vietnamese amounts, '—' where no report gives one) and one chart
    of its stages, not a wall of bars."""
    at = open_page("pages/nguon-luc.py", "vi")
    glance = next(tb.value for tb in at.table if t("budget_stage", "vi") in tb.value.index.names
                  or t("budget_stage", "vi") == tb.value.index.name)
    assert glance.loc[t("stage_approved", "vi"), t("kind_total", "vi")] == "65.020 tỷ đồng"
    assert glance.loc[t("stage_requested", "vi"), t("kind_total", "vi")] == "khoảng 95.000 tỷ đồng"
    assert "—" in glance.values
    import json

    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    (stages,) = [c for c, title in zip(at.get("plotly_chart"), titles, strict=True) if "giải ngân" in title]
    bars = json.loads(stages.proto.spec)["data"][0]
    assert list(bars["text"])[-1] == "65.020 tỷ đồng"  # approval at the top of the pipeline (drawn bottom-up)


@pytest.mark.parametrize("page", sorted(set(THEME_PAGES.values())))
def test_a_tile_value_keeps_its_number_and_unit_on_one_line(page):
    """'10,07 /10.000 dân' must not break after '10,07': a no-break space follows every digit in a tile's value."""
    at = open_page(page, "vi")
    values = [v for e in at.get("html") for v in re.findall(r'<div class="nq-value">([^<]*)</div>', e.proto.body)]
    assert values
    assert not [v for v in values if re.search(r"\d ", v)], values


def test_a_conflict_is_explained_once_per_page_behind_an_expander():
    """The reports' disagreement is one line that opens to its explanation, not a paragraph in the page; a chart
    sharing an explanation already given points back to it."""
    at = open_page("pages/nhiem-vu.py", "vi")
    boxes = [e for e in at.expander if t("conflict", "vi") in e.label]
    assert boxes, "the tasks page has conflicting figures"
    explained = [e.markdown[0].value for e in boxes]
    assert len(explained) == len(set(explained))  # each explanation once
    assert all(t("conflict_help", "vi") in x for x in explained)
    assert not [w for w in at.warning if t("conflict", "vi") in w.value]
