"""The pages' shared caches (queries, summaries, Plotly figures) filled at start-up, for the latest report in both
languages: serve.py runs `warm()` before the server answers, so the first reader does not pay for them.

The pages' own section functions run here without a reader (Streamlit's "bare mode": their st.* calls draw nothing),
so the keys they fill are exactly those a page run looks up."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from dashboard import provinces, queries, tracking, views
from dashboard.shell import View
from kpis.registry import PILLARS

# each page's sections, as its file in pages/ calls them
PAGES: dict[str, Callable[[View], object]] = {
    "tong-quan": views.overview,
    "nang-luc": lambda v: views.theme_page("capacity", v),
    "dong-gop": lambda v: views.theme_page("contribution", v),
    "nguon-luc": lambda v: (views.theme_page("resources", v), views.budget_section(v)),
    "ha-tang-so": lambda v: views.theme_page("digital_infra", v),
    "chuyen-doi-so": lambda v: [views.theme_page("digital_transformation", v, pillar=p) for p in PILLARS],
    "nhiem-vu": lambda v: (tracking.task_breakdown(v), tracking.task_movement(v), tracking.overdue_by_agency(v),
                           tracking.overdue_by_group(v)),
    "bo-nganh-dia-phuong": tracking.league_table,
    "dia-phuong": provinces.provinces_page,
    "san-pham": tracking.products,
    "nguon": views.sources_page,
}

log = logging.getLogger("nq57.warmup")


def warm(langs: tuple[str, ...] = ("vi", "en")) -> None:
    """Every page's sections at the latest report date; a failure is logged, never stops the server."""
    # without a reader, each st.* call would warn that it has no script run to draw into
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    logging.getLogger("streamlit.runtime.state.session_state_proxy").setLevel(logging.ERROR)
    start = time.perf_counter()
    try:
        queries.ensure_warehouse()
        latest = max(queries.report_dates())
    except Exception:  # the app says what is wrong on its first run; the server starts all the same
        log.exception("warm-up skipped: no warehouse")
        return
    for lang in langs:
        view = View(lang=lang, as_of=latest)
        for page, sections in PAGES.items():
            try:
                sections(view)
            except Exception:  # a page that cannot be warmed is simply drawn on its first visit
                log.exception("warm-up of %s (%s) failed", page, lang)
    log.info("caches warmed in %.1f s", time.perf_counter() - start)
