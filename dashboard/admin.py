"""The "Cập nhật số liệu" page: sign-in, templates, upload with the validation report, confirm, history.

Signing in: Streamlit's `st.login` when an OIDC provider is configured in secrets ([auth]); then only the
verified e-mail addresses listed in secrets (`[admins] emails = [...]`) may load data, and with no list nobody
may. Otherwise the password in the environment variable NQ57_ADMIN_PASSWORD, compared in constant time; with
neither, the app has no admin page at all (app.py does not list it).
"""

from __future__ import annotations

import hmac
import math
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import queries, theme
from dashboard.view import View
from etl import paths, sheets, submissions
from etl.issues import MAX_LISTED, Issue
from etl.templates import template_bytes

PASSWORD_ENV = "NQ57_ADMIN_PASSWORD"


def auth_mode() -> str | None:
    """'oidc', 'password' or None (no admin page)."""
    try:
        if "auth" in st.secrets:
            return "oidc"
    except Exception:  # no secrets file at all  # noqa: BLE001
        pass
    return "password" if os.environ.get(PASSWORD_ENV) else None


def admin_emails() -> frozenset[str]:
    """The e-mail addresses allowed to load data when signing in through OIDC (lower case)."""
    try:
        listed = st.secrets.get("admins", {}).get("emails", [])
    except Exception:  # no secrets file at all  # noqa: BLE001
        return frozenset()
    return frozenset(str(e).strip().lower() for e in listed if str(e).strip())


def oidc_admin(claims: dict) -> str | None:
    """The e-mail of a signed-in OIDC user when it is verified and on the allow-list, else None."""
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is False:
        return None
    return email if email in admin_emails() else None


def password_ok(given: str) -> bool:
    expected = os.environ.get(PASSWORD_ENV, "")
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Throttle:
    """Wrong passwords, counted for the whole server (a new session does not start afresh): from the third on, each
    makes the next try wait longer (2, 4, 8 … 60 s), and the tenth locks sign-in for 15 minutes."""

    def __init__(self) -> None:
        self.failures, self.until, self.lock = 0, 0.0, threading.Lock()

    def wait(self) -> int:
        """Seconds before the next try is heard."""
        return math.ceil(max(0.0, self.until - time.monotonic()))

    def failed(self) -> None:
        with self.lock:
            self.failures += 1
            delay = 900 if self.failures >= 10 else min(60, 2 ** (self.failures - 2)) if self.failures >= 3 else 0
            self.until = time.monotonic() + delay

    def succeeded(self) -> None:
        with self.lock:
            self.failures, self.until = 0, 0.0


SIGN_IN = Throttle()
PLAIN_NAME = re.compile(r"[^\W_](?:[\w .,'&-]{0,58}[^\W_])?")  # letters (Vietnamese too), digits, spaces, . , ' & -


def signed_in_user(view: View) -> str | None:
    """The signed-in user's name, after showing the sign-in control when nobody is signed in."""
    mode = auth_mode()
    if mode == "oidc":
        if not st.user.is_logged_in:
            st.button(view.t("sign_in"), on_click=st.login, icon=":material/login:")
            return None
        admin = oidc_admin(st.user.to_dict())
        if admin is None:
            who = st.user.get("email") or st.user.get("name") or st.user.get("sub") or ""
            st.error(view.t("not_an_admin", user=theme.plain_md(str(who))), icon=":material/block:")
            st.button(view.t("sign_out"), on_click=st.logout, icon=":material/logout:")
        return admin
    if st.session_state.get("admin_user"):
        return st.session_state["admin_user"]
    with st.form("admin_sign_in"):
        who = st.text_input(view.t("your_name"))
        pw = st.text_input(view.t("password"), type="password")
        if st.form_submit_button(view.t("sign_in")):
            if SIGN_IN.wait():
                st.error(view.t("sign_in_wait", seconds=SIGN_IN.wait()))
            elif not PLAIN_NAME.fullmatch(who.strip()):
                st.error(view.t("sign_in_plain_name"))
            elif password_ok(pw):
                SIGN_IN.succeeded()
                st.session_state["admin_user"] = who.strip()
                st.rerun()
            else:
                SIGN_IN.failed()
                st.error(view.t("sign_in_failed"))
    return None


@dataclass
class Checked:
    """An uploaded file after validation: where it was kept, its kind, rows and issues."""

    path: Path
    name: str
    kind: str | None
    rows: int
    issues: list[Issue]
    unreadable: str | None = None


