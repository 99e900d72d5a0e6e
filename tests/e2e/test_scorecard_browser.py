"""The overview's scorecard in Chromium: what a minister sees on the first screen, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from dashboard.i18n import t
from tests.e2e.conftest import screenshot, wait_for_app

SCORED = ("achieved", "on_track", "needs_acceleration", "limited", "deterioration", "insufficient", "no_data")


def first_screen_text(page, height: int) -> str:
    """The text of every element drawn inside the first `height` pixels of the page."""
    return page.evaluate(f"""() => {{
        const out = [];
        const walk = document.createTreeWalker(document.querySelector('[data-testid=stMain]'), NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {{
            const r = walk.currentNode.parentElement.getBoundingClientRect();
            if (r.height > 0 && r.top >= 0 && r.bottom <= {height}) out.push(walk.currentNode.textContent);
        }}
        return out.join('');
    }}""")


def open_overview(page, app_url: str, lang: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_url}/" + ("?lang=English" if lang == "en" else ""))
    wait_for_app(page)
    page.locator(".nq-strip").wait_for(timeout=60_000)
    page.locator("table.nq-score").wait_for(timeout=60_000)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_first_screen_answers_which_targets_are_on_track_and_what_is_late(page, app_url, lang):
    open_overview(page, app_url, lang, 1440, 900)
    seen = first_screen_text(page, 900)
    words = [t(f"status_{s}", lang) for s in SCORED if t(f"status_{s}", lang) in seen]
    assert len(words) >= 3, seen
    assert f"73 {t('overdue_tasks', lang)}" in seen  # the overdue total of the latest report
    assert t("overdue_by_agency", lang) in seen
    assert t("status_no_target", lang) not in seen  # indicators without a target come below, never ahead
    # every count links to its own rows
    for link in page.locator(".nq-strip a").all():
        anchor = link.get_attribute("href")
        assert anchor.startswith("#st-") and page.locator(anchor).count() == 1
    # the worst group comes first in the table
    first_group = page.locator("table.nq-score tr.group").first.get_attribute("id")
    assert first_group == page.locator(".nq-strip a").first.get_attribute("href")[1:]
    sparks = page.locator("table.nq-score img.nq-spark")
    assert sparks.count() >= 3 and all(s.evaluate("i => i.complete && i.naturalWidth > 0") for s in sparks.all())
    screenshot(page, f"scorecard_{lang}")


def test_on_a_phone_the_first_screen_shows_the_counts_and_the_overdue_total(page, app_url):
    open_overview(page, app_url, "vi", 390, 844)
    seen = first_screen_text(page, 844)
    assert f"73 {t('overdue_tasks', 'vi')}" in seen
    assert sum(t(f"status_{s}", "vi") in seen for s in SCORED) >= 3
    page.screenshot(path=str(screenshot.__globals__["SCREENSHOTS"] / "scorecard_phone.png"))


def test_a_count_scrolls_to_its_targets(page, app_url):
    open_overview(page, app_url, "vi", 1440, 900)
    link = page.locator(".nq-strip a").last
    target = page.locator(link.get_attribute("href"))
    link.click()
    page.wait_for_timeout(800)
    box = target.bounding_box()
    assert box is not None and -5 <= box["y"] < 900  # scrolled to the top of the screen
