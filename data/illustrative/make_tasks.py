"""Illustrative task registry: generated individual tasks whose aggregates equal the reported ones.

The reports give task aggregates (per programme and date: total, done on time, done late, in progress
on time, overdue, recurring; for the May 2026 overdue list also per agency), never the task list.
This module builds a clearly flagged, *generated* registry of individual tasks that reproduces those
aggregates exactly, so the dashboard can show a task-level view (sortable lists, "6 rõ" fields)
without pretending to know real tasks. Every row carries ``is_illustrative = true``.

A recipe run by hand when the reported task figures change, never by the build:
``python data/illustrative/make_tasks.py [--data data]`` (re)writes ``data/illustrative/tasks.csv``.
The generator is deterministic (``random.Random(57)``, stable ordering): regenerating from the same
curated data gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, when run as a script

from etl import schema  # noqa: E402
from etl.build import resolver  # noqa: E402
from kpis.registry import TASK_STATUSES, read_rows  # noqa: E402

SEED = 57

COLUMNS = schema.SMALL["tasks"][1][0]
# the status of one task: the task-status words that are not sums of others
STATUSES = tuple(s for s in TASK_STATUSES if s not in ("total", "done", "in_progress"))
INDICATOR = {s: f"tasks_{s}" for s in STATUSES}

# The task groups the reports break tasks into (category slugs of tasks_overdue rows; their labels are in
# data/dims/categories.csv): how often a task falls in the group, and how often a province (rather than a central
# agency) leads it.
GROUPS: dict[str, tuple[int, float]] = {"the_che": (3, 0.10), "ha_tang": (4, 0.60), "nhan_luc": (2, 0.35),
                                        "chi_dao_dieu_hanh": (3, 0.40), "cds_doanh_nghiep": (2, 0.55),
                                        "cds_he_thong_chinh_tri": (3, 0.60)}

# Programmes whose counts are not tasks of their own: generating them would double count.
EXCLUDED = {
    "nq71_tbkl_2025": "combined count of nq71_2025 and tbkl_bcdtw reported together",
    "nq57_all_2025": "all 2025 programmes together (NQ71, 02-KH/BCĐTW, TBKL)",
}

# Government-affiliated central bodies that count among "bộ, ngành" besides the ministries (used only
# when a reported number of assigned central agencies exceeds the number of ministries).
CENTRAL_BODIES = ("o_vast", "o_vass", "o_dhqg_hn", "o_dhqg_hcm", "o_ttxvn")

CO_LED_CATEGORY = "dong_chu_tri_da_co_quan"
DELIVERABLE_VI = "Văn bản/sản phẩm minh họa"
FLOOR = date(2025, 1, 1)


def number(text: str) -> int:
    value = float(text)
    if value != int(value):
        raise ValueError(f"task count {text!r} is not whole")
    return int(value)


@dataclass
class Programme:
    id: str
    name_vi: str
    name_en: str
    year: int | None
    as_of: date
    kind: str  # "breakdown" (national status counts) | "overdue_list" (overdue total + per-agency counts)
    counts: dict[str, int] = field(default_factory=dict)  # status -> count
    per_agency: dict[str, int] = field(default_factory=dict)  # agency id -> overdue lead count
    co_led: int | None = None  # reported number of tasks led by several agencies
    assigned: dict[str, int] = field(default_factory=dict)  # tasks_assigned_agencies by category


class Data:
    """The curated CSVs this generator reads: agencies, aliases, programmes and task observations."""

    def __init__(self, data_dir: Path):
        self.agencies = read_rows(data_dir / "dims" / "agencies.csv")
        self.kind = {a["id"]: a["kind"] for a in self.agencies}
        self.resolve = resolver(data_dir)
        self.labels = {r["slug"]: (r["name_vi"], r["name_en"]) for r in read_rows(data_dir / "dims" / "categories.csv")}
        self.programmes = read_rows(data_dir / "dims" / "programmes.csv")
        self.rows = [r for path in sorted((data_dir / "observations").glob("*.csv")) for r in read_rows(path)
                     if r["indicator_id"].startswith("tasks_") and r["unit"] == "count"]

    def agency(self, entity: str) -> str:
        if (found := self.resolve(entity)) is None:
            raise ValueError(f"entity {entity!r} does not resolve to an agency")
        return found

    def ids(self, kind: str) -> list[str]:
        return [a["id"] for a in self.agencies if a["kind"] == kind]


def _unique(values: set[int]) -> int | None:
    return next(iter(values)) if len(values) == 1 else None


def select(data: Data) -> list[Programme]:
    """Each programme at its latest complete national breakdown, plus overdue lists with per-agency counts."""
    national: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    by_category: dict[tuple[str, str], dict[tuple[str, str], set[int]]] = defaultdict(lambda: defaultdict(set))
    per_agency: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for r in data.rows:
        at = (r["programme"], r["as_of"])
        if r["entity"] and not r["category"]:
            if r["indicator_id"] == "tasks_overdue":
                per_agency[at][data.agency(r["entity"])].add(number(r["value"]))
        elif not r["entity"] and r["category"]:
            by_category[at][(r["indicator_id"], r["category"])].add(number(r["value"]))
        elif not r["entity"]:
            national[at][r["indicator_id"]].add(number(r["value"]))

    chosen = []
    for p in data.programmes:
        pid = p["id"]
        if pid in EXCLUDED:
            continue
        dates = sorted({d for (q, d) in national if q == pid}, reverse=True)
        prog = None
        for d in dates:
            figures = {ind: _unique(v) for ind, v in national[(pid, d)].items()}
            total = figures.get("tasks_total")
            parts = [figures.get(INDICATOR[s]) for s in STATUSES[:4]]
            if total is None or None in parts or ("tasks_recurring" in figures and figures["tasks_recurring"] is None):
                continue
            counts = dict(zip(STATUSES[:4], parts, strict=True))
            if figures.get("tasks_recurring") is not None:
                counts["recurring"] = figures["tasks_recurring"]
            if sum(counts.values()) != total:
                continue
            prog = Programme(pid, p["name_vi"], p["name_en"], int(p["year"]) if p["year"] else None,
                             date.fromisoformat(d), "breakdown", counts)
            break
        if prog is None:  # an overdue list: national overdue total and per-agency counts, no total
            for d in dates:
                figures = national[(pid, d)]
                overdue = _unique(figures.get("tasks_overdue", set()))
                if overdue is None or "tasks_total" in figures or not per_agency.get((pid, d)):
                    continue
                agencies = {}
                for agency_id, values in per_agency[(pid, d)].items():
                    if _unique(values) is None:
                        raise ValueError(f"{pid} {d}: disagreeing overdue counts for {agency_id}")
                    agencies[agency_id] = _unique(values)
                prog = Programme(pid, p["name_vi"], p["name_en"], int(p["year"]) if p["year"] else None,
                                 date.fromisoformat(d), "overdue_list", {"overdue": overdue}, agencies,
                                 _unique(by_category[(pid, d)].get(("tasks_overdue", CO_LED_CATEGORY), set())))
                break
        if prog is None:
            continue
        for (ind, cat), values in by_category[(pid, prog.as_of.isoformat())].items():
            if ind == "tasks_assigned_agencies" and _unique(values) is not None:
                prog.assigned[cat] = _unique(values)
        chosen.append(prog)
    return chosen


# ---------------------------------------------------------------- generation

def _day(rng: random.Random, lo: date, hi: date) -> date:
    if hi < lo:
        raise ValueError(f"empty date range {lo}..{hi}")
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _window(prog: Programme) -> tuple[date, date]:
    """Deadlines lie in the programme's year range, never before 2025-01-01 nor after as_of + 1 year."""
    if prog.year:
        lo, hi = date(prog.year, 1, 1), date(prog.year, 12, 31)
    else:
        lo, hi = FLOOR, date(prog.as_of.year, 12, 31)
    return max(lo, FLOOR), min(hi, prog.as_of + timedelta(days=365))


