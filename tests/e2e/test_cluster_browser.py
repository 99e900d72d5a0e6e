"""`python -m dashboard.cluster` with two replicas behind HAProxy: a browser keeps to one replica (its websocket
too), sign-in by password and through an OpenID provider, upload and load work through the proxy in Chromium, a
load is seen by both replicas, a replica killed with -9 is restarted while its readers go on, SIGTERM stops all."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import oidc_provider_mock
import pytest
from websockets.sync.client import connect

from dashboard import cluster
from dashboard.i18n import t
from etl.build import build
from etl.templates import template_bytes
from tests.e2e.conftest import REPO, free_port, screenshot, wait_for_app

PASSWORD = "mật-khẩu-cụm"
ADMIN = "chuyenvien@most.gov.vn"


def _haproxy() -> None:
    if shutil.which(cluster.HAPROXY) is None:
        pytest.fail("HAProxy not found (CI installs Debian's haproxy: apt-get install -y haproxy)")


def _scratch(root: Path) -> dict[str, str]:
    """A writable copy of data/ with its own warehouse: the cluster's replicas load into it."""
    data, db = root / "data", root / "warehouse.duckdb"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("warehouse.duckdb*", ".*"))
    build(data, db)
    env = {**os.environ, "NQ57_DATA": str(data), "NQ57_DB": str(db)}
    env.pop("NQ57_ADMIN_PASSWORD", None)
    return env


