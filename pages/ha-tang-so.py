"""Theme page: digital_infra."""

from dashboard.shell import run_page

run_page(__file__)  # what the page shows: its entry in dashboard/site.py
