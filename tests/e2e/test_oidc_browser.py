"""Sign-in through a real OpenID provider (oidc-provider-mock, on localhost) with `st.login`, in Chromium:
only an administrator on the e-mail allow-list in secrets reaches the upload page."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import oidc_provider_mock
import pytest

from dashboard.i18n import t
from tests.e2e.conftest import free_port, screenshot, serve_app, wait_for_app

ADMIN = "chuyenvien@most.gov.vn"
OUTSIDER = "khach@example.com"
UNVERIFIED = "ADMIN.unverified@most.gov.vn"
HOSTILE = "x@evil.vn [a](http://evil.vn) www.evil.vn <b>b</b>"  # a provider's claim is text from outside too


@pytest.fixture(scope="module")
def oidc_app(shipped_db: Path, tmp_path_factory) -> Iterator[str]:
    users = [
        oidc_provider_mock.User(sub="admin", claims={"email": ADMIN.upper(), "email_verified": True}),
        oidc_provider_mock.User(sub="outsider", claims={"email": OUTSIDER, "email_verified": True}),
        oidc_provider_mock.User(sub="unverified", claims={"email": UNVERIFIED, "email_verified": False}),
        oidc_provider_mock.User(sub="hostile", claims={"email": HOSTILE, "email_verified": True}),
    ]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as provider:
        port = free_port()
        secrets_file = tmp_path_factory.mktemp("secrets") / "secrets.toml"
        secrets_file.write_text(f"""
[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(16)}"
client_id = "nq57-dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"

[admins]
emails = ["{ADMIN}", "{UNVERIFIED.lower()}"]
""", encoding="utf-8")
        env = {**os.environ, "NQ57_DB": str(shipped_db)}
        env.pop("NQ57_ADMIN_PASSWORD", None)
        with serve_app(env, "--secrets.files", str(secrets_file), port=port):
            yield f"http://localhost:{port}"


def sign_in_as(page, app: str, sub: str) -> None:
    page.goto(f"{app}/cap-nhat")
    wait_for_app(page)
    page.get_by_role("button", name=t("sign_in", "vi")).click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)  # the provider's own sign-in form
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{app}/**", timeout=30_000)  # Streamlit brings the user back to the app's home page
    wait_for_app(page)
    page.goto(f"{app}/cap-nhat")
    wait_for_app(page)


def test_an_administrator_signs_in_through_the_provider(page, oidc_app):
    sign_in_as(page, oidc_app, "admin")
    page.get_by_text(t("signed_in_as", "vi", user=ADMIN.replace("@", "@\u2060"))).wait_for(timeout=30_000)
    page.locator("[data-testid=stFileUploader]").first.wait_for(timeout=30_000)  # submissions, then reports
    assert page.locator("[data-testid=stFileUploader]").count() == 2
    assert page.get_by_text(t("templates", "vi"), exact=True).is_visible()
    screenshot(page, "oidc_admin")
    page.get_by_role("button", name=t("sign_out", "vi")).click()
    page.wait_for_url("**/oauth2/end_session**", timeout=30_000)  # the provider ends its session too
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{oidc_app}/**", timeout=30_000)
    page.goto(f"{oidc_app}/cap-nhat")
    wait_for_app(page)
    page.get_by_role("button", name=t("sign_in", "vi")).wait_for(timeout=30_000)
    assert page.locator("[data-testid=stFileUploader]").count() == 0


@pytest.mark.parametrize(("sub", "email"), [("outsider", OUTSIDER), ("unverified", UNVERIFIED),
                                                 ("hostile", HOSTILE.lower())])
def test_a_signed_in_user_off_the_allow_list_sees_no_upload(page, oidc_app, sub, email):
    sign_in_as(page, oidc_app, sub)
    alert = page.locator("[data-testid=stAlert] [data-testid=stMarkdownContainer]")
    alert.wait_for(timeout=30_000)
    wait_for_app(page)
    assert alert.inner_text().replace("\u2060", "") == t("not_an_admin", "vi", user=email)
    assert alert.locator("a, b").count() == 0  # shown as written: no mailto or web link, no markup
    assert page.locator("[data-testid=stFileUploader]").count() == 0
    assert page.get_by_text(t("templates", "vi"), exact=True).count() == 0
    assert page.get_by_role("button", name=t("sign_out", "vi")).is_visible()
    screenshot(page, f"oidc_{sub}")
