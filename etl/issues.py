"""Validation findings: file, row, column, value and the reason in Vietnamese and English."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields

MAX_LISTED = 1000


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    row: int | None
    column: str | None
    value: str | None
    reason_vi: str
    reason_en: str

    def __str__(self) -> str:
        where = self.file + (f", dòng/row {self.row}" if self.row is not None else "")
        where += f", cột/column '{self.column}'" if self.column else ""
        shown = f" = {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}{shown}: {self.reason_vi} / {self.reason_en}"


class ValidationFailed(Exception):
    """Raised when input files break a rule; nothing has been written."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(set(issues), key=lambda i: (i.file, i.row or 0, i.column or ""))
        super().__init__(f"{len(self.issues)} lỗi dữ liệu / data errors")

    def report(self, limit: int = MAX_LISTED) -> str:
        lines = [str(i) for i in self.issues[:limit]]
        if len(self.issues) > limit:
            lines.append(f"... và {len(self.issues) - limit} lỗi khác / and {len(self.issues) - limit} more")
        lines.append(f"Tổng số lỗi / total errors: {len(self.issues)}")
        return "\n".join(lines)

    def to_csv(self, limit: int = MAX_LISTED) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([f.name for f in fields(Issue)])
        for issue in self.issues[:limit]:
            w.writerow(["" if v is None else v for v in astuple(issue)])
        return buf.getvalue()