def _dates(rng: random.Random, prog: Programme, status: str) -> tuple[str, str]:
    lo, hi = _window(prog)
    as_of = prog.as_of
    if status == "done_on_time":
        deadline = _day(rng, lo, min(as_of, hi))
        done = _day(rng, max(lo, deadline - timedelta(days=90)), deadline)
    elif status == "done_late":
        deadline = _day(rng, lo, min(as_of, hi) - timedelta(days=1))
        done = _day(rng, deadline + timedelta(days=1), min(as_of, deadline + timedelta(days=120)))
    elif status == "in_progress_on_time":
        return _day(rng, as_of + timedelta(days=1), hi).isoformat(), ""
    elif status == "overdue":
        return _day(rng, lo, min(as_of, hi) - timedelta(days=1)).isoformat(), ""
    else:  # recurring: periodic, no single deadline
        return "", ""
    return deadline.isoformat(), done.isoformat()


def _ordered(data: Data, ids) -> list[str]:
    rank = {a["id"]: i for i, a in enumerate(data.agencies)}
    return sorted(set(ids), key=rank.__getitem__)


def _pools(rng: random.Random, data: Data, prog: Programme) -> tuple[list[str], list[str], list[str]]:
    """Central and provincial lead pools, and agencies every one of which must lead at least one task."""
    ministries, provinces = data.ids("ministry"), data.ids("province")
    n_central, n_local = prog.assigned.get("bo_nganh"), prog.assigned.get("dia_phuong")
    if n_central is None or n_local is None or n_local > len(provinces):
        return ministries, provinces, []
    extra = [a for a in CENTRAL_BODIES if data.kind.get(a) == "other"]
    if n_central <= len(ministries):
        central = _ordered(data, rng.sample(ministries, n_central))
    elif n_central <= len(ministries) + len(extra):
        central = ministries + _ordered(data, rng.sample(extra, n_central - len(ministries)))
    else:
        return ministries, provinces, []
    local = _ordered(data, rng.sample(provinces, n_local))
    if len(central) + len(local) > sum(prog.counts.values()):
        return ministries, provinces, []
    return central, local, central + local


