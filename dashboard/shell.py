"""The page shell shared by every page: sidebar state, chart blocks with downloads, tiles, footer."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import runpy
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, queries, theme
from dashboard.i18n import LABELS, LANG_NAMES, LANGS, name, t
from etl.text import inert

APP = Path(__file__).resolve().parent.parent / "app.py"

T = TypeVar("T")

DOWNLOAD_COLUMNS = (
    "indicator_id", "indicator_name_vi", "indicator_name_en", "entity_name", "programme", "category", "value",
    "base", "unit", "qualifier", "value_high", "definition", "as_of", "conflict_id", "note", "source_file",
    "source_title_vi", "source_quote",
)


@dataclass(frozen=True)
class View:
    lang: str
    as_of: dt.date
    illustrative: bool = True

    def t(self, key: str, **fields: object) -> str:
        return t(key, self.lang, **fields)


# the page of each dashboard theme (app.py's navigation uses the same slugs)
THEME_SLUGS = {"capacity": "nang-luc", "contribution": "dong-gop", "resources": "nguon-luc",
               "digital_infra": "ha-tang-so", "digital_transformation": "chuyen-doi-so", "tasks": "nhiem-vu",
               "products": "san-pham"}
VIEW_PARAMS = ("lang", "as_of", "illustrative")


def view_query(**extra: str) -> str:
    """The query string of a link that keeps the reader's language, date and switch (plus `extra`)."""
    from urllib.parse import urlencode

    kept = {k: st.query_params[k] for k in VIEW_PARAMS if k in st.query_params}
    return "?" + urlencode(extra | kept) if extra or kept else ""


def _date_label(d: dt.date) -> str:
    # Language-independent so that a shared link (?as_of=03/05/2026) works in both languages.
    return d.strftime("%d/%m/%Y")


def sidebar() -> View:
    """The shared filters, emitted on every run (page switches can drop widgets) and kept in the URL."""
    with st.sidebar:
        lang = st.selectbox("Ngôn ngữ / Language", LANGS, format_func=LANG_NAMES.get, key="lang",
                            bind="query-params")
        dates = list(reversed(queries.report_dates()))
        moved = _nearest_report_date(dates, lang)
        as_of = st.selectbox(t("view_as_of", lang), dates, format_func=_date_label, key="as_of",
                             bind="query-params", help=t("view_as_of_help", lang))
        illustrative = st.toggle(t("illustrative_toggle", lang), value=False, key="illustrative",
                                 bind="query-params", help=t("illustrative_help", lang))
    if moved:
        st.info(moved, icon=":material/event:")
    return View(lang=lang, as_of=as_of, illustrative=illustrative)


