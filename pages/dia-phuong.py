"""Provinces: a measure on the map of the 34 units and as a ranked bar; a province's profile (?province=...)."""

from dashboard.shell import run_page

run_page(__file__)  # what the page shows: its entry in dashboard/site.py
