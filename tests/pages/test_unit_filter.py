"""A unit filter on every theme page and on the indicator page (?unit=, and the picker beside the title): the unit's
figures with the national one as their reference, its tasks and targets, "no data" said plainly, links that keep it."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from dashboard.i18n import t
from tests.conftest import theme_pages
from tests.pages.conftest import open_page, texts

THEME_PAGES = theme_pages()
# a unit with figures on each theme, and one of its figures as the page shows it (vi, en)
FIGURES = {"capacity": ("p_bac_ninh", "hạng 6/34", "rank 6/34"), "contribution": ("p_bac_ninh", "46,3%", "46.3%"),
           "resources": ("p_ca_mau", "3,2%", "3.2%"), "digital_infra": ("p_quang_ninh", "94%", "94%"),
           "digital_transformation": ("p_quang_ninh", "100%", "100%")}
# where the reports give the unit a share the national figure measures: the national reference is drawn
REFERENCE = {"contribution": "p_bac_ninh", "resources": "p_ca_mau", "digital_infra": "p_quang_ninh",
             "digital_transformation": "p_quang_ninh"}


def unit_name(unit: str, lang: str) -> str:
    """The unit's official name in the reader's language (the dimension table's)."""
    from dashboard.texts import unit_names

    return unit_names(lang)[unit]


def unit_picker(at):
    return next(s for s in at.selectbox if s.key == "_url_unit")


def unit_table(at, lang: str) -> pd.DataFrame:
    """The 'Tất cả chỉ tiêu' table seen for the unit (its column of the unit's figures)."""
    return next(d.value for d in at.dataframe if "national" in d.value.columns and "latest" in d.value.columns)


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def national_references(at, lang: str) -> list[dict]:
    """The charts that draw the national figure as a reference: a dashed line across bars, or a national trace."""
    label = t("national", lang)
    out = []
    for spec in specs(at):
        lines = [s for s in spec["layout"].get("shapes", []) if s.get("line", {}).get("dash") == "dash"]
        notes = [a for a in spec["layout"].get("annotations", []) if str(a.get("text", "")).startswith(label)]
        traces = [d for d in spec["data"] if d.get("name") == label]
        if (lines and notes) or traces:
            out.append(spec)
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("theme", list(FIGURES))
def test_every_theme_page_filters_by_a_unit(theme, lang):
    unit, vi, en = FIGURES[theme]
    at = open_page(THEME_PAGES[theme], lang, unit=unit)
    assert at.title[0].value == t(f"theme_{theme}", lang)
    assert unit_picker(at).value == unit and at.query_params["unit"] == unit
    body = texts(at)
    assert (vi if lang == "vi" else en) in body
    table = unit_table(at, lang)
    assert (vi if lang == "vi" else en) in set(table["latest"]), "the unit's figure in the table of all indicators"
    assert table["latest"].iloc[0] != t("no_data", lang), "the rows with the unit's figures come first"
    assert all(f"unit={unit}" in link for link in table["link"]), "every link keeps the unit"
    assert t("unit_tasks", lang, unit=unit_name(unit, lang)) in [h.value for h in at.subheader]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("theme", list(REFERENCE))
def test_the_national_figure_stays_as_the_reference(theme, lang):
    at = open_page(THEME_PAGES[theme], lang, unit=REFERENCE[theme])
    assert national_references(at, lang), "a chart of the unit's figure with the national one drawn on it"
    assert t("unit_reference_note", lang) in texts(at)


def test_the_reference_is_the_national_figure_of_the_same_measure():
    at = open_page(THEME_PAGES["contribution"], "vi", unit="p_bac_ninh")
    [spec] = national_references(at, "vi")
    [line] = [s for s in spec["layout"]["shapes"] if s["line"].get("dash") == "dash"]
    assert line["x0"] == line["x1"] == 18.72  # the digital economy's national share (31/12/2025), beside Bắc Ninh's 46,3%
    assert "<b>Bắc Ninh</b>" in spec["data"][0]["y"]
    tile = texts(at)
    assert "Toàn quốc: khoảng 18,72% (31/12/2025)" in tile  # and under the unit's tile


def test_a_sum_over_the_units_is_no_reference_line():
    """Procedures not yet restructured: 290 for the whole country is the sum of the ministries' counts, no yardstick
    for one of them: no line, but the figure beside the unit's in the table."""
    at = open_page(THEME_PAGES["digital_transformation"], "vi", unit="m_khcn")
    assert not national_references(at, "vi")
    peers = [s for s in specs(at) if t("among_units", "vi") in s["layout"]["title"]["text"].replace("<br>", " ")]
    assert peers and "<b>Bộ Khoa học và Công nghệ</b>" in peers[0]["data"][0]["y"]
    table = unit_table(at, "vi").set_index("name")
    assert table.loc["Số TTHC chưa thực hiện tái cấu trúc", "national"] == "290 (08/05/2026)"


@pytest.mark.parametrize(("written", "lang"), [
    ("p_bac_ninh", "vi"), ("Bắc Ninh", "vi"), ("UBND tỉnh Bắc Ninh", "en"), ("ubnd tinh bac ninh", "vi"),
    ("Bac Ninh", "en"),
])
def test_a_unit_by_id_name_alias_or_without_diacritics(written, lang):
    at = open_page(THEME_PAGES["contribution"], lang, unit=written)
    assert at.query_params["unit"] == "p_bac_ninh", "the link is rewritten to the unit's id"
    assert unit_picker(at).value == "p_bac_ninh"
    assert t("unit_tasks", lang, unit=unit_name("p_bac_ninh", lang)) in [h.value for h in at.subheader]


@pytest.mark.parametrize("written", ["Bộ KH&CN", "Bo Khoa hoc va Cong nghe", "Ministry of Science and Technology"])
def test_a_ministry_by_alias_english_name_or_without_diacritics(written):
    at = open_page(THEME_PAGES["digital_transformation"], "en", unit=written)
    assert at.query_params["unit"] == "m_khcn"
    assert t("unit_tasks", "en", unit="Ministry of Science and Technology") in [h.value for h in at.subheader]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_unknown_unit_says_so_and_shows_the_whole_country(lang):
    at = open_page(THEME_PAGES["contribution"], lang, unit="Bộ Không Có")
    assert t("unit_not_found", lang, name="Bộ Không Có") in [w.value for w in at.warning]
    assert unit_picker(at).value is None and "unit" not in at.query_params
    assert t("all_indicators", lang) in [h.value for h in at.subheader]
    assert len(at.get("plotly_chart")) >= 1  # the national page


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("theme", list(THEME_PAGES))
def test_a_unit_without_figures_says_so_never_a_zero(theme, lang):
    """Văn phòng Chính phủ: no report gives a figure of it."""
    at = open_page(THEME_PAGES[theme], lang, unit="m_vpcp")
    said = [i.value for i in at.info]
    topic = t(f"theme_{theme}", lang) if theme != "digital_transformation" else t("pillar_digital_government", lang)
    assert t("unit_no_data_theme", lang, unit=unit_name("m_vpcp", lang), topic=topic) in said
    assert t("unit_no_tasks", lang, unit=unit_name("m_vpcp", lang)) in said
    table = unit_table(at, lang)
    assert set(table["latest"]) == {t("no_data", lang)} and set(table["date"]) == {""}
    assert not at.get("plotly_chart") and not at.metric


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_indicator_page_shows_the_unit_s_figures_against_the_national_one(lang):
    at = open_page("pages/chi-so.py", lang, id="digital_economy_share_gdp", unit="Bac Ninh")
    assert at.query_params["unit"] == "p_bac_ninh" and unit_picker(at).value == "p_bac_ninh"
    assert t("unit_figure", lang, unit=unit_name("p_bac_ninh", lang)) in [h.value for h in at.subheader]
    assert national_references(at, lang)
    mine = at.dataframe[0].value
    assert set(mine[t("entity", lang)]) == {unit_name("p_bac_ninh", lang)}
    assert set(mine[t("value", lang)]) == {"46,3%" if lang == "vi" else "46.3%"}
    assert "unit=p_bac_ninh" in texts(at), "the theme's link keeps the unit"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_indicator_page_says_when_the_unit_has_no_figure_of_it(lang):
    at = open_page("pages/chi-so.py", lang, id="digital_economy_share_gdp", unit="m_khcn")
    assert t("unit_no_data_indicator", lang, unit=unit_name("m_khcn", lang)) in [i.value for i in at.info]
    assert t("every_figure", lang) in [h.value for h in at.subheader], "the national figures follow"


def test_the_unit_follows_the_reader_to_the_next_page_with_the_filter():
    at = open_page(THEME_PAGES["contribution"], "vi", unit="p_bac_ninh")
    at.switch_page(THEME_PAGES["digital_infra"]).run()
    assert unit_picker(at).value == "p_bac_ninh" and at.query_params["unit"] == "p_bac_ninh"
    unit_picker(at).select(None).run()
    assert "unit" not in at.query_params
    at.switch_page(THEME_PAGES["capacity"]).run()
    assert unit_picker(at).value is None


def test_a_unit_s_own_target_is_shown_with_its_verdict():
    """The targets a report sets for one unit (Thái Nguyên's hospitals: 100% by 2027) are read against that unit's
    figures and shown on its pages, never the national ones; a unit without any says so."""
    from dashboard.sections import unit_filter
    from dashboard.view import View

    day = dt.date(2026, 5, 8)
    section = unit_filter.targets_section(View("vi", day, latest=day, unit="p_thai_nguyen"))
    assert section.title == t("unit_targets", "vi", unit="Thái Nguyên")
    lines = " ".join(getattr(i, "markdown", "") for i in section.items)
    assert "≥ 100%" in lines and "42/43" in lines and "mỗi tháng" in lines  # the pace its one figure needs
    assert "≥ 30%" not in lines  # the national digital-economy target is not Thái Nguyên's
    other = unit_filter.targets_section(View("vi", day, latest=day, unit="p_bac_ninh"))
    assert t("unit_no_targets", "vi", unit="Bắc Ninh") in [getattr(i, "markdown", "") for i in other.items]


def test_a_unit_s_own_series_is_drawn_with_the_national_series_beside_it():
    """Two dates of the unit's figure and no three units to rank it among: its line over time, and the national line
    of the same basis as the reference (Quảng Ninh's 5G coverage, with an earlier figure added for the test)."""
    from dashboard import queries
    from dashboard.sections import unit_filter
    from dashboard.view import View

    day = dt.date(2026, 5, 8)
    view = View("vi", day, latest=day, unit="p_quang_ninh")
    mine = unit_filter.own_figures(view, "digital_infra")
    mine = mine[mine["indicator_id"] == "coverage_5g_population"].head(1)
    earlier = mine.assign(as_of=pd.Timestamp(2026, 1, 31), value=80.0)
    drawn = unit_filter.unit_charts(pd.concat([earlier, mine]), unit_filter.national_of(view, "digital_infra"), view, "t")
    [chart] = drawn
    names = [tr.name for tr in chart.fig.data]
    assert "Quảng Ninh" in names and t("national", "vi") in names
    national = next(tr for tr in chart.fig.data if tr.name == t("national", "vi"))
    assert list(national.y) == [91.9], "the national figures of the unit's basis only (not 2025's other basis)"
    assert len(queries.entity_figures(day).query("indicator_id == 'coverage_5g_population'")["entity_id"].unique()) < 3
