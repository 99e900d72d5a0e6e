"""NQ57 Dashboard: `streamlit run app.py`. Builds the warehouse on first start, then routes to the pages."""

from pathlib import Path

import streamlit as st

from dashboard import admin, queries, shell
from dashboard.i18n import t

ICON = Path(__file__).parent / "dashboard" / "icon.png"  # a local file: an emoji or Material icon is fetched online
st.set_page_config(page_title="NQ57 Dashboard", page_icon=str(ICON), layout="wide")
queries.ensure_warehouse()
view = shell.sidebar()
st.session_state["_view"] = view
lang = view.lang

PAGES = {
    t("nav_overview", lang): [
        st.Page("pages/overview.py", title=t("page_overview", lang), icon=":material/home:", url_path="tong-quan", default=True),
    ],
    t("nav_themes", lang): [
        st.Page("pages/capacity.py", title=t("theme_capacity", lang), icon=":material/science:", url_path="nang-luc"),
        st.Page("pages/contribution.py", title=t("theme_contribution", lang), icon=":material/trending_up:", url_path="dong-gop"),
        st.Page("pages/resources.py", title=t("theme_resources", lang), icon=":material/payments:", url_path="nguon-luc"),
        st.Page("pages/digital_infra.py", title=t("theme_digital_infra", lang), icon=":material/cell_tower:", url_path="ha-tang-so"),
        st.Page("pages/digital_transformation.py", title=t("theme_digital_transformation", lang), icon=":material/devices:",
                url_path="chuyen-doi-so"),
    ],
    t("nav_tracking", lang): [
        st.Page("pages/tasks.py", title=t("page_tasks", lang), icon=":material/task_alt:", url_path="nhiem-vu"),
        st.Page("pages/agencies.py", title=t("page_agencies", lang), icon=":material/account_balance:",
                url_path="bo-nganh-dia-phuong"),
        st.Page("pages/provinces.py", title=t("page_provinces", lang), icon=":material/map:",
                url_path="dia-phuong"),
        st.Page("pages/products.py", title=t("page_products", lang), icon=":material/inventory_2:",
                url_path="san-pham"),
    ],
    t("nav_about", lang): [
        st.Page("pages/sources.py", title=t("page_sources", lang), icon=":material/menu_book:", url_path="nguon"),
    ],
}
if admin.auth_mode():  # no admin page at all unless sign-in is configured
    PAGES[t("nav_about", lang)].append(
        st.Page("pages/admin.py", title=t("page_admin", lang), icon=":material/upload_file:", url_path="cap-nhat"))
st.navigation(PAGES).run()
