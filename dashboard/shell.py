"""The page shell shared by every page: the sidebar's view (kept in the URL), the page's title and pickers, its
sections drawn by the screen, the sources footer and the meeting-pack button."""

from __future__ import annotations

import contextlib
import gc
import runpy
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from dashboard import queries, screen, site, theme
from dashboard.i18n import LANG_NAMES, LANGS, name, t
from dashboard.models import Control
from dashboard.view import View, date_param, resolve_unit, snap_date

APP = Path(__file__).resolve().parent.parent / "app.py"


def sidebar() -> View:
    """The shared filters, emitted on every run (page switches can drop widgets) and kept in the URL; the page's
    style (theme.SCREEN_CSS)."""
    st.html(theme.SCREEN_CSS)
    with st.sidebar:
        lang = st.selectbox("Ngôn ngữ / Language", LANGS, format_func=LANG_NAMES.get, key="lang",
                            bind="query-params")
        dates = list(reversed(queries.report_dates()))
        moved = _snap_link_date(lang)
        as_of = st.selectbox(t("view_as_of", lang), dates, format_func=date_param, key="as_of",
                             bind="query-params", help=t("view_as_of_help", lang))
        illustrative = st.toggle(t("illustrative_toggle", lang), value=False, key="illustrative",
                                 bind="query-params", help=t("illustrative_help", lang))
    if moved:
        st.info(moved, icon=":material/event:")
    return View(lang=lang, as_of=as_of, illustrative=illustrative, latest=dates[0])


def _snap_link_date(lang: str) -> str | None:
    """A link's ?as_of= that is not a report date opens the report the resolver snaps it to, and says why; the URL
    is corrected to the date shown."""
    wanted = st.query_params.get("as_of")
    if not wanted or wanted in {date_param(d) for d in queries.report_dates()}:
        return None
    snapped = snap_date(wanted, lang)
    shown = snapped.day or max(queries.report_dates())
    st.query_params["as_of"] = date_param(shown)
    st.session_state["as_of"] = shown  # the bound selectbox reads its value from here, not from the URL
    return snapped.message(lang)


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


def _fresh_clicks() -> None:
    """A point just clicked on a chart that selects (the provinces map) sets its URL parameter and the picker of
    that parameter. A chart keeps its selection across runs, so a click already acted on is remembered: choosing
    another province in the list afterwards must not bring it back."""
    for widget, param in st.session_state.get("_selects", {}).items():
        state = st.session_state.get(widget)
        points = state.get("selection", {}).get("points", []) if state else []
        click = points[0].get("customdata") if points else None
        seen = st.session_state.setdefault("_clicks", {})
        if click is None:
            seen.pop(widget, None)
        elif click != seen.get(widget):
            seen[widget] = click
            st.query_params[param] = click
            st.session_state[f"_url_{param}"] = click


def control(c: Control, view: View, container: object = st) -> str | None:
    """A picker whose raw option value (an id, the same in every language) is kept in the URL as ?key=.

    Streamlit's own binding stores the displayed label, which changes with the language; ids keep links working in
    both languages. A unit's name, alias or name without diacritics in the link is read as the unit. A filter of the
    whole page (beside the title) follows the reader to the next page that has it, as long as the link names none."""
    state_key, kept = f"_url_{c.key}", f"_kept_{c.key}"
    wanted = st.query_params.get(c.key) or (st.session_state.get(kept) if c.beside_title else None)
    if wanted and wanted not in c.options:
        found = resolve_unit(wanted, "province" if c.resolve == "province" else None) if c.resolve else None
        if found in c.options:
            st.query_params[c.key] = wanted = found
            st.session_state.pop(state_key, None)
        elif c.not_found:
            st.warning(view.t(c.not_found, name=theme.plain_md(wanted)), icon=":material/search_off:")
    if state_key not in st.session_state:
        st.session_state[state_key] = wanted if wanted in c.options else (None if c.none_label else c.options[0])
    choices: list[str | None] = [None, *c.options] if c.none_label else list(c.options)
    picked = container.selectbox(c.label, choices, key=state_key, placeholder=c.none_label or "",
                                 format_func=c.label_of)
    if picked:
        st.query_params[c.key] = picked
    elif c.key in st.query_params:
        del st.query_params[c.key]
    if c.beside_title:
        st.session_state[kept] = picked
    return picked