def _breakdown_tasks(rng: random.Random, data: Data, prog: Programme) -> list[dict[str, str]]:
    central, local, must_lead = _pools(rng, data, prog)
    pool = central + local
    statuses = [s for s in STATUSES for _ in range(prog.counts.get(s, 0))]
    rng.shuffle(statuses)
    groups = list(GROUPS)
    weights = [GROUPS[g][0] for g in groups]
    first_leads = rng.sample(must_lead, len(must_lead))  # each covers one task, in random order
    tasks = []
    for i, status in enumerate(statuses):
        group = rng.choices(groups, weights)[0]
        leads = ([first_leads[i]] if i < len(first_leads)
                 else [rng.choice(local if rng.random() < GROUPS[group][1] else central)])
        if rng.random() < 0.06:
            leads.append(rng.choice([a for a in pool if a not in leads]))
        n_co = rng.choices((0, 1, 2), (40, 35, 25))[0]
        co = rng.sample([a for a in pool if a not in leads], n_co)
        deadline, done = _dates(rng, prog, status)
        tasks.append({"leads": leads, "co": co, "group": group, "status": status,
                      "deadline": deadline, "completion_date": done})
    return tasks


def _co_led_sets(rng: random.Random, counts: dict[str, int], n_sets: int, extra: int) -> list[list[str]]:
    """n_sets lead sets (2+ agencies each) carrying `extra` memberships beyond one lead per task."""
    eligible = [a for a, c in counts.items() if c >= 1]
    for _ in range(1000):
        sizes = [2] * n_sets
        for _ in range(extra - n_sets):
            open_ = [i for i, s in enumerate(sizes) if s < len(eligible)]
            sizes[rng.choice(open_)] += 1
        left = dict(counts)
        sets = []
        for size in sorted(sizes, reverse=True):
            candidates = [a for a in eligible if left[a] > 0]
            if len(candidates) < size:
                break
            chosen: list[str] = []
            while len(chosen) < size:
                pick = rng.choices(candidates, [left[a] for a in candidates])[0]
                chosen.append(pick)
                candidates.remove(pick)
            for a in chosen:
                left[a] -= 1
            sets.append(chosen)
        else:
            return sets
    raise ValueError("cannot build co-led lead sets for the reported per-agency counts")


