"""Validation findings: file, sheet, row, column, value and the reason in Vietnamese and English."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from etl.text import inert

MAX_LISTED = 1000


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    row: int | None
    column: str | None
    value: str | None
    reason_vi: str
    reason_en: str
    sheet: str | None = None  # the sheet of a workbook (None for CSV)

    def __str__(self) -> str:
        where = self.file + (f" [{self.sheet}]" if self.sheet else "")
        where += f", dòng/row {self.row}" if self.row is not None else ""
        where += f", cột/column '{self.column}'" if self.column else ""
        shown = f" = {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}{shown}: {self.reason_vi} / {self.reason_en}"


def ordered(issues: list[Issue]) -> list[Issue]:
    """Each finding once, by file, sheet, row and column."""
    return sorted(set(issues), key=lambda i: (i.file, i.sheet or "", i.row or 0, i.column or "", i.reason_en))


def report_text(issues: list[Issue], limit: int = MAX_LISTED) -> str:
    issues = ordered(issues)
    lines = [str(i) for i in issues[:limit]]
    if len(issues) > limit:
        lines.append(f"... và {len(issues) - limit} lỗi khác / and {len(issues) - limit} more")
    lines.append(f"Tổng số lỗi / total errors: {len(issues)}")
    return "\n".join(lines)


def report_csv(issues: list[Issue], limit: int = MAX_LISTED, sheets: bool = True) -> str:
    """The first `limit` findings as CSV (with a `sheet` column for submissions), then a line with the total."""
    issues = ordered(issues)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["file", *(["sheet"] if sheets else []), "row", "column", "value", "reason_vi", "reason_en"])
    for i in issues[:limit]:  # the values and names come from the submitted file: written inert
        w.writerow([inert(v) for v in (i.file, *([i.sheet or ""] if sheets else []), "" if i.row is None else i.row,
                                       i.column or "", "" if i.value is None else i.value, i.reason_vi, i.reason_en)])
    if len(issues) > limit:
        w.writerow(["", *([""] if sheets else []), "", "", len(issues), f"chỉ liệt kê {limit} lỗi đầu; tổng số lỗi "
                    f"{len(issues)}", f"only the first {limit} listed; total errors {len(issues)}"])
    return buf.getvalue()


class ValidationFailed(Exception):
    """Raised when input files break a rule; nothing has been written."""

    def __init__(self, issues: list[Issue]):
        self.issues = ordered(issues)
        super().__init__(f"{len(self.issues)} lỗi dữ liệu / data errors")

    def report(self, limit: int = MAX_LISTED) -> str:
        return report_text(self.issues, limit)

    def to_csv(self, limit: int = MAX_LISTED) -> str:
        return report_csv(self.issues, limit, sheets=False)
