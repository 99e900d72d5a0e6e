"""The meeting pack: the view on screen as an A4 PDF briefing — cover, scorecard, overdue tasks by agency, the themes
(every pillar, not only the open tab) or, for a unit, a briefing on that unit, the conflicts and breaks behind what is
shown, sources and method. Built from the same sections and Plotly figures as the pages.

    python -m dashboard.pack --out F.pdf [--as-of DD/MM/YYYY] [--lang vi|en] [--theme ID] [--agency ID] [--province ID]

Exit 0 written; 1 the pack could not be drawn (no file); 2 bad input or usage (no file)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from dashboard import charts, pdf, queries, site, theme
from dashboard.i18n import name, t
from dashboard.pack_render import Figure, Story, markup, sections
from dashboard.pdf import PackError, heading, para
from dashboard.sections import briefing
from dashboard.texts import conflict_explanation
from dashboard.view import View, date_param, resolve_unit, snap_date
from etl.paths import write_atomic
from etl.text import parse_date

DEFAULT_URL = "http://localhost:8501"
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Request:
    """What a pack shows: the view (date, language) and the filters of the page it was asked from: a theme, units
    (ministries, agencies or provinces) whose profiles it holds."""

    view: View
    theme: str | None = None
    units: tuple[str, ...] = ()
    base_url: str = DEFAULT_URL
    asked: dt.date | None = None  # the date asked for, when it was not a report date

    @property
    def lang(self) -> str:
        return self.view.lang

    @property
    def as_of(self) -> dt.date:
        return self.view.as_of

    def t(self, key: str, **fields: object) -> str:
        return t(key, self.lang, **fields)


def kind_of(unit: str) -> str:
    return str(queries.agencies().set_index("id").loc[unit, "kind"])


def _bad(vi: str, en: str) -> PackError:
    return PackError(f"{vi} / {en}")


def make_request(as_of: str | None = None, lang: str = "vi", theme_id: str | None = None, agency: str | None = None,
                 province: str | None = None, base_url: str = DEFAULT_URL) -> Request:
    """A checked request, through the dashboard's one view resolver: the date moved to the latest report on or
    before it, a theme by id or page slug, a unit by id, name, alias or name without diacritics. Raises PackError
    (in both languages) for an unknown theme, unit or province, or a date before the first report."""
    if lang not in ("vi", "en"):
        raise _bad(f"Ngôn ngữ không có: “{lang}” (vi hoặc en)", f"Unknown language: “{lang}” (vi or en)")
    dates = queries.report_dates()
    snapped = snap_date(as_of, lang)
    if snapped.note == "as_of_invalid":
        raise _bad(f"Ngày không hợp lệ: “{as_of}” (viết dd/mm/yyyy)", f"Not a date: “{as_of}” (write dd/mm/yyyy)")
    if snapped.note == "as_of_too_early":
        first = theme.format_date(min(dates), "vi")
        raise _bad(f"Ngày {as_of} trước báo cáo đầu tiên ({first})", f"{as_of} is before the first report ({first})")
    if theme_id is not None and site.theme_of(theme_id) is None:
        known = ", ".join(p.theme or "" for p in site.theme_pages())
        raise _bad(f"Không có chủ đề “{theme_id}” (có: {known})", f"No theme “{theme_id}” (known: {known})")
    units = []
    for text, kind in ((agency, None), (province, "province")):
        if text is None:
            continue
        found = resolve_unit(text, kind)
        if found is None and kind and resolve_unit(text):
            raise _bad(f"“{text}” không phải tỉnh, thành phố", f"“{text}” is not a province")
        if found is None:
            raise _bad(f"Không tìm thấy đơn vị “{text}”", f"No agency or province “{text}” was found")
        units.append(found)
    return Request(view=View(lang=lang, as_of=snapped.day, latest=max(dates)),
                   theme=site.theme_of(theme_id) if theme_id else None, units=tuple(units),
                   base_url=base_url.rstrip("/"), asked=parse_date(as_of)[0] if snapped.note else None)


def permalink(req: Request) -> str:
    """The dashboard page this pack is a print of, with its view in the link."""
    params: dict[str, str] = {}
    path = ""
    if req.theme:  # the theme page, seen for the unit asked for
        path = next(p.slug for p in site.theme_pages() if p.theme == req.theme)
        if req.units:
            params["unit"] = req.units[0]
    elif req.units:
        page = site.unit_page(kind_of(req.units[0]))
        path, params[page.unit or ""] = page.slug, req.units[0]
    params["as_of"] = date_param(req.as_of)
    if req.lang == "en":
        params["lang"] = "English"
    return f"{req.base_url}/{path}?{urlencode(params, safe='/')}"


def cover(story: Story, req: Request, made: dt.datetime) -> None:
    story.add(pdf.Spacer(1, 30 * pdf.mm), para(req.t("app_title"), "title"), para(req.t("pack_title"), "subtitle"),
              para(f"<b>{pdf.text(req.t('view_as_of'))}: {theme.format_date(req.as_of, req.lang)}</b>", "body", True))
    if req.asked:
        story.add(para(req.t("as_of_moved", wanted=theme.format_date(req.asked, req.lang),
                             date=theme.format_date(req.as_of, req.lang))))
    filters = [(req.t("language"), t("lang_name", req.lang))]
    if req.theme:
        filters.append((req.t("theme"), req.t(f"theme_{req.theme}")))
    for unit in req.units:
        key = "pack_province" if kind_of(unit) == "province" else "pack_agency"
        filters.append((req.t(key), name(queries.agencies().set_index("id").loc[unit], req.lang)))
    filters.append((req.t("pack_illustrative"), req.t("pack_illustrative_left_out")))
    filters.append((req.t("pack_made"), theme.format_datetime(made, req.lang)))
    story.add(pdf.Spacer(1, 6 * pdf.mm), pdf.table(filters, ["", ""], [45, 125]))
    link = permalink(req)
    story.add(pdf.Spacer(1, 8 * pdf.mm), para(req.t("pack_permalink"), "h2"), para(link, "small"), pdf.qr_code(link),
              pdf.Spacer(1, 8 * pdf.mm), para(req.t("pack_contents_note"), "small"), pdf.PageBreak())


def conflicts_section(story: Story, req: Request) -> None:
    """The disagreements between figures and the breaks in series, only of what this pack shows."""
    frames = [d for d in story.shown if len(d)]
    shown = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    story.add(pdf.PageBreak(), heading(req.t("pack_conflicts")))
    rows = []
    if "conflict_id" in shown:
        for cid, part in shown[shown["conflict_id"].notna()].groupby("conflict_id"):
            notes = "; ".join(sorted(set(part["note"].dropna().astype(str)))) if "note" in part else None
            rows.append([conflict_explanation(cid, req.lang, notes),
                         ", ".join(sorted({name(r, req.lang, "indicator_name") for _, r in part.iterrows()}))])
    if rows:
        story.add(para(req.t("conflict_help"), "small"),
                  pdf.table([[i + 1, *r] for i, r in enumerate(rows)], ["#", req.t("explanation"), req.t("indicator")],
                            [6, 110, 54]))
    else:
        story.add(para(req.t("pack_no_conflicts")))
    breaks = []
    if "definition" in shown and "indicator_id" in shown:
        for _, part in shown.drop_duplicates(["indicator_id", "definition"]).groupby("indicator_id"):
            if len(part) > 1:
                bases = [name(r, req.lang, "definition") or req.t("usual_definition") for _, r in part.iterrows()]
                breaks.append([name(part.iloc[0], req.lang, "indicator_name"), "; ".join(sorted(set(bases)))])
    story.add(para(req.t("pack_breaks"), "h2"))
    if breaks:
        story.add(para(req.t("pack_breaks_help"), "small"),
                  pdf.table(breaks, [req.t("indicator"), req.t("definition")], [70, 100]))
    else:
        story.add(para(req.t("pack_no_breaks")))


def theme_part(story: Story, page: site.Page, view: View) -> None:
    story.add(pdf.PageBreak(), heading(t(page.title, view.lang)), para(markup(t(page.intro or "", view.lang)), "small",
                                                                       True))
    sections(story, page.sections(view), level=2)


def unit_briefings(story: Story, req: Request) -> None:
    """A leader's briefing on each unit asked for (dashboard/sections/briefing.py) instead of the national pack; with
    a theme, the theme page seen for the unit after it."""
    for i, unit in enumerate(req.units):
        view = req.view.of(unit)
        if i:
            story.add(pdf.PageBreak())
        sections(story, briefing.briefing(view, req.theme))
        for page in site.theme_pages():
            if req.theme == page.theme:
                theme_part(story, page, view)


def content(req: Request) -> Story:
    """What the pack holds, page by page of the site registry: the head pages (the overview's scorecard and overdue
    tasks) and the themes (every one, or the one asked for: every pillar) — or, for a unit, the briefing on it (and
    the theme asked for, seen for the unit) —, then the conflicts and breaks among what it shows, and the tail pages
    (sources and method)."""
    story = Story(req.view)
    pages = site.pages()
    if req.units:
        unit_briefings(story, req)
    else:
        for page in (p for p in pages if p.pack == "head"):
            sections(story, page.sections(req.view))
        for page in site.theme_pages():
            if req.theme in (None, page.theme):
                theme_part(story, page, req.view)
    conflicts_section(story, req)
    for page in (p for p in pages if p.pack == "tail"):
        sections(story, page.sections(req.view))
    return story


def build(req: Request, progress: Progress = lambda frac, msg: None) -> bytes:
    """The pack's PDF. `progress(fraction, message)` is told of each step (the page's progress bar)."""
    made = dt.datetime.now().replace(microsecond=0)
    pdf.register_fonts()  # paragraphs read their fonts when they are made
    progress(0.02, req.t("pack_step_content"))
    story = Story(req.view)
    cover(story, req, made)
    story.items += content(req).items
    figures = story.figures()
    progress(0.1, req.t("pack_step_charts", n=len(figures)))
    images = iter(pdf.render_png(figures, lambda done: progress(0.1 + 0.8 * done / max(len(figures), 1),
                                                                req.t("pack_step_charts_done", done=done,
                                                                      n=len(figures)))))
    flowables = []
    for item in story.items:
        if isinstance(item, Figure):
            png, w, h = next(images)
            # the headings right above a chart go with it (ReportLab's keepWithNext does not hold across a kept block)
            lead: list = []
            while flowables and getattr(getattr(flowables[-1], "style", None), "keepWithNext", 0):
                lead.insert(0, flowables.pop())
            flowables.append(pdf.keep(*lead, pdf.chart_image(png, w, h), pdf.Spacer(1, 4 * pdf.mm)))
        else:
            flowables.append(item)
    progress(0.92, req.t("pack_step_pdf"))
    footer = f"{req.t('app_title')} · {req.t('pack_title')} · {theme.format_date(req.as_of, req.lang)}"
    out = pdf.write(flowables, title=f"{req.t('app_title')} — {req.t('pack_title')}", footer=footer,
                    page_word=req.t("pack_page"), lang="vi-VN" if req.lang == "vi" else "en-GB")
    progress(1.0, req.t("pack_step_done"))
    return out


def file_name(req: Request) -> str:
    """'ban-tin-hop-nang-luc-khcn-2026-05-08.pdf': what the pack holds, in the reader's language, and its date."""
    ags = queries.agencies().set_index("id")
    parts = [req.t("pack_title") if req.lang == "en" else "ban-tin-hop",
             req.t(f"theme_{req.theme}") if req.theme else "",
             *(name(ags.loc[u], req.lang) for u in req.units), req.as_of.isoformat()]
    return charts.slug("-".join(p for p in parts if p)) + ".pdf"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.pack",
                                     description="Bản tin họp (PDF) / The meeting pack (PDF)")
    parser.add_argument("--out", required=True, type=Path, help="tệp PDF / the PDF file")
    parser.add_argument("--as-of", help="dd/mm/yyyy (mặc định: báo cáo mới nhất / default: the latest report)")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    parser.add_argument("--theme", help="mã hoặc đường dẫn của chủ đề / a theme's id or page (nang-luc)")
    parser.add_argument("--agency", help="mã, tên hoặc tên khác / id, name or alias")
    parser.add_argument("--province", help="mã, tên hoặc tên khác / id, name or alias")
    parser.add_argument("--url", default=os.environ.get("NQ57_PUBLIC_URL", DEFAULT_URL),
                        help=f"địa chỉ của bảng điều khiển / the dashboard's address (default {DEFAULT_URL})")
    args = parser.parse_args(argv)
    for logger in ("choreographer", "kaleido", "logistro"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    out: Path = args.out
    if not out.parent.is_dir():
        print(f"Không có thư mục {out.parent} / No folder {out.parent}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        queries.ensure_warehouse()
        req = make_request(args.as_of, args.lang, args.theme, args.agency, args.province, args.url)
    except PackError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        data = build(req)
        write_atomic(out, data, mode=0o644)  # a file for people: readable as any document
    except (PackError, OSError) as exc:
        print(f"Không tạo được bản tin / The pack was not made: {exc}", file=sys.stderr)
        return 1
    print(f"{out} · {len(data) / 1e6:.1f} MB · {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["Request", "build", "file_name", "main", "make_request", "permalink"]
