"""The screen: the models of dashboard/models.py drawn with Streamlit (the meeting pack draws the same ones with
ReportLab, dashboard/pdf_render.py)."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from dashboard import charts, exports, markup, scorecard, theme
from dashboard.models import (
    Cards,
    Chart,
    Columns,
    Downloads,
    Expander,
    Heading,
    Html,
    Metrics,
    Names,
    Scorecard,
    Section,
    Table,
    Tabs,
    Text,
    Tile,
    Tiles,
)
from dashboard.view import View


class Run:
    """What one page run remembers while it draws: the conflicts it has explained (each is said once per page), and
    the page and the choices it shows (its pickers', the open tab's), which a download's link names."""

    def __init__(self, view: View, slug: str = "", choices: Mapping[str, str | None] | None = None) -> None:
        self.view = view
        self.said: set[str] = set()
        self.slug = slug
        self.choices: dict[str, str | None] = dict(choices or {})

    def link(self) -> str:
        """The address of this view with its full query (the server's own address in front, when known)."""
        parts = urlsplit(getattr(st.context, "url", None) or "")
        base = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        return base + self.view.link(self.slug, **self.choices)


def draw_sections(sections: Iterable[Section], view: View, slug: str = "",
                  choices: Mapping[str, str | None] | None = None) -> None:
    run = Run(view, slug, choices)
    for s in sections:
        section(s, run)


def section(s: Section, run: Run) -> None:
    if not s.screen:
        return
    if s.title:
        (st.header if s.level == 1 else st.subheader)(s.title, help=s.help)
    if s.intro:
        st.caption(s.intro)
    draw(s.items, run)


def draw(items: Iterable[Any], run: Run) -> None:
    for item in items:
        DRAW[type(item)](item, run)


def text(m: Text, run: Run) -> None:
    if m.style == "caption":
        st.caption(m.markdown, help=m.help)
    elif m.style == "info":
        st.info(m.markdown, icon=":material/block:" if m.markdown == run.view.t("no_data") else ":material/info:")
    elif m.style == "warning":
        st.warning(m.markdown, icon=":material/search_off:")
    elif m.style == "badge":
        st.markdown(f":{m.colour}-badge[{m.markdown}]{m.after}", help=m.help)
    else:
        st.markdown(m.markdown, help=m.help)


def heading(m: Heading, run: Run) -> None:
    if m.level == 1:
        st.header(m.text, help=m.help)
    elif m.level == 2:
        st.subheader(m.text, help=m.help)
    else:
        st.markdown(f"**{m.text}**", help=m.help)


