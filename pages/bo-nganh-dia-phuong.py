"""Ministries, agencies and provinces: a league table, and the profile of one unit (?agency=...)."""

from dashboard.shell import run_page

run_page(__file__)  # what the page shows: its entry in dashboard/site.py
