"""Provinces: a measure on the map of the 34 units and as a ranked bar; a province's profile (?province=...)."""

import streamlit as st

from dashboard import provinces, queries, tracking
from dashboard.shell import current_view, footer, pack_button, page_header, url_selectbox

view = current_view()
page_header(view.t("page_provinces"), view.t("provinces_intro"))
ags = queries.agencies()
prov = ags[ags["kind"] == "province"].sort_values("name_vi")
wanted = st.query_params.get("province")
if wanted and wanted not in set(prov["id"]):  # a name, a name without diacritics or an alias: its id
    resolved = queries.resolve_agency(wanted)
    if resolved:
        st.query_params["province"] = resolved
clicked = provinces.provinces_page(view)
st.caption(view.t("map_attribution"))
if clicked:
    st.query_params["province"] = clicked
    st.session_state.pop("_url_province", None)
names = dict(zip(prov["id"], prov["name_" + view.lang].fillna(prov["name_vi"]), strict=True))
picked = url_selectbox(view.t("pick_province"), list(prov["id"]), "province", names.get, none_label="—")
if picked:
    tracking.agency_profile(view, picked)
footer(view)
if picked:
    pack_button(view, province=picked)  # last: the page is drawn before a pack is made
