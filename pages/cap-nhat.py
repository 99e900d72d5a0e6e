"""Cập nhật số liệu: templates, upload with its validation report, confirmed load, history (signed in only)."""

from dashboard.shell import run_page

run_page(__file__)  # what the page shows: its entry in dashboard/site.py
