"""A unit's meeting pack fits a meeting: a briefing on the unit (not the national pack) of at most 16 pages, every
date on one line, each indicator's figures in date order; with a theme, the theme seen for the unit."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from dashboard.i18n import t
from tests.pages.test_pack import RAW, info, pages_text, run_pack

MAX_PAGES = 16
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# a unit with many figures (a ministry), a province, a unit the reports give nothing about
UNITS = {"Bộ Khoa học và Công nghệ": "m_khcn", "Quảng Ninh": "p_quang_ninh", "Bộ Công an": "m_cong_an",
         "Van phong Chinh phu": "m_vpcp"}


@pytest.fixture(scope="module")
def packs(shipped_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = {}
    folder = tmp_path_factory.mktemp("unit_packs")
    for written, unit in UNITS.items():
        for lang in ("vi", "en") if unit == "m_khcn" else ("vi",):
            path = folder / f"{unit}_{lang}.pdf"
            done = run_pack(shipped_db, path, "--agency", written, "--lang", lang)
            assert done.returncode == 0, done.stderr
            out[unit, lang] = path
    return out


def raw_text(path: Path) -> str:
    """The text in the order it is drawn: a cell's lines follow each other, so a date cut in two shows."""
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("unit", "lang"), [("m_khcn", "vi"), ("m_khcn", "en"), ("p_quang_ninh", "vi"),
                                            ("m_cong_an", "vi"), ("m_vpcp", "vi")])
def test_a_unit_s_pack_is_a_briefing_of_at_most_16_pages(packs, unit, lang):
    path = packs[unit, lang]
    assert int(info(path)["Pages"]) <= MAX_PAGES
    from dashboard.texts import unit_names

    text = re.sub(r"\s+", " ", "\n".join(pages_text(path)))
    assert f"{t('profile', lang)}: {unit_names(lang)[unit]}" in text
    assert t("national_picture", lang) in text and t("unit_tasks", lang, unit=unit_names(lang)[unit]) in text
    # not the national pack: no overview of every agency's overdue tasks, no theme page of national figures
    assert t("overdue_by_agency", lang) not in text and t("all_indicators", lang) not in text
    assert t("footer_sources", lang) in text and t("status_rule_title", lang) in text
    assert sorted(set(RAW.findall(re.sub(r"https?://\S+", "", text)))) == []


@pytest.mark.parametrize(("unit", "lang"), [("m_khcn", "vi"), ("m_khcn", "en"), ("p_quang_ninh", "vi"),
                                            ("m_cong_an", "vi")])
def test_every_date_is_on_one_line(packs, unit, lang):
    text = raw_text(packs[unit, lang])
    if lang == "vi":
        assert not re.findall(r"\b\d{2}/\d{2}/\d{1,3}(?!\d)", text), "a date cut at the end of a cell's line"
        assert len(re.findall(r"\b\d{2}/\d{2}/\d{4}\b", text)) >= 10
    else:
        assert len(re.findall(rf"\b\d{{2}} (?:{MONTHS}) \d{{4}}\b", text)) >= 10
        # ("by 31 Dec of its year": the method's sentence, not a date)
        assert not re.findall(rf"\b\d{{2}} (?:{MONTHS})\b(?! \d{{4}}| of its)", text), "a year cut from its day and month"
        assert not re.findall(rf"\b\d{{2}}\n(?:{MONTHS}) \d{{4}}", text), "a day cut from its month"


def test_each_indicator_s_figures_are_in_date_order(shipped_db: Path, monkeypatch: pytest.MonkeyPatch):
    """In the briefing's tables (the pack prints them as they are) and in the printed pack: Bộ KH&CN's legal
    documents being drafted, 22/09/2025 before 03/05/2026."""
    monkeypatch.setenv("NQ57_DB", str(shipped_db))
    from dashboard.models import Section, Table
    from dashboard.sections.briefing import briefing
    from dashboard.view import View

    day = dt.date(2026, 5, 8)
    tables = []

    def walk(items):
        for it in items:
            if isinstance(it, Section):
                walk(it.items)
            elif isinstance(it, Table) and t("indicator", "vi") in it.frame.columns:
                tables.append(it.frame)

    for unit in UNITS.values():
        walk(briefing(View("vi", day, latest=day, unit=unit)))
    assert tables
    rows = 0
    for frame in tables:
        for _, part in frame.groupby(t("indicator", "vi"), sort=False):
            dates = [dt.datetime.strptime(d, "%d/%m/%Y") for d in part[t("date", "vi")]]
            assert dates == sorted(dates), part
            rows += len(part)
    assert rows >= 40


def test_a_restated_figure_is_printed_once_with_its_reports(packs):
    """Quảng Ninh's 5G coverage (94%) is stated three times in one report: one row, one report number."""
    text = re.sub(r"\s+", " ", raw_text(packs["p_quang_ninh", "vi"]))
    name = "Tỷ lệ dân số được phủ sóng 5G"
    assert text.count(name) == 1
    row = text[text.index(name):][:120]
    assert "94% 03/05/2026" in row and "91,9% (03/05/2026)" in row  # the national figure beside it


def test_a_unit_without_figures_says_so(packs):
    text = re.sub(r"\s+", " ", "\n".join(pages_text(packs["m_vpcp", "vi"])))
    assert t("profile_empty", "vi") in text and t("unit_no_tasks", "vi", unit="Văn phòng Chính phủ") in text
    assert t("unit_not_in_overdue_list", "vi", unit="Văn phòng Chính phủ", date="08/05/2026") in text
    assert int(info(packs["m_vpcp", "vi"])["Pages"]) <= 4


def test_the_unit_s_place_among_the_units(packs):
    text = re.sub(r"\s+", " ", "\n".join(pages_text(packs["m_cong_an", "vi"])))
    # 73 overdue tasks on 08/05/2026; Bộ Công an's 8 come after Bộ Nội vụ (18), Bộ VH-TT-DL (16), Bộ Y tế (15)
    assert "73 nhiệm vụ quá hạn (08/05/2026" in text
    assert t("unit_overdue_rank", "vi", unit="Bộ Công an", n="8", rank=4, of=13) in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_theme_and_a_unit_give_the_theme_seen_for_the_unit(shipped_db: Path, tmp_path: Path, lang):
    out = tmp_path / "theme_unit.pdf"
    done = run_pack(shipped_db, out, "--theme", "dong-gop", "--agency", "Bac Ninh", "--lang", lang)
    assert done.returncode == 0, done.stderr
    assert int(info(out)["Pages"]) <= MAX_PAGES
    text = re.sub(r"\s+", " ", "\n".join(pages_text(out)))
    assert t("theme_contribution", lang) in text and t("theme_digital_infra", lang) not in text
    assert ("46,3%" if lang == "vi" else "46.3%") in text and ("khoảng 18,72%" if lang == "vi" else "about 18.72%") in text
    assert "/dong-gop?unit=p_bac_ninh" in text  # the permalink: the theme page seen for the unit
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    assert any(" image " in r for r in images.splitlines()[2:])  # its chart against the national figure