def downloads(m: Downloads, run: Run, frame: pd.DataFrame | None = None) -> None:
    """CSV and Excel of exactly the rows; the files are only made when a button is pressed (a page draws many
    download buttons, few are used)."""
    view = run.view
    data = frame if frame is not None else m.data

    def rows() -> pd.DataFrame:
        if m.prepared:
            return data[[c for c in data.columns if not str(c).startswith("_")]]
        return exports.download_frame(data, view.lang, m.targets)

    stem = f"{charts.slug(m.title)}_{view.as_of.isoformat()}"
    about = exports.describe(view, m.title, run.link())
    sheets = (view.t("sheet_data"), view.t("sheet_source"))
    row = st.container(horizontal=True)
    what = f" · {m.what}" if m.what else ""
    row.download_button(view.t("download_csv") + what, lambda: exports.csv_bytes(rows(), about), file_name=f"{stem}.csv",
                        mime="text/csv", key=f"csv_{m.key}", icon=":material/download:", on_click="ignore")
    row.download_button(view.t("download_xlsx") + what, lambda: exports.xlsx_bytes(rows(), about, sheets, view.lang),
                        file_name=f"{stem}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key=f"xlsx_{m.key}", icon=":material/table:", on_click="ignore")


def conflict_note(notes: str, run: Run) -> None:
    view = run.view
    if notes in run.said:  # said once per page: later charts with the same disagreement point back to it
        st.caption(f":orange[:material/warning: {view.t('conflict')}] — {view.t('conflict_said')}")
        return
    run.said.add(notes)
    with st.expander(f":orange[:material/warning: **{view.t('conflict')}**] — {view.t('conflict_open')}"):
        st.markdown(f"{view.t('conflict_help')} {theme.plain_md(notes)}")


def select_key(m: Chart) -> str:
    return f"fig_{m.key}"


def chart(m: Chart, run: Run) -> None:
    """A figure with its PNG settings, the downloads of exactly its data, its indicator's link and its conflicts."""
    view = run.view
    config = charts.plotly_config(m.title, view.as_of, view.lang)
    if m.select:  # a click on a point sets ?<select>= (read by the page's pickers at the next run)
        st.session_state.setdefault("_selects", {})[select_key(m)] = m.select
        st.plotly_chart(m.fig, config=config, key=select_key(m), on_select="rerun", selection_mode="points")
    else:
        st.plotly_chart(m.fig, config=config, key=select_key(m))
    if not m.select:
        downloads(Downloads(m.key, m.title, m.download if m.download is not None else m.data,
                            prepared=m.download is not None, what=view.t("chart_data").lower(), targets=m.targets), run)
    if m.indicator_id:
        st.markdown(f"[{view.t('open_indicator')} →]({view.link('chi-so', id=m.indicator_id)})")
    if m.notes is not None:
        conflict_note(m.notes, run)


def _config(m: Table, view: View) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col, c in m.columns:
        if c.kind == "link":
            out[col] = st.column_config.LinkColumn(c.label, display_text=c.link_text, width=c.width)
        elif c.kind == "line":
            out[col] = st.column_config.LineChartColumn(c.label, width=c.width)
        elif c.kind == "number":
            out[col] = st.column_config.Column(c.label, help=c.help, alignment="right", width=c.width)
        else:
            out[col] = st.column_config.TextColumn(c.label, help=c.help, width=c.width, pinned=c.pinned or None)
    return out


def _filtered(m: Table, run: Run) -> pd.DataFrame:
    """The rows the table's pickers keep."""
    frame = m.frame
    if not m.filters:
        return frame
    cols = st.columns(len(m.filters))
    for col, f in zip(cols, m.filters, strict=True):
        labels = dict(f.labels)
        picked = col.selectbox(f.label, [None, *f.options], key=f"{m.key}:{f.column.lstrip('_')}",
                               format_func=lambda o, f=f, labels=labels: f.all_label if o is None else labels.get(o, o))
        if picked is not None:
            keep = (frame[f.column].apply(lambda v, p=picked: p in v) if f.contains else frame[f.column] == picked)
            frame = frame[keep]
    return frame


def _column_page(m: Table, frame: pd.DataFrame, view: View) -> tuple[pd.DataFrame, list[str]]:
    """The number columns of the page the reader picked (all of them when they fit one page)."""
    numbers = [c for c, col in m.columns if col.kind == "number"]
    size = m.column_page
    if not size or len(numbers) <= size:
        return frame, numbers
    pages = [numbers[i:i + size] for i in range(0, len(numbers), size)]
    k = st.selectbox(view.t("columns_page"), range(len(pages)), key=f"{m.key}_page",
                     format_func=lambda i: view.t("columns_of", first=i * size + 1,
                                                  last=min((i + 1) * size, len(numbers)), n=len(numbers)))
    kept = set(pages[k])
    return frame[[c for c in frame.columns if c not in numbers or c in kept]], pages[k]


SEARCH_ROWS = 12  # a grid longer than this has a search box of its own (Streamlit's, in its toolbar, is English only)


def _fold(text: object) -> str:
    """Text as a search compares it: lower case, without diacritics ('Bắc Ninh', 'bac ninh' and 'BẮC NINH' match)."""
    text = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _searched(m: Table, frame: pd.DataFrame, run: Run) -> pd.DataFrame:
    """The rows holding what the reader typed in the table's search box, in any column shown."""
    if not m.grid or len(frame) <= SEARCH_ROWS:
        return frame
    view = run.view
    wanted = st.text_input(view.t("search_table"), key=f"{m.key}_search", placeholder=view.t("search_hint"),
                           icon=":material/search:", live=True)
    needle = _fold(wanted or "").strip()
    if not needle:
        return frame
    shown = frame[[c for c in frame.columns if not str(c).startswith("_")]]
    keep = shown.apply(lambda col: col.map(lambda v: needle in _fold(v) if pd.notna(v) else False)).any(axis=1)
    if not keep.any():
        st.caption(view.t("search_nothing", wanted=wanted))
    return frame[keep]


def table(m: Table, run: Run) -> None:
    view = run.view
    frame = _searched(m, _filtered(m, run), run)
    frame, measures = _column_page(m, frame, view)
    if m.sort_label and m.sort_values is not None:
        labels = dict(m.columns)
        by = st.selectbox(m.sort_label, [None, *measures], key=f"{m.key}_sort",
                          format_func=lambda c: labels[m.columns[0][0]].label if c is None else labels[c].label)
        if by is not None:  # largest first, units without the figure last
            order = m.sort_values.sort_values(by, ascending=False, na_position="last").index
            frame = frame.loc[order[order.isin(frame.index)]]
    if m.grid:
        shown = frame[[c for c in frame.columns if not str(c).startswith("_")]]
        config = {k: v for k, v in _config(m, view).items() if k in shown.columns}
        st.dataframe(shown, hide_index=not m.index, width="stretch", column_config=config or None)
    else:
        st.table(frame)
    if m.download is not None:
        same = m.download.data is m.frame
        holds = m.download if m.download.what else replace(m.download, what=view.t("table_data").lower())
        downloads(holds, run, frame if same else None)


# Tiles and cards are one HTML block a group, not a dozen Streamlit elements a tile: the overview's twenty tiles were
# most of what it sent and what the browser drew. A grid of as many as the width holds (five on a laptop, one or two
# on a phone), one height a row; the figure keeps its unit on its line (no-break spaces).
GRID_STYLE = """<style>
.nq-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(11.5rem,1fr));gap:.75rem;margin:.2rem 0 .8rem}
.nq-box{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:.7rem .85rem;font-size:.88rem;line-height:1.45}
.nq-box .nq-name{font-weight:600;margin-bottom:.3rem}
.nq-box .nq-value{font-size:1.35rem;font-weight:600;margin:.1rem 0 .25rem;line-height:1.25}
.nq-box .nq-big{font-size:1.6rem}
.nq-box .nq-small{color:#6b7280;font-size:.8rem;margin:.1rem 0}
.nq-box .nq-help{border-bottom:1px dotted #9ca3af;cursor:help}
.nq-box .nq-status{margin-top:.35rem;font-weight:600}
</style>"""


def tile_html(t: Tile, run: Run) -> str:
    title = html.escape(t.title)
    if t.link:
        title = f'<a href="{html.escape(t.link)}" target="_self">{title}</a>'
    parts = [f'<div class="nq-name">{title}</div>', f'<div class="nq-value">{html.escape(t.value)}</div>']
    if t.date_line:  # the quote behind the figure, as its date's tooltip
        tip = f' class="nq-help" title="{html.escape(markup.plain(t.date_help))}"' if t.date_help else ""
        parts.append(f'<div class="nq-small"><span{tip}>{markup.convert(t.date_line)}</span></div>')
    if t.conflict:  # one line in the tile; the explanation in its tooltip
        parts.append(f'<div class="nq-small"><span class="nq-help" style="color:{theme.STATUS_COLOURS["orange"]}" '
                     f'title="{html.escape(markup.plain(t.conflict))}">⚠ {html.escape(run.view.t("conflict"))}</span></div>')
    parts += [f'<div class="nq-small">{markup.convert(line)}</div>' for line in t.lines]
    parts.append(f'<div class="nq-status" style="color:{theme.status_colour(t.status)}">{theme.status_symbol(t.status)} '
                 f'{html.escape(run.view.t("status_" + t.status))}</div>')
    return f'<div class="nq-box">{"".join(parts)}</div>'


def tiles(m: Tiles, run: Run) -> None:
    st.html(GRID_STYLE + f'<div class="nq-grid">{"".join(tile_html(t, run) for t in m.items)}</div>')


def cards(m: Cards, run: Run) -> None:
    """Bordered cards whose texts wrap (st.metric truncates long Vietnamese names)."""
    boxes = "".join(f'<div class="nq-box"><div class="nq-name">{markup.convert(c.title)}</div>'
                    f'<div class="nq-value nq-big">{markup.convert(c.value)}</div>'
                    + (f'<div class="nq-small">{markup.convert(c.caption)}</div>' if c.caption else "") + "</div>"
                    for c in m.items)
    st.html(GRID_STYLE + f'<div class="nq-grid">{boxes}</div>')


def metrics(m: Metrics, run: Run) -> None:
    for col, x in zip(st.columns(len(m.items)), m.items, strict=True):
        col.metric(x.label, x.value, border=True, help=x.help)


def names(m: Names, run: Run) -> None:
    if m.bullets:
        st.subheader(m.title)
        st.markdown("\n".join(f"- {theme.plain_md(n)}" for n in m.names) or run.view.t("no_data"))
        return
    st.markdown(f"**{m.title}** ({m.date})")
    st.markdown(", ".join(theme.plain_md(n) for n in m.names))
    downloads(Downloads(m.key, m.title, m.data, what=run.view.t("table_data").lower()), run)


def html_block(m: Html, run: Run) -> None:
    st.html(m.body)


def scorecard_(m: Scorecard, run: Run) -> None:
    """The first screen of the overview: the status counts, then the targets beside what is late and what moved."""
    view = run.view
    st.html(scorecard.STYLE + scorecard.strip(list(m.lines), m.overdue, view)
            + scorecard.due_list(m.due, m.due_days, view))
    left, right = st.columns([2.1, 1], gap="medium")
    with left:
        st.html(scorecard.table(list(m.lines), view))
    with right:
        draw(m.side, run)


def columns(m: Columns, run: Run) -> None:
    for col, part in zip(st.columns(list(m.widths) or len(m.parts)), m.parts, strict=True):
        with col:
            draw(part, run)


def expander(m: Expander, run: Run) -> None:
    with st.expander(m.label):
        draw(m.items, run)


def tabs(m: Tabs, run: Run) -> None:
    """Only the open tab is built and drawn (lazy tabs); the tab is kept in the URL."""
    drawn = st.tabs([t.label for t in m.tabs], key=m.key, bind="query-params")
    for container, t in zip(drawn, m.tabs, strict=True):
        if container.open:
            # the tab is part of the view a download's link names: Streamlit keeps its label in the URL, and no
            # parameter for the first tab
            run.choices[m.key] = t.label if t is not m.tabs[0] else None
            with container:
                for s in t.build():
                    section(s, run)


def _downloads(m: Downloads, run: Run) -> None:
    downloads(m if m.what else replace(m, what=run.view.t("table_data").lower()), run)


DRAW = {Text: text, Heading: heading, Downloads: _downloads, Chart: chart, Table: table, Tiles: tiles, Cards: cards,
        Metrics: metrics, Names: names, Html: html_block, Scorecard: scorecard_, Columns: columns, Expander: expander,
        Tabs: tabs, Section: section}