def _overdue_list_tasks(rng: random.Random, data: Data, prog: Programme) -> list[dict[str, str]]:
    """Exactly `overdue` tasks whose lead memberships reproduce every per-agency count."""
    total, counts = prog.counts["overdue"], prog.per_agency
    extra = sum(counts.values()) - total
    if extra < 0 or max(counts.values()) > total:
        raise ValueError(f"{prog.id}: per-agency counts {sum(counts.values())} cannot cover {total} tasks")
    # Tasks led by several agencies: as many as the report's co-led figure if it can carry the extra
    # memberships, else the fewest two-lead tasks that do.
    n_sets = extra
    if prog.co_led and prog.co_led <= extra <= prog.co_led * (len(counts) - 1):
        n_sets = prog.co_led
    sets = _co_led_sets(rng, counts, n_sets, extra) if extra else []
    left = Counter(counts)
    for s in sets:
        left.subtract(s)
    lead_sets = [sorted(s) for s in sets] + [[a] for a in sorted(left) for _ in range(left[a])]
    rng.shuffle(lead_sets)
    central, local = data.ids("ministry"), data.ids("province")
    groups = list(GROUPS)
    weights = [GROUPS[g][0] for g in groups]
    tasks = []
    for leads in lead_sets:
        group = rng.choices(groups, weights)[0]
        n_co = rng.choices((0, 1, 2), (40, 35, 25))[0]
        co = rng.sample([a for a in central + local if a not in leads], n_co)
        deadline, done = _dates(rng, prog, "overdue")
        tasks.append({"leads": leads, "co": co, "group": group, "status": "overdue",
                      "deadline": deadline, "completion_date": done})
    return tasks


def _prefix(pid: str) -> str:
    return pid.upper().replace("_", "-")


def generate(data_dir: Path) -> list[dict[str, str]]:
    """The illustrative registry rows (all values str), in a stable order."""
    data = Data(Path(data_dir))
    rng = random.Random(SEED)
    rows = []
    for prog in select(data):
        make = _breakdown_tasks if prog.kind == "breakdown" else _overdue_list_tasks
        tasks = make(rng, data, prog)
        width = max(3, len(str(len(tasks))))
        for n, t in enumerate(tasks, 1):
            label_vi, label_en = data.labels[t["group"]]
            num = f"{n:0{width}d}"
            rows.append({
                "task_id": f"{_prefix(prog.id)}-{num}",
                "programme": prog.id,
                "as_of": prog.as_of.isoformat(),
                "title_vi": f"Nhiệm vụ minh họa {num} — {prog.name_vi} (nhóm {label_vi})",
                "title_en": f"Illustrative task {num} — {prog.name_en} ({label_en} group)",
                "lead_agency_ids": ";".join(_ordered(data, t["leads"])),
                "co_agency_ids": ";".join(_ordered(data, t["co"])),
                "task_group": t["group"],
                "deadline": t["deadline"],
                "status": t["status"],
                "completion_date": t["completion_date"],
                "deliverable_vi": DELIVERABLE_VI,
                "is_illustrative": "true",
            })
    return rows


def render(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_bytes(render(rows).encode("utf-8"))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python data/illustrative/make_tasks.py", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1],
                        help="curated data folder (default: the repository's data/)")
    parser.add_argument("--out", type=Path, default=None, help="output CSV (default: DATA/illustrative/tasks.csv)")
    args = parser.parse_args(argv)
    rows = generate(args.data)
    out = args.out or args.data / "illustrative" / "tasks.csv"
    write(rows, out)
    per = Counter(r["programme"] for r in rows)
    print(f"wrote {len(rows)} illustrative tasks to {out}: " + ", ".join(f"{p} {n}" for p, n in per.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
