"""A new report in, in Chromium: an administrator uploads a report on /cap-nhat, accepts three of the figures the
dashboard proposes, loads them, and sees them on their indicator page with the report as their source."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.i18n import t
from etl.build import build
from tests.e2e.conftest import screenshot, serve_app, wait_for_app

REPO = Path(__file__).resolve().parents[2]
REPORT = Path(__file__).resolve().parent / "fixtures" / "bao_cao_thang_11_2026.txt"
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(scope="module")
def admin_app(tmp_path_factory) -> Iterator[str]:
    """The dashboard on a copy of the shipped data (a load writes into its data folder), password sign-in on."""
    root = tmp_path_factory.mktemp("intake")
    data, db = root / "data", root / "warehouse.duckdb"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("warehouse.duckdb*", ".*"))
    build(data, db, REPO / "kpis")
    env = {**os.environ, "NQ57_DATA": str(data), "NQ57_DB": str(db), "NQ57_ADMIN_PASSWORD": PASSWORD}
    with serve_app(env) as url:
        yield url


def test_a_new_report_proposed_three_figures_accepted_loaded_and_seen_with_their_source(page, admin_app):
    page.goto(f"{admin_app}/cap-nhat")
    wait_for_app(page)
    page.get_by_label(t("your_name", "vi")).fill("Vụ Kế hoạch - Tài chính")
    page.get_by_label(t("password", "vi")).fill(PASSWORD)
    page.get_by_role("button", name=t("sign_in", "vi")).click()
    wait_for_app(page)
    # the second upload box is the new report's (the first takes the agencies' templates)
    page.locator("[data-testid=stFileUploader] input[type=file][accept*='.docx']").set_input_files(str(REPORT))
    page.get_by_text("số liệu được đề xuất").wait_for(timeout=120_000)
    wait_for_app(page)
    grid = page.locator("[data-testid=stDataFrame]").last
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    box = grid.bounding_box()
    for row in range(3):  # the grid is drawn on a canvas: a click on the "Nhận" cell of the first three rows
        page.mouse.click(box["x"] + 38, box["y"] + 35 + 35 * row + 17)
        page.wait_for_timeout(400)
    wait_for_app(page)
    screenshot(page, "report_intake_accepted")
    page.get_by_role("button", name=t("load_accepted", "vi", n=3)).click()
    page.get_by_text("đã nạp / loaded").wait_for(timeout=180_000)
    wait_for_app(page)
    assert "3 dòng/rows" in page.locator("[data-testid=stAlert]").first.inner_text()
    # the 5G coverage of 30/11/2026, on its indicator page, quoting the new report
    page.goto(f"{admin_app}/chi-so?id=coverage_5g_population")
    wait_for_app(page, min_charts=1)
    page.wait_for_timeout(1000)
    body = page.inner_text("[data-testid=stMain]")
    assert "tháng 11 năm 2026 (30/11/2026)" in body  # the report among the page's sources
    assert "+3,3 điểm %" in body  # 95,2% against the 91,9% of 03/05/2026: the loaded figure is the latest
    screenshot(page, "report_intake_indicator")
