"""Benchmark of page times in headless Chromium (not a test), beside the floor: a bare Streamlit + Plotly app of the
same versions (../shared/bench/floor_app: a page of 6 and one of 12 Plotly charts), measured in the same run.

Bars: a first visit settles within the floor's first visit + 0.8 s; warm, every page within 1.5 s.

Two ways, as the team times pages:
- first visit: a new tab right after the server starts (the server is restarted for each visit, the dashboard's with
  its start-up warm-up, as `streamlit run serve.py` serves it);
- warm: clicking through the sidebar in one tab, without a reload (each page visited once before timing); the
  indicator page, which a theme page's link opens in a new tab, from that click until drawn in the new tab.
Both stop when the page's own title is shown, its script has finished and all its content is drawn: every Plotly
chart has its SVG and, on the overview, the scorecard's table and trajectories are there. Waiting for the title
first matters: "every chart has an SVG" is already true before the new page has drawn any chart.

    python bench/browser_bench.py [--repeat 3] [--pages tong-quan,nang-luc] [--no-first-visit] [--no-warm]
                                  [--floor ../shared/bench/floor_app]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.e2e.conftest import CHROMIUM, FLAGS, free_port, serve_app  # noqa: E402

WARM_BAR, FIRST_MARGIN = 1.5, 0.8
FLOOR = REPO.parent / "shared" / "bench" / "floor_app"
FLOOR_PAGES = {"b": "Six charts", "c": "Twelve charts"}  # the floor's chart pages: their url and title
INDICATOR = "coverage_5g_population"  # the indicator page timed: opened from its theme page's link

DRAWN = """([title, extra, footer]) => {
    const h1 = document.querySelector('[data-testid=stMain] h1');
    if (!h1 || h1.textContent.trim() !== title) return false;
    if (document.querySelector('[data-testid=stStatusWidget]')) return false;
    // elements of the page before, kept (faded) until the new run replaces or drops them
    if (document.querySelector('[data-stale=true]')) return false;
    // the sources footer is the last thing every dashboard page writes
    if (footer && !document.querySelector('[data-testid=stMain]').innerText.includes(footer)) return false;
    if (extra && !document.querySelector(extra)) return false;
    const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
    return charts.every(c => c.querySelector('.main-svg'));
}"""


def targets() -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
    """url path -> (the page's title in Vietnamese, what must be drawn besides its charts), for every page of the
    page registry; and the indicator page's path -> the theme page whose link opens it."""
    from dashboard import queries, site
    from dashboard.i18n import name
    from dashboard.view import View

    queries.ensure_warehouse()
    latest = max(queries.report_dates())
    view = View("vi", latest, latest=latest)
    pages: dict[str, tuple[str, str | None]] = {}
    opened_from: dict[str, str] = {}
    for page in site.pages():
        if page.admin:
            continue
        if page.hidden:  # the indicator page: one indicator's, reached from its theme page
            ind = queries.indicators().set_index("id").loc[INDICATOR]
            path = f"{page.slug}?id={INDICATOR}"
            pages[path] = (name(ind, "vi"), None)
            opened_from[path] = next(p.slug for p in site.theme_pages() if p.theme == ind["theme"])
            continue
        path = "" if page.default else page.slug
        pages[path] = (view.t(page.header or page.title), "table.nq-score img.nq-spark" if page.default else None)
    return pages, opened_from


def _wait(pg, title: str, extra: str | None, footer: str | None) -> None:
    pg.wait_for_function(DRAWN, arg=[title, extra, footer], timeout=120_000, polling=20)


@contextmanager
def serve_floor(folder: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(folder / "app.py"), "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false",
                             "--server.fileWatcherType", "none"], cwd=folder, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _new_tab(url: str, path: str, title: str, extra: str | None, footer: str | None) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1440, "height": 900})
        t0 = time.perf_counter()
        pg.goto(f"{url}/{path}")
        _wait(pg, title, extra, footer)
        took = time.perf_counter() - t0
        browser.close()
    return took


