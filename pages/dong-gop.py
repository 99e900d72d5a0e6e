"""Theme page: contribution."""

from dashboard import views
from dashboard.shell import current_view, footer, pack_button, page_header

view = current_view()
page_header(view.t("theme_contribution"), view.t("theme_intro_contribution"))
views.theme_page("contribution", view)
footer(view)
pack_button(view, theme_id="contribution")  # last: the page is drawn before a pack is made
