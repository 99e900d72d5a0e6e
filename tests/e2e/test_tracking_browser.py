"""Tracking pages in headless Chromium: a profile reached by URL, the offline map, the illustrative badge."""

from __future__ import annotations

import os
from urllib.parse import quote

from dashboard.i18n import t
from tests.e2e.conftest import screenshot, serve_app, wait_for_app


def test_agency_profile_reached_by_url(page, app_url):
    page.goto(f"{app_url}/bo-nganh-dia-phuong?agency={quote('Bộ KH&CN')}")
    wait_for_app(page)
    page.get_by_text("Hồ sơ đơn vị: Bộ Khoa học và Công nghệ").wait_for(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
    assert "agency=m_khcn" in page.url, "the link is rewritten to the canonical id"
    screenshot(page, "bo-nganh-dia-phuong_m_khcn")


def test_province_map_draws_offline(page, app_url):
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # Block every request that is not to the app itself: the map must not need the internet.
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith((app_url, "data:", "blob:"))
               else route.abort())
    page.goto(f"{app_url}/dia-phuong?province=p_thai_nguyen")
    wait_for_app(page, 2)
    page.locator(".js-plotly-plot .choroplethlayer, .js-plotly-plot canvas").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
    page.get_by_text("Hồ sơ đơn vị: Thái Nguyên").wait_for(timeout=30_000)
    outside = [u for u in requests if not u.startswith(app_url) and not u.startswith("data:") and not u.startswith("blob:")]
    assert not outside, f"the page fetched from the internet: {outside[:5]}"
    fetch_errors = [e for e in errors if "fetch" in e.lower() or "tile" in e.lower() or "glyph" in e.lower()]
    assert not fetch_errors, fetch_errors
    screenshot(page, "dia-phuong_thai-nguyen")


def test_tasks_page_marks_illustrative_data(page, app_url):
    page.goto(f"{app_url}/nhiem-vu?illustrative=true")
    wait_for_app(page, 4)
    page.get_by_text(t("illustrative_badge", "vi")).first.wait_for(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "nhiem-vu")


def test_a_deep_link_right_after_a_restart_opens_its_page(page, shipped_db):
    with serve_app({**os.environ, "NQ57_DB": str(shipped_db)}) as url:
        page.goto(f"{url}/nhiem-vu?lang=English")
        wait_for_app(page)
        page.get_by_role("heading", name="Tasks").first.wait_for(timeout=30_000)
        assert page.get_by_text("Page not found").count() == 0
        # the app's own navigation, not Streamlit's list of the files in pages/
        nav = page.locator("[data-testid=stSidebarNav]").inner_text()
        assert t("page_sources", "en") in nav and t("page_overview", "en") in nav
        assert "nhiem-vu" not in nav and "cap-nhat" not in nav
        assert page.locator("h1").count() == 1  # the page is drawn once


def test_the_drawn_map_holds_both_archipelagos_and_outlines_the_open_province(page, app_url):
    """In the figure Chromium drew: Hoàng Sa and Trường Sa (inside the map's frame), the province whose profile is
    open outlined, and the count of provinces with data in the measure's name."""
    page.goto(f"{app_url}/dia-phuong?province=p_thai_nguyen")
    wait_for_app(page, 2)
    # the map is the plot with choropleth traces (the bar beside it may be drawn first)
    find_map = ("[...document.querySelectorAll('.js-plotly-plot')].find(p => (p.data || []).some("
                "t => t.type === 'choroplethmap'))")
    page.wait_for_function(f"() => !!{find_map}", timeout=60_000)
    traces = page.evaluate(f"() => {find_map}.data.map("
                           "t => ({name: t.name, lon: t.lon, width: t.marker && t.marker.line && t.marker.line.width,"
                           " n: (t.locations || []).length}))")
    names = {tr["name"] for tr in traces}
    assert {t("islands_hoang_sa", "vi", place="Đà Nẵng"), t("islands_truong_sa", "vi", place="Khánh Hòa")} <= names
    assert [tr["name"] for tr in traces if tr["width"] == 3 and tr["n"] == 1] == ["Thái Nguyên"]
    box = page.locator("[data-testid=stMain] [data-testid=stSelectbox]").first
    assert "/34)" in (box.text_content() or "") + (box.locator("input").first.input_value() or "")


def test_the_league_tables_csv_is_the_grid_on_the_screen(page, app_url, tmp_path):
    """Units by name, one column per measure with its full heading, empty where the reports give nothing."""
    import csv

    page.goto(f"{app_url}/bo-nganh-dia-phuong")
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=f"{t('download_csv', 'vi')} · {t('table_data', 'vi').lower()}").last.click()
    path = tmp_path / "league.csv"
    download.value.save_as(path)
    body = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    header, rows = body[0], body[1:]
    about = [t(k, "vi") for k in ("export_dataset", "export_dashboard", "export_link", "view_as_of", "export_licence")]
    assert header[-len(about):] == about  # it says where it comes from (dashboard, link, date) on every row
    measures = header[1:-len(about)]
    assert header[0] == t("entity", "vi") and len(measures) >= 3 and len(set(header)) == len(header)
    assert all(" · " in h for h in measures)  # each measure in full: indicator · … · date
    assert "Bộ Công an" in {r[0] for r in rows}
    assert any(cell == "" for r in rows for cell in r[1:len(measures) + 1])  # missing is missing, never 0 or "None"
    assert not any(cell in ("None", "nan") for r in rows for cell in r)
    assert all(r[header.index(t("export_link", "vi"))].endswith("/bo-nganh-dia-phuong") for r in rows)
