"""NQ57 Dashboard (`streamlit run serve.py`, or `streamlit run app.py` without the start-up warm-up). Builds the
warehouse on first start, then routes to the pages of the page registry (dashboard/site.py)."""

from pathlib import Path

import streamlit as st

from dashboard import admin, queries, shell, site

ICON = Path(__file__).parent / "dashboard" / "icon.png"  # a local file: an emoji or Material icon is fetched online
st.set_page_config(page_title="NQ57 Dashboard", page_icon=str(ICON), layout="wide")
queries.ensure_warehouse()
queries.pin()  # one warehouse file for the whole page run, whatever a load swaps in meanwhile
view = shell.sidebar()
st.session_state["_view"] = view
navigation: dict[str, list[st.Page]] = {}
for page in site.pages():
    if page.admin and not admin.auth_mode():  # no admin page at all unless sign-in is configured
        continue
    # The file name is the URL: Streamlit resolves a first deep link by file name before st.navigation runs.
    navigation.setdefault(view.t(page.group), []).append(st.Page(
        f"pages/{page.slug}.py", title=view.t(page.title), icon=f":material/{page.icon}:", url_path=page.slug,
        default=page.default, visibility="hidden" if page.hidden else "visible"))
with shell.routing():  # pages check they run inside the navigation (shell.current_view)
    st.navigation(navigation).run()
shell.freeze_startup_objects()
