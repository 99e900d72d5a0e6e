"""Colours, fonts, the Plotly template and number/date formats: the one place the look is defined."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping

import plotly.graph_objects as go
import plotly.io as pio

from dashboard import queries
from dashboard.cache import memo
from dashboard.i18n import t

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
PRIMARY = PALETTE[0]
TARGET_COLOUR = "#D55E00"
MUTED = "#6B7280"
NO_DATA_COLOUR = "#D1D5DB"
FONT = "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# Streamlit's own colour names, as hex for the HTML and PDF that name them (red/orange: late, off track; green/blue:
# on track, done; gray: unknown); a status is always shown with a symbol and a word too, never by colour alone.
STATUS_COLOURS = {"blue": "#1c5fb8", "green": "#177245", "orange": "#b45309", "red": "#c0262d", "gray": "#5f6672"}

COMPARATORS = {">=": "≥", "<=": "≤", "=": "="}  # as a reader writes a target


def terms(vocabulary: str) -> dict[str, dict]:
    """The words of one closed list (kpis/vocabularies.csv, through the warehouse) in their order: id -> its row
    (symbol, colour, icon, description…)."""
    def build() -> dict[str, dict]:
        rows = queries.vocabularies()
        rows = rows[rows["vocabulary"] == vocabulary]
        return {r["id"]: {k: (v if isinstance(v, str) else "") for k, v in r.items()} for _, r in rows.iterrows()}
    return memo(("terms", vocabulary), build)


def statuses() -> tuple[str, ...]:
    """Every progress status, worst first: the order the scorecard counts and lists them in."""
    return tuple(terms("status"))


def status_symbol(status: str) -> str:
    return terms("status")[status]["symbol"]


def status_icon(status: str) -> str:
    return terms("status")[status]["icon"]


def status_colour_name(status: str) -> str:
    """Streamlit's name of the status's colour ('red'), for Markdown badges."""
    return terms("status")[status]["colour"]


def status_colour(status: str) -> str:
    return STATUS_COLOURS[status_colour_name(status)]


def task_colours() -> dict[str, str]:
    """The colour of each task status (done in greens, under way in blue, overdue in red, recurring gray)."""
    return {k: v["colour"] for k, v in terms("task_status").items() if v["colour"]}


def budget_flow() -> tuple[str, ...]:
    """The budget's stages from approval to disbursement, in order (a request for more is not one of them)."""
    return tuple(k for k, v in terms("stage").items() if v["colour"])


TEMPLATE_NAME = "nq57"
pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=13, color="#111827"),
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        # axes make their own room for their labels (automargin): a fixed left margin was too narrow for long
        # labels and too wide on a phone
        margin=dict(l=10, r=16, t=80, b=90),
        xaxis=dict(showgrid=False, linecolor="#9CA3AF", ticks="outside", automargin=True),
        yaxis=dict(gridcolor="#E5E7EB", zeroline=False, automargin=True),
        hoverlabel=dict(font=dict(family=FONT, size=12), align="left"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
    )
)


def separators(lang: str) -> str:
    """Plotly's `separators` (decimal then thousands): 48,9 and 65.020 in Vietnamese."""
    return ",." if lang == "vi" else ".,"


