"""The products the units reported (seed 004's 348-product analysis)."""

from dashboard import tracking
from dashboard.shell import current_view, footer, page_header

view = current_view()
page_header(view.t("page_products"), view.t("products_intro"))
tracking.products(view)
footer(view)
