"""The dashboard in headless Chromium: every page draws its charts without an exception box."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dashboard.i18n import t
from tests.conftest import theme_pages
from tests.e2e.conftest import screenshot, wait_for_app

PAGES = {
    "": 0,  # the overview is the default page, served at the root
    **{Path(p).stem: 1 for p in theme_pages().values()},
    "nguon": 0,
    "chi-so?id=coverage_5g_population": 2,  # an indicator's page: its trajectory and its units
}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_draws_without_exception(page, app_url, path):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{app_url}/{path}")
    wait_for_app(page, PAGES[path])
    page.wait_for_timeout(500)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Page not found").count() == 0, "every page has the URL the README gives"
    outside = [u for u in requests if not u.startswith((app_url, "data:", "blob:"))]
    assert not outside, f"nothing may be fetched from the internet: {outside[:5]}"
    assert page.locator("h1").first.inner_text().strip()
    screenshot(page, path.replace("?id=", "_") or "tong-quan")


def test_english_link_reproduces_the_view(page, app_url):
    page.goto(f"{app_url}/ha-tang-so?lang=English&as_of=31%2F12%2F2025")
    wait_for_app(page, 1)
    assert page.locator("h1").first.inner_text().strip() == "Digital infrastructure"
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "03 May 2026" not in body
    screenshot(page, "ha-tang-so_en_2025-12-31")


def test_csv_download_holds_the_chart_data_with_sources(page, app_url):
    page.goto(f"{app_url}/ha-tang-so")
    wait_for_app(page, 1)
    button = page.get_by_role("button", name="Tải CSV").first
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    # the file says what it is on every row: dashboard, link, view date
    assert all(r[t("export_link", "vi")].endswith("/ha-tang-so") for r in rows)
    headers = {t(k, "vi") for k in ("indicator", "value", "unit_of_measure", "date", "issuer", "report_title",
                                     "report_date", "quote")}
    assert headers <= set(rows[0])
    assert all(r[t("quote", "vi")] and r[t("issuer", "vi")] for r in rows)
    assert not any("_" in h for h in rows[0])  # no snake_case header


def test_a_scorecard_row_opens_its_indicator_page(page, app_url):
    page.goto(f"{app_url}/")
    wait_for_app(page)
    page.locator("table.nq-score a").first.click()
    page.wait_for_url("**/chi-so?id=*", timeout=30_000)
    wait_for_app(page, 0)
    page.locator("[data-testid=stMain] h1").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Page not found").count() == 0
