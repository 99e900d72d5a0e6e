"""The unit filter in Chromium: a reader picks a ministry or a province with the picker beside a theme page's title;
the page turns to that unit's figures, the URL keeps ?unit=, the next theme page and the indicator's page keep it,
and the sidebar's meeting pack is the theme seen for the unit."""

from __future__ import annotations

import re
import subprocess

import pytest

from dashboard.i18n import t
from tests.e2e.conftest import screenshot, wait_for_app

CASES = {"vi": ("dong-gop", "Bắc Ninh", "p_bac_ninh", "46,3%", "Bắc Ninh"),
         "en": ("ha-tang-so", "Quang Ninh", "p_quang_ninh", "94%", "Quang Ninh")}


def pick_unit(page, lang: str, typed: str) -> None:
    """Type a unit's name into the picker beside the title and choose it."""
    box = page.locator("[data-testid=stMain] [data-testid=stSelectbox]").filter(has_text=t("unit_filter", lang))
    box.wait_for(timeout=30_000)
    box.click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_picking_a_unit_beside_the_title_filters_the_page_and_the_url_keeps_it(page, app_url, lang):
    slug, typed, unit, figure, shown = CASES[lang]
    suffix = "?lang=English" if lang == "en" else ""
    page.goto(f"{app_url}/{slug}{suffix}")
    wait_for_app(page, 1)
    title = page.locator("[data-testid=stMain] h1").first
    box = page.locator("[data-testid=stMain] [data-testid=stSelectbox]").filter(has_text=t("unit_filter", lang))
    tb, bb = title.bounding_box(), box.bounding_box()
    assert bb["x"] > tb["x"] + tb["width"] / 2 and bb["y"] < tb["y"] + tb["height"], "the picker is beside the title"
    assert page.get_by_text(t("unit_tasks", lang, unit=shown)).count() == 0

    pick_unit(page, lang, typed)
    page.get_by_text(t("unit_tasks", lang, unit=shown)).wait_for(timeout=60_000)
    wait_for_app(page, 1)
    assert f"unit={unit}" in page.url and (lang == "vi" or "lang=English" in page.url)
    assert page.get_by_text(figure, exact=True).first.is_visible()
    assert page.locator("[data-testid=stException]").count() == 0
    # the unit's chart carries the national figure as a dashed reference line
    dashes = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].flatMap("
                           "p => ((p.layout || {}).shapes || []).map(s => (s.line || {}).dash))")
    assert "dash" in dashes
    screenshot(page, f"{slug}_unit_{unit}_{lang}")

    # the indicator's page (the link under the unit's chart opens it in a new tab) and the next theme page (the
    # sidebar's link) keep the unit
    with page.context.expect_page() as opened:
        page.locator("[data-testid=stMain] a", has_text=t("open_indicator", lang)).first.click()
    page = opened.value
    page.get_by_text(t("unit_figure", lang, unit=shown)).first.wait_for(timeout=60_000)
    assert f"unit={unit}" in page.url and "/chi-so" in page.url
    wait_for_app(page, 2)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, f"chi-so_unit_{unit}_{lang}")
    page.locator("[data-testid=stSidebarNav] a", has_text=t("theme_capacity", lang)).click()
    page.get_by_text(t("unit_tasks", lang, unit=shown)).wait_for(timeout=60_000)
    assert f"unit={unit}" in page.url and "/nang-luc" in page.url


def test_the_sidebar_pack_is_the_theme_seen_for_the_unit(page, app_url, tmp_path):
    page.goto(f"{app_url}/dong-gop?unit=Bac%20Ninh")
    wait_for_app(page, 1)
    page.get_by_text(t("unit_tasks", "vi", unit="Bắc Ninh")).wait_for(timeout=60_000)
    page.get_by_role("button", name=t("pack_button", "vi")).click()
    save = page.get_by_role("button", name=t("pack_save", "vi"))
    save.wait_for(timeout=180_000)
    with page.expect_download() as download:
        save.click()
    out = tmp_path / download.value.suggested_filename
    download.value.save_as(out)
    assert "bac-ninh" in out.name and "dong-gop" in out.name
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{t('profile', 'vi')}: Bắc Ninh" in text and t("theme_contribution", "vi") in text
    assert "46,3%" in text and "dong-gop?unit=p_bac_ninh" in text
    assert t("theme_digital_infra", "vi") not in text, "the theme asked for, not every theme"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", ["chuyen-doi-so?unit=m_khcn", "dong-gop?unit=p_bac_ninh", "nguon-luc?unit=m_vpcp",
                                  "chi-so?id=coverage_5g_population&unit=p_quang_ninh"])
def test_a_page_seen_for_a_unit_shows_no_raw_id_and_one_language(page, app_url, path, lang):
    from tests.e2e.test_language_browser import RAW, VI_LETTERS, VISIBLE_TEXT

    page.goto(f"{app_url}/{path}" + ("&lang=English" if lang == "en" else ""))
    wait_for_app(page)
    page.get_by_text(t("footer_licence", lang)).wait_for(timeout=60_000)
    page.wait_for_timeout(800)
    seen = page.evaluate(VISIBLE_TEXT)
    assert sorted(set(RAW.findall(seen))) == []
    if lang == "en":
        words = re.findall(r"\w+", seen)
        assert sum(bool(VI_LETTERS.search(w)) for w in words) <= 0.03 * len(words)
