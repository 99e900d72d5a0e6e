"""'Báo cáo mới' on the upload page (/cap-nhat, signed in): a new report in, its figures proposed (etl.propose), the
analyst accepts them, picks another indicator or corrects a value or date, and the accepted rows load through the
same crash-safe load and the same validation report as any submission (etl.intake)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import queries, theme
from dashboard.i18n import name
from dashboard.texts import issues_table
from dashboard.view import View
from etl import paths
from etl.intake import load_proposals
from etl.propose import ACCEPT, propose, write_proposals
from etl.reports import MAX_BYTES, BadReport
from etl.sheets import ENTITY_VI

STATE = "report_intake"
# the columns the analyst may change, and how the table shows them; the others are shown, not edited
EDITABLE = ("Mã chỉ tiêu", ENTITY_VI, "Ngày số liệu", "Giá trị", "Đơn vị tính")
SHOWN = (ACCEPT, "Mã chỉ tiêu", "_name", ENTITY_VI, "Ngày số liệu", "Giá trị", "Đơn vị tính", "Cách nêu", "Trích dẫn",
         "Chỉ tiêu khác", "Độ tin cậy", "Đã có")


def read_report(up, view: View) -> dict | None:
    """The uploaded report kept in a private folder and its figures proposed (once per upload); None when it cannot
    be read, after saying why in both languages."""
    state = st.session_state.get(STATE)
    if state is not None and state["id"] == up.file_id:
        return state
    if state is not None:
        shutil.rmtree(state["folder"], ignore_errors=True)
    folder = paths.scratch("report")
    path = folder / (Path(up.name).name or "bao_cao.txt")
    path.write_bytes(up.getvalue())
    try:
        with st.spinner(view.t("report_reading")):
            frame = propose(path, name=up.name)
    except BadReport as exc:
        shutil.rmtree(folder, ignore_errors=True)
        st.session_state.pop(STATE, None)
        st.error(theme.plain_md(str(exc)), icon=":material/error:")
        return None
    state = {"id": up.file_id, "folder": folder, "path": path, "frame": frame}
    st.session_state[STATE] = state
    return state


def editor_frame(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The proposals as the table shows them: the accept box ticked or not, the indicator's name beside its id."""
    names = queries.indicators().set_index("id")
    shown = frame.assign(**{ACCEPT: frame[ACCEPT].astype(str).str.strip().str.lower().eq("x"),
                            "_name": [name(names.loc[i], view.lang) if i in names.index else "" for i in frame["Mã chỉ tiêu"]]})
    return shown[list(SHOWN)]


def reviewed(frame: pd.DataFrame, edited: pd.DataFrame) -> pd.DataFrame:
    """The proposals file the load reads: the analyst's choices written back, 'x' on the accepted rows."""
    out = frame.copy()
    for col in EDITABLE:
        out[col] = edited[col].to_numpy()
    out[ACCEPT] = ["x" if ok else "" for ok in edited[ACCEPT]]
    return out


def new_report(view: View, user: str, round_: int, done: Callable[[bool, str], None]) -> None:
    """The section; `round_` keys the upload box (a load empties it), `done(ok, message)` is told of a load."""
    st.subheader(view.t("new_report"))
    up = st.file_uploader(view.t("new_report_help"), type=["docx", "pdf", "txt"], key=f"report_upload_{round_}",
                          max_upload_size=MAX_BYTES // (1024 * 1024))
    if up is None:
        return
    state = read_report(up, view)
    if state is None:
        return
    frame = state["frame"]
    attrs = frame.attrs
    st.caption(view.t("report_read", issuer=theme.plain_md(attrs.get("issuer") or "—"),
                      title=theme.plain_md(attrs.get("title") or up.name),
                      date=theme.format_date(pd.Timestamp(attrs["report_date"]).date(), view.lang)
                      if attrs.get("report_date") else "—", n=len(frame)))
    if frame.empty:
        st.info(view.t("report_no_figures"), icon=":material/info:")
        return
    ids = sorted(queries.indicators()["id"])
    edited = st.data_editor(
        editor_frame(frame, view), key=f"report_editor_{up.file_id}", hide_index=True, width="stretch",
        disabled=[c for c in SHOWN if c not in (ACCEPT, *EDITABLE)],
        column_config={
            ACCEPT: st.column_config.CheckboxColumn(view.t("accept"), width="small"),
            "Mã chỉ tiêu": st.column_config.SelectboxColumn(view.t("indicator_id"), options=ids, width="medium"),
            "_name": st.column_config.TextColumn(view.t("indicator"), width="medium"),
            ENTITY_VI: st.column_config.TextColumn(view.t("entity")),
            "Giá trị": st.column_config.NumberColumn(view.t("value"), format="%g"),
            "Độ tin cậy": st.column_config.ProgressColumn(view.t("confidence"), min_value=0.0, max_value=1.0,
                                                         format="%.2f", width="small"),
            "Trích dẫn": st.column_config.TextColumn(view.t("quote"), width="large"),
        })
    accepted = int(edited[ACCEPT].sum())
    if not st.button(view.t("load_accepted", n=accepted), type="primary", disabled=accepted == 0,
                     icon=":material/upload:", key="report_load"):
        return
    out = write_proposals(reviewed(frame, edited), state["folder"] / "de_xuat_da_duyet.xlsx")
    with st.spinner(view.t("loading")):
        result = load_proposals(out, report=state["path"], loaded_by=user, original_name=f"de_xuat_{up.name}.xlsx")
    if result.status in ("loaded", "unchanged"):
        shutil.rmtree(state["folder"], ignore_errors=True)
        st.session_state.pop(STATE, None)
        done(True, result.message)
    st.error(view.t("rejected", n=theme.format_number(len(result.issues), view.lang)), icon=":material/error:")
    st.dataframe(issues_table(result.issues, view.lang), hide_index=True, width="stretch")
