"""The one view resolver (dates, units, languages in links, pickers and the pack) and the page registry."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from dashboard import site
from dashboard.view import View, resolve_lang, resolve_unit, snap_date

LATEST, EARLIER = dt.date(2026, 5, 8), dt.date(2025, 12, 31)
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("text", "day", "note"), [
    (None, LATEST, None),  # no date: the latest report
    ("31/12/2025", EARLIER, None),  # a report date, as links write it
    ("2025-12-31", EARLIER, None),  # or as ISO
    ("01/01/2026", EARLIER, "as_of_moved"),  # between reports: the one before it, and it says so
    ("01/01/2020", dt.date(2025, 9, 22), "as_of_too_early"),  # before the first: the first
    ("32/13/2026", None, "as_of_invalid"),  # not a date
])
def test_a_date_snaps_to_a_report_and_says_why(text, day, note):
    snapped = snap_date(text)
    assert (snapped.day, snapped.note) == (day, note)
    if note and day:
        assert snapped.message("vi") and snapped.message("en") != snapped.message("vi")


@pytest.mark.parametrize(("text", "kind", "unit"), [
    ("m_y_te", None, "m_y_te"), ("Bộ Y tế", None, "m_y_te"), ("BYT", None, "m_y_te"),
    ("Ministry of Health", None, "m_y_te"), ("Ha Noi", "province", "p_ha_noi"), ("TP.HCM", "province", "p_tp_ho_chi_minh"),
    ("Bộ Y tế", "province", None), ("Bộ Không Có", None, None), ("", None, None),
    # a slug typed in a link
    ("bac-ninh", "province", "p_bac_ninh"), ("bo_y_te", None, "m_y_te"), ("quang-ninh", "province", "p_quang_ninh"),
    ("khong-co", None, None),
])
def test_a_unit_by_id_name_alias_english_name_or_without_diacritics(text, kind, unit):
    assert resolve_unit(text, kind) == unit


def test_languages_as_links_and_the_sidebar_write_them():
    assert [resolve_lang(x) for x in ("English", "en", "Tiếng Việt", "vi", None, "klingon")] == \
        ["en", "en", "vi", "vi", "vi", "vi"]


def test_a_link_keeps_the_view_but_leaves_the_latest_report_out():
    latest = View("vi", LATEST, latest=LATEST)
    assert latest.link("chi-so", id="gii_rank_world") == "/chi-so?id=gii_rank_world"
    earlier = View("en", EARLIER, illustrative=True, latest=LATEST)
    assert earlier.link("nhiem-vu") == "/nhiem-vu?lang=English&as_of=31%2F12%2F2025&illustrative=true"
    assert View("vi", LATEST) == View("vi", LATEST, latest=LATEST), "the memo key is the view, not what is latest"


def test_every_theme_with_a_page_slug_has_a_page_and_slugs_resolve():
    pages = site.theme_pages()
    assert len(pages) >= 5 and len({p.slug for p in pages}) == len(pages)
    for p in pages:
        assert site.theme_of(p.slug) == p.theme == site.theme_of(p.theme)
        assert Path(REPO / "pages" / f"{p.slug}.py").exists()
    assert site.theme_of("weather") is None


def test_no_module_of_the_data_and_models_layers_imports_streamlit():
    """Only the screen (screen, shell, admin) draws with Streamlit: the pack and the warm-up build the same models."""
    drawing = {"screen.py", "shell.py", "admin.py", "report_intake.py"}
    for path in (REPO / "dashboard").rglob("*.py"):
        if path.name in drawing:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not {m for m in imported if m.split(".")[0] == "streamlit"}, path.name
