"""Benchmark of page times in headless Chromium (not a test). Bars: every page 1.5 s warm, 2.5 s on a first visit.

Two ways, as the team times pages:
- first visit: a new tab right after the server starts (the server is restarted for each page);
- warm: clicking through the sidebar in one tab, without a reload (each page visited once before timing); the
  indicator page, which a theme page's link opens in a new tab, from that click until drawn in the new tab.
Both stop when the page's own title is shown, its script has finished and all its content is drawn: every Plotly
chart has its SVG and, on the overview, the scorecard's table and trajectories are there. Waiting for the title
first matters: "every chart has an SVG" is already true before the new page has drawn any chart.

    python bench/browser_bench.py [--repeat 3] [--pages overview,nang-luc] [--no-first-visit]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dashboard.i18n import t  # noqa: E402
from tests.e2e.conftest import CHROMIUM, FLAGS, serve_app  # noqa: E402

WARM_BAR, FIRST_BAR = 1.5, 2.5

# url path -> (the page's title, what must be drawn besides its charts)
PAGES = {
    "": (t("app_title", "vi"), "table.nq-score img.nq-spark"),
    "nang-luc": (t("theme_capacity", "vi"), None),
    "dong-gop": (t("theme_contribution", "vi"), None),
    "nguon-luc": (t("theme_resources", "vi"), None),
    "ha-tang-so": (t("theme_digital_infra", "vi"), None),
    "chuyen-doi-so": (t("theme_digital_transformation", "vi"), None),
    "nhiem-vu": (t("page_tasks", "vi"), None),
    "bo-nganh-dia-phuong": (t("page_agencies", "vi"), None),
    "dia-phuong": (t("page_provinces", "vi"), None),
    "san-pham": (t("page_products", "vi"), None),
    "nguon": (t("page_sources", "vi"), None),
    # the indicator page: not in the sidebar, a theme page's "Xem chỉ tiêu →" link opens it in a new tab
    "chi-so?id=coverage_5g_population": ("Tỷ lệ dân số được phủ sóng 5G", None),
}
FROM_PAGE = {"chi-so?id=coverage_5g_population": "ha-tang-so"}
DRAWN = """([title, extra, footer]) => {
    const h1 = document.querySelector('[data-testid=stMain] h1');
    if (!h1 || h1.textContent.trim() !== title) return false;
    if (document.querySelector('[data-testid=stStatusWidget]')) return false;
    // elements of the page before, kept (faded) until the new run replaces or drops them
    if (document.querySelector('[data-stale=true]')) return false;
    // the sources footer is the last thing every page writes
    if (!footer || !document.querySelector('[data-testid=stMain]').innerText.includes(footer)) return false;
    if (extra && !document.querySelector(extra)) return false;
    const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
    return charts.every(c => c.querySelector('.main-svg'));
}"""


def _drawn(pg, path: str) -> None:
    title, extra = PAGES[path]
    pg.wait_for_function(DRAWN, arg=[title, extra, t("footer_licence", "vi")], timeout=120_000, polling=20)


def first_visit(path: str) -> float:
    with serve_app(dict(os.environ)) as url:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            pg = browser.new_page(viewport={"width": 1440, "height": 900})
            t0 = time.perf_counter()
            pg.goto(f"{url}/{path}")
            _drawn(pg, path)
            took = time.perf_counter() - t0
            browser.close()
    return took


def warm(paths: list[str], repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {p: [] for p in paths}
    with serve_app(dict(os.environ)) as url:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            pg = browser.new_page(viewport={"width": 1440, "height": 900})
            pg.goto(f"{url}/")
            _drawn(pg, "")
            for round_ in range(repeat + 1):  # the first round warms the server's caches
                for path in paths:
                    link = pg.locator(f"[data-testid=stSidebarNav] a[href$='/{path}']").first
                    if not path:
                        link = pg.locator("[data-testid=stSidebarNav] a").first
                    if path in FROM_PAGE:  # its theme page's link opens it in a new tab: timed until drawn there
                        pg.locator(f"[data-testid=stSidebarNav] a[href$='/{FROM_PAGE[path]}']").first.click()
                        _drawn(pg, FROM_PAGE[path])
                        t0 = time.perf_counter()
                        with pg.expect_popup() as popup:
                            pg.locator(f"[data-testid=stMain] a[href*='{path}']").first.click()
                        _drawn(popup.value, path)
                        if round_:
                            times[path].append(time.perf_counter() - t0)
                        popup.value.close()
                        continue
                    t0 = time.perf_counter()
                    link.click()
                    _drawn(pg, path)
                    if round_:
                        times[path].append(time.perf_counter() - t0)
            browser.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", default=",".join(p or "overview" for p in PAGES))  # ids have no commas
    ap.add_argument("--no-first-visit", action="store_true")
    args = ap.parse_args()
    paths = ["" if p == "overview" else p for p in args.pages.split(",")]
    # the warm round clicks from one page to the next: the overview last, so that it is reached by a click
    order = [p for p in paths if p] + [p for p in paths if not p]
    results = warm(order, args.repeat)
    for path in paths:
        first = ""
        if not args.no_first_visit:
            took = first_visit(path)
            first = f"first visit {took:.2f} s ({'ok' if took <= FIRST_BAR else 'OVER'} {FIRST_BAR} s) · "
        med = statistics.median(results[path])
        print(f"{path or 'overview':22s} {first}warm median {med:.2f} s (max {max(results[path]):.2f}) "
              f"({'ok' if med <= WARM_BAR else 'OVER'} {WARM_BAR} s)")


if __name__ == "__main__":
    main()
