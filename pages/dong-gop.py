"""Theme page: contribution."""

from dashboard import views
from dashboard.shell import current_view, footer, pack_button, page_header

view = current_view()
page_header(view.t("theme_contribution"), view.t("theme_intro_contribution"))
pack_button(view, theme_id="contribution")
views.theme_page("contribution", view)
footer(view)
