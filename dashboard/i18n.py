"""Every label of the interface, Vietnamese first, English second: the one translation table."""

from __future__ import annotations

LANGS = ("vi", "en")
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}

LABELS: dict[str, tuple[str, str]] = {
    # application
    "app_title": ("Theo dõi thực hiện Nghị quyết 57-NQ/TW", "Resolution 57-NQ/TW monitoring"),
    "app_subtitle": (
        "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        "Science, technology, innovation and national digital transformation",
    ),
    "language": ("Ngôn ngữ", "Language"),
    "view_as_of": ("Xem số liệu tính đến", "View data as of"),
    "view_as_of_help": (
        "Hiển thị bảng điều khiển như tại ngày báo cáo đã chọn: chỉ dùng các báo cáo đã ban hành đến ngày đó.",
        "Show the dashboard as it stood at the chosen report date: only reports issued by then are used.",
    ),
    "filters": ("Bộ lọc", "Filters"),
    # navigation sections and pages
    "nav_overview": ("Tổng quan", "Overview"),
    "nav_themes": ("Năm nhóm chỉ tiêu", "The five themes"),
    "nav_tracking": ("Theo dõi thực hiện", "Implementation tracking"),
    "nav_about": ("Giới thiệu", "About"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_tasks": ("Nhiệm vụ", "Tasks"),
    "page_agencies": ("Bộ, ngành và địa phương", "Ministries, agencies and provinces"),
    "page_products": ("Sản phẩm", "Products"),
    "page_provinces": ("Địa phương", "Provinces"),
    "page_sources": ("Nguồn và phương pháp", "Sources and method"),
    # themes and pillars
    "theme_capacity": ("Năng lực KHCN", "S&T capacity"),
    "theme_contribution": ("Đóng góp của KHCN", "S&T contribution"),
    "theme_resources": ("Nguồn lực KHCN", "S&T resources"),
    "theme_digital_infra": ("Hạ tầng số", "Digital infrastructure"),
    "theme_digital_transformation": ("Chuyển đổi số", "Digital transformation"),
    "theme_tasks": ("Nhiệm vụ", "Tasks"),
    "theme_budget": ("Ngân sách", "Budget"),
    "theme_products": ("Sản phẩm", "Products"),
    "theme_other": ("Khác", "Other"),
    "pillar_digital_government": ("Chính phủ số", "Digital government"),
    "pillar_digital_economy": ("Kinh tế số", "Digital economy"),
    "pillar_digital_society": ("Xã hội số", "Digital society"),
    "theme_intro_capacity": (
        "Vị trí của Việt Nam trên các bảng xếp hạng quốc tế và năng lực nghiên cứu, đổi mới sáng tạo.",
        "Vietnam's positions in international rankings and its research and innovation capacity.",
    ),
    "theme_intro_contribution": (
        "Đóng góp của khoa học, công nghệ và kinh tế số vào tăng trưởng.",
        "The contribution of science, technology and the digital economy to growth.",
    ),
    "theme_intro_resources": (
        "Nhân lực, đầu tư và ngân sách cho KHCN, ĐMST và CĐS.",
        "People, investment and the budget for S&T, innovation and digital transformation.",
    ),
    "theme_intro_digital_infra": (
        "Mạng di động, băng rộng, trung tâm dữ liệu, cơ sở dữ liệu quốc gia và nền tảng dùng chung.",
        "Mobile and broadband networks, data centres, national databases and shared platforms.",
    ),
    "theme_intro_digital_transformation": (
        "Chính phủ số, kinh tế số và xã hội số.",
        "Digital government, digital economy and digital society.",
    ),
    # statuses
    "status_achieved": ("Đạt", "Achieved"),
    "status_on_track": ("Đúng hướng", "On track"),
    "status_at_risk": ("Có nguy cơ", "At risk"),
    "status_off_track": ("Chậm", "Off track"),
    "status_insufficient": ("Chưa đủ dữ liệu đánh giá", "Not enough data to judge"),
    "status_no_target": ("Chưa có mục tiêu", "No target"),
    "status_no_data": ("Chưa có số liệu", "No data"),
    "status_rule": (
        "Cách đánh giá: so sánh giá trị mới nhất với đường thẳng từ quan sát đầu tiên đến mục tiêu "
        "(31/12 của năm mục tiêu). Đạt tiến độ ≥ 100% là đúng hướng, 80–100% là có nguy cơ, dưới 80% là chậm.",
        "How status is judged: the latest value is compared with the straight line from the first "
        "observation to the target (31 Dec of the target year). Progress ≥ 100% is on track, 80–100% at risk, "
        "below 80% off track.",
    ),
    "period_year_to_date": ("lũy kế từ đầu năm", "accumulated since 1 January"),
    "period_period_growth": ("tăng trưởng so với kỳ báo cáo nêu", "growth over the period the report states"),
    "previous": ("Kỳ trước", "Previous"),
    "better": ("tốt lên", "better"),
    "worse": ("kém đi", "worse"),
    "unchanged": ("không đổi", "unchanged"),
    # tiles and values
    "no_data": ("Chưa có số liệu", "No data"),
    "as_of": ("Tính đến", "As of"),
    "change": ("Thay đổi so với kỳ trước", "Change since previous"),
    "target": ("Mục tiêu", "Target"),
    "target_by": ("Mục tiêu đến {year}", "Target by {year}"),
    "progress": ("Tiến độ", "Progress"),
    "source": ("Nguồn", "Source"),
    "quote": ("Trích dẫn", "Quote"),
    "value": ("Giá trị", "Value"),
    "unit": ("Đơn vị", "Unit"),
    "date": ("Ngày", "Date"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "entity": ("Đơn vị", "Unit"),
    "national": ("Toàn quốc", "National"),
    "category": ("Nhóm", "Group"),
    "conflict": ("Số liệu không thống nhất", "Conflicting figures"),
    "conflict_help": (
        "Các báo cáo (hoặc một báo cáo với chính nó) đưa ra số khác nhau; bảng điều khiển giữ nguyên mọi số.",
        "The reports (or one report with itself) state different figures; the dashboard keeps every one.",
    ),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_xlsx": ("Tải Excel", "Download Excel"),
    "chart_data": ("Số liệu của biểu đồ", "Chart data"),
    "freshness": ("Độ mới của số liệu", "Data freshness"),
    "freshness_help": ("Ngày số liệu gần nhất của từng nhóm", "Latest as-of date of each theme"),
    "late_strip": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    "late_strip_help": (
        "Số nhiệm vụ quá hạn của từng chương trình tại ngày báo cáo gần nhất",
        "Overdue tasks of each programme at its latest report date",
    ),
    "overdue_tasks": ("nhiệm vụ quá hạn", "overdue tasks"),
    "of_total": ("trên tổng số {total}", "of {total} in total"),
    "headline": ("Chỉ tiêu chính", "Headline indicators"),
    "all_indicators": ("Mọi chỉ tiêu có số liệu", "Every indicator with data"),
    "without_data": ("Chỉ tiêu chưa có số liệu", "Indicators without data"),
    "by_entity": ("Theo đơn vị", "By unit"),
    "trend": ("Diễn biến", "Trend"),
    "rank_note": ("Thứ hạng: càng thấp càng tốt (trục đảo ngược)", "Rank: lower is better (axis reversed)"),
    "footer_sources": ("Nguồn số liệu", "Data sources"),
    "footer_licence": (
        "Số liệu trích từ các báo cáo của cơ quan nhà nước, mỗi số kèm nguồn và trích dẫn. "
        "Mã nguồn mở.",
        "Figures are taken from government reports, each with its source and quote. Open source.",
    ),
    "budget_title": ("Ngân sách cho KHCN, ĐMST và CĐS", "Budget for S&T, innovation and digital transformation"),
    "budget_stage": ("Giai đoạn", "Stage"),
    "budget_level": ("Cấp", "Level"),
    "budget_kind": ("Loại chi", "Spending kind"),
    "budget_domain": ("Lĩnh vực", "Domain"),
    "stage_approved": ("Được duyệt", "Approved"),
    "stage_assigned": ("Đã giao", "Assigned"),
    "stage_allocated": ("Đã phân bổ", "Allocated"),
    "stage_pending": ("Chưa phân bổ", "Pending"),
    "stage_disbursed": ("Đã giải ngân", "Disbursed"),
    "stage_requested": ("Đề xuất", "Requested"),
    "level_central": ("Trung ương", "Central"),
    "level_local": ("Địa phương", "Local"),
    "level_total": ("Tổng", "Total"),
    "kind_recurrent": ("Chi thường xuyên", "Recurrent"),
    "kind_investment": ("Chi đầu tư", "Investment"),
    "kind_total": ("Tổng", "Total"),
    "kind_other": ("Khác", "Other"),
    "domain_st": ("KHCN", "S&T"),
    "domain_innovation": ("ĐMST", "Innovation"),
    "domain_dt": ("CĐS", "Digital transformation"),
    "domain_st_innovation_dt": ("KHCN, ĐMST và CĐS", "S&T, innovation and DT"),
    "domain_st_innovation": ("KHCN và ĐMST", "S&T and innovation"),
    "domain_other": ("Khác", "Other"),
    "fiscal_year": ("Năm ngân sách", "Fiscal year"),
    "amount": ("Số tiền", "Amount"),
    "error_no_warehouse": (
        "Chưa có kho dữ liệu. Chạy `python -m etl build`.",
        "The warehouse is missing. Run `python -m etl build`.",
    ),
}


def t(key: str, lang: str, **fields: object) -> str:
    """The label `key` in `lang`, with {fields} filled in."""
    vi, en = LABELS[key]
    text = vi if lang == "vi" else en
    return text.format(**fields) if fields else text


def name(row: object, lang: str, stem: str = "name") -> str:
    """`name_vi` or `name_en` of a record (dict, Series or dataclass), falling back to Vietnamese."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    value = get(f"{stem}_{lang}") or get(f"{stem}_vi")
    return str(value) if value is not None else ""
