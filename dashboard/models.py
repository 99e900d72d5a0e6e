"""What a page shows, as plain data: section builders (dashboard/sections_*.py) make these for a view, the screen
(dashboard/screen.py) draws them with Streamlit and the meeting pack (dashboard/pack.py) with ReportLab.

Models are memoised and shared between sessions: nothing may change one after it is made."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go


@dataclass(frozen=True)
class Text:
    """Markdown text; `style` is how it reads: body, caption, info, warning, badge (a badge in `colour`, a Streamlit
    colour name); `after`: plain text after a badge."""

    markdown: str
    style: str = "body"
    help: str | None = None
    colour: str = "orange"
    after: str = ""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1 header, 2 subheader, 3 bold line
    help: str | None = None


@dataclass(frozen=True)
class Downloads:
    """CSV and Excel of exactly `data`: the rows behind a chart (made into the reader's export by dashboard/exports.py),
    or with `prepared` a table already shaped for the reader."""

    key: str
    title: str
    data: pd.DataFrame
    prepared: bool = False
    what: str | None = None  # what the files hold, on the buttons ('the chart's data', 'every figure'), when a page
    # offers more than one download
    targets: pd.DataFrame | None = None  # the targets a chart draws: rows of the download too


@dataclass(frozen=True)
class Chart:
    """A Plotly figure with its title and the rows it draws (for the downloads, the conflicts and the pack)."""

    key: str
    title: str
    fig: go.Figure
    data: pd.DataFrame
    notes: str | None = None  # the explanations of the conflicts among its rows
    indicator_id: str | None = None  # its indicator's page, linked under the chart
    download: pd.DataFrame | None = None  # a prepared download instead of the rows' export
    select: str | None = None  # the URL parameter a click on a point sets (its customdata)
    targets: pd.DataFrame | None = None  # the targets it draws (rows of its downloads)


@dataclass(frozen=True)
class Column:
    """How a table column reads: kind is text, link (the label shown on every cell), line (a sparkline), number."""

    label: str
    kind: str = "text"
    width: str | None = None
    help: str | None = None
    pinned: bool = False
    link_text: str | None = None


@dataclass(frozen=True)
class Filter:
    """A picker above a table that keeps the rows whose `column` holds the value chosen (or, for a list column,
    contains it)."""

    column: str
    label: str
    options: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    all_label: str
    contains: bool = False


@dataclass(frozen=True)
class Table:
    """A table of text. `grid`: a scrollable grid with column settings; else a plain table (sentences wrap)."""

    key: str
    frame: pd.DataFrame
    columns: tuple[tuple[str, Column], ...] = ()
    grid: bool = True
    index: bool = False
    download: Downloads | None = None
    filters: tuple[Filter, ...] = ()
    sort_label: str | None = None  # a "sort by" picker over the number columns (largest first, missing last)
    sort_values: pd.DataFrame | None = None  # the numbers behind the shown texts, for that sort
    column_page: int = 0  # number columns shown at once (a picker turns the pages); 0: all
    pack_columns: tuple[str, ...] = ()  # the columns the pack prints (all when empty)
    pack_widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None


@dataclass(frozen=True)
class Metrics:
    """A unit's standing in a few numbers, side by side."""

    items: tuple[Metric, ...]


@dataclass(frozen=True)
class Tile:
    """A headline tile: the indicator and its link, the figure, its date line and the lines under it, its status."""

    title: str
    link: str | None
    value: str
    date_line: str = ""
    date_help: str | None = None
    conflict: str | None = None
    lines: tuple[str, ...] = ()
    status: str = "no_data"
    status_label: str = ""


@dataclass(frozen=True)
class Tiles:
    items: tuple[Tile, ...]
    per_row: int = 5


@dataclass(frozen=True)
class Card:
    """A bordered card of a strip (overdue tasks per programme, freshness per theme)."""

    title: str
    value: str
    caption: str = ""


@dataclass(frozen=True)
class Cards:
    items: tuple[Card, ...]
    per_row: int = 4


@dataclass(frozen=True)
class Names:
    """A list of names (units named in a report's list), with its date and the rows behind it."""

    key: str
    title: str
    date: str
    names: tuple[str, ...]
    data: pd.DataFrame
    bullets: bool = False


@dataclass(frozen=True)
class Html:
    """HTML made by this app (the scorecard's strip and table); `pack` says what the PDF prints instead."""

    body: str
    pack: Any = None


@dataclass(frozen=True)
class Due:
    """Something that falls due soon: a target not yet met or a dated task, with its deadline."""

    day: Any  # datetime.date
    title: str
    who: str = ""  # the unit it is for, or the lead agency of a task
    link: str | None = None
    status: str | None = None  # a target's verdict
    kind: str = "target"  # or "task"


@dataclass(frozen=True)
class Scorecard:
    """Every dated target judged at the view date (dashboard/scorecard.py Lines, worst first), the overdue total and
    its date, what falls due in the next days (`due`, `due_days`); `side`: what the screen shows beside the table
    (the pack has sections of its own for them)."""

    lines: tuple[Any, ...]
    overdue: tuple[float, Any] | None = None
    side: tuple[Any, ...] = ()
    due: tuple[Due, ...] = ()
    due_days: int = 90


@dataclass(frozen=True)
class Columns:
    """Models side by side on a wide screen (one after the other in the pack and on a phone)."""

    parts: tuple[tuple[Any, ...], ...]
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Expander:
    """Models behind a click on the screen (the pack prints them when `in_pack`)."""

    label: str
    items: tuple[Any, ...]
    in_pack: bool = False


@dataclass(frozen=True)
class Tab:
    id: str
    label: str
    build: Callable[[], Sequence[Any]]  # memoised: built when the tab is opened, or for the pack


@dataclass(frozen=True)
class Tabs:
    """Tabs kept in the URL as ?key=<tab id>; on screen only the open tab is built, the pack prints every one."""

    key: str
    tabs: tuple[Tab, ...]


@dataclass(frozen=True)
class Control:
    """A picker of the page, kept in the URL as ?key=<option id> (ids read the same in every language). `resolve`:
    a unit's name, alias or name without diacritics in the link is read as the unit ('unit' any unit, 'province')."""

    key: str
    label: str
    options: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    none_label: str | None = None
    resolve: str | None = None
    width: float = 1.0
    not_found: str | None = None  # label key of what a link naming no option is told ({name})
    beside_title: bool = False  # drawn beside the page's title (a filter of the whole page), not in the row under it

    def label_of(self, option: str | None) -> str:
        return self.none_label or "" if option is None else dict(self.labels).get(option, option)


@dataclass(frozen=True)
class Section:
    """A titled group of models. `screen` / `pack`: whether the page / the meeting pack shows it."""

    items: tuple[Any, ...]
    title: str | None = None
    level: int = 1  # 1 a header, 2 a subheader
    pack_title: str | None = None  # a title in the pack only (the screen's first section needs none)
    intro: str | None = None
    help: str | None = None
    screen: bool = True
    pack: bool = True
    shown: tuple[pd.DataFrame, ...] = field(default=())  # rows the pack lists the conflicts and breaks of


def section(*items: Any, title: str | None = None, **kw: Any) -> Section:
    return Section(tuple(i for i in items if i is not None), title=title, **kw)
