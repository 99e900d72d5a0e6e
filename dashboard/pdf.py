"""How the meeting pack is laid out and drawn: A4 pages with ReportLab, Vietnamese fonts embedded, Plotly figures
turned into images by kaleido in Debian's Chromium, tables whose header repeats on every page they run onto."""

from __future__ import annotations

import html
import io
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import plotly.graph_objects as go
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import STATE_DEFAULTS, Circle, Drawing, PolyLine
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from dashboard import theme

# Debian's fonts-dejavu-core (installed with Chromium, and named in the README's commands): every Vietnamese letter,
# precomposed, so no shaping engine is needed; ReportLab embeds the subset it uses.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT = "DejaVuSans"
FONT_FILES = {FONT: "DejaVuSans.ttf", f"{FONT}-Bold": "DejaVuSans-Bold.ttf", f"{FONT}-Oblique": "DejaVuSans-Oblique.ttf",
              f"{FONT}-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
CHROMIUM = "/usr/bin/chromium"

PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
BOTTOM = MARGIN + 4 * mm  # room for the page's footer line
BODY_W = PAGE_W - 2 * MARGIN - 12  # the frame's width inside its 6-point padding
BODY_H = PAGE_H - MARGIN - BOTTOM - 12
CHART_PX = 720  # the width a chart is drawn at: across the page its 13 px text prints at about 9 pt


class PackError(Exception):
    """A meeting pack cannot be made; the message says why in Vietnamese and English."""


_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    folder = next((d for d in FONT_DIRS if (d / FONT_FILES[FONT]).exists()), None)
    if folder is None:
        raise PackError("Thiếu phông chữ DejaVu (apt-get install fonts-dejavu-core) / "
                        "The DejaVu fonts are missing (apt-get install fonts-dejavu-core)")
    for key, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(key, str(folder / file)))
    STATE_DEFAULTS["fontName"] = FONT  # drawings (QR code, sparklines) would otherwise name a Helvetica not embedded
    _registered = True
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Oblique",
                                  boldItalic=f"{FONT}-BoldOblique")


