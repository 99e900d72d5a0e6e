"""NQ57 Dashboard (`streamlit run serve.py`, or `streamlit run app.py` without the start-up warm-up). Builds the
warehouse on first start, then routes to the pages."""

from pathlib import Path

import streamlit as st

from dashboard import admin, queries, shell
from dashboard.i18n import t

ICON = Path(__file__).parent / "dashboard" / "icon.png"  # a local file: an emoji or Material icon is fetched online
st.set_page_config(page_title="NQ57 Dashboard", page_icon=str(ICON), layout="wide")
queries.ensure_warehouse()
queries.pin()  # one warehouse file for the whole page run, whatever a load swaps in meanwhile
view = shell.sidebar()
st.session_state["_view"] = view
st.session_state["_said"] = set()  # the conflict explanations this run has shown (each is said once per page)
lang = view.lang


def page(slug: str, title_key: str, icon: str, **kw: object) -> st.Page:
    # The file name is the URL: Streamlit resolves a first deep link by file name before st.navigation runs.
    return st.Page(f"pages/{slug}.py", title=t(title_key, lang), icon=f":material/{icon}:", url_path=slug, **kw)


PAGES = {
    t("nav_overview", lang): [page("tong-quan", "page_overview", "home", default=True)],
    t("nav_themes", lang): [
        page("nang-luc", "theme_capacity", "science"),
        page("dong-gop", "theme_contribution", "trending_up"),
        page("nguon-luc", "theme_resources", "payments"),
        page("ha-tang-so", "theme_digital_infra", "cell_tower"),
        page("chuyen-doi-so", "theme_digital_transformation", "devices"),
    ],
    t("nav_tracking", lang): [
        page("nhiem-vu", "page_tasks", "task_alt"),
        page("bo-nganh-dia-phuong", "page_agencies", "account_balance"),
        page("dia-phuong", "page_provinces", "map"),
        page("san-pham", "page_products", "inventory_2"),
    ],
    t("nav_about", lang): [page("nguon", "page_sources", "menu_book"),
                           page("chi-so", "page_indicator", "query_stats", visibility="hidden")],
}
if admin.auth_mode():  # no admin page at all unless sign-in is configured
    PAGES[t("nav_about", lang)].append(page("cap-nhat", "page_admin", "upload_file"))
with shell.routing():  # pages check they run inside the navigation (shell.current_view)
    st.navigation(PAGES).run()
shell.freeze_startup_objects()