def controls(page: site.Page, view: View) -> dict[str, str | None]:
    """The page's pickers in one row under its title; their choices."""
    cs = [c for c in page.controls(view) if not c.beside_title]
    if not cs:
        return {}
    _fresh_clicks()
    cols = st.columns([c.width for c in cs]) if len(cs) > 1 else [st]
    return {c.key: control(c, view, col) for c, col in zip(cs, cols, strict=True)}


def title(page: site.Page, view: View, text: str, head: object) -> dict[str, str | None]:
    """The page's title, with the pickers that filter the whole page (the unit) beside it; their choices."""
    beside = [c for c in page.controls(view) if c.beside_title]
    if st.session_state.get("_titled") != page.slug:  # another page's picker: this one starts from the kept unit
        for c in beside:
            st.session_state.pop(f"_url_{c.key}", None)
        st.session_state["_titled"] = page.slug
    if not beside:
        head.title(text)
        return {}
    cols = head.columns([3, *(1.2 for _ in beside)], vertical_alignment="bottom")
    cols[0].title(text)
    return {c.key: control(c, view, col) for c, col in zip(beside, cols[1:], strict=True)}


def run_page(file: str) -> None:
    """The page of pages/<slug>.py: its title, pickers and sections, the footer, then the pack button."""
    page = site.page(Path(file).stem)
    view = current_view()
    # a title that depends on a picker goes above it, once the picker has said what the page shows
    head = st.container() if page.heading else st
    choices = controls(page, view) if page.heading else {}
    choices |= title(page, view, page.heading(view, choices) if page.heading else view.t(page.header or page.title),
                     head)
    if page.intro:
        head.caption(view.t(page.intro))
    if not page.heading:
        choices |= controls(page, view)
    if "unit" in choices:  # the unit filter is part of the view: the sections, their links and the pack follow it
        view = view.of(choices["unit"])
    if page.admin:
        from dashboard import admin  # the upload page: only its own page run needs ReportLab-free ETL loaders

        admin.admin_page(view)
        return
    screen.draw_sections(page.sections(view, choices), view, page.slug, choices)
    footer(view)
    unit = choices.get(page.unit) if page.unit else view.unit
    if page.pack in ("head", "theme") or unit:
        pack_button(view, page.theme, unit)  # last: the page is drawn before a pack is made


def footer(view: View) -> None:
    """Sources and licence on every page (as datasette shows them)."""
    src = queries.sources()
    src = src[src["report_date"].dt.date <= view.as_of]
    st.divider()
    lines = [f"- {theme.plain_md(name(r, view.lang, 'issuer'))}: {theme.plain_md(name(r, view.lang, 'title'))} "
             f"({theme.format_date(r['report_date'], view.lang)})" for _, r in src.iterrows()]
    st.caption(f"**{view.t('footer_sources')}**\n\n" + "\n".join(lines) + f"\n\n{view.t('footer_licence')}")


def pack_button(view: View, theme_id: str | None = None, unit: str | None = None) -> None:
    """'Tải bản tin họp (PDF)' in the sidebar, under the view's filters: the meeting pack of this view
    (dashboard/pack.py), its progress shown while it is made, then the file offered; made again only when the view
    changes. In the sidebar, it leaves the page's first screen to the page."""
    with st.sidebar:
        key = (queries.stamp(), view, theme_id, unit)
        made = st.session_state.get("_pack")
        if not (made and made[0] == key):
            slot = st.empty()
            if not slot.button(view.t("pack_button"), icon=":material/picture_as_pdf:", help=view.t("pack_button_help"),
                               key="pack_make"):
                return
            from dashboard import pack  # only when asked: ReportLab and kaleido stay out of every page's start

            bar = st.progress(0.0, text=view.t("pack_step_content"))
            parts = urlsplit(getattr(st.context, "url", None) or pack.DEFAULT_URL)
            req = pack.Request(view=replace(view, illustrative=False), theme=theme_id, units=(unit,) if unit else (),
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


_frozen = threading.Lock()


def freeze_startup_objects() -> None:
    """Once per process, after the first complete run: leave the objects that live as long as the server
    (modules, classes, functions, Plotly's validators) out of every later garbage collection.

    A full collection walks every tracked object; on a small server these ~150,000 made one pause of about
    0.15 s every few page views. Frozen objects are never freed, so this runs once: what the first run leaves
    pinned is bounded."""
    if _frozen.acquire(blocking=False):
        gc.freeze()


def frozen() -> bool:
    """Whether the start-up objects have been frozen (tests)."""
    return _frozen.locked()
