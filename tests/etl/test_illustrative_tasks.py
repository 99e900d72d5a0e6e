"""The illustrative task registry (data/illustrative/tasks.csv): current, deterministic, and exact.

The reported figures are read here straight from the curated CSVs with a tiny helper of this file,
not through the generator's own selection code, so a bug there cannot hide behind itself.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from data.illustrative.make_tasks import generate, render

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
SHIPPED = DATA / "illustrative" / "tasks.csv"
STATUSES = ("done_on_time", "done_late", "in_progress_on_time", "overdue", "recurring")
GROUPS = {"the_che", "ha_tang", "nhan_luc", "chi_dao_dieu_hanh", "cds_doanh_nghiep", "cds_he_thong_chinh_tri"}


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


@pytest.fixture(scope="module")
def tasks() -> list[dict[str, str]]:
    return _csv(SHIPPED)


@pytest.fixture(scope="module")
def observations() -> list[dict[str, str]]:
    return [r for p in sorted((DATA / "observations").glob("*.csv")) for r in _csv(p)
            if r["indicator_id"].startswith("tasks_")]


@pytest.fixture(scope="module")
def alias() -> dict[str, str]:
    return {_fold(r["alias"]): r["agency_id"] for r in _csv(DATA / "dims" / "agency_aliases.csv")}


@pytest.fixture(scope="module")
def agencies() -> dict[str, str]:
    return {r["id"]: r["kind"] for r in _csv(DATA / "dims" / "agencies.csv")}


def reported(obs, programme: str, as_of: str, indicator: str, category: str = "") -> int | None:
    """The national figure (empty entity) stated for programme/date/indicator/category, if any."""
    values = {float(r["value"]) for r in obs if r["programme"] == programme and r["as_of"] == as_of
              and r["indicator_id"] == indicator and not r["entity"] and r["category"] == category}
    assert len(values) <= 1, f"{programme} {as_of} {indicator}: rows disagree {values}"
    return int(values.pop()) if values else None


def by_programme(tasks) -> dict[str, list[dict[str, str]]]:
    out = defaultdict(list)
    for t in tasks:
        out[t["programme"]].append(t)
    return out


def members(t: dict[str, str], column: str) -> list[str]:
    return [a for a in t[column].split(";") if a]


# (a) determinism + the shipped file is current
def test_generate_reproduces_the_shipped_file_byte_for_byte(tasks):
    rows = generate(DATA)
    assert rows == tasks
    assert render(rows).encode("utf-8") == SHIPPED.read_bytes()
    assert generate(DATA) == rows


def test_expected_programmes_and_no_double_counting(tasks):
    got = {(p, ts[0]["as_of"], len(ts)) for p, ts in by_programme(tasks).items()}
    assert got == {("nq11_2026", "2026-05-03", 194), ("ctr02_bcdtw_2026", "2026-05-03", 113),
                   ("tbkl_bcdtw", "2026-05-03", 829), ("kh02_bcdtw_2025", "2025-12-15", 88),
                   ("nq71_2025", "2025-12-17", 326), ("bcd57cp_tracked_2026", "2026-05-08", 73)}
    assert len({t["task_id"] for t in tasks}) == len(tasks)


# (b) status counts and totals equal the reported national figures at the reproduced date
def test_status_counts_equal_reported_national_figures(tasks, observations):
    for programme, ts in by_programme(tasks).items():
        (as_of,) = {t["as_of"] for t in ts}
        counts = Counter(t["status"] for t in ts)
        assert set(counts) <= set(STATUSES)
        total = reported(observations, programme, as_of, "tasks_total")
        if total is not None:
            assert len(ts) == total, programme
        for status in STATUSES:
            figure = reported(observations, programme, as_of, f"tasks_{status}")
            if figure is not None:
                assert counts[status] == figure, (programme, status)
            else:
                assert counts[status] == 0, (programme, status)
        done = reported(observations, programme, as_of, "tasks_done")
        if done is not None:
            assert counts["done_on_time"] + counts["done_late"] == done, programme


# (c) the May 2026 overdue list: 73 tasks, lead memberships = every per-agency count
def test_overdue_list_reproduces_per_agency_counts(tasks, observations, alias):
    ts = [t for t in tasks if t["programme"] == "bcd57cp_tracked_2026"]
    assert len(ts) == 73 == reported(observations, "bcd57cp_tracked_2026", "2026-05-08", "tasks_overdue")
    assert {t["status"] for t in ts} == {"overdue"}
    expected = Counter()
    for r in observations:
        if (r["programme"], r["as_of"], r["indicator_id"]) == ("bcd57cp_tracked_2026", "2026-05-08", "tasks_overdue") \
                and r["entity"] and not r["category"]:
            expected[alias[_fold(r["entity"])]] += int(float(r["value"]))
    assert sum(expected.values()) == 87
    got = Counter(a for t in ts for a in members(t, "lead_agency_ids"))
    assert got == expected
    co_led = reported(observations, "bcd57cp_tracked_2026", "2026-05-08", "tasks_overdue", "dong_chu_tri_da_co_quan")
    assert sum(len(members(t, "lead_agency_ids")) > 1 for t in ts) == co_led == 4


def test_nq71_assigned_agencies_22_central_and_34_provinces(tasks, observations, agencies):
    ts = [t for t in tasks if t["programme"] == "nq71_2025"]
    leads = {a for t in ts for a in members(t, "lead_agency_ids")}
    everyone = leads | {a for t in ts for a in members(t, "co_agency_ids")}
    assert leads == everyone
    provinces = {a for a in leads if agencies[a] == "province"}
    assert len(leads) == reported(observations, "nq71_2025", "2025-12-17", "tasks_assigned_agencies") == 56
    assert len(provinces) == reported(observations, "nq71_2025", "2025-12-17", "tasks_assigned_agencies", "dia_phuong")
    assert len(leads - provinces) == reported(observations, "nq71_2025", "2025-12-17", "tasks_assigned_agencies",
                                              "bo_nganh")


# (d) dates agree with status
def test_dates_agree_with_status(tasks):
    for t in tasks:
        as_of = date.fromisoformat(t["as_of"])
        status, deadline, done = t["status"], t["deadline"], t["completion_date"]
        if status == "recurring":
            assert deadline == "" and done == "", t["task_id"]
            continue
        d = date.fromisoformat(deadline)
        assert date(2025, 1, 1) <= d <= as_of + timedelta(days=366), t["task_id"]
        if status in ("done_on_time", "done_late"):
            c = date.fromisoformat(done)
            assert date(2025, 1, 1) <= c <= as_of, t["task_id"]
            assert (c <= d) if status == "done_on_time" else (c > d), t["task_id"]
        else:
            assert done == "", t["task_id"]
            assert (d > as_of) if status == "in_progress_on_time" else (d < as_of), t["task_id"]


# (e) agencies exist; leads present, distinct and not also co-agencies
def test_every_agency_exists(tasks, agencies):
    for t in tasks:
        leads, co = members(t, "lead_agency_ids"), members(t, "co_agency_ids")
        assert leads and len(set(leads)) == len(leads) and len(set(co)) == len(co), t["task_id"]
        assert not set(leads) & set(co), t["task_id"]
        assert set(leads) | set(co) <= set(agencies), t["task_id"]


# (f) every row is flagged; groups are the reports' slugs; text is NFC
def test_every_row_flagged_and_well_formed(tasks, observations):
    overdue_categories = {r["category"] for r in observations if r["indicator_id"] == "tasks_overdue"}
    assert overdue_categories >= GROUPS
    for t in tasks:
        assert t["is_illustrative"] == "true"
        assert t["task_group"] in GROUPS
        assert "minh họa" in t["title_vi"] and "Illustrative" in t["title_en"] and "minh họa" in t["deliverable_vi"]
        assert all(unicodedata.is_normalized("NFC", v) for v in t.values())
