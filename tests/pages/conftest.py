"""Page tests run the real app (AppTest) on a warehouse built from the shipped data."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LANG_PARAM = {"vi": "Tiếng Việt", "en": "English"}


@pytest.fixture(autouse=True)
def _warehouse(shipped_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NQ57_DB", str(shipped_db))


def open_page(page: str | None, lang: str = "vi", as_of: str | None = None, **params: str) -> AppTest:
    """Run app.py (the sidebar and navigation), then switch to `page` with the given URL parameters."""
    at = AppTest.from_file(APP, default_timeout=120)
    if lang != "vi":
        at.query_params["lang"] = LANG_PARAM[lang]
    if as_of:
        at.query_params["as_of"] = as_of
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Every piece of text the page shows (markdown, captions, headings, metrics)."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning")
             for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    # st.html blocks (the scorecard): their text, without styles and tags
    parts += [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<style>.*?</style>", "", e.proto.body))))
              for e in at.get("html")]
    return "\n".join(str(p) for p in parts).replace("\u00a0", " ")  # a no-break space reads as a space
