"""Cập nhật số liệu: templates, upload with its validation report, confirmed load, history (signed in only)."""

from dashboard import admin
from dashboard.shell import current_view, page_header

view = current_view()
page_header(view.t("page_admin"))
admin.admin_page(view)
