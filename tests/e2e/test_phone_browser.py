"""Phones (390x844) and a laptop (1440x900), in both languages: every chart's text inside its figure (titles, subtitles,
sources, bar labels, legends, ticks), the legend between the subtitle and the plot, bars a thumb can see, and the
overview's scorecard as rows a phone can read. The same figures serve both widths (Plotly cannot know the screen)."""

from __future__ import annotations

import pytest

from dashboard.i18n import t
from tests.e2e.conftest import SCREENSHOTS

PHONE, LAPTOP = (390, 844), (1440, 900)
PAGES = {"nhiem-vu": 4, "dong-gop": 3, "bo-nganh-dia-phuong?agency=m_y_te": 2}

# Per drawn chart: its box, the texts that leave it, its legend, title block and plot area, its bars' heights
CHART_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(g => g._fullLayout).map(g => {
    const box = g.getBoundingClientRect();
    const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    const out = [...g.querySelectorAll('.main-svg text')].filter(shown).map(e => [e.textContent, e.getBoundingClientRect()])
        .filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1).map(([s]) => s);
    const titles = [...g.querySelectorAll('.gtitle, .gtitle-subtitle')].filter(shown).map(e => e.getBoundingClientRect());
    const legend = [...g.querySelectorAll('.legend')].filter(shown).map(e => e.getBoundingClientRect())[0] || null;
    const size = g._fullLayout._size;
    const bars = [...g.querySelectorAll('.bars .point path')].map(p => p.getBoundingClientRect().height).filter(h => h > 0);
    return {title: (g._fullLayout.title.text || '').slice(0, 60), out,
            titleBottom: titles.length ? Math.max(...titles.map(r => r.bottom)) : box.top,
            legendTop: legend && legend.top, legendBottom: legend && legend.bottom, plotTop: box.top + size.t,
            thinnest: bars.length ? Math.min(...bars) : null, plotShare: size.w / box.width,
            map: !!g.querySelector('.maplibregl-map, .mapboxgl-map')};
})"""


def _open(browser, app_url: str, path: str, size: tuple[int, int], lang: str):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = ctx.new_page()
    suffix = ("&" if "?" in path else "?") + "lang=English" if lang == "en" else ""
    pg.goto(f"{app_url}/{path}{suffix}")
    pg.wait_for_selector("[data-testid=stAppViewContainer]", timeout=60_000)
    pg.get_by_text(t("footer_licence", lang)).wait_for(timeout=90_000)
    return ctx, pg


def _draw_every_chart(pg, at_least: int) -> None:
    """Scroll every chart into view (Streamlit draws a chart when it is near the screen) until all are drawn."""
    charts = pg.locator("[data-testid=stPlotlyChart]")
    pg.wait_for_function(f"() => document.querySelectorAll('[data-testid=stPlotlyChart]').length >= {at_least}",
                         timeout=60_000)
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
    pg.wait_for_function("() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
                         ".every(c => c.querySelector('.main-svg'))", timeout=60_000)
    pg.wait_for_timeout(800)


def _shot(pg, name: str) -> None:
    """A full-page screenshot at the page's own width (Streamlit scrolls inside its main block: grow the viewport)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = pg.viewport_size["width"]
    height = pg.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    pg.set_viewport_size({"width": width, "height": max(844, min(int(height), 14000))})
    pg.wait_for_timeout(800)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", list(PAGES))
def test_every_chart_keeps_its_texts_inside_and_its_legend_between_subtitle_and_plot(browser, app_url, path, lang,
                                                                                     size):
    ctx, pg = _open(browser, app_url, path, size, lang)
    try:
        _draw_every_chart(pg, PAGES[path])
        charts = pg.evaluate(CHART_BOXES)
        assert len(charts) >= PAGES[path]
        for c in charts:
            assert c["out"] == [], (c["title"], c["out"][:3])  # nothing cut at the left or right edge
            if c["legendTop"] is not None and not c["map"]:  # under the title and subtitle, over the plot
                assert c["legendTop"] >= c["titleBottom"] - 1, c["title"]
                assert c["legendBottom"] <= c["plotTop"] + 1, c["title"]
            if c["thinnest"] is not None:  # bars a reader can see and tap, as long as the figure is wide
                assert c["thinnest"] >= 14 and c["plotShare"] >= 0.9, (c["title"], c["thinnest"], c["plotShare"])
        _shot(pg, f"{path.split('?')[0]}_{lang}_{size[0]}")
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_scorecard_reads_as_rows_on_a_phone(browser, app_url, lang):
    """Each target's name across the phone's width (it wrapped one word a line), its figure and target under it."""
    ctx, pg = _open(browser, app_url, "", PHONE, lang)
    try:
        pg.locator("table.nq-score").wait_for(timeout=60_000)
        rows = pg.evaluate("""() => [...document.querySelectorAll('table.nq-score tr:not(.group)')]
            .filter(r => r.querySelector('a') && r.cells.length > 3).map(r => {
                const name = r.cells[1].getBoundingClientRect(), figure = r.cells[2].getBoundingClientRect();
                return {name: name.width, lines: Math.round(name.height / parseFloat(getComputedStyle(r.cells[1]).lineHeight)),
                        below: figure.top >= name.bottom - 1, table: r.closest('table').getBoundingClientRect().width};
            })""")
        assert len(rows) >= 3
        for r in rows:
            assert r["name"] >= 0.8 * r["table"] - 40 and r["below"] and r["lines"] <= 3, r
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE[0]  # nothing wider than the phone
        _shot(pg, f"tong-quan_{lang}_{PHONE[0]}")
    finally:
        ctx.close()
