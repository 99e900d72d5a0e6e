"""The admin page: hidden without sign-in configured, password sign-in, upload → report → load → history."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard import admin, queries
from dashboard.i18n import t
from dashboard.texts import issues_table
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
    frame = issues_table(checked.issues, queries_view().lang)
    assert "indicator" in " ".join(frame[t("reason", "en")].astype(str)).lower()
    assert not (scratch / "submissions" / "manifest.csv").exists()


def test_an_unreadable_upload_says_why(scratch):
    checked = admin.check_upload("hong.xlsx", b"not a workbook")
    assert checked.unreadable


def queries_view():
    import datetime as dt

    from dashboard.view import View

    return View(lang="en", as_of=dt.date(2026, 5, 8))


@pytest.fixture(autouse=True)
def _own_throttle(tmp_path, monkeypatch):
    """Each test counts wrong passwords in its own file (the app's is under the data folder)."""
    monkeypatch.setattr(admin, "SIGN_IN", admin.Throttle(tmp_path / "sign_in.json"))


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(admin.time, "time", lambda: now[0])
    return now


def wrong(throttle: admin.Throttle, client: str) -> str:
    return throttle.attempt(client, lambda: False)[0]


def test_wrong_passwords_make_that_address_wait_then_lock_it_out(tmp_path, clock):
    throttle = admin.Throttle(tmp_path / "t.json")
    waits = []
    for _ in range(10):
        clock[0] += waits[-1] if waits else 0
        assert wrong(throttle, "203.0.113.7") == "wrong"
        waits.append(throttle.wait("203.0.113.7"))
    assert waits == [0, 0, 2, 4, 8, 16, 32, 60, 60, 900]  # the tenth locks this address out for 15 minutes
    assert throttle.attempt("203.0.113.7", lambda: True) == ("wait", 900)  # not even the right password is heard
    clock[0] += 899
    assert throttle.wait("203.0.113.7") == 1
    clock[0] += 1
    assert wrong(throttle, "203.0.113.7") == "wrong" and throttle.wait("203.0.113.7") == 900  # still 15 min a try
    clock[0] += 900
    assert throttle.attempt("203.0.113.7", lambda: True) == ("signed_in", 0)
    assert wrong(throttle, "203.0.113.7") == "wrong" and throttle.wait("203.0.113.7") == 0  # afresh after signing in


def test_one_address_locked_out_does_not_lock_out_another(tmp_path, clock):
    throttle = admin.Throttle(tmp_path / "t.json")
    for _ in range(10):
        clock[0] += throttle.wait("203.0.113.7")
        wrong(throttle, "203.0.113.7")
    assert throttle.wait("203.0.113.7") == 900
    assert throttle.wait("198.51.100.2") == 0
    assert throttle.attempt("198.51.100.2", lambda: True) == ("signed_in", 0)


def test_the_counts_are_shared_by_every_process_through_the_file(tmp_path, clock):
    """Two replicas are two processes: each its own Throttle object, one file."""
    one, two = admin.Throttle(tmp_path / "t.json"), admin.Throttle(tmp_path / "t.json")
    for _ in range(3):
        wrong(one, "203.0.113.7")
    assert two.wait("203.0.113.7") == 2
    assert two.attempt("203.0.113.7", lambda: True) == ("wait", 2)
    clock[0] += 2
    assert two.attempt("203.0.113.7", lambda: False) == ("wrong", 0) and one.wait("203.0.113.7") == 4


def test_many_addresses_together_slow_down_to_a_ceiling_that_never_locks_anyone_out(tmp_path, clock, monkeypatch):
    monkeypatch.setattr(admin.paths.os, "fsync", lambda _fd: None)  # thousands of tries: the rule, not the disk
    throttle = admin.Throttle(tmp_path / "t.json")
    attackers = [f"203.0.113.{i}" for i in range(1, 31)]
    for a in attackers[:15]:  # 30 wrong passwords from 15 addresses in 30 s: two each, no address waits yet
        for _ in range(2):
            assert wrong(throttle, a) == "wrong"
            clock[0] += 1
    assert throttle.wait(attackers[0]) == 15 - 1  # an address with two wrong of its own: 15 s after the last one
    clock[0] += 14
    assert wrong(throttle, attackers[0]) == "wrong"
    assert throttle.attempt(attackers[1], lambda: False) == ("wait", 15)  # one heard every 15 s, service-wide
    heard, start = 0, clock[0]
    while clock[0] < start + 900:  # 30 addresses trying every 10 s for 15 minutes; alone, each would be heard
        for a in attackers:       # ~9 times (2, 4 … 60 s, then locked): ~270 guesses
            heard += wrong(throttle, a) == "wrong"
        clock[0] += 10
        assert throttle.wait("198.51.100.2") == 0  # a new address is heard at once, all the while
    assert heard <= 15 * 2 + 900 / 15 + 1  # the 15 new addresses' two free tries, then one every 15 s at most
    assert throttle.attempt("198.51.100.2", lambda: True) == ("signed_in", 0)
    assert wrong(throttle, "198.51.100.3") == "wrong" and throttle.wait("198.51.100.3") == 0  # one mistake: still
    assert throttle.attempt("198.51.100.3", lambda: True) == ("signed_in", 0)                  # heard at once


def test_addresses_are_forgotten_a_day_after_their_last_wrong_password(tmp_path, clock):
    throttle = admin.Throttle(tmp_path / "t.json")
    for _ in range(10):
        wrong(throttle, "203.0.113.7")
        clock[0] += throttle.wait("203.0.113.7")
    clock[0] += 24 * 3600
    assert wrong(throttle, "203.0.113.7") == "wrong" and throttle.wait("203.0.113.7") == 0
    assert list(json.loads((tmp_path / "t.json").read_text())["clients"]) == ["203.0.113.7"]


def test_a_read_only_data_folder_counts_in_the_process(tmp_path, clock, monkeypatch):
    def refuse(*_a, **_k):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(admin.paths, "write_atomic", refuse)
    throttle = admin.Throttle(tmp_path / "t.json")
    for _ in range(3):
        assert wrong(throttle, "203.0.113.7") == "wrong"
    assert throttle.wait("203.0.113.7") == 2  # still throttled: never open because the file could not be written


@pytest.mark.parametrize(("peer", "forwarded", "key"), [
    ("203.0.113.7", [], "203.0.113.7"),  # a direct connection
    ("203.0.113.7", ["10.0.0.1"], "203.0.113.7"),  # a client's own header is not believed from afar
    (None, ["198.51.100.2"], "198.51.100.2"),  # our proxy on this machine forwards the client's address
    (None, ["1.2.3.4, 198.51.100.2"], "198.51.100.2"),  # the last address is the one our proxy wrote
    (None, ["1.2.3.4", "198.51.100.2"], "198.51.100.2"),
    (None, [], "local"),
    (None, ["not an address"], "local"),
    ("2001:db8:1:2:3:4:5:6", [], "2001:db8:1:2::/64"),  # IPv6 by its /64
    (None, ["2001:db8:1:2::99"], "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.7", [], "203.0.113.7"),
])
def test_the_client_is_the_peer_or_the_address_our_proxy_forwards(peer, forwarded, key):
    assert admin.client_key(peer, forwarded) == key


@pytest.mark.parametrize(("verified", "admitted"), [(True, True), ("true", True), ("True", True), (False, False),
                                                    ("false", False), (None, False), ("yes", False), (1, False)])
def test_an_oidc_e_mail_must_be_said_verified(monkeypatch, verified, admitted):
    monkeypatch.setattr(admin, "admin_emails", lambda: frozenset({"chuyenvien@most.gov.vn"}))
    claims = {"email": "ChuyenVien@most.gov.vn", "sub": "x"}
    if verified is not None:
        claims["email_verified"] = verified
    assert admin.oidc_admin(claims) == ("chuyenvien@most.gov.vn" if admitted else None)


def test_a_wrong_password_in_the_page_counts_for_this_client(monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_ENV, "s3cret")
    at = open_page("pages/cap-nhat.py", "vi")
    for _ in range(3):
        at.text_input[0].input("Bộ KH&CN")
        at.text_input[1].input("sai")
        at.button[0].click().run()
    assert admin.SIGN_IN.wait("local") == 2
    at.text_input[1].input("s3cret")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [t("sign_in_wait", "vi", seconds=2)]  # not heard: nobody signed in
    assert t("templates", "vi") not in [h.value for h in at.subheader]


@pytest.mark.parametrize(("name", "plain"), [("Nguyễn Văn An", True), ("Sở KH-CN Hà Nội", True), ("Bộ KH&CN", True),
                                              ("[x](http://evil)", False), ("<b>x</b>", False), ("", False),
                                              ("a" * 61, False), ("Phòng 3.2", True)])
def test_a_sign_in_name_is_a_plain_name(name, plain):
    assert bool(admin.PLAIN_NAME.fullmatch(name)) is plain
