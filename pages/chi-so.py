"""One indicator: definition, targets, every figure with its source, charts and downloads (?id=<indicator_id>)."""

from dashboard.indicator_page import indicator_page
from dashboard.shell import current_view, footer

view = current_view()
indicator_page(view)
footer(view)
