"""Chart helpers: ranks read the right way, downloads carry sources, PNG names, missing parts not drawn as 0."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import charts

DAY = dt.date(2026, 5, 3)


def _rows(values, bases=None, labels=("Bắc Ninh", "Thái Nguyên")):
    return pd.DataFrame({
        "value": values, "base": bases or [None] * len(values), "unit": "rank", "as_of": pd.Timestamp(DAY),
        "entity_name": list(labels), "entity_name_en": list(labels), "category": None, "conflict_id": None,
        "source_file": "000.txt", "source_title_vi": "Báo cáo", "source_title_en": "Report",
        "source_issuer_vi": "Bộ KH&CN", "source_issuer_en": "MOST", "report_date": pd.Timestamp(DAY),
        "source_quote": "xếp thứ 06/34",
    })


def test_a_better_rank_draws_a_longer_bar_on_a_reversed_axis():
    fig = charts.bar_figure(_rows([6.0, 13.0], [34.0, 34.0]), "PII", "rank", "lower", DAY, "vi")
    bar = fig.data[0]
    length = {label: abs(x) for label, x in zip(bar.y, bar.x, strict=True)}
    assert length["Bắc Ninh"] > length["Thái Nguyên"]
    assert fig.layout.xaxis.autorange == "reversed"


def test_png_button_names_the_file_after_chart_and_date_at_twice_the_size():
    cfg = charts.plotly_config("Tỷ lệ phủ sóng 5G", DAY)
    assert cfg["toImageButtonOptions"] == {"format": "png", "filename": "ty-le-phu-song-5g_2026-05-03", "scale": 2}


def test_title_date_and_source_are_written_into_the_figure():
    fig = charts.bar_figure(_rows([6.0, 13.0], [34.0, 34.0]), "PII", "rank", "lower", DAY, "vi")
    assert "PII" in fig.layout.title.text and "03/05/2026" in fig.layout.title.subtitle.text
    assert any("Nguồn" in a.text and "Bộ KH&amp;CN" in a.text for a in fig.layout.annotations)  # Plotly shows &amp; as &


def test_a_status_the_report_does_not_give_is_drawn_zero_wide_without_a_label():
    frame = pd.DataFrame({"label": ["P"], "total": [10.0], "a": [4.0], "b": [None]})
    fig = charts.stacked_bar_figure(frame, "label", [("a", "A"), ("b", "B")], "t", DAY, "vi", _rows([1.0], None, ["x"]),
                                    share_of="total")
    assert list(fig.data[1].x) == [0.0] and list(fig.data[1].text) == [""]
    assert fig.data[0].text[0] == "4 (40%)"


def test_a_long_title_is_broken_into_lines_and_the_plot_moves_down_to_make_room():
    long = ("Nhiệm vụ quá hạn chưa hoàn thành · Chương trình hành động của Chính phủ và các Thông báo kết luận "
            "của Ban Chỉ đạo")
    short = charts.bar_figure(_rows([6.0, 13.0], [34.0, 34.0]), "PII", "rank", "lower", DAY, "vi")
    fig = charts.bar_figure(_rows([6.0, 13.0], [34.0, 34.0]), long, "rank", "lower", DAY, "vi")
    lines = fig.layout.title.text.removeprefix("<b>").removesuffix("</b>").split("<br>")
    assert len(lines) >= 2 and all(len(line) <= charts.TITLE_CHARS for line in lines)
    assert " ".join(lines) == long  # nothing cut off
    assert fig.layout.margin.t > short.layout.margin.t and fig.layout.height > short.layout.height


def test_bar_labels_are_written_above_the_bars_and_every_text_fits_a_phone():
    """On a 390-pixel phone labels beside the bars were cut at the left and left the bars a sliver: each label is
    written above its bar from the plot's left edge, broken into lines a phone holds, and the source line starts at
    the figure's left edge."""
    labels = ("Chương trình hành động của Chính phủ và các Thông báo kết luận của BCĐTW — 23/09/2025",
              "Kế hoạch 02-KH/BCĐTW — 15/12/2025")
    fig = charts.bar_figure(_rows([6.0, 13.0], [34.0, 34.0], labels), "PII", "count", "higher", DAY, "vi")
    assert fig.layout.yaxis.showticklabels is False
    written = {a.text.replace("<br>", " "): a for a in fig.layout.annotations if a.yref == "y"}
    assert set(written) == set(labels)
    assert all((a.xref, a.x, a.xanchor, a.yanchor) == ("paper", 0, "left", "bottom") for a in written.values())
    assert all(len(line) <= charts.LABEL_CHARS for a in written.values() for line in a.text.split("<br>"))
    # each label sits on the top edge of its own bar (the category axis counts bars from 0 at the bottom)
    half = (1 - fig.layout.bargap) / 2
    order = list(fig.data[0].y)
    assert all(a.y == pytest.approx(order.index(lb) + half) for lb, a in zip(labels, map(written.get, labels),
                                                                                strict=True))
    footer = next(a for a in fig.layout.annotations if "Nguồn" in a.text)
    assert footer.xshift == 4 - fig.layout.margin.l  # from the figure's edge, not from the plot's
    assert all(len(line) <= charts.FOOTER_CHARS for line in footer.text.split("<br>"))
    assert all(len(line) <= charts.TITLE_CHARS + len("<b>") for line in fig.layout.title.text.split("<br>"))


