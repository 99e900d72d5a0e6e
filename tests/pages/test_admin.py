"""The admin page: hidden without sign-in configured, password sign-in, upload → report → load → history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import admin, queries
from dashboard.i18n import t
from etl import submissions
from etl.build import build
from etl.templates import template_bytes
from tests.pages.conftest import open_page, texts

REPO = Path(__file__).resolve().parents[2]


def test_no_admin_page_without_sign_in_configured(monkeypatch):
    monkeypatch.delenv(admin.PASSWORD_ENV, raising=False)
    assert admin.auth_mode() is None
    at = open_page(None, "vi")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/cap-nhat.py")  # not registered in the navigation at all


def test_password_is_compared_exactly(monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_ENV, "đúng-mật-khẩu")
    assert admin.password_ok("đúng-mật-khẩu")
    assert not admin.password_ok("đúng-mật-khẩ")
    assert not admin.password_ok("")


def test_sign_in_then_templates_and_upload(monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_ENV, "s3cret")
    at = open_page("pages/cap-nhat.py", "vi")
    assert at.title[0].value == t("page_admin", "vi")
    assert t("templates", "vi") not in texts(at)
    at.text_input[0].input("Bộ KH&CN")
    at.text_input[1].input("sai")
    at.button[0].click().run()
    assert t("sign_in_failed", "vi") in [e.value for e in at.error]
    at.text_input[1].input("s3cret")
    at.button[0].click().run()
    assert t("templates", "vi") in [h.value for h in at.subheader]
    assert t("signed_in_as", "vi", user="Bộ KH\\&CN") in texts(at)  # Markdown source: the name is shown, never run


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A writable copy of data/ and kpis/ with its own warehouse, as the app would see them."""
    data, kpis, db = tmp_path / "data", tmp_path / "kpis", tmp_path / "w.duckdb"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("warehouse.duckdb*"))
    shutil.copytree(REPO / "kpis", kpis)
    for k, v in (("NQ57_DATA", data), ("NQ57_KPIS", kpis), ("NQ57_DB", db)):
        monkeypatch.setenv(k, str(v))
    build(data, db, kpis)
    return data


def test_upload_checks_then_loads_and_shows_in_history(scratch):
    good = template_bytes("indicators", "csv").replace("dòng ví dụ".encode(), "ghi chú".encode())
    checked = admin.check_upload("bao_cao_ha_noi.csv", good)
    assert checked.kind == "indicators" and checked.rows == 1 and not checked.issues
    result = submissions.load(checked.path, loaded_by="Hà Nội", original_name=checked.name)
    assert result.status == "loaded"
    hist = queries.submission_history()
    assert list(hist["loaded_by"]) == ["Hà Nội"] and list(hist["original_name"]) == ["bao_cao_ha_noi.csv"]


def test_a_bad_upload_gets_a_report_and_nothing_is_written(scratch):
    bad = template_bytes("indicators", "csv").replace(b"coverage_5g_population", b"coverage_5g_populaton")
    checked = admin.check_upload("sai.csv", bad)
    assert checked.issues
    frame = admin.issues_frame(checked.issues, queries_view())
    assert "indicator" in " ".join(frame[t("reason", "en")].astype(str)).lower()
    assert not (scratch / "submissions" / "manifest.csv").exists()


def test_an_unreadable_upload_says_why(scratch):
    checked = admin.check_upload("hong.xlsx", b"not a workbook")
    assert checked.unreadable


def queries_view():
    import datetime as dt

    from dashboard.view import View

    return View(lang="en", as_of=dt.date(2026, 5, 8))


def test_wrong_passwords_make_the_next_try_wait_then_lock_sign_in(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(admin.time, "monotonic", lambda: clock[0])
    throttle = admin.Throttle()
    waits = []
    for _ in range(10):
        throttle.failed()
        waits.append(throttle.wait())
    assert waits == [0, 0, 2, 4, 8, 16, 32, 60, 60, 900]  # the tenth locks sign-in for 15 minutes
    clock[0] += 900
    assert throttle.wait() == 0
    throttle.succeeded()
    throttle.failed()
    assert throttle.wait() == 0


@pytest.mark.parametrize(("name", "plain"), [("Nguyễn Văn An", True), ("Sở KH-CN Hà Nội", True), ("Bộ KH&CN", True),
                                              ("[x](http://evil)", False), ("<b>x</b>", False), ("", False),
                                              ("a" * 61, False), ("Phòng 3.2", True)])
def test_a_sign_in_name_is_a_plain_name(name, plain):
    assert bool(admin.PLAIN_NAME.fullmatch(name)) is plain
