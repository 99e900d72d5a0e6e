"""Task tracking: status per programme and date, movement, overdue tasks by agency and by group."""

from dashboard.shell import run_page

run_page(__file__)  # what the page shows: its entry in dashboard/site.py