def test_a_bold_label_stays_bold_on_each_of_its_lines():
    text = charts._label_lines("<b>Chương trình hành động của Chính phủ và các Thông báo kết luận của BCĐTW</b>")
    assert text.count("<br>") == 1 and all(ln.startswith("<b>") and ln.endswith("</b>") for ln in text.split("<br>"))


def test_a_legend_sits_under_the_subtitle_and_the_figure_grows_by_its_rows_on_a_phone():
    frame = pd.concat([_rows([40.0, 60.0], labels=("a", "b")).assign(series="Kế hoạch 02-KH/BCĐTW"),
                       _rows([30.0, 65.0], labels=("a", "b")).assign(series="Các Thông báo kết luận của BCĐTW")])
    frame["day"] = [DAY, dt.date(2026, 6, 1)] * 2
    two = charts.lines_figure(frame, "day", "value", "series", "Quá hạn", DAY, "vi")
    one = charts.lines_figure(frame[frame["series"] == "Kế hoạch 02-KH/BCĐTW"], "day", "value", "series", "Quá hạn",
                              DAY, "vi")
    assert charts.legend_rows(one) == 0  # a single line shows no legend
    assert charts.legend_rows(two) == 2  # two names too long for one row of a phone
    assert charts.legend_rows(two, width=1000) == 1
    # under the title and subtitle, across the figure: Plotly moves the plot down below it, at any width
    legend = two.layout.legend
    assert (legend.xref, legend.x, legend.yref, legend.yanchor) == ("container", 0, "container", "top")
    assert legend.y == pytest.approx(1 - two.layout.margin.t / two.layout.height)
    # the figure is as much taller as the legend's rows on a phone, so that the plot keeps its height there
    assert two.layout.height - one.layout.height == charts.LEGEND_ROW_PX * charts.legend_rows(two)


def test_a_long_title_stays_at_the_top_and_pushes_the_legend_and_plot_down():
    frame = pd.concat([_rows([40.0, 60.0], labels=("a", "b")).assign(series="Kế hoạch 02-KH/BCĐTW"),
                       _rows([30.0, 65.0], labels=("a", "b")).assign(series="Các Thông báo kết luận của BCĐTW")])
    frame["day"] = [DAY, dt.date(2026, 6, 1)] * 2
    short = charts.lines_figure(frame, "day", "value", "series", "Quá hạn", DAY, "vi")
    long = charts.lines_figure(frame, "day", "value", "series", "Đã hoàn thành — diễn biến giữa các kỳ báo cáo "
                               "của Chương trình hành động", DAY, "vi")
    assert long.layout.title.text.count("<br>") == 1  # wrapped into two lines
    # Plotly's default would centre the title in the top margin, so a taller margin would move it down onto the
    # legend: it is held at the top of the figure instead, and the margin grows under it
    for fig in (short, long):
        assert (fig.layout.title.yref, fig.layout.title.y, fig.layout.title.yanchor) == ("container", 1, "top")
    assert long.layout.margin.t > short.layout.margin.t
    assert long.layout.height - short.layout.height == long.layout.margin.t - short.layout.margin.t


def test_a_trajectory_shows_where_the_observed_pace_leads_and_only_from_exact_figures():
    def series(qualifiers):
        return pd.DataFrame({
            "as_of": pd.to_datetime(["2024-12-31", "2025-12-31"]), "value": [30.0, 34.6], "unit": "percent",
            "qualifier": qualifiers, "definition": None, "scope": "national", "category": None, "conflict_id": None,
            "source_file": "f", "source_quote": "q", "report_date": pd.to_datetime(["2025-01-01", "2026-01-01"]),
            "source_title_vi": "x", "source_issuer_vi": "y", "base": None, "value_stated": [30.0, 34.6],
            "unit_stated": "percent"})
    targets = pd.DataFrame([{"indicator_id": "x", "comparator": ">=", "value": 40.0, "year": 2030, "source_quote": "q",
                             "deadline": pd.Timestamp("2030-12-31")}])
    fig = charts.trend_figure(series(["exact", "exact"]), "T", "percent", "higher", targets, dt.date(2026, 5, 8), "vi")
    (projection,) = [tr for tr in fig.data if tr.name.startswith("Theo xu hướng hiện tại")]
    years = (dt.date(2030, 12, 31) - dt.date(2025, 12, 31)).days / 365.25
    growth = (34.6 / 30) ** (1 / ((dt.date(2025, 12, 31) - dt.date(2024, 12, 31)).days / 365.25))
    assert projection.x[-1] == dt.date(2030, 12, 31) and projection.y[-1] == pytest.approx(34.6 * growth ** years)
    fig = charts.trend_figure(series(["exact", "approx"]), "T", "percent", "higher", targets, dt.date(2026, 5, 8), "vi")
    assert not [tr for tr in fig.data if tr.name.startswith("Theo xu hướng hiện tại")]
