"""The start-up warm-up (serve.py): it covers every page of the page registry, and a page run after it builds no
figure again (it fills the very keys the pages look up)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard import charts, queries, site, warmup
from dashboard.sections import themes
from dashboard.view import View

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"


def test_every_page_file_is_a_page_of_the_registry_and_back():
    assert {p.slug for p in site.pages()} == {p.stem for p in PAGES_DIR.glob("*.py")}


def test_after_the_warm_up_a_page_builds_no_figure(monkeypatch: pytest.MonkeyPatch):
    warmup.warm(("en",))
    built: list[str] = []
    for fn in ("trend_figure", "bar_figure", "stacked_bar_figure", "lines_figure", "funnel_figure"):
        original = getattr(charts, fn)
        monkeypatch.setattr(charts, fn, lambda *a, _f=original, _n=fn, **k: built.append(_n) or _f(*a, **k))
    latest = max(queries.report_dates())
    view = View(lang="en", as_of=latest, latest=latest)
    for page in site.pages():
        warmup.warm_page(page, view)
    assert built == []
    themes.theme_page("capacity", View(lang="en", as_of=dt.date(2025, 12, 31)))  # another date: not warmed, built
    assert built