def check_upload(name: str, data: bytes) -> Checked:
    """Keep the upload in a private temporary folder under its own name and validate it (nothing is loaded)."""
    folder = paths.scratch("upload")
    path = folder / Path(name).name
    path.write_bytes(data)
    try:
        kind, rows, issues = submissions.validate_file(path, name=Path(name).name)
    except sheets.UnreadableFile as exc:
        return Checked(path, name, None, 0, [], f"{exc.issue.reason_vi} / {exc.issue.reason_en}")
    return Checked(path, name, kind, rows, issues)


def issues_frame(issues: list[Issue], view: View) -> pd.DataFrame:
    return pd.DataFrame([{
        view.t("file"): i.file, view.t("sheet"): getattr(i, "sheet", None) or "", view.t("row"): i.row,
        view.t("column"): i.column, view.t("value"): i.value,
        view.t("reason"): i.reason_vi if view.lang == "vi" else i.reason_en,
    } for i in issues[:MAX_LISTED]])


def templates(view: View) -> None:
    st.subheader(view.t("templates"))
    cols = st.columns(len(sheets.KINDS))
    for col, kind in zip(cols, sheets.KINDS, strict=True):
        with col:
            st.markdown(f"**{view.t('kind_' + kind)}**")
            for fmt in ("xlsx", "csv"):
                col.download_button(f"{fmt.upper()}", (lambda k=kind, f=fmt: template_bytes(k, f)),
                                    file_name=f"mau_{kind}.{fmt}", key=f"tpl_{kind}_{fmt}", on_click="ignore",
                                    icon=":material/download:")


def upload_and_load(view: View, user: str) -> None:
    st.subheader(view.t("upload"))
    up = st.file_uploader(view.t("upload_help"), type=["xlsx", "csv"], key="admin_upload",
                          max_upload_size=sheets.MAX_BYTES // (1024 * 1024))
    if up is None:
        return
    checked = st.session_state.get("admin_checked")
    if checked is None or checked.name != up.name or st.session_state.get("admin_checked_id") != up.file_id:
        if checked is not None:
            shutil.rmtree(checked.path.parent, ignore_errors=True)
        checked = check_upload(up.name, up.getvalue())
        st.session_state["admin_checked"], st.session_state["admin_checked_id"] = checked, up.file_id
    if checked.unreadable:
        st.error(theme.plain_md(checked.unreadable), icon=":material/error:")
        return
    if checked.issues:
        st.error(view.t("rejected", n=theme.format_number(len(checked.issues), view.lang)), icon=":material/error:")
        st.dataframe(issues_frame(checked.issues, view), hide_index=True, width="stretch")
        st.download_button(view.t("download_report"), submissions.report_csv(checked.issues).encode("utf-8-sig"),
                           file_name="bao_cao_loi.csv", on_click="ignore", icon=":material/download:")
        return
    st.success(view.t("ready", n=theme.format_number(checked.rows, view.lang), kind=view.t("kind_" + checked.kind)),
               icon=":material/check_circle:")
    if st.button(view.t("confirm_load"), type="primary", icon=":material/upload:"):
        with st.spinner(view.t("loading")):
            result = submissions.load(checked.path, loaded_by=user, original_name=checked.name)
        st.session_state.pop("admin_checked", None)
        shutil.rmtree(checked.path.parent, ignore_errors=True)
        (st.success if result.status in ("loaded", "unchanged") else st.error)(result.message)


def history(view: View) -> None:
    st.subheader(view.t("load_history"))
    hist = queries.submission_history()
    if hist.empty:
        st.caption(view.t("no_submissions"))
        return
    shown = pd.DataFrame({
        view.t("loaded_at"): [theme.format_datetime(t_, view.lang) for t_ in hist["loaded_at"]],
        view.t("loaded_by"): hist["loaded_by"],
        view.t("file"): hist["original_name"],
        "sha256": hist["sha256"],
        view.t("row_count"): hist["rows"],
    })
    st.dataframe(shown, hide_index=True, width="stretch")


def admin_page(view: View) -> None:
    user = signed_in_user(view)
    if not user:
        return
    st.caption(view.t("signed_in_as", user=theme.plain_md(user)))
    if auth_mode() == "oidc":
        st.button(view.t("sign_out"), on_click=st.logout, icon=":material/logout:")
    templates(view)
    upload_and_load(view, user)
    history(view)
