"""Theme page: capacity."""

from dashboard import views
from dashboard.shell import current_view, footer, pack_button, page_header

view = current_view()
page_header(view.t("theme_capacity"), view.t("theme_intro_capacity"))
views.theme_page("capacity", view)
footer(view)
pack_button(view, theme_id="capacity")  # last: the page is drawn before a pack is made
