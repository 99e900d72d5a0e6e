"""Theme page: capacity."""

from dashboard import views
from dashboard.shell import current_view, footer, pack_button, page_header

view = current_view()
page_header(view.t("theme_capacity"), view.t("theme_intro_capacity"))
pack_button(view, theme_id="capacity")
views.theme_page("capacity", view)
footer(view)
