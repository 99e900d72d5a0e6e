"""What a reader sees, page by page in both languages: no raw id, file hash or snake_case token anywhere; one language
on a page (no Streamlit English on a Vietnamese page, units named in English on an English one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.i18n import t
from tests.conftest import theme_pages
from tests.e2e.conftest import screenshot, wait_for_app

PAGES = {"": 0, **{Path(p).stem: 1 for p in theme_pages().values()}, "nhiem-vu": 1, "bo-nganh-dia-phuong": 0,
         "bo-nganh-dia-phuong?agency=m_khcn": 0, "dia-phuong": 1, "san-pham": 1, "nguon": 0,
         "chi-so?id=coverage_5g_population": 1}
VI_LETTERS = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE)
RAW = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b|\b[0-9a-f]{16,}\b|\.txt\b|\.parquet\b")

# Every text node a reader can see (chart text included); Material icons are glyphs drawn from their names.
VISIBLE_TEXT = """() => {
    const out = [];
    const walk = document.createTreeWalker(document.querySelector('[data-testid=stMain]'), NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
        const el = walk.currentNode.parentElement;
        if (!el || el.closest('[role=img]') || el.closest('style,script')) continue;
        if (getComputedStyle(el).fontFamily.includes('Material Symbols')) continue;
        if (!el.getClientRects().length) continue;
        out.push(walk.currentNode.textContent);
    }
    return out.join(' ');
}"""


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", list(PAGES))
def test_no_raw_id_is_shown(page, app_url, path, lang):
    suffix = ("&" if "?" in path else "?") + "lang=English" if lang == "en" else ""
    page.goto(f"{app_url}/{path}{suffix}")
    wait_for_app(page, PAGES[path])
    page.get_by_text(t("footer_licence", lang)).wait_for(timeout=60_000)  # every page writes its footer last
    if not path:
        page.locator("table.nq-score").wait_for(timeout=60_000)
    page.wait_for_timeout(800)
    seen = page.evaluate(VISIBLE_TEXT)
    assert len(seen) > 200
    assert sorted(set(RAW.findall(seen))) == []
    if lang == "en":  # English pages in English: Vietnamese only in proper names and the reports' own words
        words = re.findall(r"\w+", seen)
        assert sum(bool(VI_LETTERS.search(w)) for w in words) <= 0.03 * len(words)


# Streamlit's own words (1.67 speaks only English): its toolbar over a table or chart, a table column's menu, a text
# box's hint. A Vietnamese page must show none of them, hovered or clicked.
STREAMLIT_ENGLISH = ("Fullscreen", "Download as CSV", "Search", "Sort ascending", "Sort descending", "Pin column",
                     "Hide column", "Autosize", "Show/hide columns", "Press Enter")
# The words and tooltips of what is on the screen now (an element in a hidden part has no box).
SHOWN_CHROME = """() => {
    const out = [];
    for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
        if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
        for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
        for (const n of el.childNodes) if (n.nodeType === 3 && n.textContent.trim()) out.push(n.textContent.trim());
    }
    return out.join(' | ');
}"""
VI_PAGES = {"": 0, "nhiem-vu?illustrative=true": 1, "bo-nganh-dia-phuong": 0, "nguon-luc": 1,
            "chi-so?id=digital_economy_share_gdp": 1}


def _english_chrome(page) -> list[str]:
    shown = page.evaluate(SHOWN_CHROME)
    return [w for w in STREAMLIT_ENGLISH if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", shown)]


def _settled(page, charts: int, lang: str = "vi") -> None:
    """The page drawn to its footer, its style applied and its download buttons drawn (Streamlit loads the code of
    an element the first time one is shown)."""
    wait_for_app(page, charts)
    page.get_by_text(t("footer_licence", lang)).wait_for(timeout=60_000)
    # the footer can come before an element whose code a fresh browser has not loaded yet (a table, a download
    # button): it stands as a skeleton until then
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('style')]"
                           ".some(s => s.textContent.includes('stElementToolbar'))", timeout=30_000)
    if page.locator("[data-testid=stDownloadButton]").count():
        page.locator("[data-testid=stDownloadButton] button").first.wait_for(timeout=30_000)


@pytest.mark.parametrize("path", list(VI_PAGES))
def test_a_vietnamese_page_shows_none_of_streamlit_s_english(page, app_url, path):
    """Hovering a table or a chart shows no English toolbar or button: the page's own labelled downloads replace
    them."""
    page.goto(f"{app_url}/{path}")
    _settled(page, VI_PAGES[path])
    assert _english_chrome(page) == []
    hovered = 0
    for el in page.locator("[data-testid=stDataFrame], .js-plotly-plot").all()[:12]:
        if not el.is_visible():  # inside a closed expander
            continue
        el.scroll_into_view_if_needed()
        el.hover()
        page.wait_for_timeout(300)
        hovered += 1
        assert _english_chrome(page) == [], path
    assert hovered or not VI_PAGES[path]
    if path:
        assert page.get_by_role("button", name=t("download_csv", "vi")).count() > 0


def test_a_long_table_has_a_search_box_of_its_own_and_its_columns_no_english_menu(page, app_url):
    """The league table (41 units): Streamlit's English search is replaced by the page's own box, which finds a unit
    by its name with or without diacritics; a column's header menu (Sort ascending…) does not open."""
    page.goto(f"{app_url}/bo-nganh-dia-phuong")
    _settled(page, 0)
    grid = page.locator("[data-testid=stDataFrame]").first
    rows = grid.locator("table[role=grid]")
    assert int(rows.get_attribute("aria-rowcount")) > 30
    box = page.get_by_label(t("search_table", "vi"))
    box.fill("ha noi")
    page.wait_for_function("() => document.querySelector('[data-testid=stDataFrame] table[role=grid]')"
                           ".getAttribute('aria-rowcount') === '2'", timeout=30_000)
    assert grid.locator("table td").first.text_content() == "Hà Nội"
    assert _english_chrome(page) == []  # no "Press Enter to apply" under the box
    frame = grid.bounding_box()
    header = frame["y"] + 18
    page.mouse.move(frame["x"] + 400, header)
    page.wait_for_timeout(300)
    for x in range(int(frame["x"]) + 300, int(frame["x"]) + 560, 12):  # wherever the column's menu button is drawn
        page.mouse.click(x, header)
    page.wait_for_timeout(500)
    assert _english_chrome(page) == []
    screenshot(page, "bo-nganh-dia-phuong_search")


