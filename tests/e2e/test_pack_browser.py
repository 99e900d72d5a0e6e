"""The meeting-pack button in Chromium: pressed on a unit's profile, it shows its progress, then offers the PDF of
that view (its date, language and unit), named after what it holds."""

from __future__ import annotations

import subprocess

import pytest

from dashboard.i18n import t
from tests.e2e.conftest import wait_for_app


@pytest.mark.parametrize(("lang", "suffix"), [("vi", ""), ("en", "&lang=English")])
def test_the_button_makes_the_pack_of_the_view(page, app_url, tmp_path, lang, suffix):
    page.goto(f"{app_url}/bo-nganh-dia-phuong?agency=m_khcn&as_of=31/12/2025{suffix}")
    wait_for_app(page)
    page.get_by_role("button", name=t("pack_button", lang)).click()
    page.locator("[data-testid=stProgress]").wait_for(timeout=30_000)  # the reader sees it is under way
    save = page.get_by_role("button", name=t("pack_save", lang))
    save.wait_for(timeout=180_000)
    assert page.get_by_role("button", name=t("pack_button", lang)).count() == 0
    with page.expect_download() as download:
        save.click()
    out = tmp_path / download.value.suggested_filename
    download.value.save_as(out)
    assert out.suffix == ".pdf" and "2025-12-31" in out.name
    assert ("bo-khoa-hoc" if lang == "vi" else "ministry-of-science") in out.name
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert t("pack_title", lang) in text and "31/12/2025" in text
    assert f"{t('profile', lang)}: {'Bộ Khoa học và Công nghệ' if lang == 'vi' else 'Ministry of Science'}" in text
    assert "agency=m_khcn" in text  # the permalink to the page it was made from
