"""Every page's models (queries, summaries, Plotly figures) built at start-up, for the latest report in both languages:
serve.py runs `warm()` before the server answers, so the first reader does not pay for them. The pages are those of
the page registry (dashboard/site.py), built with their pickers' default choices, every tab included."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from dashboard import queries, site
from dashboard.models import Columns, Section, Tabs
from dashboard.view import View

log = logging.getLogger("nq57.warmup")


def _open_tabs(items: Iterable[object]) -> None:
    """Build the tabs a reader may open (the screen builds only the open one)."""
    for item in items:
        if isinstance(item, Section):
            _open_tabs(item.items)
        elif isinstance(item, Columns):
            for part in item.parts:
                _open_tabs(part)
        elif isinstance(item, Tabs):
            for tab in item.tabs:
                _open_tabs(tab.build())


def warm_page(page: site.Page, view: View) -> None:
    _open_tabs(page.sections(view, site.default_choices(page, view)))


def warm(langs: tuple[str, ...] = ("vi", "en")) -> None:
    """Every page's models at the latest report date; a failure is logged, never stops the server."""
    start = time.perf_counter()
    try:
        queries.ensure_warehouse()
        latest = max(queries.report_dates())
    except Exception:  # the app says what is wrong on its first run; the server starts all the same
        log.exception("warm-up skipped: no warehouse")
        return
    for lang in langs:
        view = View(lang=lang, as_of=latest, latest=latest)
        for page in site.pages():
            try:
                warm_page(page, view)
            except Exception:  # a page that cannot be warmed is simply drawn on its first visit
                log.exception("warm-up of %s (%s) failed", page.slug, lang)
    log.info("caches warmed in %.1f s", time.perf_counter() - start)
