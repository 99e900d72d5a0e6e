"""Sources, conflicts between reports, the status rule and the build log."""

from dashboard import views
from dashboard.shell import current_view, footer, page_header

view = current_view()
page_header(view.t("page_sources"))
views.sources_page(view)
footer(view)