# The English names of units that Vietnamese names differ from (data/dims/agencies.csv), and English labels the
# issue found wanting
EN_PAGES = {"?lang=English": 0, "nhiem-vu?lang=English": 1, "dia-phuong?lang=English": 1, "nguon-luc?lang=English": 1,
            "bo-nganh-dia-phuong?agency=p_bac_ninh&lang=English": 0, "chuyen-doi-so?lang=English": 1}
NOT_ENGLISH = ("Government SC 57", "Key DBs", "Nothing moved", "Central SC")
# Every text of the page a reader can read or hover: its visible text, the cells of its grids, its charts' texts
READABLE = """() => {
    const out = [];
    for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
        if (el.closest('style,script')) continue;
        const inGrid = el.closest('[data-testid=stDataFrame] table');
        if (!inGrid && !el.getClientRects().length) continue;
        for (const n of el.childNodes) if (n.nodeType === 3 && n.textContent.trim()) out.push(n.textContent.trim());
    }
    for (const g of document.querySelectorAll('.js-plotly-plot')) {
        for (const tr of g.data || []) {
            if (tr.name) out.push(tr.name);
            for (const k of ['y', 'text']) if (Array.isArray(tr[k])) out.push(...tr[k].filter(v => typeof v === 'string'));
        }
    }
    return out.join('\\n');
}"""


@pytest.mark.parametrize("path", list(EN_PAGES))
def test_an_english_page_names_units_in_english(page, app_url, path, shipped_db):
    import duckdb

    with duckdb.connect(str(shipped_db), read_only=True) as con:
        names = con.execute("SELECT name_vi FROM agencies WHERE name_en IS NOT NULL AND name_en <> name_vi "
                            "AND kind IN ('ministry', 'province')").fetchall()
    page.goto(f"{app_url}/{path}")
    _settled(page, EN_PAGES[path], "en")
    text = page.evaluate(READABLE)
    # the reports' own words (quotes) stay as written
    text = re.sub(r"“[^”]*”", "", text)
    quotes = {q for q in re.findall(r"^.*$", text, flags=re.M) if VI_LETTERS.search(q) and len(q.split()) > 6}
    shown = "\n".join(line for line in text.splitlines() if line not in quotes)
    assert [n for (n,) in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", shown)] == []
    assert [w for w in NOT_ENGLISH if w in shown] == []
