"""The words of the upload page (/cap-nhat): sign-in, templates, upload, validation, load, a new report's proposals.
They join the one translation table (dashboard/i18n.py LABELS), Vietnamese first, English second."""

from __future__ import annotations

ADMIN_LABELS: dict[str, tuple[str, str]] = {
    "page_admin": ("Cập nhật số liệu", "Update data"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "your_name": ("Họ tên hoặc đơn vị", "Your name or unit"),
    "password": ("Mật khẩu", "Password"),
    "sign_in_wait": ("Quá nhiều lần nhập sai mật khẩu: hãy thử lại sau {seconds} giây.",
                    "Too many wrong passwords: try again in {seconds} s."),
    "sign_in_plain_name": ("Tên người nạp chỉ gồm chữ, số, dấu cách và . , ' & - (tối đa 60 ký tự).",
                          "The name may hold letters, digits, spaces and . , ' & - only (at most 60 characters)."),
    "sign_in_failed": ("Sai mật khẩu.", "Wrong password."),
    "signed_in_as": ("Đã đăng nhập: {user}", "Signed in as {user}"),
    "not_an_admin": (
        "Tài khoản {user} không có trong danh sách quản trị viên được phép cập nhật số liệu (hoặc thư điện tử chưa được xác "
        "minh).",
        "The account {user} is not on the list of administrators allowed to update figures (or its e-mail address is not "
        "verified).",
    ),
    "sign_out": ("Đăng xuất", "Sign out"),
    "templates": ("Biểu mẫu nộp số liệu", "Submission templates"),
    "kind_indicators": ("Giá trị chỉ tiêu", "Indicator values"),
    "kind_tasks": ("Tình hình nhiệm vụ", "Task status"),
    "kind_budget": ("Ngân sách", "Budget"),
    "kind_products": ("Sản phẩm", "Products"),
    "upload": ("Nộp tệp số liệu", "Upload a file"),
    "upload_help": (
        "Tệp .xlsx hoặc .csv (UTF-8) theo biểu mẫu; tối đa 20 MB. Tệp được kiểm tra trước, chỉ nạp khi bạn xác nhận.",
        "An .xlsx or .csv (UTF-8) file following a template; at most 20 MB. It is checked first and loaded only when you "
        "confirm.",
    ),
    "rejected": ("Tệp chưa thể nạp: {n} lỗi. Không có gì được ghi.",
                "The file cannot be loaded: {n} errors. Nothing was written."),
    "download_report": ("Tải báo cáo lỗi (CSV)", "Download the error report (CSV)"),
    "ready": ("Tệp hợp lệ: {n} dòng ({kind}).", "The file is valid: {n} rows ({kind})."),
    "confirm_load": ("Xác nhận nạp", "Confirm and load"),
    "loading": ("Đang nạp và xây dựng lại kho dữ liệu…", "Loading and rebuilding the warehouse…"),
    "load_history": ("Lịch sử nạp số liệu", "Load history"),
    "no_submissions": ("Chưa có tệp nào được nạp.", "No file has been loaded yet."),
    "loaded_at": ("Thời điểm nạp", "Loaded at"),
    "loaded_by": ("Người nạp", "Loaded by"),
}
