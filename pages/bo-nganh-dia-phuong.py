"""Ministries, agencies and provinces: a league table, and the profile of one unit (?agency=...)."""

from dashboard import tracking
from dashboard.shell import current_view, footer, pack_button, page_header

view = current_view()
page_header(view.t("page_agencies"), view.t("agencies_intro"))
picked = tracking.agency_picker(view)
if picked:
    tracking.agency_profile(view, picked)
tracking.league_table(view)
footer(view)
if picked:
    pack_button(view, agency=picked)  # last: the page is drawn before a pack is made
