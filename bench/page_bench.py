"""Benchmark of page render time on the server (not a test): every page, both languages, warm cache.

Runs each page with Streamlit's AppTest (the same script run a browser session triggers) and reports the
median of several warm runs. The bar is 0.3 s per page on the server.

    python bench/page_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

def _run(page: str | None, lang: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    if lang == "en":
        at.query_params["lang"] = "English"
    at.run()
    if page:
        at.switch_page(page)
        t0 = time.perf_counter()
        at.run()
    else:
        t0 = time.perf_counter()
        at.run()
    elapsed = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed


def pages() -> dict[str, str | None]:
    """Every page of the page registry but the sign-in one: slug -> its file (None: the overview, opened first)."""
    from dashboard import queries, site

    queries.ensure_warehouse()
    return {p.slug: None if p.default else f"pages/{p.slug}.py" for p in site.pages() if not p.admin and not p.hidden}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    worst = 0.0
    for name, page in pages().items():
        for lang in ("vi", "en"):
            times = [_run(page, lang) for _ in range(args.repeat)]
            med = statistics.median(times)
            worst = max(worst, med)
            print(f"{name:24s} {lang}: median {med:.3f} s (min {min(times):.3f}, max {max(times):.3f})")
    print(f"slowest page median: {worst:.3f} s (bar 0.3 s)")


if __name__ == "__main__":
    main()
