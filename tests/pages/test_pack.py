"""The meeting pack: `python -m dashboard.pack` renders an A4 PDF whose text (pdftotext) holds the sections and the
figures of the view, in the reader's language, with no raw id; bad input exits 2 and writes nothing."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import pdf
from dashboard.i18n import t

REPO = Path(__file__).resolve().parents[2]
RAW = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b|\b[0-9a-f]{16,}\b")
VI_LETTERS = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE)


def run_pack(db: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NQ57_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "dashboard.pack", "--out", str(out), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def pages_text(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.fixture(scope="module")
def full_vi(shipped_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "F.pdf"
    done = run_pack(shipped_db, out, "--as-of", "08/05/2026")
    assert done.returncode == 0, done.stderr
    return out


def test_the_bar_an_a4_pack_of_at_least_four_pages(full_vi: Path):
    meta = info(full_vi)
    assert int(meta["Pages"]) >= 4
    assert "595.276 x 841.89 pts (A4)" in meta["Page size"]
    text = "\n".join(pages_text(full_vi))
    for needle in ("Nghị quyết 57", "08/05/2026", "Nguồn"):
        assert needle in text


def test_it_holds_every_section_and_every_pillar(full_vi: Path):
    text = "\n".join(pages_text(full_vi))
    for key in ("pack_title", "pack_scorecard", "overdue_by_agency", "all_indicators", "budget_title",
                "pack_conflicts", "pack_breaks", "footer_sources", "status_rule_title"):
        assert t(key, "vi") in text, key
    from dashboard import site, theme

    for page in site.theme_pages():
        assert t(page.title, "vi") in text
    for pillar in theme.terms("pillar"):  # a print has no tabs: every pillar is in it, not only the first
        assert t(f"pillar_{pillar}", "vi") in text


def test_its_figures_are_the_dashboards(full_vi: Path, shipped_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NQ57_DB", str(shipped_db))
    from dashboard import scorecard, theme
    from dashboard.view import View

    view = View(lang="vi", as_of=dt.date(2026, 5, 8))
    lines = scorecard.target_lines(view)
    latest, agencies = scorecard.overdue_now(view)
    text = re.sub(r"\s+", " ", "\n".join(pages_text(full_vi)))
    assert t("scorecard_of", "vi", n=len(lines), date="08/05/2026") in text
    assert f"{theme.format_number(latest.iloc[0]['value'], 'vi')} {t('overdue_tasks', 'vi')}" in text
    top = agencies.iloc[0]
    assert re.search(re.escape(top["entity_name"]) + r" +" + str(int(top["value"])), text)
    achieved = [ln for ln in lines if ln.status == "achieved"]
    assert achieved and all(scorecard.cells(ln, "vi")["figure"] in text for ln in achieved)
    assert "0 ∅" not in text and "∅ Chưa có số liệu" in text  # a missing figure is said, never a zero


def test_no_raw_id_and_every_font_embedded(full_vi: Path):
    text = re.sub(r"https?://\S+", "", "\n".join(pages_text(full_vi)))  # the permalink names its parameters
    assert sorted(set(RAW.findall(text))) == []
    fonts = subprocess.run(["pdffonts", str(full_vi)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in r for r in rows), fonts
    assert all("DejaVuSans" in r for r in rows)


def test_charts_are_drawn_as_images(full_vi: Path):
    images = subprocess.run(["pdfimages", "-list", str(full_vi)], capture_output=True, text=True, check=True).stdout
    drawn = [r for r in images.splitlines()[2:] if " image " in r]
    assert len(drawn) >= 20  # the themes' trajectories and story charts, and the budget's stages
    # the first page with a chart, turned into a picture: it is not blank
    from PIL import Image

    first = drawn[0].split()[0]
    out = full_vi.parent / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", first, "-l", first, str(full_vi), str(out)], check=True)
    png = next(full_vi.parent.glob("page*.png"))
    grey = Image.open(png).convert("L")
    assert sum(1 for v in grey.get_flattened_data() if v < 200) > 0.01 * grey.width * grey.height


def test_english_pack_in_english(shipped_db: Path, tmp_path: Path):
    out = tmp_path / "en.pdf"
    done = run_pack(shipped_db, out, "--as-of", "31/12/2025", "--lang", "en", "--theme", "digital_infra")
    assert done.returncode == 0, done.stderr
    text = "\n".join(pages_text(out))
    assert t("pack_title", "en") in text and "31/12/2025" in text and t("footer_sources", "en") in text
    assert t("theme_digital_infra", "en") in text and t("theme_capacity", "en") not in text
    words = re.findall(r"\w+", text)
    assert sum(bool(VI_LETTERS.search(w)) for w in words) <= 0.03 * len(words)
    assert sorted(set(RAW.findall(re.sub(r"https?://\S+", "", text)))) == []


def test_a_units_profile_by_name_and_a_date_between_reports(shipped_db: Path, tmp_path: Path):
    out = tmp_path / "p.pdf"
    done = run_pack(shipped_db, out, "--as-of", "01/01/2026", "--theme", "nang-luc", "--agency", "Bộ Y tế",
                    "--province", "Ha Noi")
    assert done.returncode == 0, done.stderr
    text = re.sub(r"\s+", " ", "\n".join(pages_text(out)))
    assert f"{t('profile', 'vi')}: Bộ Y tế" in text and f"{t('profile', 'vi')}: Hà Nội" in text
    # not a report date: the latest report before it, and the pack says so
    assert t("as_of_moved", "vi", wanted="01/01/2026", date="31/12/2025") in text
    # the permalink, as text (and as a QR code): the theme page seen for the (first) unit
    assert "/nang-luc?unit=m_y_te&as_of=31/12/2025" in text


@pytest.mark.parametrize(("args", "says"), [
    (["--agency", "Bộ Không Có"], "Không tìm thấy đơn vị"),
    (["--province", "Bộ Y tế"], "không phải tỉnh"),
    (["--theme", "weather"], "Không có chủ đề"),
    (["--as-of", "01/01/2020"], "trước báo cáo đầu tiên"),
    (["--as-of", "32/13/2026"], "Ngày không hợp lệ"),
])
def test_bad_input_exits_2_and_writes_nothing(shipped_db: Path, tmp_path: Path, args: list[str], says: str):
    out = tmp_path / "bad.pdf"
    out.write_bytes(b"an earlier pack")
    done = run_pack(shipped_db, out, *args)
    assert done.returncode == 2
    assert says in done.stderr and " / " in done.stderr  # both languages, no traceback
    assert "Traceback" not in done.stderr
    assert out.read_bytes() == b"an earlier pack"
    assert [p.name for p in tmp_path.iterdir()] == ["bad.pdf"]


def test_no_folder_exits_2(shipped_db: Path, tmp_path: Path):
    done = run_pack(shipped_db, tmp_path / "missing" / "F.pdf")
    assert done.returncode == 2 and "No folder" in done.stderr


def test_long_tables_repeat_their_header_and_text_is_inert(tmp_path: Path):
    rows = [[f"hàng {i} <b>x</b> & <a href='http://evil.vn'>y</a>", str(i)] for i in range(150)]
    story = [pdf.heading("Bảng dài"), pdf.table(rows, ["Chỉ tiêu đầu bảng", "Số"], [100, 20])]
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf.write(story, title="t", footer="chân trang", page_word="Trang", lang="vi-VN"))
    pages = pages_text(out)
    assert len(pages) >= 3
    assert all("Chỉ tiêu đầu bảng" in p for p in pages)
    assert all(f"Trang {i + 1}/{len(pages)}" in p for i, p in enumerate(pages))
    assert "hàng 149 <b>x</b> & <a href='http://evil.vn'>y</a>" in "\n".join(pages)  # written as text, not markup
