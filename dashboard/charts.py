"""Plotly figures that explain themselves: title, as-of date and source are drawn into every figure."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.i18n import name, t
from dashboard.indicators import goal_of
from kpis.progress import assess, goal_in_force

HOVER = "%{customdata[0]}<br>%{customdata[1]}<br><i>%{customdata[2]}</i><br>“%{customdata[3]}”<extra></extra>"


def slug(text: str) -> str:
    """An ASCII file-name stem: 'Tỷ lệ phủ sóng 5G' -> 'ty-le-phu-song-5g'."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "chart"


# Plotly's own words in Vietnamese: the modebar's buttons and the months of date axes (Plotly reads a locale given
# in the figure's config, so nothing is fetched and no script is added).
PLOTLY_VI = {
    "dictionary": {
        "Download plot as a PNG": "Tải biểu đồ (PNG)", "Download plot": "Tải biểu đồ", "Zoom": "Phóng to vùng chọn",
        "Pan": "Kéo", "Zoom in": "Phóng to", "Zoom out": "Thu nhỏ", "Autoscale": "Tự co giãn",
        "Reset axes": "Đặt lại trục", "Reset view": "Đặt lại khung nhìn", "Box Select": "Chọn vùng",
        "Lasso Select": "Chọn tự do", "Toggle Spike Lines": "Bật/tắt đường dóng",
        "Show closest data on hover": "Hiện số gần nhất khi rê chuột",
        "Compare data on hover": "So sánh số khi rê chuột", "Produced with Plotly.js": "Vẽ bằng Plotly.js",
        "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại", "Snapshot succeeded": "Đã tải ảnh",
        "Taking snapshot - this may take a few seconds": "Đang tạo ảnh, xin chờ vài giây",
        "Sorry, there was a problem downloading your snapshot!": "Không tải được ảnh.",
        "Click to enter Colorscale title": "Nhập tiêu đề thang màu", "Click to enter Plot title": "Nhập tiêu đề",
        "Click to enter X axis title": "Nhập tiêu đề trục X", "Click to enter Y axis title": "Nhập tiêu đề trục Y",
        "trace": "chuỗi", "new text": "chữ mới",
    },
    "format": {
        "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"Tháng {m}" for m in range(1, 13)],
        "shortMonths": [f"Th{m}" for m in range(1, 13)],
        "date": "%d/%m/%Y", "decimal": ",", "thousands": ".",
    },
}


def plotly_config(title: str, view: dt.date, lang: str = "vi") -> dict:
    """Modebar settings: the PNG is named after the chart and date and drawn at twice the size; the buttons and
    date words in the reader's language; only the buttons a reader of a report needs."""
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": f"{slug(title)}_{view.isoformat()}", "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "toggleSpikelines", "hoverClosestCartesian",
                                   "hoverCompareCartesian"],
    }
    if lang == "vi":
        config |= {"locale": "vi", "locales": {"vi": PLOTLY_VI}}
    return config


