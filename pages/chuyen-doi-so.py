"""Theme page: digital transformation, one tab per pillar."""

import streamlit as st

from dashboard import views
from dashboard.shell import current_view, footer, pack_button, page_header
from kpis.registry import PILLARS

view = current_view()
page_header(view.t("theme_digital_transformation"), view.t("theme_intro_digital_transformation"))
views.headline_tiles("digital_transformation", views.queries.theme_observations(view.as_of, "digital_transformation"), view)
# Only the open tab runs (lazy tabs); the tab is kept in the URL (?pillar=...).
tabs = st.tabs([view.t(f"pillar_{p}") for p in PILLARS], key="pillar", bind="query-params")
for tab, pillar in zip(tabs, PILLARS, strict=True):
    if tab.open:
        with tab:
            views.theme_page("digital_transformation", view, pillar=pillar)
footer(view)
pack_button(view, theme_id="digital_transformation")  # last: the page is drawn before a pack is made
