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
    "choose_file": ("Chọn tệp", "Choose a file"),
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
    # a new report: its figures proposed, reviewed, loaded (dashboard/report_intake.py)
    "new_report": ("Báo cáo mới", "A new report"),
    "new_report_help": (
        "Tệp báo cáo .docx, .pdf (có lớp chữ) hoặc .txt (UTF-8); tối đa 20 MB. Bảng điều khiển đề xuất từng số liệu với "
        "chỉ tiêu, câu trích và độ tin cậy; đánh dấu các dòng đúng, sửa nếu cần, rồi nạp.",
        "A report as .docx, .pdf (with a text layer) or .txt (UTF-8); at most 20 MB. The dashboard proposes each figure "
        "with its indicator, quote and confidence; tick the right rows, correct them if needed, then load them.",
    ),
    "report_reading": ("Đang đọc báo cáo và đề xuất số liệu…", "Reading the report and proposing its figures…"),
    "report_read": ("{issuer} · {title} · {date}: {n} số liệu được đề xuất.",
                    "{issuer} · {title} · {date}: {n} figures proposed."),
    "report_no_figures": ("Không tìm thấy số liệu nào trong báo cáo.", "No figure was found in the report."),
    "accept": ("Nhận", "Accept"),
    "indicator_id": ("Mã chỉ tiêu", "Indicator id"),
    "confidence": ("Độ tin cậy", "Confidence"),
    "load_accepted": ("Nạp {n} dòng đã nhận", "Load the {n} accepted rows"),
}
