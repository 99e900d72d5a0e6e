"""Landing page: the headline indicators of the five themes, what is late, data freshness."""

from dashboard import views
from dashboard.shell import current_view, footer, pack_button, page_header

view = current_view()
page_header(view.t("app_title"), view.t("app_subtitle"))
views.overview(view)
footer(view)
pack_button(view)  # last: the page is drawn before a pack is made
