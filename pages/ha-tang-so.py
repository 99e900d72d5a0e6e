"""Theme page: digital_infra."""

from dashboard import views
from dashboard.shell import current_view, footer, pack_button, page_header

view = current_view()
page_header(view.t("theme_digital_infra"), view.t("theme_intro_digital_infra"))
views.theme_page("digital_infra", view)
footer(view)
pack_button(view, theme_id="digital_infra")  # last: the page is drawn before a pack is made
