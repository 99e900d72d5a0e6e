"""Landing page: the headline indicators of the five themes, what is late, data freshness."""

from dashboard.shell import run_page

run_page(__file__)  # what the page shows: its entry in dashboard/site.py
