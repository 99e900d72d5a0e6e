"""Choosing a figure's indicator (etl/match.py): the words a number owns, the masked text, the conditional logit, and
that a report's own examples never score its figures."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from etl import match
from etl.figures import Masked, Names, find_figures

DAY = dt.date(2026, 5, 3)
UNITS = {"Bộ Y tế": "m_y_te", "Bộ Tài chính": "m_tai_chinh", "Lào Cai": "p_lao_cai"}
NAMES = Names.build(list(UNITS), lambda names: [UNITS.get(n) for n in names], {v: k for k, v in UNITS.items()})
INDICATORS = {
    "tasks_done_on_time": {"name_vi": "Nhiệm vụ hoàn thành đúng hạn", "unit": "count", "description": ""},
    "tasks_done_late": {"name_vi": "Nhiệm vụ hoàn thành quá hạn", "unit": "count", "description": ""},
    "coverage_5g_population": {"name_vi": "Tỷ lệ dân số được phủ sóng 5G", "unit": "percent", "description": ""},
    "report_not_submitted": {"name_vi": "Đơn vị chưa gửi báo cáo", "unit": "flag", "description": ""},
}


def _contexts(text: str):
    figs = find_figures(text, DAY, NAMES)
    return figs, match.contexts(text, figs, NAMES.masked(text))


def _of(figs, ctx, value, unit=None):
    return next(c for f, c in zip(figs, ctx, strict=True) if f.value == value and (unit is None or f.unit == unit))


def test_masked_text_is_read_by_the_spans_of_the_original():
    text = "Bộ Y tế có 1.234 nhiệm vụ, Lào Cai đạt 56%"
    masked = NAMES.masked(text)
    assert masked.text == "đv có 0 nhiệm vụ, đv đạt 0%"
    assert masked(0, len(text)) == NAMES.mask(text)
    assert masked(text.index("1.234"), text.index(",")) == "0 nhiệm vụ"
    assert masked(text.index("Y tế"), text.index("có")) == "đv "  # a span starting inside a name keeps its placeholder
    assert Masked("không có số")(0, 6) == "không "


def test_a_number_owns_the_words_of_its_clause():
    figs, ctx = _contexts("Có 95 nhiệm vụ đã hoàn thành (trong đó 81 nhiệm vụ hoàn thành đúng hạn và 14 nhiệm vụ "
                          "hoàn thành quá hạn); tỷ lệ phủ sóng 5G đạt 91,9% dân số.")
    late = _of(figs, ctx, 14)
    assert late["after"] == "nhiệm vụ hoàn thành quá hạn" and late["before"] == ""  # cut at "và": not its sibling's
    assert late["head"] == "nhiệm vụ"
    share = _of(figs, ctx, 91.9)
    assert share["before"] == "tỷ lệ phủ sóng 0g đạt" and share["after"] == "dân số"


def test_the_noun_after_a_share_in_brackets_belongs_to_the_count():
    figs, ctx = _contexts("Trong đó, có 99/348 (28%) sản phẩm thuộc nhóm công nghệ chiến lược.")
    assert _of(figs, ctx, 99)["head"] == "sản phẩm"


def test_a_list_of_units_is_read_by_its_lead_in_and_by_how_its_sentence_ends():
    figs, ctx = _contexts("I. TIẾN ĐỘ BÁO CÁO\nCòn 02 đơn vị (Bộ Y tế, Bộ Tài chính) chưa có kết quả gửi về Bộ Y tế.\n"
                          "Còn 03 đơn vị bộ, ngành (Bộ Y tế, Lào Cai), 01 tỉnh (Bộ Tài chính) và 02 đơn vị khác "
                          "(Bộ Y tế) chưa gửi báo cáo về Bộ Y tế.\nCác đơn vị đã gửi báo cáo gồm: Bộ Y tế, Lào Cai.")
    flags = [c for f, c in zip(figs, ctx, strict=True) if f.unit == "flag"]
    assert flags[0]["after"] == "chưa có kết quả gửi về" and flags[0]["head"] == ""  # its own six words
    assert flags[0]["heading"] == "tiến độ báo cáo"
    assert flags[2]["after"] == "chưa gửi báo cáo về đv"  # nothing after the bracket: the sentence's last clause
    assert flags[-1]["before"] == "vị đã gửi báo cáo gồm"


def test_the_conditional_logit_learns_which_score_tells():
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(60):  # 5 candidates; the right one has the highest first score, the second score is noise
        x = rng.normal(size=(5, 2))
        right = np.zeros(5, dtype=bool)
        right[np.argmax(x[:, 0])] = True
        groups.append((x, right))
    w = match._fit(groups)
    assert w[0] > 1.0 and abs(w[1]) < w[0] / 3


def _example(indicator: str, source: str, text: str, value: float) -> match.Example:
    figs, ctx = _contexts(text)
    k = next(i for i, f in enumerate(figs) if f.value == value)
    return match.Example(indicator, source, figs[k], ctx[k])


def test_a_report_never_scores_its_own_figures():
    on_time = _example("tasks_done_on_time", "a.txt", "Có 120 nhiệm vụ hoàn thành đúng hạn.", 120)
    late = _example("tasks_done_late", "b.txt", "Có 14 nhiệm vụ hoàn thành quá hạn.", 14)
    features = match._Features(INDICATORS, [on_time, late], [])
    example = match.FEATURES.index("example")
    ids = list(INDICATORS)
    own = features([on_time.figure], [on_time.context], "a.txt")[0]
    assert own[ids.index("tasks_done_on_time"), example] == 0  # its only example is itself: left out
    assert own[ids.index("tasks_done_late"), example] > 0
    new = features([on_time.figure], [on_time.context], None)[0]
    parts = sum(1 for p in match.EXAMPLE_PARTS if on_time.context[p].strip(" |"))  # each a cosine of 1 with itself
    assert new[ids.index("tasks_done_on_time"), example] == pytest.approx(parts, rel=1e-3)


def test_weights_need_two_reports_and_candidates_keep_to_fitting_units():
    one = [_example("tasks_done_on_time", "a.txt", "Có 120 nhiệm vụ hoàn thành đúng hạn.", 120)]
    assert match.weights(INDICATORS, one) is None  # rank() then uses DEFAULT_WEIGHTS
    two = one + [_example("tasks_done_late", "b.txt", "Có 14 nhiệm vụ hoàn thành quá hạn.", 14)]
    assert match.weights(INDICATORS, two) is not None
    text = "Có 20 nhiệm vụ hoàn thành quá hạn; tỷ lệ phủ sóng 5G đạt 52,4% dân số. Chưa gửi báo cáo: Bộ Y tế, Lào Cai."
    figs, ctx = _contexts(text)
    ranked = match.rank(INDICATORS, [], figs, ctx)  # no examples: the names decide
    by_value = {(f.value, f.unit): r for f, r in zip(figs, ranked, strict=True)}
    assert [i for i, _ in by_value[52.4, "percent"]] == ["coverage_5g_population"]  # the only percent indicator
    assert [i for i, _ in by_value[1.0, "flag"]] == ["report_not_submitted"]
    assert [i for i, _ in by_value[20, "count"]] == ["tasks_done_late", "tasks_done_on_time"]
    assert all(0 <= p <= 1 for r in ranked for _, p in r) and sum(p for _, p in by_value[20, "count"]) == \
        pytest.approx(1)
