"""Every target says where it stands: the overview's first screen (verdict counts with the missed first, what falls
due in 90 days), each row's deadline and what it needs, the indicator page's targets and the pack's scorecard."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from dashboard import scorecard, theme
from dashboard.i18n import t
from dashboard.view import View
from tests.pages.conftest import open_page, texts

LATEST = dt.date(2026, 5, 8)


def strip_html(at) -> str:
    return next(e.proto.body for e in at.get("html") if "nq-strip" in e.proto.body)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_first_screen_counts_the_missed_first_in_red_then_what_falls_due(lang):
    at = open_page(None, lang)
    head = strip_html(at)
    chips = re.findall(r'class="nq-chip" style="border-color:(#[0-9a-f]+)[^>]*><b>(\d+)</b> ([^<]+)', head)
    assert chips[0][0] == theme.STATUS_COLOURS["red"] and t("status_missed", lang) in chips[0][2]
    assert int(chips[0][1]) >= 1  # the digital economy's 2025 milestone, among others
    order = [c[2].split(" ", 1)[1] for c in chips]
    statuses = [t(f"status_{s}", lang) for s in theme.statuses()]
    assert [statuses.index(w) for w in order] == sorted(statuses.index(w) for w in order), "worst first"
    until = theme.format_date(LATEST + dt.timedelta(days=90), lang)
    assert t("due_soon", lang, n=90, date=until) in head  # on the first screen, right under the counts
    assert theme.format_date(dt.date(2026, 6, 30), lang) in head  # the master-data fields (report's "31/6/2026")


def test_rows_go_worst_first_and_by_deadline_within_a_verdict():
    lines = scorecard.target_lines(View("vi", LATEST))
    order = theme.statuses()
    keys = [(order.index(ln.status), ln.summary.deadline) for ln in lines]
    assert keys == sorted(keys)


def test_each_verdict_says_what_it_needs():
    by_target = {ln.summary.target["id"]: scorecard.cells(ln, "vi") for ln in scorecard.target_lines(View("vi", LATEST))}
    economy = by_target["digital_economy_20_2025"]
    assert economy["pace"] == "thiếu 1,28 điểm % so với mục tiêu (ước tính)" and economy["figure"] == "khoảng 18,72%"
    assert by_target["coverage_gap_villages_power_2025"]["pace"].startswith("quá hạn ")
    assert "mỗi tháng" in by_target["coverage_5g_97_2026"]["pace"]  # under two years left: per month
    assert "mỗi năm" in by_target["nq57_rd_personnel_2030"]["pace"]  # two years or more left: per year
    assert economy["deadline"] == "hạn 31/12/2025"


def test_an_achieved_target_draws_no_path_and_a_missed_one_its_shortfall():
    lines = scorecard.target_lines(View("vi", LATEST))
    achieved = [ln for ln in lines if ln.status == "achieved" and ln.points]
    assert achieved and all(scorecard.path_needed(ln) == [] for ln in achieved)
    missed = [ln for ln in lines if ln.status == "missed" and ln.summary.judged is not None]
    for ln in missed:
        path = scorecard.path_needed(ln)
        assert path and path[0][0] == path[1][0] == ln.summary.deadline  # at the deadline: figure, then target


def test_the_indicator_page_plots_the_national_series_its_targets_and_the_shortfall():
    at = open_page("pages/chi-so.py", "vi", id="digital_economy_share_gdp")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [tr.get("name", "") for tr in spec["data"]]
    assert sum(n.startswith(t("target_by", "vi", year="")[:8]) for n in names) == 3  # 2025, 2030, 2045
    assert any("18.72" in str(tr.get("y")) for tr in spec["data"])  # the national estimate is plotted
    notes = [a["text"] for a in spec["layout"].get("annotations", [])]
    assert any(t("status_missed", "vi") in n and "1,28" in n for n in notes)
    body = texts(at)
    assert "nan" not in body.split() and t("target_kind_commitment", "vi") in body


def test_the_overview_names_what_the_latest_report_brought_and_keeps_ties():
    body = texts(open_page(None, "vi"))
    assert t("new_report", "vi", issuer="Bộ Công an", date="08/05/2026", n="").rsplit(" ", 2)[0] in body
    assert re.search(r"Bộ Tài chính\s*:\s*6", body)  # tied with the sixth: never cut
    assert "121" in body  # the list's parts add to 121, not the 73 stated: said beside it