def _nearest_report_date(dates: list[dt.date], lang: str) -> str | None:
    """A link's ?as_of= that is a date but not a report date opens the latest report before it (or the first
    report, for a date before all of them) and says so; the URL is corrected to the date shown."""
    wanted = st.query_params.get("as_of")
    if not wanted or not dates or wanted in {_date_label(d) for d in dates}:
        return None
    try:
        day = dt.datetime.strptime(wanted.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None
    earlier = [d for d in dates if d <= day]
    shown = max(earlier) if earlier else min(dates)
    st.query_params["as_of"] = _date_label(shown)
    st.session_state["as_of"] = shown  # the bound selectbox reads its value from here, not from the URL
    key = "as_of_moved" if earlier else "as_of_too_early"
    return t(key, lang, wanted=theme.format_date(day, lang), date=theme.format_date(shown, lang))


_ROUTING = threading.local()


@contextlib.contextmanager
def routing() -> Iterator[None]:
    """Marks the page scripts app.py's navigation runs (in this thread, for this script run)."""
    _ROUTING.active = True
    try:
        yield
    finally:
        _ROUTING.active = False


def current_view() -> View:
    """The view the sidebar set on this run (pages call this; app.py renders the sidebar first).

    Right after a start, Streamlit serves the first deep link (/nguon) by running pages/nguon.py alone,
    before app.py has ever declared the navigation, and the sidebar would then list bare file names.
    A page run outside the navigation in a session app.py has not drawn yet hands over to app.py, whose
    navigation runs this page again, and stops."""
    if not getattr(_ROUTING, "active", False) and "_view" not in st.session_state:
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
    return st.session_state["_view"]


def page_header(title: str, intro: str | None = None) -> None:
    st.title(title)
    if intro:
        st.caption(intro)


def download_frame(data: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Exactly the rows behind a chart, each with its source, in the reader's language: headers, names of
    indicators, units, programmes and groups, how the figure is stated, the issuing agency, report and its date."""
    if "indicator_id" not in data or "source_quote" not in data:  # a table of its own (league grid, tasks)
        out = data[[c for c in data.columns if not str(c).startswith("_")]].copy()
        if "as_of" in out:
            out["as_of"] = pd.to_datetime(out["as_of"]).dt.date
        return out
    progs = queries.programmes().set_index("id")
    rows = data.reset_index(drop=True)

    def col(key: str) -> pd.Series:
        return rows[key] if key in rows else pd.Series([None] * len(rows))

    def label(values: pd.Series, prefix: str) -> list[str]:
        return [t(prefix + v, lang) if isinstance(v, str) and prefix + v in LABELS else (v or "") for v in values]

    out = pd.DataFrame({
        t("indicator", lang): [name(r, lang, "indicator_name") for _, r in rows.iterrows()],
        t("entity", lang): [next((v for v in ((r.get("entity_name_en") if lang == "en" else None), r.get("entity_name"))
                                  if isinstance(v, str) and v), t("national", lang)) for _, r in rows.iterrows()],
        t("category", lang): [name(r, lang, "category_name") or (r.get("category") or "") for _, r in rows.iterrows()],
        t("programme", lang): [name(progs.loc[p], lang) if isinstance(p, str) and p in progs.index else ""
                               for p in col("programme")],
        t("value", lang): rows["value"],
        t("base", lang): col("base"),
        t("unit_of_measure", lang): [theme.unit_label(u, lang) or u for u in rows["unit"]],
        t("qualifier", lang): label(col("qualifier"), "qualifier_"),
        t("value_high", lang): col("value_high"),
        t("definition", lang): [name(r, lang, "definition") for _, r in rows.iterrows()],
        t("date", lang): pd.to_datetime(rows["as_of"]).dt.date,
        t("issuer", lang): [name(r, lang, "source_issuer") for _, r in rows.iterrows()],
        t("report_title", lang): [name(r, lang, "source_title") for _, r in rows.iterrows()],
        t("report_date", lang): pd.to_datetime(col("report_date")).dt.date,
        t("quote", lang): rows["source_quote"],
        t("conflict", lang): [conflict_explanation(c, lang, n) if isinstance(c, str) else ""
                              for c, n in zip(col("conflict_id"), col("note"), strict=True)],
    })
    return out.dropna(axis=1, how="all")


def entity_label(row: Any, lang: str) -> str:
    """A unit's official name in the reader's language (the Vietnamese one when no English name is known)."""
    en = row.get("entity_name_en") if lang == "en" else None
    return str(en) if isinstance(en, str) and en else str(row.get("entity_name") or "")


def export_note(view: View) -> list[tuple[str, str]]:
    """What a downloaded file says of itself: the dashboard, the page's link and the date of the view."""
    url = getattr(st.context, "url", None) or ""
    return [(t("export_title", view.lang), t("app_title", view.lang)), (t("export_link", view.lang), url),
            (t("view_as_of", view.lang), theme.format_date(view.as_of, view.lang))]


def _inert(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with no text cell a spreadsheet would run as a formula (the texts come from reports and uploads)."""
    text = frame.select_dtypes(exclude=["number", "datetime", "bool"]).columns
    return frame.assign(**{c: frame[c].map(inert) for c in text})


def _csv_bytes(frame: pd.DataFrame, note: list[tuple[str, str]] | None = None) -> bytes:
    """CSV in UTF-8 with a BOM (Excel opens Vietnamese text correctly); `note` as first lines starting with '#'."""
    head = "".join(f"# {k}: {inert(v)}\n" for k, v in note or [])
    return (head + _inert(frame).to_csv(index=False)).encode("utf-8-sig")


def _xlsx_bytes(frame: pd.DataFrame, note: list[tuple[str, str]] | None = None, sheets: tuple[str, str] = ("data", "source")
                ) -> bytes:
    """The rows on the first sheet; `note` (dashboard, link, view date) on a second one."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        _inert(frame).to_excel(xl, index=False, sheet_name=sheets[0])
        if note:
            pd.DataFrame(note).map(inert).to_excel(xl, index=False, header=False, sheet_name=sheets[1])
    return buf.getvalue()


def downloads(data: pd.DataFrame, stem: str, view: View, key: str, prepared: bool = False) -> None:
    """CSV and Excel of exactly `data`; the files are only made when a button is pressed."""
    # the file is written only when its button is pressed: a page draws many download buttons, few are used
    def frame() -> pd.DataFrame:
        return data if prepared else download_frame(data, view.lang)

    name_ = f"{charts.slug(stem)}_{view.as_of.isoformat()}"
    note = export_note(view)
    sheets = (view.t("sheet_data"), view.t("sheet_source"))
    row = st.container(horizontal=True)
    row.download_button(view.t("download_csv"), lambda: _csv_bytes(frame(), note), file_name=f"{name_}.csv",
                       mime="text/csv", key=f"csv_{key}", icon=":material/download:", on_click="ignore")
    row.download_button(view.t("download_xlsx"), lambda: _xlsx_bytes(frame(), note, sheets), file_name=f"{name_}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"xlsx_{key}", icon=":material/table:", on_click="ignore")


def conflict_explanation(conflict_id: str, lang: str, notes: str | None = None) -> str:
    """What a conflict flags, in `lang` (data/dims/conflicts.csv); without an explanation, the rows' `notes`."""
    con = queries.conflicts()
    found = con.loc[con["conflict_id"] == conflict_id, f"explanation_{lang}"]
    if len(found) and pd.notna(found.iloc[0]):
        return str(found.iloc[0])
    return notes or ""


def conflict_notes(data: pd.DataFrame, lang: str) -> str | None:
    """The explanations of the conflicts flagged in `data`, in `lang`; None when no row is flagged."""
    if "conflict_id" not in data or not data["conflict_id"].notna().any():
        return None
    flagged = data.loc[data["conflict_id"].notna()]
    notes = {c: "; ".join(sorted(set(rows["note"].dropna().astype(str)))) if "note" in rows else None
             for c, rows in flagged.groupby("conflict_id")}
    return " ".join(conflict_explanation(c, lang, notes[c]) for c in sorted(notes))


def chart(fig: go.Figure, data: pd.DataFrame, title: str, view: View, key: str,
          frame: pd.DataFrame | None = None, notes: str | None | bool = False) -> None:
    """A figure with its PNG settings, the downloads of exactly its data, and its conflict flags."""
    st.plotly_chart(fig, config=charts.plotly_config(title, view.as_of, view.lang), key=f"fig_{key}")
    downloads(frame if frame is not None else data, title, view, key, prepared=frame is not None)
    if notes is False:
        notes = conflict_notes(data, view.lang)
    if notes is not None:
        said = st.session_state.setdefault("_said", set())  # emptied by app.py at every run
        if notes in said:  # said once per page: later charts with the same disagreement point back to it
            st.caption(f":orange[:material/warning: {view.t('conflict')}] — {view.t('conflict_said')}")
        else:
            said.add(notes)
            with st.expander(f":orange[:material/warning: **{view.t('conflict')}**] — {view.t('conflict_open')}"):
                st.markdown(f"{view.t('conflict_help')} {theme.plain_md(notes)}")


@st.cache_resource(max_entries=1, show_spinner=False)
def _memo_store(stamp: queries.Stamp) -> dict:
    # One store per warehouse file: a rebuilt warehouse starts a fresh one.
    return {}


MEMO_LIMIT = 800


def memo(view: View, key: str, make: Callable[[], T]) -> T:
    """`make()` computed once per warehouse, view date, language and key, shared by all sessions.

    Building Plotly figures is most of a page's cost; the figures are never changed after they are made."""
    store = _memo_store(queries.stamp())
    k = (view.as_of, view.lang, key)
    if k not in store:
        if len(store) > MEMO_LIMIT:
            store.clear()
        store[k] = make()
    return store[k]


def cached_chart(view: View, key: str, title: str, data: pd.DataFrame, build: Callable[[], go.Figure]) -> None:
    """`chart()` with the figure and its conflict notes made once (see `memo`)."""
    fig, notes = memo(view, "chart:" + key, lambda: (build(), conflict_notes(data, view.lang)))
    chart(fig, data, title, view, key, notes=notes)


def pack_button(view: View, theme_id: str | None = None, agency: str | None = None, province: str | None = None
                ) -> None:
    """'Tải bản tin họp (PDF)' in the sidebar, under the view's filters: the meeting pack of this view
    (dashboard/pack.py), its progress shown while it is made, then the file offered; made again only when the view
    changes. In the sidebar, it leaves the page's first screen to the page."""
    with st.sidebar:
        _pack_button(view, theme_id, agency, province)


def _pack_button(view: View, theme_id: str | None, agency: str | None, province: str | None) -> None:
    key = (queries.stamp(), view.as_of, view.lang, theme_id, agency, province)
    made = st.session_state.get("_pack")
    if not (made and made[0] == key):
        slot = st.empty()
        if not slot.button(view.t("pack_button"), icon=":material/picture_as_pdf:", help=view.t("pack_button_help"),
                           key="pack_make"):
            return
        from dashboard import pack  # only when asked: ReportLab and kaleido stay out of every page's start

        bar = st.progress(0.0, text=view.t("pack_step_content"))
        parts = urlsplit(getattr(st.context, "url", None) or pack.DEFAULT_URL)
        req = pack.Request(as_of=view.as_of, lang=view.lang, theme=theme_id, agency=agency, province=province,
                           base_url=f"{parts.scheme}://{parts.netloc}")
        try:
            data = pack.build(req, lambda frac, message: bar.progress(frac, text=message))
        except pack.PackError as exc:
            bar.empty()
            st.error(f"{view.t('pack_failed')}: {exc}", icon=":material/error:")
            return
        bar.empty()
        slot.empty()
        made = (key, data, pack.file_name(req))
        st.session_state["_pack"] = made
    st.download_button(view.t("pack_save"), made[1], file_name=made[2], mime="application/pdf", type="primary",
                       icon=":material/picture_as_pdf:", key="pack_save", on_click="ignore")


def no_data(view: View) -> None:
    st.info(view.t("no_data"), icon=":material/block:")


def value_text(value: float | None, unit: str, view: View, base: float | None = None) -> str:
    """A formatted value, or 'Chưa có số liệu' — never a zero in place of a missing figure."""
    if value is None or pd.isna(value):
        return view.t("no_data")
    return theme.format_value(value, unit, view.lang, None if base is None or pd.isna(base) else base) or ""


def figure_text(row: pd.Series, view: View) -> str:
    """A figure as its report states it ('khoảng 80 nghìn', 'Top 10'), or 'Chưa có số liệu'."""
    value = row.get("value")
    if value is None or pd.isna(value):
        return view.t("no_data")
    return theme.format_figure(row, view.lang) or ""


def quote_help(row: pd.Series, view: View) -> str:
    return (f"{view.t('source')}: {theme.plain_md(name(row, view.lang, 'source_title'))} "
            f"({theme.format_date(row['report_date'], view.lang)}) — “{theme.plain_md(row['source_quote'])}”")


def status_badge(status: str, view: View) -> str:
    icon, colour = theme.STATUS_STYLE[status]
    return f":{colour}[:material/{icon}: **{view.t('status_' + status)}**]"


def footer(view: View) -> None:
    """Sources and licence on every page (as datasette shows them)."""
    src = queries.sources()
    src = src[src["report_date"].dt.date <= view.as_of]
    st.divider()
    lines = [f"- {theme.plain_md(name(r, view.lang, 'issuer'))}: {theme.plain_md(name(r, view.lang, 'title'))} "
             f"({theme.format_date(r['report_date'], view.lang)})" for _, r in src.iterrows()]
    st.caption(f"**{view.t('footer_sources')}**\n\n" + "\n".join(lines) + f"\n\n{view.t('footer_licence')}")


def url_selectbox(label: str, options: list[str], key: str, format_func, none_label: str | None = None,
                  container=None) -> str | None:
    """A selectbox whose raw option value (an id, the same in every language) is kept in the URL as ?key=.

    Streamlit's own binding stores the displayed label, which changes with the language; ids keep links
    working in both languages, and `?agency=Bộ Y tế`-style aliases can be resolved by the caller first."""
    box = container or st
    state_key = f"_url_{key}"
    wanted = st.query_params.get(key)
    if state_key not in st.session_state:
        st.session_state[state_key] = wanted if wanted in options else (None if none_label else options[0])
    choices: list[str | None] = [None, *options] if none_label else list(options)
    picked = box.selectbox(label, choices, key=state_key, placeholder=none_label or "",
                           format_func=lambda o: none_label if o is None else format_func(o))
    if picked:
        st.query_params[key] = picked
    elif key in st.query_params:
        del st.query_params[key]
    return picked


_frozen = threading.Lock()


def freeze_startup_objects() -> None:
    """Once per process, after the first complete run: leave the objects that live as long as the server
    (modules, classes, functions, Plotly's validators) out of every later garbage collection.

    A full collection walks every tracked object; on a small server these ~150,000 made one pause of about
    0.15 s every few page views. Frozen objects are never freed, so this runs once: what the first run leaves
    pinned is bounded."""
    if _frozen.acquire(blocking=False):
        gc.freeze()