def _wrap(text: str, width: int = 110) -> str:
    """Break a long footer line for the figure (Plotly does not wrap annotations)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)


def source_line(data: pd.DataFrame, lang: str) -> str:
    """'Nguồn: <issuer>, <title> (dd/mm/yyyy); …' for the distinct reports behind a chart."""
    seen = data.drop_duplicates("source_file").sort_values("report_date")
    parts = [
        f"{theme.plain_html(name(r, lang, 'source_issuer'))}, {theme.plain_html(name(r, lang, 'source_title'))} "
        f"({theme.format_date(r['report_date'], lang)})"
        for _, r in seen.iterrows()
    ]
    return f"{t('source', lang)}: " + "; ".join(parts)


# A figure is built once and drawn at every width, from a phone held upright (390 px, about 358 px inside the page's
# padding) to a laptop: Plotly does not wrap text (it cuts it at the figure's edge), so titles, subtitles, sources and
# bar labels are broken into lines that fit the phone; a wider screen shows the same lines with more room around them.
# Characters of a bold title line (about 7.5 px a character), of a subtitle line (12 px text, about 5.5 px), of a
# source line (10 px text, about 5 px; Chromium's widest fallback font, DejaVu Sans) and of a bar's label (about 6 px).
TITLE_CHARS, SUBTITLE_CHARS, FOOTER_CHARS, LABEL_CHARS = 40, 58, 66, 52
# Heights in pixels: space above the title, a title line, a subtitle or source line, a legend row
TITLE_TOP_PX, TITLE_LINE_PX, SMALL_LINE_PX, LEGEND_ROW_PX = 16, 24, 16, 22
# The legend sits under the subtitle, across the figure, and Plotly moves the plot down below it; it has the most
# rows on a phone (LEGEND_PX wide), and the figure is made tall enough for them, so the plot is never squashed there.
LEGEND_PX = 340
PLOT_PX = 270  # the plot of a line chart
# A horizontal bar's row: its label above it (a line of LABEL_LINE_PX each), the bar, a gap; labels above the bars
# rather than beside them leave the bars the whole width of a phone. A stacked bar is thicker: its parts' counts are
# written inside it.
BAR_PX, STACKED_BAR_PX, LABEL_LINE_PX, ROW_GAP_PX = 18, 24, 16, 10


def legend_rows(fig: go.Figure, width: int = LEGEND_PX) -> int:
    """About how many rows the legend of `fig` wraps into at `width` pixels (0 when it shows none: one series, or
    hidden)."""
    names = [str(tr.name) for tr in fig.data if tr.name and tr.showlegend is not False]
    if len(names) < 2 or fig.layout.showlegend is False:
        return 0
    rows, used = 1, 0
    for n in names:  # per item: its symbol and gaps (about 50 px) and its text (at most about 7.5 px a character)
        item = 50 + 7.5 * len(n)
        if used and used + item > width:
            rows, used = rows + 1, 0
        used += item
    return rows


def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def finish(fig: go.Figure, title: str, view: dt.date, data: pd.DataFrame, lang: str, note: str = "",
           plot_px: int = PLOT_PX) -> go.Figure:
    """Write title, view date and sources into the figure and apply the house template, for a phone and a laptop
    alike: title, subtitle and sources broken into lines that fit a phone (Plotly cuts text off at the figure's edge),
    the legend under the subtitle (Plotly moves the plot down below it), the sources along the figure's bottom edge,
    axes that make room for their labels. `plot_px`: the height of the plot itself on a phone."""
    latest = data["as_of"].max() if "as_of" in data and not data.empty else None
    subtitle = _wrap(f"{t('as_of', lang)} {theme.format_date(latest or view, lang)}" + (f" · {note}" if note else ""),
                     SUBTITLE_CHARS)
    footer = _wrap(source_line(data, lang), FOOTER_CHARS) if "source_file" in data and not data.empty else ""
    heading = _wrap(title, TITLE_CHARS)
    top = TITLE_TOP_PX + TITLE_LINE_PX * _lines(heading) + SMALL_LINE_PX * _lines(subtitle) + 10
    legend = LEGEND_ROW_PX * legend_rows(fig)
    x_title = 24 if fig.layout.xaxis.title.text else 0
    x_ticks = 30 + 14 * (fig.layout.xaxis.tickformat or "").count("<br>")
    bottom = x_ticks + x_title + (SMALL_LINE_PX * _lines(footer) + 8 if footer else 0)
    height = top + legend + plot_px + bottom
    # room for the y axis's labels and title (the axis takes more when it needs it); none when bars are labelled above
    left = fig.layout.margin.l if fig.layout.margin.l is not None else (
        10 if fig.layout.yaxis.showticklabels is False else 56)
    fig.update_layout(
        template=theme.TEMPLATE_NAME,
        separators=theme.separators(lang),
        # held at the top of the figure (Plotly's default puts a title's baseline in the middle of the top margin)
        title=dict(text=f"<b>{heading}</b>", subtitle=dict(text=subtitle, font=dict(size=12)), x=0, xanchor="left",
                   xref="container", y=1, yref="container", yanchor="top", pad=dict(t=TITLE_TOP_PX, l=4)),
        margin=dict(t=top, b=bottom, l=left),
        height=height,
    )
    if fig.layout.legend.y is None:  # a figure that places its own legend (the map's) keeps it there
        fig.update_layout(legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container",
                                      y=1 - top / height, yanchor="top", traceorder="normal"))
    if footer:  # along the figure's bottom edge, from its left edge (annotations are placed from the plot's corner)
        fig.add_annotation(text=footer, showarrow=False, xref="paper", x=0, xanchor="left", xshift=4 - left,
                           yref="paper", y=0, yanchor="bottom", yshift=6 - bottom, align="left",
                           font=dict(size=10, color=theme.MUTED))
    return fig


def _label_lines(label: str) -> str:
    """A bar's label broken into lines that fit a phone; a label in bold stays bold on every line."""
    bold = label.startswith("<b>") and label.endswith("</b>")
    text = _wrap(label.removeprefix("<b>").removesuffix("</b>") if bold else label, LABEL_CHARS)
    return "<br>".join(f"<b>{ln}</b>" for ln in text.split("<br>")) if bold else text


def labels_above_bars(fig: go.Figure, labels: Sequence[str], reversed_axis: bool = False, bar_px: int = BAR_PX) -> int:
    """Each horizontal bar's label written above it, from the left edge of the plot, instead of beside it: on a phone
    labels beside the bars left the bars a sliver of the width, or were cut at the edge. Returns the plot's height in
    pixels for that many rows (the first category is drawn at the bottom, or at the top on a `reversed_axis`)."""
    wrapped = [_label_lines(str(lb)) for lb in labels]
    label_px = LABEL_LINE_PX * max((_lines(w) for w in wrapped), default=1)
    row = bar_px + label_px + ROW_GAP_PX
    half = bar_px / row / 2  # half a bar, in rows (the category axis counts rows)
    # from 4 px under the lowest bar to 4 px over the highest bar's label
    low, high = -half - 4 / row, len(wrapped) - 1 + half + (label_px + 4) / row
    fig.update_layout(bargap=1 - bar_px / row)
    fig.update_yaxes(showticklabels=False, ticks="", autorange=False,
                     range=[len(wrapped) - 1 - low, len(wrapped) - 1 - high] if reversed_axis else [low, high])
    for i, text in enumerate(wrapped):
        fig.add_annotation(text=text, showarrow=False, xref="paper", x=0, xanchor="left", yref="y",
                           y=i - half if reversed_axis else i + half, yanchor="bottom", yshift=2, align="left",
                           font=dict(size=12))
    return round((high - low) * row)


def hover_data(data: pd.DataFrame, lang: str) -> list[list[str]]:
    """customdata per point: formatted value, date, source title, quote."""
    rows = []
    for _, r in data.iterrows():
        value = theme.format_figure(r, lang) if pd.notna(r["value"]) else None
        basis = name(r, lang, "definition")
        rows.append([
            theme.plain_html(value or t("no_data", lang)),
            f"{t('as_of', lang)} {theme.format_date(r['as_of'], lang)}" + (f" · {theme.plain_html(basis)}" if basis else ""),
            theme.plain_html(name(r, lang, "source_title")),
            _wrap(theme.plain_html(r["source_quote"]), 80),
        ])
    return rows


def _series_label(r: pd.Series, lang: str) -> str:
    if r.get("entity_name") and pd.notna(r.get("entity_name")):
        return name({"name_vi": r["entity_name"], "name_en": r.get("entity_name_en")}, lang)
    if r.get("category") and pd.notna(r.get("category")):
        label = r.get(f"category_name_{lang}")
        return str(label) if label is not None and pd.notna(label) else str(r["category"])
    return t("national", lang)


def projection_trace(fig: go.Figure, ordered: pd.DataFrame, targets: pd.DataFrame, unit: str, direction: str,
                     lang: str) -> None:
    """Where the observed growth leads by the target's year (the progress method's projection), dotted from the
    latest exact figure of the judged basis; nothing when fewer than two such figures exist."""
    dated = targets[targets["year"].notna()]
    if dated.empty:
        return
    basis = ordered[ordered["_basis"] == ordered["_basis"].iloc[-1]]
    exact = basis[[theme.qualifier_of(r) == "exact" for _, r in basis.iterrows()]]
    points = [(pd.Timestamp(r["as_of"]).date(), float(r["value"])) for _, r in exact.iterrows()]
    goals = [goal_of(r) for _, r in dated.iterrows()]
    goal = goal_in_force(goals, points[-1][0]) if points else None
    if goal is None or len(points) < 2:
        return
    progress = assess(points, direction, goal)
    end = goal.deadline
    value = progress.projected(end)
    if value is None or progress.status == "achieved":
        return
    label = t("projection", lang, value=theme.format_value(value, unit, lang) or "", year=goal.year)
    fig.add_trace(go.Scatter(x=[points[-1][0], end], y=[points[-1][1], value], mode="lines+markers", name=label,
                             line=dict(dash="dot", color=theme.MUTED), marker=dict(size=[1, 9], symbol="circle-open"),
                             hovertemplate=f"{label}<extra></extra>"))


def date_axis(fig: go.Figure, lang: str) -> None:
    """Dates as the reader writes them, the year under the day and month: six whole dates side by side did not fit a
    phone (Plotly dropped or turned them on their side, over the source line)."""
    fig.update_xaxes(tickformat="%d/%m<br>%Y" if lang == "vi" else "%d %b<br>%Y", nticks=6, tickangle=0)


def drawn_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets a trend figure draws: those with a deadline (a path to it)."""
    return targets[targets["deadline"].notna()]


def trend_figure(data: pd.DataFrame, title: str, unit: str, direction: str, targets: pd.DataFrame,
                 view: dt.date, lang: str, period: str = "point",
                 marks: Sequence[tuple[dt.date, float, str]] = ()) -> go.Figure:
    """A line per series over time, with the target drawn as a dashed path to its deadline; `marks` (date, value,
    text) written beside a point: a missed target's shortfall at its deadline.

    Year-to-date sums and growth rates are drawn as points only: a line between them would suggest a trend
    between figures that cover different periods."""
    fig = go.Figure()
    mode = "lines+markers" if period == "point" else "markers"
    bases = data["definition"].fillna("") if "definition" in data else pd.Series("", index=data.index)
    broken = bases.nunique() > 1
    # a row's own `series_label` (figures of two lists, e.g. two programmes' overdue tasks) keeps them two lines
    data = data.assign(series=[(r["series_label"] if isinstance(r.get("series_label"), str) else _series_label(r, lang))
                               + (f" · {name(r, lang, 'definition') or t('usual_definition', lang)}" if broken else "")
                               for _, r in data.iterrows()])
    exact = [theme.qualifier_of(r) == "exact" for _, r in data.iterrows()]
    for series, part in data.groupby("series", sort=False):
        # one trace per basis: figures on different bases are never joined by a line
        hollow = [not e for e, keep in zip(exact, data["series"] == series, strict=True) if keep]
        fig.add_trace(go.Scatter(
            x=part["as_of"], y=part["value"], name=str(series), mode=mode,
            customdata=hover_data(part, lang), hovertemplate=HOVER,
            marker=dict(size=9, symbol=["circle-open" if h else "circle" for h in hollow], line=dict(width=2)),
        ))
    conflicted = data[data["conflict_id"].notna()]
    if not conflicted.empty:
        fig.add_trace(go.Scatter(
            x=conflicted["as_of"], y=conflicted["value"], mode="markers", name=t("conflict", lang),
            marker=dict(symbol="diamond-open", size=16, color=theme.TARGET_COLOUR, line=dict(width=2)),
            customdata=hover_data(conflicted, lang), hovertemplate=HOVER,
        ))
    ordered = data.assign(_basis=bases).sort_values("as_of")
    # the path to the target starts from the first figure on the basis of the latest one (the series judged)
    first = ordered[ordered["_basis"] == ordered["_basis"].iloc[-1]].iloc[0]
    for _, tg in drawn_targets(targets).iterrows():
        end = goal_of(tg).deadline
        label = f"{t('target_by', lang, year=int(tg['year']))}: {theme.format_value(tg['value'], unit, lang)}"
        fig.add_trace(go.Scatter(
            x=[first["as_of"], end], y=[first["value"], tg["value"]], mode="lines+markers", name=label,
            line=dict(dash="dash", color=theme.TARGET_COLOUR), marker=dict(symbol=["circle-open", "star"], size=[1, 14]),
            customdata=[[theme.plain_html(tg["source_quote"])]] * 2,
            hovertemplate=f"{label}<br><i>%{{customdata[0]}}</i><extra></extra>",
        ))
    projection_trace(fig, ordered, targets, unit, direction, lang)
    for day, value, text in marks:
        fig.add_annotation(x=day, y=value, text=theme.plain_html(text), showarrow=True, arrowhead=0, ax=0, ay=-28,
                           font=dict(size=11, color=theme.STATUS_COLOURS["red"]), bgcolor="rgba(255,255,255,0.85)")
    # a count or a share starts at 0 whichever way is better (an axis from 1 makes 1 look like nothing); ranks do not
    fig.update_yaxes(title=theme.unit_label(unit, lang) or None, tickformat=",~f",
                     rangemode=None if unit == "rank" else "tozero")
    if direction == "lower" and unit == "rank":
        fig.update_yaxes(autorange="reversed", title=t("rank_note", lang))
    date_axis(fig, lang)
    notes = [t(f"period_{period}", lang)] if period != "point" else []
    if broken:
        labels = sorted({name(r, lang, "definition") or t("usual_definition", lang) for _, r in data.iterrows()})
        notes.append(t("series_break", lang, defs="; ".join(theme.plain_html(x) for x in labels)))
    if not all(exact):
        notes.append(t("inexact_points", lang))
    return finish(fig, title, view, data, lang, note=" ".join(notes))


def bar_figure(data: pd.DataFrame, title: str, unit: str, direction: str, view: dt.date, lang: str,
               labels: Sequence[str] | None = None,
               colour: str = theme.PRIMARY, keep_order: bool = False, highlight: str | None = None) -> go.Figure:
    """Horizontal bars, best at the top (or in the given order), each labelled above it, in `colour` (red for what is
    late); ranks drawn so that a better (smaller) rank reads as longer; the unit `highlight` (an entity id) outlined,
    its label in bold."""
    data = data.copy()
    data["label"] = list(labels) if labels is not None else [_series_label(r, lang) for _, r in data.iterrows()]
    data = data.drop_duplicates(["label", "value"])  # a figure restated in two sentences is drawn once
    twice = data["label"].duplicated(keep=False)
    if twice.any():  # two statements disagree about one unit: keep both bars, each labelled with its report
        data.loc[twice, "label"] = [
            f"{lb} ({theme.format_date(d, lang)}: {theme.format_number(v, lang)})"
            for lb, d, v in zip(data.loc[twice, "label"], data.loc[twice, "report_date"], data.loc[twice, "value"],
                                strict=True)]
    mine = data["entity_id"].eq(highlight) if highlight and "entity_id" in data else pd.Series(False, index=data.index)
    data.loc[mine, "label"] = [f"<b>{lb}</b>" for lb in data.loc[mine, "label"]]
    data["_mine"] = mine
    best_first = data if keep_order else data.sort_values("value", ascending=(direction == "lower"))
    ordered = best_first.iloc[::-1]  # Plotly draws the first category at the bottom
    # as each report states it: "khoảng 80", "Top 10"
    texts = [theme.format_figure(r.to_dict() | {"unit": unit}, lang) for _, r in ordered.iterrows()]
    colours = [theme.TARGET_COLOUR if pd.notna(c) else colour for c in ordered["conflict_id"]]
    x, base = ordered["value"], None
    if unit == "rank":
        # Bars grow from the worst position (the field's size, or past the worst rank shown) towards rank 1,
        # on a reversed axis: the better the rank, the longer the bar.
        field = ordered["base"].max() if "base" in ordered and ordered["base"].notna().any() else None
        worst = float(field if field is not None and pd.notna(field) else ordered["value"].max()) + 1
        x, base = ordered["value"] - worst, worst
    fig = go.Figure(go.Bar(
        # the figure inside its bar when it fits there, level (a thin bar turned it on its side), else beside it
        x=x, base=base, y=ordered["label"], orientation="h", text=texts, textposition="auto", textangle=0,
        textfont=dict(size=11), cliponaxis=False, marker_color=colours, customdata=hover_data(ordered, lang), hovertemplate=HOVER,
        marker_line_color="#111827", marker_line_width=[2.5 if m else 0 for m in ordered["_mine"]],
    ))
    if direction == "lower" and unit == "rank":
        fig.update_xaxes(autorange="reversed", title=t("rank_note", lang))
    else:
        fig.update_xaxes(title=theme.unit_label(unit, lang) or None, tickformat=",~f")
    plot = labels_above_bars(fig, list(ordered["label"]))
    fig.update_layout(showlegend=False)
    return finish(fig, title, view, data, lang, plot_px=plot)


def add_reference(fig: go.Figure, national: pd.DataFrame, label: str, lang: str, bars: bool) -> go.Figure:
    """The national figure as the reference of a unit's chart: a dashed grey line through the national series on a
    trend, a dashed vertical line at its latest value across a bar chart (whose values run along x)."""
    if national.empty:
        return fig
    if bars:
        last = national.sort_values("as_of").iloc[-1]
        text = f"{label}: {theme.format_figure(last, lang)} ({theme.format_date(last['as_of'], lang)})"
        value = float(last["value"])
        longest = max((float(x) for tr in fig.data for x in (tr.x if tr.x is not None else ())), default=value)
        fig.add_vline(x=value, line=dict(dash="dash", color=theme.MUTED, width=2),
                      annotation=dict(text=theme.plain_html(text), font=dict(size=11, color=theme.MUTED), yshift=6),
                      # its words on the side with room: left of a line near the end of the axis
                      annotation_position="top left" if value > 0.6 * max(longest, value) else "top right")
    else:
        fig.add_trace(go.Scatter(x=national["as_of"], y=national["value"], name=label, mode="lines+markers",
                                 line=dict(dash="dash", color=theme.MUTED), marker=dict(size=7, color=theme.MUTED),
                                 customdata=hover_data(national, lang), hovertemplate=HOVER))
    return fig


def stacked_bar_figure(frame: pd.DataFrame, y_col: str, parts: Sequence[tuple[str, str]], title: str,
                       view: dt.date, lang: str, sources: pd.DataFrame, unit: str = "count",
                       share_of: str | None = None, colours: dict[str, str] | None = None) -> go.Figure:
    """Horizontal stacked bars: one row per `y_col` value, one segment per (column, label) of `parts`;
    with `share_of`, each segment also shows its share of that column (e.g. of the programme total)."""
    fig = go.Figure()
    for i, (col, label) in enumerate(parts):
        values = pd.to_numeric(frame[col], errors="coerce").astype(float)  # nullable NA breaks Plotly's stacking
        shares = (values / frame[share_of].astype(float) * 100) if share_of else pd.Series([None] * len(frame), index=frame.index)
        text = [
            "" if pd.isna(v) else (f"{theme.format_number(v, lang)} ({theme.format_number(sh, lang, 1)}%)"
                                   if sh is not None and pd.notna(sh) else theme.format_number(v, lang))
            for v, sh in zip(values, shares, strict=True)
        ]
        fig.add_trace(go.Bar(
            # Plotly restarts a stack after a missing value, so a part the report does not state is drawn 0 wide
            # (its label stays empty: it is not shown as a zero).
            y=frame[y_col], x=values.fillna(0), name=label, orientation="h",
            marker_color=(colours or {}).get(col, theme.PALETTE[i % len(theme.PALETTE)]), text=text,
            textposition="inside", textangle=0, textfont=dict(size=11),
            hovertemplate=f"<b>%{{y}}</b><br>{label}: %{{text}}<extra></extra>",
        ))
    # a segment's count inside it when it fits at a readable size, else only in its hover text
    fig.update_layout(barmode="stack", uniformtext=dict(minsize=10, mode="hide"))
    fig.update_xaxes(title=theme.unit_label(unit, lang) or None, tickformat=",~f")
    plot = labels_above_bars(fig, list(frame[y_col]), reversed_axis=True, bar_px=STACKED_BAR_PX)  # first row on top
    return finish(fig, title, view, sources, lang, plot_px=plot)


def lines_figure(data: pd.DataFrame, x: str, y: str, series: str, title: str, view: dt.date,
                 lang: str, unit: str = "count") -> go.Figure:
    """One line per `series` value over `x`."""
    fig = go.Figure()
    for label, part in data.dropna(subset=[y]).groupby(series, sort=False):
        part = part.sort_values(x)
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], name=str(label), mode="lines+markers", marker=dict(size=9),
            text=[theme.format_value(v, unit, lang) for v in part[y]],
            hovertemplate="<b>%{fullData.name}</b><br>%{x|%d/%m/%Y}: %{text}<extra></extra>",
        ))
    date_axis(fig, lang)
    fig.update_yaxes(rangemode="tozero", tickformat=",~f", title=theme.unit_label(unit, lang) or None)
    return finish(fig, title, view, data, lang)


def funnel_figure(data: pd.DataFrame, labels: Sequence[str], title: str, view: dt.date, lang: str) -> go.Figure:
    """Stages in order, each bar as wide as its count (with its share of the whole)."""
    total = data["value"].sum()
    fig = go.Figure(go.Funnel(
        y=list(labels), x=data["value"],
        text=[f"{theme.format_number(v, lang)} ({theme.format_number(v / total * 100, lang, 0)}%)"
              for v in data["value"]],
        textinfo="text", marker_color=theme.PRIMARY,
        customdata=hover_data(data, lang), hovertemplate=HOVER,
    ))
    return finish(fig, title, view, data, lang)
