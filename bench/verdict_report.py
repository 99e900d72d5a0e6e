"""Every target's verdict at each report date, read as the dashboard reads it: `python bench/verdict_report.py`
prints the counts by verdict at each report date (dated targets, and those without a deadline apart), how many have a
figure, and the reports' commitments with their deadline, quote and verdict at the latest report. The warehouse is
NQ57_DB's, else data/warehouse.duckdb (built from data/ when missing, as the app does)."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import queries  # noqa: E402
from dashboard.indicators import Summary, gap_text, needed_text  # noqa: E402
from dashboard.scorecard import all_targets as summaries  # noqa: E402  (every target stated by a date, judged then)
from kpis.registry import vocabulary  # noqa: E402


def counts(rows: list[Summary]) -> dict[str, int]:
    """Targets by verdict, worst first (the `status` vocabulary's order), only the verdicts that occur."""
    found = Counter(s.status for s in rows)
    return {s: found[s] for s in vocabulary("status") if found[s]}


def with_figure(rows: list[Summary]) -> tuple[int, int]:
    """(targets with a figure of their series known at the view date, targets without any)."""
    n = sum(s.latest is not None for s in rows)
    return n, len(rows) - n


def main() -> None:
    queries.ensure_warehouse()
    for on in queries.report_dates():
        rows = summaries(on)
        dated = [s for s in rows if s.deadline is not None]
        undated = [s for s in rows if s.deadline is None]
        print(f"{on:%d/%m/%Y}: {len(dated)} dated targets {counts(dated)}; with a figure / without: "
              f"{with_figure(dated)}; with an outcome judged: {sum(s.judged is not None for s in dated)}")
        print(f"            {len(undated)} without a deadline {counts(undated)}; with a figure / without: "
              f"{with_figure(undated)}")
    last = queries.report_dates()[-1]
    print(f"\nThe reports' commitments and forecasts, verdict at {last:%d/%m/%Y}:")
    for s in sorted(summaries(last), key=lambda s: (s.deadline or dt.date.max, s.target["id"])):
        tg = s.target
        if tg["kind"] == "resolution":
            continue
        deadline = f"{s.deadline:%d/%m/%Y}" if s.deadline else "—"
        figure = "—" if s.latest is None else f"{s.latest['value']:g} ({s.latest['as_of']:%d/%m/%Y}, {s.latest['qualifier']}" \
            f"{', ' + s.latest['modality'] if s.latest.get('modality') not in (None, 'outcome') else ''})"
        unit = f" [{tg['entity_name']}]" if isinstance(tg.get("entity_name"), str) else ""
        note = f" (note: {tg['deadline_note_en']})" if isinstance(tg.get("deadline_note_en"), str) else ""
        words = tg["deadline_text"] if isinstance(tg.get("deadline_text"), str) else ""
        print(f"- {tg['id']}{unit}: {tg['comparator']} {tg['value']:g} {tg['unit']}, {tg['kind']}, deadline "
              f"“{words}” → {deadline}{note}; {tg['source_file'][:3]}: “{tg['source_quote']}”\n"
              f"    figure {figure}; {s.status}{' (estimate)' if s.estimate else ''}; "
              f"{gap_text(s, 'vi') or ''} {needed_text(s, 'vi') or ''}".rstrip())


if __name__ == "__main__":
    main()
