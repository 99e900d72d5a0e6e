"""Theme page: S&T resources, with the budget."""

from dashboard import views
from dashboard.shell import current_view, footer, pack_button, page_header

view = current_view()
page_header(view.t("theme_resources"), view.t("theme_intro_resources"))
views.theme_page("resources", view)
views.budget_section(view)
footer(view)
pack_button(view, theme_id="resources")  # last: the page is drawn before a pack is made