def format_number(value: float | None, lang: str, decimals: int | None = None) -> str | None:
    """65020 -> '65.020' (vi) / '65,020' (en); 48.9 -> '48,9' / '48.9'; None -> None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 100 else 2)
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def unit_labels() -> dict[str, tuple[str, str]]:
    def build() -> dict[str, tuple[str, str]]:
        return {r.id: tuple(x if isinstance(x, str) else "" for x in (r.label_vi, r.label_en))
                for r in queries.units().itertuples()}
    return memo(("unit_labels",), build)


def unit_label(unit: str, lang: str) -> str:
    vi, en = unit_labels().get(unit, (unit, unit))
    return vi if lang == "vi" else en


def format_value(value: float | None, unit: str, lang: str, base: float | None = None) -> str | None:
    """A value with its unit as a reader expects it: '48,9%', '65.020 tỷ đồng', 'hạng 44', '131/167'."""
    number = format_number(value, lang)
    if number is None:
        return None
    if base is not None and not (isinstance(base, float) and math.isnan(base)):
        number = f"{number}/{format_number(base, lang)}"
    if unit in ("percent", "percent_change"):
        return f"{number}%"
    if unit == "percent_of_plan":
        return f"{number}% {'kế hoạch' if lang == 'vi' else 'of plan'}"
    if unit == "rank":
        return f"{unit_label(unit, lang)} {number}"
    label = unit_label(unit, lang)
    return f"{number} {label}".strip()


def qualifier_of(row: Mapping) -> str:
    """How a figure is stated (exact when the row does not say)."""
    q = row.get("qualifier")
    return q if isinstance(q, str) and q else "exact"


def format_figure(row: Mapping, lang: str) -> str | None:
    """A figure as its report states it: '65.020 tỷ đồng' when exact, else 'khoảng 80 nghìn', 'hơn 25 triệu',
    'dưới 0,5%', 'Top 10', '30–50%' (an estimate or bound keeps the report's own number and unit); a plan, pledge or
    forecast says so: '3% (cam kết)'."""
    text = _format_stated(row, lang)
    modality = row.get("modality")
    if text is None or not isinstance(modality, str) or modality in ("", "outcome"):
        return text
    return f"{text} ({t('modality_' + modality, lang)})"


def _format_stated(row: Mapping, lang: str) -> str | None:
    qualifier = qualifier_of(row)
    value, unit, base = row.get("value"), row.get("unit"), row.get("base")
    if qualifier == "exact" or value is None or (isinstance(value, float) and math.isnan(value)):
        return format_value(value, unit, lang, base)
    stated, stated_unit = row.get("value_stated"), row.get("unit_stated")
    if stated is not None and not (isinstance(stated, float) and math.isnan(stated)) and stated_unit and value:
        scale, value, unit = stated / value, stated, stated_unit
    else:
        scale = 1.0
    if qualifier == "range":
        high = row.get("value_high")
        high_text = format_value(high * scale, unit, lang) if high is not None and not math.isnan(high) else None
        if unit == "rank":
            return f"{unit_label(unit, lang)} {format_number(value, lang)}–{format_number(high * scale, lang)}"
        return f"{format_number(value, lang)}–{high_text}" if high_text else format_value(value, unit, lang)
    text = format_number(value, lang) if qualifier == "bracket" else format_value(value, unit, lang)
    return t(f"q_{qualifier}", lang, v=text)


PACE_SHOWN_MAX = 9.99  # the largest pace printed as a number (999%)


def format_pace(ratio: float, lang: str) -> str:
    """R of the progress method as a percentage: '85%'. Early in a period one reported step can be many times the
    pace a target needs: past the cap it says '> 999%' rather than print the cap as if it were the figure."""
    return f"{'> ' if ratio > PACE_SHOWN_MAX else ''}{format_number(min(ratio, PACE_SHOWN_MAX) * 100, lang, 0)}%"


def format_date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.strftime("%d %b %Y")


def format_datetime(value: dt.datetime, lang: str) -> str:
    """A date as format_date writes it, with the time of day (hh:mm)."""
    return f"{format_date(value, lang)} {value:%H:%M}"


def format_change(delta: float | None, unit: str, lang: str) -> str | None:
    if delta is None:
        return None
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    body = format_number(abs(delta), lang)
    if unit == "percent":
        return f"{sign}{body} {'điểm %' if lang == 'vi' else 'pp'}"
    return f"{sign}{body} {unit_label(unit, lang)}".strip()


def plain_html(text: object) -> str:
    """Text from the data inside a Plotly title, footer or hover label, which read a subset of HTML: shown as
    written, never a link or markup."""
    return html.escape(str(text), quote=False)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
_AUTOLINK = re.compile(r"(@|www(?=\.)|:(?=//))", re.IGNORECASE)


def plain_md(text: object) -> str:
    """Text from the data (a name, a source, a sign-in name) inside Markdown: every mark escaped, so it makes no
    link, emphasis or HTML."""
    # Streamlit's renderer links bare e-mails, www. and http:// in text after escapes are read: a word joiner
    # (invisible, U+2060) right after '@', 'www' or ':' keeps them plain.
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub("\\1\u2060", str(text)))


# Streamlit's own chrome that speaks English only (1.67 has no locale for it and no switch to hide it): the toolbar
# over a table ("Fullscreen", "Download as CSV", "Search"), a table column's menu ("Sort ascending", "Pin column"…),
# a text box's "Press Enter to apply" and the button it adds to a chart's modebar ("Fullscreen", whose title Plotly's
# locale does not translate). The page's own labelled downloads, search boxes and sort pickers (dashboard/screen.py)
# and the rest of the modebar (charts.PLOTLY_VI) do their work in the reader's language.
SCREEN_CSS = """<style>
[data-testid="stElementToolbar"], [data-testid="stDataFrameColumnMenu"], [data-testid="InputInstructions"],
.modebar-btn[data-title="Fullscreen"], .modebar-btn[data-title="Close fullscreen"] {display: none !important}
</style>"""