def first_visit(path: str, title: str, extra: str | None, footer: str) -> float:
    with serve_app(dict(os.environ)) as url:
        return _new_tab(url, path, title, extra, footer)


def floor_visit(folder: Path, path: str) -> float:
    with serve_floor(folder) as url:
        return _new_tab(url, path, FLOOR_PAGES[path], None, None)


def warm(pages: dict, opened_from: dict, paths: list[str], repeat: int, footer: str) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {p: [] for p in paths}
    with serve_app(dict(os.environ)) as url:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            pg = browser.new_page(viewport={"width": 1440, "height": 900})
            pg.goto(f"{url}/")
            _wait(pg, *pages[""], footer)
            for round_ in range(repeat + 1):  # the first round warms the server's caches
                for path in paths:
                    if path in opened_from:  # its theme page's link opens it in a new tab: timed until drawn there
                        pg.locator(f"[data-testid=stSidebarNav] a[href$='/{opened_from[path]}']").first.click()
                        _wait(pg, *pages[opened_from[path]], footer)
                        t0 = time.perf_counter()
                        with pg.expect_popup() as popup:
                            pg.locator(f"[data-testid=stMain] a[href*='{path}'][target=_blank]").first.click()
                        _wait(popup.value, *pages[path], footer)
                        if round_:
                            times[path].append(time.perf_counter() - t0)
                        popup.value.close()
                        continue
                    link = (pg.locator(f"[data-testid=stSidebarNav] a[href$='/{path}']").first if path
                            else pg.locator("[data-testid=stSidebarNav] a").first)
                    t0 = time.perf_counter()
                    link.click()
                    _wait(pg, *pages[path], footer)
                    if round_:
                        times[path].append(time.perf_counter() - t0)
            browser.close()
    return times


def main() -> None:
    from dashboard.i18n import t

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", help="slugs, comma-separated (tong-quan for the overview); default: every page")
    ap.add_argument("--no-first-visit", action="store_true")
    ap.add_argument("--no-warm", action="store_true")
    ap.add_argument("--floor", type=Path, default=FLOOR)
    args = ap.parse_args()
    pages, opened_from = targets()
    footer = t("footer_licence", "vi")
    wanted = args.pages.split(",") if args.pages else None
    paths = [p for p in pages if wanted is None or (p or "tong-quan") in wanted or p.split("?")[0] in wanted]
    first: dict[str, list[float]] = {p: [] for p in paths}
    floor: list[float] = []
    if not args.no_first_visit:
        for _ in range(args.repeat):  # interleaved, so that the floor and the pages meet the same machine load
            floor += [floor_visit(args.floor, fp) for fp in FLOOR_PAGES]
            for path in paths:
                if path not in opened_from:
                    first[path].append(first_visit(path, *pages[path], footer))
    # the warm round clicks from one page to the next: the overview last, so that it is reached by a click
    warm_times = {} if args.no_warm else warm(pages, opened_from, [p for p in paths if p] + [p for p in paths if not p],
                                               args.repeat, footer)
    bar = statistics.median(floor) + FIRST_MARGIN if floor else None
    if floor:
        print(f"floor (bare Streamlit + Plotly, 6 and 12 charts): first visit median {statistics.median(floor):.2f} s "
              f"(min {min(floor):.2f}, max {max(floor):.2f}) -> bar {bar:.2f} s")
    print(f"{'page':40s} {'first visit':>14s} {'vs floor':>9s} {'warm':>12s}")
    for path in paths:
        cells = [f"{path or 'tong-quan':40s}"]
        if first[path]:
            med = statistics.median(first[path])
            cells += [f"{med:6.2f} (max {max(first[path]):.2f})", f"{med - statistics.median(floor):+.2f} "
                      f"{'ok' if med <= bar else 'OVER'}"]
        else:
            cells += [f"{'—':>14s}", f"{'':9s}"]
        if warm_times.get(path):
            med = statistics.median(warm_times[path])
            cells.append(f"{med:5.2f} {'ok' if med <= WARM_BAR else 'OVER'}")
        print(" ".join(cells))


if __name__ == "__main__":
    main()
