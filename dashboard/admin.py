"""The "Cập nhật số liệu" page: sign-in, templates, upload with the validation report, confirm, history.

Signing in: Streamlit's `st.login` when an OIDC provider is configured in secrets ([auth]); then only the
verified e-mail addresses listed in secrets (`[admins] emails = [...]`) may load data, and with no list nobody
may. Otherwise the password in the environment variable NQ57_ADMIN_PASSWORD, compared in constant time, with
wrong passwords counted per client address and service-wide (Throttle); with neither, the app has no admin page at
all (app.py does not list it).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import math
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from dashboard import queries, report_intake, theme
from dashboard.texts import issues_table
from dashboard.view import View
from etl import paths, sheets, submissions
from etl.issues import Issue
from etl.templates import template_bytes

PASSWORD_ENV = "NQ57_ADMIN_PASSWORD"
T = TypeVar("T")
log = logging.getLogger("nq57.admin")


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
    """The e-mail of a signed-in OIDC user when the provider says it is verified (`email_verified` true, or the
    string "true") and it is on the allow-list, else None: a missing claim is not a verified one."""
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified")
    if not email or not (verified is True or (isinstance(verified, str) and verified.strip().lower() == "true")):
        return None
    return email if email in admin_emails() else None


def password_ok(given: str) -> bool:
    expected = os.environ.get(PASSWORD_ENV, "")
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def client_key(peer: str | None, forwarded: list[str]) -> str:
    """Whose wrong passwords these are: the connection's peer address; when the peer is this machine (None), the
    last X-Forwarded-For address, the one our HAProxy (dashboard/cluster.py) wrote — a client's own header is
    trusted from nowhere else. IPv6 counts by its /64 (one subscriber's block)."""
    if not peer:
        peer = ",".join(forwarded).rsplit(",", 1)[-1].strip()
    try:
        ip = ipaddress.ip_address(peer)
    except ValueError:  # nothing forwarded: a reader on this machine
        return "local"
    if ip.version == 4:
        return str(ip)
    return str(ip.ipv4_mapped or ipaddress.ip_network(f"{ip}/64", strict=False))


def client_address() -> str:
    # Streamlit gives None for a loopback peer; under st.App (serve.py) uvicorn has already put a loopback proxy's
    # X-Forwarded-For there. AppTest gives a mock, not an address.
    peer = st.context.ip_address
    return client_key(peer if isinstance(peer, str) else None, st.context.headers.get_all("X-Forwarded-For"))


class Throttle:
    """Wrong passwords, counted per client address and for all addresses together, in one small file under the data
    folder that every replica of the cluster reads and writes under a lock (a new session or another replica does
    not start afresh; the file is written whole or not at all).

    Per address: from the third wrong password on, each makes that address's next try wait longer (2, 4, 8 … 60 s)
    and the tenth, and every one after it, locks that address out for 15 minutes; an address is forgotten a day
    after its last wrong password, or when it signs in. All addresses together: once 30 wrong passwords have come
    in 15 minutes, an address that has already given two wrong passwords is heard only 15 s after the last wrong
    password from anywhere (about four guesses a minute for the whole service). That ceiling never locks anyone
    out: an address with fewer than two wrong passwords of its own is always heard at once, whatever others do.
    If the data folder cannot be written, each process counts alone (and logs it)."""

    DELAY_FROM, DELAY_MAX, LOCK_AFTER, LOCK_SECONDS = 3, 60, 10, 900
    FORGET_AFTER, MAX_ADDRESSES = 24 * 3600, 10_000
    GLOBAL_WINDOW, GLOBAL_FREE, GLOBAL_SPACING, EXEMPT_BELOW = 900, 30, 15, 2

    def __init__(self, path: Path | None = None) -> None:
        self.path, self.memory, self.lock = path, {}, threading.Lock()

    def file(self) -> Path:
        return self.path or paths.data_dir() / ".sign_in_failures.json"

    def attempt(self, client: str, correct: Callable[[], bool]) -> tuple[str, int]:
        """('wait', seconds) without hearing the password, else ('signed_in', 0) or ('wrong', 0) (then counted)."""
        def change(state: dict, now: float) -> tuple[str, int]:
            wait = self._wait(state, client, now)
            if wait:
                return "wait", wait
            if correct():
                state["clients"].pop(client, None)
                return "signed_in", 0
            self._failed(state, client, now)
            return "wrong", 0
        return self._update(change)

    def wait(self, client: str) -> int:
        """Seconds before this client's next try is heard."""
        return self._update(lambda state, now: self._wait(state, client, now))

    def _wait(self, state: dict, client: str, now: float) -> int:
        mine = state["clients"].get(client, {"failures": 0, "until": 0.0})
        until = mine["until"]
        if mine["failures"] >= self.EXEMPT_BELOW and len(state["recent"]) >= self.GLOBAL_FREE:  # (pruned to the window)
            until = max(until, state["recent"][-1] + self.GLOBAL_SPACING)
        return math.ceil(max(0.0, until - now))

    def _failed(self, state: dict, client: str, now: float) -> None:
        n = state["clients"].get(client, {"failures": 0})["failures"] + 1
        delay = (self.LOCK_SECONDS if n >= self.LOCK_AFTER
                 else min(self.DELAY_MAX, 2 ** (n - 2)) if n >= self.DELAY_FROM else 0)
        state["clients"].pop(client, None)  # re-inserted last: the oldest addresses are the first dropped
        state["clients"][client] = {"failures": n, "until": now + delay, "last": now}
        state["recent"] = [*state["recent"], now][-self.GLOBAL_FREE:]

    def _update(self, change: Callable[[dict, float], T]) -> T:
        """`change` applied to the shared counts under the file's lock, the counts pruned and written back."""
        now = time.time()
        path = self.file()
        try:
            with paths.locked(path.with_suffix(".lock")):
                try:
                    state = json.loads(path.read_text(encoding="utf-8"))
                except (FileNotFoundError, ValueError):  # none yet, or not ours: start afresh
                    state = {}
                state = self._pruned(state, now)
                result = change(state, now)
                paths.write_atomic(path, json.dumps(state).encode("utf-8"), 0o600)
                return result
        except OSError as exc:  # a read-only data folder: this process counts alone (and says so in the log)
            log.warning("sign-in failures counted in this process only: %s", exc)
            with self.lock:
                self.memory = self._pruned(self.memory, now)
                return change(self.memory, now)

    def _pruned(self, state: dict, now: float) -> dict:
        clients = {k: v for k, v in state.get("clients", {}).items()
                   if isinstance(v, dict) and v.get("last", 0) > now - self.FORGET_AFTER}
        clients = dict(list(clients.items())[-self.MAX_ADDRESSES:])
        return {"clients": clients, "recent": [t for t in state.get("recent", []) if t > now - self.GLOBAL_WINDOW]}


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
            if not PLAIN_NAME.fullmatch(who.strip()):
                st.error(view.t("sign_in_plain_name"))
                return None
            outcome, seconds = SIGN_IN.attempt(client_address(), lambda: password_ok(pw))
            if outcome == "wait":
                st.error(view.t("sign_in_wait", seconds=seconds))
            elif outcome == "wrong":
                st.error(view.t("sign_in_failed"))
            else:
                st.session_state["admin_user"] = who.strip()
                st.rerun()
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


def done(ok: bool, message: str) -> None:
    """After a load: the page runs again on the warehouse it made (its history, the figures), with the upload boxes
    emptied and what happened said at the top."""
    st.session_state["admin_done"] = (ok, message)
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.rerun()


def said(view: View) -> None:
    """What the last load did, once."""
    if outcome := st.session_state.pop("admin_done", None):
        ok, message = outcome
        (st.success if ok else st.error)(message, icon=":material/check_circle:" if ok else ":material/error:")


def upload_round() -> int:
    """Which upload boxes these are: a load empties them by giving them new keys."""
    return st.session_state.get("upload_round", 0)


def upload_and_load(view: View, user: str) -> None:
    st.subheader(view.t("upload"))
    up = st.file_uploader(view.t("upload_help"), type=["xlsx", "csv"], key=f"admin_upload_{upload_round()}",
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
        st.dataframe(issues_table(checked.issues, view.lang), hide_index=True, width="stretch")
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
        done(result.status in ("loaded", "unchanged"), result.message)


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
    # Streamlit's upload box speaks English ("Upload", "20MB per file • XLSX, CSV") and has no setting for it: its
    # button says our word, and the limits it repeats are in our own help line above it
    st.html("<style>[data-testid=stFileUploaderDropzoneInstructions]{display:none}"
            "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p{font-size:0}"
            "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p::after{font-size:.95rem;"
            f"content:'{view.t('choose_file')}'}}</style>")
    st.caption(view.t("signed_in_as", user=theme.plain_md(user)))
    said(view)
    if auth_mode() == "oidc":
        st.button(view.t("sign_out"), on_click=st.logout, icon=":material/logout:")
    templates(view)
    upload_and_load(view, user)
    report_intake.new_report(view, user, upload_round(), done)
    history(view)