def submission(root: Path, name: str, day: str, value: str) -> Path:
    """A small valid indicators file (the template's row, with a figure of its own)."""
    raw = template_bytes("indicators", "csv").decode("utf-8-sig")
    row = raw.splitlines()[1].replace("30/11/2026", day).replace('"48,9"', f'"{value}"')
    row = row.rsplit(",", 1)[0] + ",kiểm thử cụm"
    path = root / name
    path.write_text(raw.splitlines()[0] + "\n" + row + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def password_cluster(tmp_path_factory) -> Iterator[tuple[cluster.Running, dict[str, str], Path]]:
    _haproxy()
    root = tmp_path_factory.mktemp("cluster_pw")
    env = {**_scratch(root), "NQ57_ADMIN_PASSWORD": PASSWORD}
    with cluster.launch(2, free_port(), env, root / "cluster.log") as running:
        yield running, env, root


def get(url: str, cookie: str | None = None) -> tuple[str, str]:
    """(the replica that answered, the affinity cookie it set)"""
    req = urllib.request.Request(url, headers={"Cookie": f"{cluster.COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers["X-NQ57-Replica"], r.headers.get("Set-Cookie") or ""


def test_a_browser_keeps_to_the_replica_its_cookie_names_websocket_included(password_cluster):
    c, _, _ = password_cluster
    first, set_cookie = get(c.url + "/")
    assert set_cookie.startswith(f"{cluster.COOKIE}={first};")
    assert {get(c.url + path, first)[0] for path in ("/", "/_stcore/health", "/_stcore/host-config") * 3} == {first}
    seen: set[str] = set()  # without a cookie: both serve (a replica busy failing a health check may sit one out)
    for _ in range(40):
        seen.add(get(c.url + "/")[0])
        if seen == {"r1", "r2"}:
            break
        time.sleep(0.25)
    assert seen == {"r1", "r2"}
    for name in ("r1", "r2"):
        with connect(c.url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                     additional_headers={"Cookie": f"{cluster.COOKIE}={name}"}, origin=c.url) as ws:
            assert ws.response.headers["X-NQ57-Replica"] == name


def sign_in_with_password(page, url: str, password: str) -> None:
    page.goto(f"{url}/cap-nhat")
    wait_for_app(page)
    page.get_by_label(t("your_name", "vi")).fill("Sở KH&CN Hà Nội")
    page.get_by_label(t("password", "vi")).fill(password)
    page.get_by_role("button", name=t("sign_in", "vi")).click()
    wait_for_app(page)


def upload_and_load(page, path: Path) -> None:
    # the submissions uploader (the page's other one, "Báo cáo mới", takes reports)
    page.locator("[data-testid=stFileUploader] input[type=file][accept*='.csv']").set_input_files(str(path))
    page.get_by_text(t("ready", "vi", n="1", kind=t("kind_indicators", "vi"))).wait_for(timeout=60_000)
    page.get_by_role("button", name=t("confirm_load", "vi")).click()
    page.get_by_text(f"đã nạp / loaded: {path.name}").wait_for(timeout=120_000)


def history_shows(browser, replica_url: str, name: str) -> bool:
    """Whether the load history lists `name` as a replica shows it, opened on that replica directly (not through
    the proxy)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        pg = ctx.new_page()
        sign_in_with_password(pg, replica_url, PASSWORD)
        pg.get_by_text(t("load_history", "vi")).wait_for(timeout=60_000)
        wait_for_app(pg)
        grid = pg.locator("[data-testid=stDataFrame]").last
        grid.scroll_into_view_if_needed()  # the grid writes its cells' text once it is drawn on the screen
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (grid.text_content() or ""):
            pg.wait_for_timeout(250)
        return name in (grid.text_content() or "")
    finally:
        ctx.close()


def test_password_sign_in_then_an_upload_loaded_through_the_proxy_is_seen_by_the_other_replica(
        browser, password_cluster):
    c, env, root = password_cluster
    # a client's own X-Forwarded-For is replaced by the proxy's: wrong passwords count against the real address
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000},
                              extra_http_headers={"X-Forwarded-For": "203.0.113.99"})
    try:
        page = ctx.new_page()
        sign_in_with_password(page, c.url, "sai")
        page.get_by_text(t("sign_in_failed", "vi")).wait_for(timeout=30_000)
        counted = (Path(env["NQ57_DATA"]) / ".sign_in_failures.json").read_text(encoding="utf-8")
        assert '"127.0.0.1"' in counted and "203.0.113.99" not in counted and '"local"' not in counted
        sign_in_with_password(page, c.url, PASSWORD)
        page.get_by_text(t("templates", "vi"), exact=True).wait_for(timeout=60_000)
        held = {k["value"] for k in ctx.cookies() if k["name"] == cluster.COOKIE}
        with page.expect_download(timeout=60_000) as got:  # a download is served by the session's replica
            page.get_by_test_id("stDownloadButton").filter(has_text="CSV").first.click()
        assert Path(got.value.path()).read_bytes() == template_bytes("indicators", "csv")
        upload_and_load(page, submission(root, "qua_cum.csv", "31/10/2026", "47,5"))
        screenshot(page, "cluster_password_loaded")
        assert {k["value"] for k in ctx.cookies() if k["name"] == cluster.COOKIE} == held and len(held) == 1
    finally:
        ctx.close()
    (other,) = {"r1", "r2"} - held
    assert history_shows(browser, f"http://127.0.0.1:{c.replicas()[other][1]}", "qua_cum.csv")


def test_a_load_from_the_command_line_is_seen_by_both_replicas_at_their_next_run(browser, password_cluster):
    c, env, root = password_cluster
    path = submission(root, "dong_lenh.csv", "30/09/2026", "46,1")
    run = subprocess.run([sys.executable, "-m", "etl", "load", str(path), "--by", "Dòng lệnh"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for name, (_, port) in sorted(c.replicas().items()):
        assert history_shows(browser, f"http://127.0.0.1:{port}", "dong_lenh.csv"), name


def test_a_replica_killed_is_restarted_and_its_reader_goes_on(page, password_cluster):
    c, _, _ = password_cluster
    page.goto(c.url + "/ha-tang-so")
    wait_for_app(page, min_charts=1)
    (held,) = {k["value"] for k in page.context.cookies() if k["name"] == cluster.COOKIE}
    pid, port = c.replicas()[held]
    mark = len(c.text())
    os.kill(pid, signal.SIGKILL)
    page.reload()  # at once: the proxy sends the reader to the other replica, and its cookie with it
    wait_for_app(page, min_charts=1)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("h1").first.inner_text().strip() == t("theme_digital_infra", "vi")
    assert {k["value"] for k in page.context.cookies() if k["name"] == cluster.COOKIE} == {"r1", "r2"} - {held}
    c.wait_for(rf"replica {held} exited with code -9", after=mark, timeout=10)
    c.wait_for(rf"replica {held} up: pid (?!{pid}\b)\d+", after=mark, timeout=120)
    assert cluster.healthy(port) and c.replicas()[held][0] != pid


def test_sigterm_stops_haproxy_and_every_replica(password_cluster):
    """Last in this module: it stops the module's cluster."""
    c, _, _ = password_cluster
    pids = c.pids()
    folder = Path(re.search(r"stats socket in (\S+)\)", c.text())[1])
    assert len(pids) >= 3 and folder.is_dir()
    start = time.monotonic()
    assert c.stop(timeout=60) == 0
    assert time.monotonic() - start < 30
    alive = set()
    for p in pids:
        try:
            os.kill(p, 0)
            alive.add(p)
        except ProcessLookupError:
            pass
    assert not alive and not folder.exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(c.url + "/_stcore/health", timeout=2)


@pytest.fixture(scope="module")
def oidc_cluster(tmp_path_factory) -> Iterator[tuple[cluster.Running, Path]]:
    _haproxy()
    root = tmp_path_factory.mktemp("cluster_oidc")
    env = _scratch(root)
    users = [oidc_provider_mock.User(sub="admin", claims={"email": ADMIN, "email_verified": True}),
             oidc_provider_mock.User(sub="unsaid", claims={"email": ADMIN})]  # no email_verified claim at all
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as provider:
        port = free_port()
        secrets_file = root / "secrets.toml"
        secrets_file.write_text(f"""
[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(16)}"
client_id = "nq57-dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"

[admins]
emails = ["{ADMIN}"]
""", encoding="utf-8")
        with cluster.launch(2, port, env, root / "cluster.log", ("--secrets.files", str(secrets_file))) as running:
            yield running, root


def sign_in_through_provider(page, app: str, sub: str) -> set[str]:
    """Sign in as `sub` at the provider; the affinity cookies the browser held along the way."""
    page.goto(f"{app}/cap-nhat")
    wait_for_app(page)
    held = {k["value"] for k in page.context.cookies() if k["name"] == cluster.COOKIE}
    page.get_by_role("button", name=t("sign_in", "vi")).click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{app}/**", timeout=30_000)  # /oauth2callback, on the replica holding the sign-in's state
    wait_for_app(page)
    page.goto(f"{app}/cap-nhat")
    wait_for_app(page)
    return held | {k["value"] for k in page.context.cookies() if k["name"] == cluster.COOKIE}


def test_oidc_sign_in_upload_and_load_through_the_proxy(page, oidc_cluster):
    c, root = oidc_cluster
    app = c.url.replace("127.0.0.1", "localhost")
    held = sign_in_through_provider(page, app, "admin")
    assert len(held) == 1  # one replica from the first page to the callback and back
    page.get_by_text(t("signed_in_as", "vi", user=ADMIN.replace("@", "@\u2060"))).wait_for(timeout=30_000)
    upload_and_load(page, submission(root, "oidc_qua_cum.csv", "31/08/2026", "45,2"))
    screenshot(page, "cluster_oidc_loaded")
    # sent to the other replica (as when its own dies): the sign-in is in a cookie every replica can read
    (other,) = {"r1", "r2"} - held
    page.context.add_cookies([{"name": cluster.COOKIE, "value": other, "url": app}])
    page.goto(f"{app}/cap-nhat")
    wait_for_app(page)
    page.get_by_text(t("signed_in_as", "vi", user=ADMIN.replace("@", "@\u2060"))).wait_for(timeout=30_000)
    assert {k["value"] for k in page.context.cookies() if k["name"] == cluster.COOKIE} == {other}


def test_oidc_without_an_email_verified_claim_is_refused_through_the_proxy(page, oidc_cluster):
    c, _ = oidc_cluster
    app = c.url.replace("127.0.0.1", "localhost")
    sign_in_through_provider(page, app, "unsaid")
    alert = page.locator("[data-testid=stAlert] [data-testid=stMarkdownContainer]")
    alert.wait_for(timeout=30_000)
    assert alert.inner_text().replace("\u2060", "") == t("not_an_admin", "vi", user=ADMIN)
    assert page.locator("[data-testid=stFileUploader]").count() == 0