def _style(name: str, size: float, leading: float | None = None, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(name, **{"fontName": FONT} | kw, fontSize=size, leading=leading or size * 1.3)


INK = colors.HexColor("#111827")
GREY = colors.HexColor(theme.MUTED)
RULE = colors.HexColor("#E5E7EB")
STYLES = {
    "title": _style("title", 24, 30, textColor=INK, fontName=f"{FONT}-Bold", spaceAfter=6),
    "subtitle": _style("subtitle", 14, 19, textColor=INK, spaceAfter=10),
    "h1": _style("h1", 16, 21, textColor=INK, fontName=f"{FONT}-Bold", spaceBefore=4, spaceAfter=6, keepWithNext=1),
    "h2": _style("h2", 12.5, 16, textColor=INK, fontName=f"{FONT}-Bold", spaceBefore=8, spaceAfter=4, keepWithNext=1),
    "body": _style("body", 9.5, 13, textColor=INK, spaceAfter=4),
    "small": _style("small", 8, 10.5, textColor=GREY, spaceAfter=3),
    "cell": _style("cell", 8, 10, textColor=INK),
    "cell_right": _style("cell_right", 8, 10, textColor=INK, alignment=TA_RIGHT),
    "head": _style("head", 7.5, 9.5, textColor=GREY, fontName=f"{FONT}-Bold"),
}


def text(value: object) -> str:
    """Text from data, made safe for ReportLab's paragraph markup (which reads <, > and & as tags)."""
    return html.escape("" if value is None else str(value), quote=False)


def para(value: str, style: str = "body", markup: bool = False) -> Paragraph:
    """A paragraph; `markup` when the caller wrote ReportLab tags (<b>, <font>) around text it already escaped."""
    register_fonts()  # a paragraph reads its fonts when it is made
    return Paragraph(value if markup else text(value), STYLES[style])


def heading(value: str, level: int = 1) -> Paragraph:
    p = para(value, f"h{level}")
    p.outline_level = level - 1  # read by Document.afterFlowable: the PDF's bookmarks
    return p


def table(rows: Sequence[Sequence[object]], header: Sequence[str], widths: Sequence[float],
          right: Sequence[int] = ()) -> Table:
    """A table whose header repeats on every page it runs onto; cells wrap (strings become paragraphs)."""
    def cell(value: object, col: int) -> object:
        if isinstance(value, Flowable):
            return value
        return para(str(value), "cell_right" if col in right else "cell")

    data = [[para(h, "head") for h in header]] + [[cell(v, i) for i, v in enumerate(r)] for r in rows]
    scale = BODY_W / sum(widths)
    out = Table(data, colWidths=[w * scale for w in widths], repeatRows=1, hAlign="LEFT")
    out.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, GREY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return out


def sparkline(observed: Sequence[tuple[float, float]], path: Sequence[tuple[float, float]] = (),
              colour: str = theme.PRIMARY, width: float = 28 * mm, height: float = 7 * mm) -> Drawing:
    """Points already scaled to 0..1 (x right, y up): observed solid with dots, the required path dashed."""
    d = Drawing(width, height)

    def xy(pts: Sequence[tuple[float, float]]) -> list[float]:
        return [c for x, y in pts for c in (2 + (width - 4) * x, 2 + (height - 4) * y)]

    if len(path) > 1:
        d.add(PolyLine(xy(path), strokeColor=GREY, strokeWidth=0.8, strokeDashArray=[2, 1.5]))
        x, y = xy(path[-1:])
        d.add(Circle(x, y, 1.6, fillColor=None, strokeColor=GREY, strokeWidth=0.6))
    ink = colors.HexColor(colour)
    if len(observed) > 1:
        d.add(PolyLine(xy(observed), strokeColor=ink, strokeWidth=1.1))
    for x, y in (xy([p])[0:2] for p in observed):
        d.add(Circle(x, y, 1.3, fillColor=ink, strokeColor=ink, strokeWidth=0))
    return d


def qr_code(url: str, size: float = 32 * mm) -> Drawing:
    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    return d


def chart_image(png: bytes, px_width: int, px_height: int, width: float = BODY_W) -> Image:
    """A chart across the page; a tall one (many bars) made narrower until it fits one page (it is never split)."""
    height = width * px_height / px_width
    if height > BODY_H - 8 * mm:
        width, height = width * (BODY_H - 8 * mm) / height, BODY_H - 8 * mm
    return Image(io.BytesIO(png), width=width, height=height)


def keep(*flowables: Flowable) -> KeepTogether:
    """Flowables that must stay on one page (a chart with its heading)."""
    return KeepTogether(list(flowables))


_KALEIDO = threading.Lock()  # one Chromium at a time: two sessions' packs queue rather than run two browsers


def render_png(figures: Sequence[go.Figure], progress: Callable[[int], None] = lambda done: None
               ) -> list[tuple[bytes, int, int]]:
    """Each figure as a PNG at twice its size (bytes, width, height in px), drawn by kaleido in Debian's Chromium.

    MathJax is switched off (kaleido would fetch it from a CDN) and plotly.js is the copy inside the plotly package,
    so nothing leaves the machine; kaleido never downloads a browser of its own."""
    import kaleido

    if Path(CHROMIUM).exists():
        os.environ.setdefault("BROWSER_PATH", CHROMIUM)
    out = []
    with _KALEIDO, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            kaleido.start_sync_server(n=1, timeout=60, mathjax=False, silence_warnings=True)
        except Exception as exc:  # choreographer says "Browser not found" when Chromium is missing
            raise PackError(f"Không mở được Chromium để vẽ biểu đồ ({exc}) / Chromium could not draw the charts "
                            f"(apt-get install chromium)") from exc
        try:
            for i, fig in enumerate(figures):
                height = int(fig.layout.height or 450)
                png = kaleido.calc_fig_sync(fig, opts={"format": "png", "width": CHART_PX, "height": height,
                                                       "scale": 2})
                out.append((png, CHART_PX, height))
                progress(i + 1)
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    return out


class _NumberedCanvas(Canvas):
    """Writes 'page n / N' on every page once the last page is known (ReportLab's two-pass recipe)."""

    footer_left = ""
    page_word = "Trang"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs | {"initialFontName": FONT})  # no Helvetica: every font embedded
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(GREY)
            self.drawString(MARGIN, 9 * mm, self.footer_left)
            self.drawRightString(PAGE_W - MARGIN, 9 * mm, f"{self.page_word} {self._pageNumber}/{total}")
            super().showPage()
        super().save()


class _Document(SimpleDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's name)
        level = getattr(flowable, "outline_level", None)
        if level is not None:
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)


def write(story: list[Flowable], *, title: str, footer: str, page_word: str, lang: str) -> bytes:
    """The story laid out on A4 pages, fonts embedded, with the document's title, language and date set."""
    register_fonts()
    buf = io.BytesIO()
    canvas = type("PackCanvas", (_NumberedCanvas,), {"footer_left": footer, "page_word": page_word})
    doc = _Document(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                    bottomMargin=BOTTOM, title=title, author="NQ57 Dashboard", creator="NQ57 Dashboard",
                    subject=title, lang=lang)
    try:
        doc.build(story, canvasmaker=canvas)
    except LayoutError as exc:  # something that fits no page: a message, not a traceback
        raise PackError(f"Không dàn được trang / The pages could not be laid out: {exc}") from exc
    return buf.getvalue()


__all__ = ["PageBreak", "Spacer", "PackError", "chart_image", "heading", "keep", "para", "qr_code", "render_png",
           "sparkline", "table", "text", "write"]
