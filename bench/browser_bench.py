"""Benchmark of page load time in headless Chromium (not a test): bar 3 s per page.

Starts the app on a free port, opens every page (warm: each page once before timing) and reports the median
time from navigation until the script has finished and every chart is drawn.

    python bench/browser_bench.py [--repeat 3]
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

from tests.e2e.conftest import CHROMIUM, FLAGS, serve_app  # noqa: E402

PAGES = ("", "nang-luc", "dong-gop", "nguon-luc", "ha-tang-so", "chuyen-doi-so", "nhiem-vu",
         "bo-nganh-dia-phuong?agency=m_khcn", "dia-phuong", "san-pham", "nguon")


def _load(pg, url: str) -> float:
    t0 = time.perf_counter()
    pg.goto(url)
    pg.wait_for_selector("[data-testid=stAppViewContainer]")
    pg.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)
    pg.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))",
        timeout=120_000)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with serve_app(dict(os.environ)) as url:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            pg = browser.new_page(viewport={"width": 1400, "height": 1000})
            worst = 0.0
            for page in PAGES:
                _load(pg, f"{url}/{page}")  # warm the server's caches
                times = [_load(pg, f"{url}/{page}") for _ in range(args.repeat)]
                med = statistics.median(times)
                worst = max(worst, med)
                print(f"{page or '/':36s} median {med:.2f} s (min {min(times):.2f}, max {max(times):.2f})")
            print(f"slowest page median: {worst:.2f} s (bar 3 s)")
            browser.close()


if __name__ == "__main__":
    main()
