"""Task tracking: status per programme and date, movement, overdue tasks by agency and by group."""

from dashboard import tracking
from dashboard.shell import current_view, footer, page_header

view = current_view()
page_header(view.t("page_tasks"), view.t("tasks_intro"))
tracking.task_breakdown(view)
tracking.task_movement(view)
tracking.overdue_by_agency(view)
tracking.overdue_by_group(view)
tracking.illustrative_tasks(view)
footer(view)
