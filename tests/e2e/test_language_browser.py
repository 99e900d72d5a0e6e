"""What a reader sees, page by page in both languages: no raw id, file hash or snake_case token anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.i18n import t
from tests.conftest import theme_pages
from tests.e2e.conftest import wait_for_app

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
