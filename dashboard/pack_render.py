"""The meeting pack's renderer: the models of dashboard/models.py drawn as ReportLab flowables (the screen draws the
same ones with Streamlit, dashboard/screen.py). Charts are collected first and drawn together (one Chromium)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import pdf, scorecard, theme
from dashboard.i18n import name, t
from dashboard.markup import convert
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
    Tiles,
)
from dashboard.pdf import heading, para
from dashboard.view import View


@dataclass
class Figure:
    """A chart to be drawn; placed in the story once every figure is drawn."""

    fig: go.Figure


@dataclass
class Story:
    """The pack being written: its flowables, the figures to draw, and every row shown (for the conflicts section)."""

    view: View
    items: list = field(default_factory=list)
    shown: list[pd.DataFrame] = field(default_factory=list)

    def add(self, *flowables: object) -> None:
        self.items.extend(flowables)

    def figures(self) -> list[go.Figure]:
        return [i.fig for i in self.items if isinstance(i, Figure)]


def markup(text: str) -> str:
    """The Markdown marks the labels and sections use, as ReportLab markup (dashboard/markup.py)."""
    return convert(text, "reportlab")


def status_word(status: str, lang: str, count: int | None = None) -> str:
    word = f"{theme.status_symbol(status)} {pdf.text(t('status_' + status, lang))}"
    if count is not None:
        word = f"<b>{count}</b> {word}"
    return f'<font color="{theme.status_colour(status)}">{word}</font>'


def sections(story: Story, items: Iterable[Section], level: int = 1) -> None:
    for s in items:
        if s.pack:
            section(story, s, level)


def section(story: Story, s: Section, level: int) -> None:
    title = s.pack_title or s.title
    if title:
        story.add(heading(markup(title), level) if level == 1 else para(markup(title), "h2", True))
    story.shown.extend(s.shown)
    draw(story, s.items, level)


def draw(story: Story, items: Iterable[Any], level: int) -> None:
    for item in items:
        kind = type(item)
        if kind is Section:
            if item.pack:
                section(story, item, level + 1)
        elif kind in DRAW:
            DRAW[kind](story, item, level)


def text(story: Story, m: Text, level: int) -> None:
    if m.style == "badge":
        colour = theme.STATUS_COLOURS.get(m.colour, theme.MUTED)
        story.add(para(f'<font color="{colour}"><b>{markup(m.markdown)}</b></font>{pdf.text(m.after)}', "body", True))
    else:
        story.add(para(markup(m.markdown), "small" if m.style == "caption" else "body", True))


def heading_(story: Story, m: Heading, level: int) -> None:
    story.add(para(f"<b>{markup(m.text)}</b>", "body", True) if m.level >= 3 else para(markup(m.text), "h2", True))


def chart(story: Story, m: Chart, level: int) -> None:
    story.items.append(Figure(m.fig))
    story.shown.append(m.data)


def _spark(values: object) -> object:
    if not isinstance(values, list) or len(values) < 2:
        return ""
    lo, hi = min(values), max(values)
    return pdf.sparkline([(i / (len(values) - 1), (v - lo) / (hi - lo) if hi > lo else 0.5)
                          for i, v in enumerate(values)], width=20 * pdf.mm, height=6 * pdf.mm)


def table(story: Story, m: Table, level: int) -> None:
    frame = m.frame.reset_index() if m.index else m.frame
    spec = dict(m.columns)
    keep = [c for c in (m.pack_columns or frame.columns) if not str(c).startswith("_")
            and (c not in spec or spec[c].kind != "link")]
    header = [spec[c].label if c in spec else str(c) for c in keep]
    rows = [[_spark(v) if c in spec and spec[c].kind == "line" else ("" if v is None or (isinstance(v, float)
                                                                                         and pd.isna(v)) else v)
             for c, v in zip(keep, r, strict=True)] for r in frame[keep].itertuples(index=False)]
    widths = list(m.pack_widths) if len(m.pack_widths) == len(keep) else [1] * len(keep)
    story.add(pdf.table(rows, header, widths))


def metrics(story: Story, m: Metrics, level: int) -> None:
    story.add(pdf.table([[x.value for x in m.items]], [x.label for x in m.items], [1] * len(m.items)))


def names(story: Story, m: Names, level: int) -> None:
    date = f" ({m.date})" if m.date else ""
    story.add(para(f"<b>{pdf.text(m.title)}</b>{date}", "body", True), para(", ".join(m.names) or "—", "body"))
    story.shown.append(m.data)


def html(story: Story, m: Html, level: int) -> None:
    if m.pack is not None:
        draw(story, [m.pack], level)


def scorecard_(story: Story, m: Scorecard, level: int) -> None:
    """The status counts, the overdue total, every judged target with its figure, target, pace and trajectory, the
    names of those without a figure."""
    view, lines = story.view, list(m.lines)
    n = scorecard.counts(lines)
    story.add(para(pdf.text(view.t("scorecard_of", n=sum(n.values()), date=theme.format_date(view.as_of, view.lang)))
                   + " " + " · ".join(status_word(s, view.lang, n[s]) for s in n if n[s]), "body", True))
    if m.overdue is not None:
        value, day = m.overdue
        story.add(para(f'<font color="{theme.STATUS_COLOURS["red"]}">⚠ <b>{theme.format_number(value, view.lang)}</b> '
                       f'{pdf.text(view.t("overdue_tasks"))} · {theme.format_date(day, view.lang)}</font>', "body",
                       True))
    until = theme.format_date(view.as_of + dt.timedelta(days=m.due_days), view.lang)
    story.add(para(f"<b>{pdf.text(view.t('due_soon', n=m.due_days, date=until))}:</b> "
                   + ("" if m.due else pdf.text(view.t("due_soon_none", n=m.due_days))), "body", True))
    if m.due:
        story.add(pdf.table([[theme.format_date(d.day, view.lang),
                              para((f"{status_word(d.status, view.lang)} " if d.status else "") + pdf.text(d.title),
                                   "cell", True), d.who] for d in m.due],
                            [view.t("when_due"), view.t("indicator") + " / " + view.t("task"), view.t("lead")],
                            [20, 110, 50]))
    rows = []
    for ln in lines:
        if ln.status == "no_data":
            continue
        c = scorecard.cells(ln, view.lang)
        observed, path = scorecard.trajectory(ln)
        small = '<br/><font size="7" color="{}">{}</font>'.format
        rows.append([para(status_word(ln.status, view.lang), "cell", True), name(ln.indicator, view.lang),
                     para(pdf.text(c["figure"]) + (small(theme.MUTED, c["date"]) if c["date"] else ""), "cell", True),
                     para(pdf.text(c["target"]) + small(theme.MUTED, pdf.text(c["deadline"])), "cell", True),
                     c["pace"], pdf.sparkline(observed, path, theme.status_colour(ln.status)) if observed else ""])
    if rows:
        story.add(pdf.table(rows, ["", view.t("indicator"), view.t("latest_figure"), view.t("target"),
                                   view.t("need_column"), view.t("trajectory")], [20, 42, 38, 30, 26, 24]))
    missing = [name(ln.indicator, view.lang) for ln in lines if ln.status == "no_data"]
    if missing:
        story.add(pdf.Spacer(1, 3 * pdf.mm),
                  para(f"{status_word('no_data', view.lang, len(missing))}: {pdf.text(', '.join(missing))}", "small",
                       True))
    story.add(para(view.t("pack_method_at_end"), "small"))


def columns(story: Story, m: Columns, level: int) -> None:
    for part in m.parts:
        draw(story, part, level)


def expander(story: Story, m: Expander, level: int) -> None:
    if m.in_pack:
        draw(story, m.items, level)


def tabs(story: Story, m: Tabs, level: int) -> None:
    """Every tab: a print has no tabs to open."""
    for tab in m.tabs:
        story.add(heading(tab.label, 2))
        sections(story, tab.build(), level + 1)


def _skip(story: Story, m: object, level: int) -> None:
    """Tiles, cards and download buttons are the screen's."""


DRAW = {Text: text, Heading: heading_, Chart: chart, Table: table, Metrics: metrics, Names: names, Html: html,
        Scorecard: scorecard_, Columns: columns, Expander: expander, Tabs: tabs, Tiles: _skip, Cards: _skip,
        Downloads: _skip}
