"""Tasks, agencies, products and provinces pages: both languages, a unit selected, illustrative badge."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.i18n import t
from tests.pages.conftest import open_page, texts


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tasks_page_shows_breakdown_lists_and_the_illustrative_registry(lang):
    at = open_page("pages/nhiem-vu.py", lang, illustrative="true")
    headers = [h.value for h in at.header]
    for key in ("task_breakdown", "task_movement", "task_overdue_by_agency", "task_overdue_by_group", "overdue_list"):
        assert t(key, lang) in headers
    assert len(at.get("plotly_chart")) >= 4
    assert t("illustrative_help", lang) in texts(at), "illustrative rows carry their explanation"
    assert f":orange-badge[:material/science: {t('illustrative_badge', lang)}]" in texts(at)
    overdue = next(d.value for d in at.dataframe if t("days_overdue", lang) in d.value.columns)
    days = list(overdue[t("days_overdue", lang)])
    assert days == sorted(days, reverse=True) and len(days) > 0


@pytest.mark.parametrize("params", [{}, {"illustrative": "false"}])
def test_illustrative_rows_are_hidden_by_default_and_when_switched_off(params):
    """A leader sees reported figures first: the illustrative registry only when the switch is turned on."""
    at = open_page("pages/nhiem-vu.py", "vi", **params)
    assert t("overdue_list", "vi") not in [h.value for h in at.header]
    assert t("illustrative_badge", "vi") not in texts(at)


def test_overdue_list_filters_by_agency():
    at = open_page("pages/nhiem-vu.py", "vi", illustrative="true")
    at.selectbox(key="illustrative_overdue:programme").select("bcd57cp_tracked_2026").run()
    at.selectbox(key="illustrative_overdue:agencies").select("m_noi_vu").run()
    table = next(d.value for d in at.dataframe if t("days_overdue", "vi") in d.value.columns)
    assert len(table) == 18  # Bộ Nội vụ leads 18 tasks of the May 2026 overdue list
    assert all("Bộ Nội vụ" in leads for leads in table[t("lead_agencies", "vi")])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_agency_profile_from_the_url_by_alias(lang):
    at = open_page("pages/bo-nganh-dia-phuong.py", lang, agency="Bộ Y tế")
    body = texts(at)
    assert t("profile", lang) in body
    profile = at.dataframe[0].value
    assert len(profile) >= 3
    assert profile[t("quote", lang)].str.len().min() > 5, "every figure shows its quote"
    league = at.dataframe[-1].value
    assert len(league) >= 10


def test_agency_profile_from_the_url_by_id():
    at = open_page("pages/bo-nganh-dia-phuong.py", "vi", agency="p_thai_nguyen")
    profile = at.dataframe[0].value
    assert "131/167" in set(profile[t("value", "vi")])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_products_page(lang):
    at = open_page("pages/san-pham.py", lang)
    assert at.title[0].value == t("page_products", lang)
    assert len(at.get("plotly_chart")) >= 4
    body = texts(at)
    for flag in ("products_unit_with", "products_unit_without", "products_unit_no_info"):
        assert t(f"reporting_list_{flag}", lang) in body


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_provinces_page_map_and_bar(lang):
    at = open_page("pages/dia-phuong.py", lang)
    charts = at.get("plotly_chart")
    assert len(charts) >= 2
    assert '"choroplethmap"' in charts[0].proto.spec and '"white-bg"' in charts[0].proto.spec
    assert "scattergeo" not in charts[0].proto.spec and '"choropleth"' not in charts[0].proto.spec


def test_provinces_page_second_measure_and_region():
    at = open_page("pages/dia-phuong.py", "vi", measure="products_reported||cncl|", region="mekong_delta")
    assert len(at.selectbox(key="_url_measure").options) >= 5
    spec = at.get("plotly_chart")[0].proto.spec
    assert "Số sản phẩm được báo cáo" in spec
    assert "Cần Thơ" in spec and "Hà Nội" not in spec, "the region filter keeps only Mekong Delta provinces"


def test_province_profile_from_the_url():
    at = open_page("pages/dia-phuong.py", "vi", province="Thái Nguyên")
    assert "Thái Nguyên" in texts(at)
    assert any("131/167" in set(df.value.get(t("value", "vi"), [])) for df in at.dataframe)


@pytest.mark.parametrize("page", ["pages/nhiem-vu.py", "pages/bo-nganh-dia-phuong.py", "pages/san-pham.py", "pages/dia-phuong.py",
                                  "pages/nguon.py"])
def test_tracking_pages_at_an_earlier_report_date(page):
    at = open_page(page, "en", as_of="31/12/2025")
    assert at.title[0].value
    assert "08 May 2026" not in texts(at), "nothing published after the view date may show"


def test_illustrative_registry_follows_the_view_date():
    def registry(at):
        return next(d.value for d in at.dataframe if "ID" in d.value.columns)

    later = registry(open_page("pages/nhiem-vu.py", "vi", illustrative="true"))
    earlier = registry(open_page("pages/nhiem-vu.py", "vi", as_of="31/12/2025", illustrative="true"))
    assert len(earlier) < len(later)
    assert not earlier["ID"].str.contains("2026").any()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_map_draws_hoang_sa_and_truong_sa(lang):
    """An official Vietnamese map shows both archipelagos, named after the provinces they belong to."""
    import json

    at = open_page("pages/dia-phuong.py", lang)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {tr.get("name") for tr in spec["data"]}
    places = {"vi": ("Đà Nẵng", "Khánh Hòa"), "en": ("Da Nang", "Khanh Hoa")}[lang]  # the provinces in the reader's words
    hoang_sa, truong_sa = (t(k, lang, place=p) for k, p in zip(("islands_hoang_sa", "islands_truong_sa"), places,
                                                               strict=True))
    assert {hoang_sa, truong_sa} <= names
    islands = [tr for tr in spec["data"] if tr.get("name") == truong_sa]
    assert islands[0]["lon"][0] > 111 and spec["layout"]["map"]["center"]["lon"] > 107


def test_the_open_province_is_outlined_on_the_map_and_in_bold_on_the_bar():
    """The province whose profile is open (here given by name without diacritics) stands out in both charts."""
    import json

    at = open_page("pages/dia-phuong.py", "vi", province="Ha Noi")
    code = at.session_state["_url_province"]
    assert code == "p_ha_noi"
    spec_map, spec_bar = (json.loads(c.proto.spec) for c in at.get("plotly_chart")[:2])
    outlined = [tr for tr in spec_map["data"] if tr.get("marker", {}).get("line", {}).get("width") == 3]
    assert len(outlined) == 1 and len(outlined[0]["locations"]) == 1 and outlined[0]["name"] == "Hà Nội"
    bar = spec_bar["data"][0]
    bold = [i for i, y in enumerate(bar["y"]) if y.startswith("<b>")]
    assert [bar["y"][i] for i in bold] == ["<b>Hà Nội</b>"]
    assert [w for w in bar["marker"]["line"]["width"] if w] == [2.5] and bar["marker"]["line"]["width"][bold[0]] == 2.5
    assert "Hà Nội" in texts(at)  # and its profile is open


def test_the_league_table_writes_a_dash_for_missing_figures_and_sorts_them_last():
    at = open_page("pages/bo-nganh-dia-phuong.py", "vi")
    grid = at.dataframe[0].value  # the league table (no unit picked: it is the page's only grid)
    measures = [c for c in grid.columns if c != "entity_name"]
    assert measures and "—" in grid[measures].values and not grid[measures].isin(["None", "nan"]).any().any()
    box = at.selectbox(key="league_sort")
    box.select(measures[0]).run()
    grid = at.dataframe[0].value
    column = list(grid[measures[0]])
    filled = [c for c in column if c != "—"]
    assert column[:len(filled)] == filled  # every unit with the figure before every unit without it
    numbers = [float(c.replace(".", "").replace(",", ".")) for c in filled]
    assert numbers == sorted(numbers, reverse=True)


def test_a_link_with_a_date_that_is_not_a_report_date_opens_the_report_before_it_and_says_so():
    at = open_page(None, "vi", as_of="01/01/2026")
    assert t("as_of_moved", "vi", wanted="01/01/2026", date="31/12/2025") in [i.value for i in at.info]
    assert at.sidebar.selectbox[1].value == dt.date(2025, 12, 31)
    at = open_page(None, "en", as_of="01/01/2020")
    assert t("as_of_too_early", "en", wanted="01 Jan 2020", date="22 Sep 2025") in [i.value for i in at.info]


def test_a_date_link_works_in_both_languages():
    """The date in a link is written dd/mm/yyyy whatever the language, so one link opens the same view in both."""
    en = open_page(None, "en", as_of="31/12/2025")
    vi = open_page(None, "vi", as_of="31/12/2025")
    assert en.sidebar.selectbox[1].value == vi.sidebar.selectbox[1].value == dt.date(2025, 12, 31)
    assert "08 May 2026" not in texts(en) and "08/05/2026" not in texts(vi)


@pytest.mark.parametrize("written", ["Ministry of Health", "Bộ Y tế", "Bo Y te", "m_y_te"])
def test_an_agency_link_resolves_in_english_vietnamese_without_diacritics_or_by_id(written):
    at = open_page("pages/bo-nganh-dia-phuong.py", "en", agency=written)
    assert f"{t('profile', 'en')}: Ministry of Health" in [h.value for h in at.header]


def test_an_unknown_agency_says_it_was_not_found():
    at = open_page("pages/bo-nganh-dia-phuong.py", "vi", agency="Bộ Không Có")
    assert t("agency_not_found", "vi", name="Bộ Không Có") in [w.value for w in at.warning]


def test_a_profile_opens_with_the_unit_s_standing_at_a_glance():
    at = open_page("pages/bo-nganh-dia-phuong.py", "vi", agency="m_noi_vu")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("overdue_tasks_cap", "vi")] == "18"  # Bộ Nội vụ (18) in the report of 08/05/2026
    assert metrics[t("products_reported_cap", "vi")] == t("no_data", "vi")  # never a zero in its place
    assert len(at.get("plotly_chart")) >= 1  # its overdue tasks at each report date


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_league_table_headers_are_distinct_and_units_named_in_the_readers_language(lang):
    """Two columns of one indicator (two groups) must not read the same; units by their official names."""
    import json

    at = open_page("pages/bo-nganh-dia-phuong.py", lang)
    grid = at.dataframe[0]
    headers = [c["label"].split(". ", 1)[1] for c in json.loads(grid.proto.columns).values() if ". " in c.get("label", "")]
    assert len(headers) >= 3 and len(headers) == len(set(headers)), headers
    units = list(grid.value.iloc[:, 0])
    assert ("Bộ Công an" in units) == (lang == "vi") and ("Ministry of Public Security" in units) == (lang == "en")


def test_a_profile_shows_the_unit_among_its_peers():
    """Not only a table: the unit's overdue tasks against every unit's at the same report, the unit outlined."""
    import json

    at = open_page("pages/bo-nganh-dia-phuong.py", "vi", agency="m_khcn")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    peers = [s for s in specs if t("among_units", "vi") in s["layout"]["title"]["text"].replace("<br>", " ")]
    assert peers
    bar = peers[0]["data"][0]
    assert len(bar["y"]) >= 3 and "<b>Bộ Khoa học và Công nghệ</b>" in bar["y"]
