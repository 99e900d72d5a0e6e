"""The start-up warm-up (serve.py): it covers every page of the navigation, and a page run after it builds no figure
again (it fills the very keys the pages look up)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard import charts, queries, views, warmup
from dashboard.shell import View

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"
NOT_WARMED = {"chi-so", "cap-nhat"}  # one page per indicator (~200), and the administrators' upload page


def test_every_page_is_warmed():
    assert set(warmup.PAGES) == {p.stem for p in PAGES_DIR.glob("*.py")} - NOT_WARMED


def test_after_the_warm_up_a_page_builds_no_figure(monkeypatch: pytest.MonkeyPatch):
    warmup.warm(("en",))
    built: list[str] = []
    for fn in ("trend_figure", "bar_figure", "stacked_bar_figure", "lines_figure", "funnel_figure"):
        original = getattr(charts, fn)
        monkeypatch.setattr(charts, fn, lambda *a, _f=original, _n=fn, **k: built.append(_n) or _f(*a, **k))
    view = View(lang="en", as_of=max(queries.report_dates()))
    for page in warmup.PAGES.values():
        page(view)
    assert built == []
    views.theme_page("capacity", View(lang="en", as_of=dt.date(2025, 12, 31)))  # another date: not warmed, built
    assert built
