"""One indicator: definition, targets, every figure with its source, charts and downloads (?id=<indicator_id>)."""

from dashboard.shell import run_page

run_page(__file__)  # what the page shows: its entry in dashboard/site.py
