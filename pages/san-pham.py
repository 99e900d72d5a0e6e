"""The products the units reported (seed 004's 348-product analysis)."""

from dashboard.shell import run_page

run_page(__file__)  # what the page shows: its entry in dashboard/site.py
