"""Report intake (issue #27): the number, date and qualifier grammar, bad reports, the proposals file, loading only the
rows marked x with the report as their source, and the same report as .txt, .docx and .pdf."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl import reports
from etl.__main__ import main
from etl.build import build
from etl.figures import find_figures
from etl.intake import load_proposals
from etl.propose import ACCEPT, PROPOSAL_COLUMNS, Reference, propose, write_proposals
from etl.text import find_dates

DAY = dt.date(2026, 5, 3)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# A next report of the clean fixture's kind: new figures in the shapes the fixture's curated rows quote.
NEXT = """BỘ THỬ NGHIỆM
BÁO CÁO THÁNG 6
Hà Nội, ngày 30 tháng 6 năm 2026
Tính đến ngày 30/6/2026, Chương trình có tổng số 210 nhiệm vụ, trong đó 150 nhiệm vụ hoàn thành đúng hạn, \
20 nhiệm vụ hoàn thành quá hạn và 40 nhiệm vụ đang thực hiện.
Tỷ lệ phủ sóng 5G đạt 52,4% dân số.
Các đơn vị chưa gửi báo cáo: Bộ Y tế, tỉnh Lào Cai.
"""


def one(text: str):
    """The single figure a fragment states."""
    figs = [f for f in find_figures(text, DAY) if f.unit != "flag"]
    assert len(figs) == 1, [(f.value, f.unit) for f in figs]
    return figs[0]


@pytest.mark.parametrize("text, value, unit, qualifier, high, base", [
    ("tổng kinh phí 1.234,5 tỷ đồng", 1234.5, "billion_vnd", "exact", None, None),
    ("dự toán 65.020 tỷ đồng", 65020, "billion_vnd", "exact", None, None),
    ("đạt 1,2 triệu lượt", 1.2, "million", "exact", None, None),
    ("doanh thu 3.272 nghìn tỷ đồng", 3272, "trillion_vnd", "exact", None, None),
    ("quy mô 1,5 triệu tỷ đồng", 1.5, "million_billion_vnd", "exact", None, None),
    ("đạt 48,9% dân số", 48.9, "percent", "exact", None, None),
    ("tăng 2,5 điểm % so với năm trước", 2.5, "percent_points", "exact", None, None),
    ("gấp 28 lần GDP", 28, "times", "at_least", None, None),
    ("tăng 5 bậc", 5, "count", "exact", None, None),
    ("xếp hạng 44/139 quốc gia", 44, "rank", "exact", None, 139),
    ("đã có 58/104 CSDL", 58, "count", "exact", None, 104),
    ("đứng thứ 11/104 quốc gia", 11, "rank", "exact", None, 104),
    ("lọt vào Top 10 thế giới", 10, "rank", "bracket", None, None),
    ("tăng trưởng 16–18% mỗi năm", 16, "percent", "range", 18, None),
    ("khoảng 80 - 100 doanh nghiệp", 80, "count", "range", 100, None),
    ("khoảng 962 doanh nghiệp", 962, "count", "approx", None, None),
    ("gần 350 đối tác", 350, "count", "approx", None, None),
    ("hơn 25 triệu chứng thư", 25, "million", "at_least", None, None),
    ("trên 500 nghìn lượt đăng ký", 500, "thousand", "at_least", None, None),
    ("dưới 0,5% doanh thu", 0.5, "percent", "at_most", None, None),
    ("ước đạt 198 tỷ USD", 198, "billion_usd", "approx", None, None),
    ("diện tích 1.500ha", 1500, "hectare", "exact", None, None),
])
def test_number_grammar(text, value, unit, qualifier, high, base):
    f = one(text)
    assert (f.value, f.unit, f.qualifier, f.value_high, f.base) == (value, unit, qualifier, high, base)


def test_growth_plan_and_same_period_are_told_apart():
    assert one("doanh thu tăng 26% so với cùng kỳ").change == "up"
    assert one("giảm 29,7% so với tháng 2/2025").change == "down"
    assert one("đạt 116% kế hoạch năm 2025").plan
    assert one("vượt 111,8% so với kế hoạch").qualifier == "exact"  # an attainment, not a bound
    assert one("bằng 107,9% so với cùng kỳ năm 2024").same_period


@pytest.mark.parametrize("text", [
    "Nghị quyết số 57-NQ/TW", "Quyết định số 730/QĐ-TTg ngày 24/4/2026", "Nghị định số 231/2025/NĐ-CP",
    "mạng 5G", "năm 2025", "giai đoạn 2026-2031", "Phiên họp lần thứ 3", "(1) Về hạ tầng", "6 tháng đầu năm",
])
def test_numbers_that_are_not_figures(text):
    assert [f for f in find_figures(text, DAY) if f.unit != "flag"] == []


@pytest.mark.parametrize("text, day", [
    ("tính đến 30/4/2026 đạt 45 nhiệm vụ", dt.date(2026, 4, 30)),
    ("năm 2025 đạt 45 nhiệm vụ", dt.date(2025, 12, 31)),
    ("Quý I/2026 đạt 45 nhiệm vụ", dt.date(2026, 3, 31)),
    ("02 tháng đầu năm 2026 xử lý hơn 2,2 tỷ giao dịch", dt.date(2026, 2, 28)),
    ("hết tháng 08/2025, đạt 45 nhiệm vụ", dt.date(2025, 8, 31)),
    ("đạt 45 nhiệm vụ, tăng 26% so với cùng kỳ năm 2024", DAY),  # a comparison base is not the figure's date
    ("Theo Quyết định số 730/QĐ-TTg ngày 24/4/2026 có 45 nhiệm vụ", DAY),  # nor a document's date
    ("đến năm 2030 đạt 45 nhiệm vụ", DAY),  # a target's year: the report's date, with a note
])
def test_dates_a_figure_describes(text, day):
    assert find_figures(text, DAY)[0].as_of == day


def test_date_phrases():
    got = {text[d.start:d.end]: d for text in ["6 tháng đầu năm", "so với cùng kỳ năm 2024"]
           for d in find_dates(text, DAY)}
    assert got["6 tháng đầu năm"].date == dt.date(2026, 6, 30)
    assert got["năm 2024"].comparison
    assert reports.report_date("BỘ X\nHà Nội, ngày 22 tháng 9 năm 2025\nBÁO CÁO") == dt.date(2025, 9, 22)


@pytest.fixture
def ds(dataset):
    build(dataset.data, dataset.db, dataset.kpis)
    return dataset


def test_units_named_and_listed(ds):
    ref = Reference(ds.data, ds.kpis, ds.db)
    figs = find_figures("Thành phố Hồ Chí Minh có 131/167 nhiệm vụ. Các đơn vị chưa gửi báo cáo: Bộ Y tế, tỉnh Lào Cai.",
                        DAY, ref.names)
    count = next(f for f in figs if f.value == 131)
    assert count.entity_id == ref.resolve("Thành phố Hồ Chí Minh") is not None and count.base == 167
    flags = [f for f in figs if f.unit == "flag"]
    assert {f.entity_id for f in flags} == {ref.resolve("Bộ Y tế"), ref.resolve("Lào Cai")}


def test_a_former_province_is_answered_as_today(ds):
    ref = Reference(ds.data, ds.kpis, ds.db)
    before = ref.resolve("Lào Cai")
    (ds.data / "geo").mkdir(exist_ok=True)
    (ds.data / "geo" / "province_mergers.csv").write_text(
        "code,name_vi,hasc,old_name_vi\n15,Lào Cai,LC,Lào Cai\n15,Lào Cai,YB,Yên Bái\n", encoding="utf-8")
    ref = Reference(ds.data, ds.kpis, ds.db)
    assert ref.resolve("Yên Bái") == before is not None


def _report(tmp_path: Path, text: str = NEXT, name: str = "bc_thang6.txt") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_proposals_file_xlsx_and_csv(ds, tmp_path):
    frame = propose(_report(tmp_path), data_dir=ds.data, kpi_dir=ds.kpis, db_path=ds.db)
    assert list(frame.columns) == PROPOSAL_COLUMNS
    by_value = {r["Giá trị"]: r for r in frame.to_dict("records")}
    assert by_value[52.4]["Mã chỉ tiêu"] == "coverage_5g_population"
    assert by_value[52.4]["Đơn vị tính"] == "percent" and by_value[52.4]["Ngày số liệu"] == "30/06/2026"
    assert by_value[150]["Mã chỉ tiêu"] == "tasks_done_on_time"
    assert all(0 <= c <= 1 for c in frame["Độ tin cậy"]) and set(frame[ACCEPT]) == {""}
    assert all(len(x.split(";")) <= 2 for x in frame["Chỉ tiêu khác"])
    assert frame["Trích dẫn"].map(lambda q: q in NEXT.replace("\n", " ")).all()
    assert [r["Giá trị"] for r in frame.to_dict("records")] == [210, 150, 20, 40, 52.4, 1, 1]  # report order
    xlsx = write_proposals(frame, tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(xlsx)["Đề xuất"]
    assert [c.value for c in ws[1]] == PROPOSAL_COLUMNS and ws.freeze_panes == "B2" and ws["A1"].font.b
    assert ws.auto_filter.ref.startswith("A1:")
    raw = write_proposals(frame, tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").splitlines()[0].split(",")[0] == "Mã chỉ tiêu"


def test_the_report_already_in_the_warehouse_is_marked(ds):
    frame = propose(ds.data / "sources" / "r1.txt", data_dir=ds.data, kpi_dir=ds.kpis, db_path=ds.db)
    row = frame[frame["Giá trị"] == 48.9].iloc[0]
    assert row["Đã có"] == "có"


def _review(tmp_path: Path, ds, keep: list[float], fmt: str = ".xlsx") -> Path:
    frame = propose(_report(tmp_path), data_dir=ds.data, kpi_dir=ds.kpis, db_path=ds.db)
    frame.loc[frame["Giá trị"].isin(keep), ACCEPT] = "x"
    frame.loc[frame["Giá trị"].isin(keep), "Chương trình"] = "p2026"
    return write_proposals(frame, tmp_path / f"reviewed{fmt}")


@pytest.mark.parametrize("fmt", [".xlsx", ".csv"])
def test_load_only_the_rows_marked_x_with_the_report_as_source(ds, tmp_path, fmt):
    reviewed = _review(tmp_path, ds, [52.4, 150], fmt)
    result = load_proposals(reviewed, data_dir=ds.data, db_path=ds.db, kpi_dir=ds.kpis, loaded_by="analyst")
    assert result.status == "loaded", result.issues
    con = duckdb.connect(str(ds.db), read_only=True)
    rows = con.execute("""SELECT indicator_id, value, qualifier, source_file, source_quote FROM facts
                          WHERE is_submission ORDER BY value""").fetchall()
    src = con.execute("SELECT source_file, title_vi, issuer_vi, report_date FROM sources WHERE id LIKE 'sub_%'").fetchall()
    con.close()
    sha = result_sha = rows[0][3].split("/")[1].split(".")[0]
    assert [(r[0], r[1], r[2]) for r in rows] == [("coverage_5g_population", 52.4, "exact"),
                                                 ("tasks_done_on_time", 150, "exact")]
    assert all(r[3] == f"submissions/{sha}.txt" and r[4] in NEXT for r in rows)
    assert src == [(f"submissions/{result_sha}.txt", "BÁO CÁO THÁNG 6", "BỘ THỬ NGHIỆM", dt.date(2026, 6, 30))]
    assert (ds.data / "submissions" / f"{sha}.txt").read_bytes() == _report(tmp_path).read_bytes()


def test_a_quote_not_in_the_report_is_refused_and_nothing_written(ds, tmp_path):
    reviewed = _review(tmp_path, ds, [52.4])
    wb = openpyxl.load_workbook(reviewed)
    ws = wb["Đề xuất"]
    col = PROPOSAL_COLUMNS.index("Trích dẫn") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, PROPOSAL_COLUMNS.index(ACCEPT) + 1).value == "x")
    ws.cell(row, col, "Tỷ lệ phủ sóng 5G đạt 99,9% dân số")
    wb.save(reviewed)
    result = load_proposals(reviewed, data_dir=ds.data, db_path=ds.db, kpi_dir=ds.kpis)
    assert result.status == "rejected"
    assert {i.column for i in result.issues} >= {"Trích dẫn"} and any("nguyên văn" in i.reason_vi for i in result.issues)
    assert not (ds.data / "submissions" / "manifest.csv").exists()


def test_cli_propose_and_load(ds, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NQ57_DATA", str(ds.data))
    monkeypatch.setenv("NQ57_KPIS", str(ds.kpis))
    monkeypatch.setenv("NQ57_DB", str(ds.db))
    out = tmp_path / "p.xlsx"
    assert main(["propose", str(_report(tmp_path)), "--out", str(out), "--as-of", "30/06/2026"]) == 0
    assert main(["load", str(out)]) == 1  # nothing marked x
    assert "Nhận" in capsys.readouterr().err


# Bad reports: exit 2, a message in both languages, nothing written.

def _pdf(path: Path, text: str | None) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    c = canvas.Canvas(str(path))
    if text is None:
        c.rect(50, 50, 400, 600, fill=1)  # a scan: a picture, no text layer
    else:
        c.setFont("DejaVu", 10)
        c.drawString(50, 800, text)
    c.save()
    return path


def _docx(path: Path, lines: list[str], extra: dict[str, bytes] | None = None) -> Path:
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    if extra:
        src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for item in src.infolist():
                z.writestr(item, src.read(item.filename))
            for n, body in extra.items():
                z.writestr(n, body)
    path.write_bytes(buf.getvalue())
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = _pdf(path.with_suffix(".plain.pdf"), "Tỷ lệ phủ sóng 5G đạt 52,4% dân số. " * 10)
    w = PdfWriter()
    for page in PdfReader(plain).pages:
        w.add_page(page)
    w.encrypt("mat-khau")
    with path.open("wb") as fh:
        w.write(fh)
    return path


@pytest.mark.parametrize("make, words", [
    (lambda p: _pdf(p / "scan.pdf", None), "no text layer"),
    (lambda p: _encrypted_pdf(p / "locked.pdf"), "password"),
    (lambda p: _write(p / "locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "password"),
    (lambda p: _docx(p / "macro.docm", ["x"]), "macro"),
    (lambda p: _docx(p / "macro.docx", ["x"], {"word/vbaProject.bin": b"\0" * 100}), "macros"),
    (lambda p: _write(p / "latin1.txt", "Tỷ lệ đạt 52,4%".encode("cp1258", "replace")), "not UTF-8"),
    (lambda p: _docx(p / "bomb.docx", ["x"], {"word/media/zeros.bin": b"\0" * (12 * 1024 * 1024)}), "unpacks"),
    (lambda p: _write(p / "report.doc", b"x"), "unsupported"),
])
def test_bad_reports_exit_2_with_both_languages(ds, tmp_path, monkeypatch, capsys, make, words):
    monkeypatch.setenv("NQ57_DATA", str(ds.data))
    monkeypatch.setenv("NQ57_KPIS", str(ds.kpis))
    monkeypatch.setenv("NQ57_DB", str(ds.db))
    path = make(tmp_path)
    out = tmp_path / "out.xlsx"
    assert main(["propose", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and " / " in err and "nothing written" in err
    assert not out.exists()


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(reports, "MAX_BYTES", 100)
    with pytest.raises(reports.BadReport, match="limit"):
        reports.read_report(_report(tmp_path))


# The same report as .docx and as .pdf (made here from the .txt) gives the same proposals as the .txt.

def _as_pdf(txt: Path, out: Path) -> Path:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    style = ParagraphStyle("body", fontName="DejaVu", fontSize=10, leading=13, spaceAfter=6)
    lines = [ln.strip() for ln in txt.read_text(encoding="utf-8").split("\n") if ln.strip()]
    SimpleDocTemplate(str(out), pagesize=A4).build([Paragraph(escape(ln), style) for ln in lines])
    return out


@pytest.mark.parametrize("source", ["next", "003_3c86c654582b7411.txt"])
def test_docx_and_pdf_give_the_same_proposals_as_the_txt(ds, tmp_path, source):
    if source == "next":
        txt, kw = _report(tmp_path), dict(data_dir=ds.data, kpi_dir=ds.kpis, db_path=ds.db)
    else:  # a shipped report of several pages, proposed from the shipped data's warehouse (built here)
        repo = Path(__file__).resolve().parents[2]
        txt, kw = repo / "data" / "sources" / source, dict(data_dir=repo / "data", db_path=tmp_path / "w.duckdb")
    ref = Reference(**kw)
    docx_file = _docx(tmp_path / "report.docx", txt.read_text(encoding="utf-8").split("\n"))
    pdf_file = _as_pdf(txt, tmp_path / "report.pdf")
    frames = [propose(p, ref=ref).drop(columns=["Nguồn"]) for p in (txt, docx_file, pdf_file)]
    assert len(frames[0]) > 5
    assert frames[1].equals(frames[0])
    assert frames[2].equals(frames[0])
