"""The meeting pack: the view on screen as an A4 PDF briefing — cover, scorecard, overdue tasks by agency, the themes
(every pillar, not only the open tab), the profile asked for, the conflicts and breaks behind what is shown, sources
and method. Built from the same sections and Plotly figures as the pages.

    python -m dashboard.pack --out F.pdf [--as-of DD/MM/YYYY] [--lang vi|en] [--theme ID] [--agency ID] [--province ID]

Exit 0 written; 1 the pack could not be drawn (no file); 2 bad input or usage (no file)."""

from __future__ import annotations

if __name__ == "__main__":  # from the command line: Streamlit's caches warn outside a server, as the modules load
    from streamlit import logger as st_logger

    st_logger.set_log_level("error")

import argparse
import datetime as dt
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, pdf, queries, scorecard, theme, tracking, views
from dashboard.i18n import name, t
from dashboard.pdf import PackError, heading, para
from dashboard.shell import THEME_SLUGS, View, conflict_explanation, entity_label, figure_text
from etl.paths import write_atomic
from etl.text import parse_date
from kpis.registry import DASHBOARD_THEMES, PILLARS

DEFAULT_URL = "http://localhost:8501"
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Request:
    """What a pack shows: the view date, language and the filters of the page it was asked from."""

    as_of: dt.date
    lang: str = "vi"
    theme: str | None = None
    agency: str | None = None
    province: str | None = None
    base_url: str = DEFAULT_URL
    asked: dt.date | None = None  # the date asked for, when it was not a report date

    @property
    def view(self) -> View:
        return View(lang=self.lang, as_of=self.as_of, illustrative=False)

    def t(self, key: str, **fields: object) -> str:
        return t(key, self.lang, **fields)


def _bad(vi: str, en: str) -> PackError:
    return PackError(f"{vi} / {en}")


def _date(text: str) -> dt.date:
    day, _ = parse_date(text)  # the ETL's one reading of a date: dd/mm/yyyy or yyyy-mm-dd
    if day is None:
        raise _bad(f"Ngày không hợp lệ: “{text}” (viết dd/mm/yyyy)", f"Not a date: “{text}” (write dd/mm/yyyy)")
    return day


def make_request(as_of: str | None = None, lang: str = "vi", theme_id: str | None = None, agency: str | None = None,
                 province: str | None = None, base_url: str = DEFAULT_URL) -> Request:
    """A checked request: the date moved to the latest report on or before it, ids resolved from names and aliases.
    Raises PackError (in both languages) for an unknown theme, unit or province, or a date before the first report."""
    if lang not in ("vi", "en"):
        raise _bad(f"Ngôn ngữ không có: “{lang}” (vi hoặc en)", f"Unknown language: “{lang}” (vi or en)")
    dates = queries.report_dates()
    asked = _date(as_of) if as_of else max(dates)
    earlier = [d for d in dates if d <= asked]
    if not earlier:
        first = theme.format_date(min(dates), "vi")
        raise _bad(f"Ngày {asked:%d/%m/%Y} trước báo cáo đầu tiên ({first})",
                   f"{asked:%d/%m/%Y} is before the first report ({first})")
    slugs = {slug: th for th, slug in THEME_SLUGS.items() if th in DASHBOARD_THEMES}
    if theme_id is not None and theme_id not in DASHBOARD_THEMES:
        if theme_id not in slugs:
            known = ", ".join(DASHBOARD_THEMES)
            raise _bad(f"Không có chủ đề “{theme_id}” (có: {known})", f"No theme “{theme_id}” (known: {known})")
        theme_id = slugs[theme_id]
    ags = queries.agencies().set_index("id")

    def unit(text: str | None, kind: str | None) -> str | None:
        if text is None:
            return None
        found = text if text in ags.index else queries.resolve_agency(text)
        if found is None:
            raise _bad(f"Không tìm thấy đơn vị “{text}”", f"No agency or province “{text}” was found")
        if kind and ags.loc[found, "kind"] != kind:
            raise _bad(f"“{text}” không phải tỉnh, thành phố", f"“{text}” is not a province")
        return found

    day = max(earlier)
    return Request(as_of=day, lang=lang, theme=theme_id, agency=unit(agency, None), province=unit(province, "province"),
                   base_url=base_url.rstrip("/"), asked=asked if asked != day else None)


def permalink(req: Request) -> str:
    """The dashboard page this pack is a print of, with its view in the link."""
    params: dict[str, str] = {}
    path = ""
    if req.agency:
        path, params["agency"] = "bo-nganh-dia-phuong", req.agency
    elif req.province:
        path, params["province"] = "dia-phuong", req.province
    elif req.theme:
        path = THEME_SLUGS[req.theme]
    params["as_of"] = req.as_of.strftime("%d/%m/%Y")
    if req.lang == "en":
        params["lang"] = "English"
    return f"{req.base_url}/{path}?{urlencode(params, safe='/')}"


@dataclass
class Chart:
    """A figure to be drawn; placed in the story once every figure is drawn (one Chromium for all of them)."""

    fig: go.Figure


@dataclass
class Pack:
    """The story being written, the figures to draw and every row shown (for the conflicts and breaks section)."""

    req: Request
    story: list = field(default_factory=list)
    shown: list[pd.DataFrame] = field(default_factory=list)

    def add(self, *items: object) -> None:
        self.story.extend(items)

    def chart(self, fig: go.Figure, data: pd.DataFrame) -> None:
        self.story.append(Chart(fig))
        self.shown.append(data)


def _md(text: str) -> str:
    """The few Markdown marks the labels use (**bold**, *italic*, [text](link)) as ReportLab markup."""
    out = pdf.text(text)
    out = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", out)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"\*(.+?)\*", r"<i>\1</i>", out)


def _status_word(status: str, lang: str, count: int | None = None) -> str:
    word = f"{scorecard.SYMBOLS[status]} {pdf.text(t('status_' + status, lang))}"
    if count is not None:
        word = f"<b>{count}</b> {word}"
    return f'<font color="{scorecard.status_colour(status)}">{word}</font>'


def cover(p: Pack, made: dt.datetime) -> None:
    req = p.req
    p.add(pdf.Spacer(1, 30 * pdf.mm), para(req.t("app_title"), "title"), para(req.t("pack_title"), "subtitle"),
          para(f"<b>{pdf.text(req.t('view_as_of'))}: {theme.format_date(req.as_of, req.lang)}</b>", "body", True))
    if req.asked:
        p.add(para(req.t("as_of_moved", wanted=theme.format_date(req.asked, req.lang),
                         date=theme.format_date(req.as_of, req.lang))))
    ags = queries.agencies().set_index("id")
    filters = [(req.t("language"), t("lang_name", req.lang))]
    if req.theme:
        filters.append((req.t("theme"), req.t(f"theme_{req.theme}")))
    for key, unit in (("pack_agency", req.agency), ("pack_province", req.province)):
        if unit:
            filters.append((req.t(key), name(ags.loc[unit], req.lang)))
    filters.append((req.t("pack_illustrative"), req.t("pack_illustrative_left_out")))
    filters.append((req.t("pack_made"), theme.format_datetime(made, req.lang)))
    p.add(pdf.Spacer(1, 6 * pdf.mm), pdf.table(filters, ["", ""], [45, 125]))
    link = permalink(req)
    p.add(pdf.Spacer(1, 8 * pdf.mm), para(req.t("pack_permalink"), "h2"), para(link, "small"), pdf.qr_code(link),
          pdf.Spacer(1, 8 * pdf.mm), para(req.t("pack_contents_note"), "small"), pdf.PageBreak())


def scorecard_section(p: Pack) -> None:
    req, view = p.req, p.req.view
    lines = scorecard.target_lines(view)
    n = scorecard.counts(lines)
    p.add(heading(req.t("pack_scorecard")),
          para(pdf.text(req.t("scorecard_of", n=sum(n.values()), date=theme.format_date(req.as_of, req.lang))) + " "
               + " · ".join(_status_word(s, req.lang, n[s]) for s in scorecard.WORST_FIRST if n[s]), "body", True))
    latest, _ = scorecard.overdue_now(view)
    if not latest.empty:
        r = latest.iloc[0]
        p.add(para(f'<font color="{theme.STATUS_COLOURS["red"]}">⚠ <b>{theme.format_number(r["value"], req.lang)}</b> '
                   f'{pdf.text(req.t("overdue_tasks"))} · {theme.format_date(r["as_of"], req.lang)}</font>', "body", True))
    rows = []
    for ln in lines:
        if ln.status == "no_data":
            continue
        c = scorecard.cells(ln, req.lang)
        observed, path = scorecard.trajectory(ln)
        rows.append([para(_status_word(ln.status, req.lang), "cell", True), name(ln.indicator, req.lang),
                     f"{c['figure']}\n{c['date']}".strip().replace("\n", " · "), c["target"], c["pace"],
                     pdf.sparkline(observed, path, scorecard.status_colour(ln.status)) if observed else ""])
        if ln.summary.latest is not None:
            p.shown.append(ln.summary.latest.to_frame().T)
    if rows:
        p.add(pdf.table(rows, ["", req.t("indicator"), req.t("latest_figure"), req.t("target"), req.t("pace"),
                               req.t("trajectory")], [24, 52, 38, 26, 16, 30], right=(4,)))
    missing = [name(ln.indicator, req.lang) for ln in lines if ln.status == "no_data"]
    if missing:
        p.add(pdf.Spacer(1, 3 * pdf.mm),
              para(f"{_status_word('no_data', req.lang, len(missing))}: {pdf.text(', '.join(missing))}", "small", True))
    p.add(para(req.t("pack_method_at_end"), "small"))


def overdue_section(p: Pack) -> None:
    req = p.req
    latest, agencies = scorecard.overdue_now(req.view)
    p.add(heading(req.t("overdue_by_agency")))
    if latest.empty:
        p.add(para(req.t("no_data")))
        return
    r = latest.iloc[0]
    progs = queries.programmes().set_index("id")
    title = name(progs.loc[r["programme"]], req.lang) if r["programme"] in progs.index else ""
    p.add(para(f"{title} · {theme.format_date(r['as_of'], req.lang)}", "small"))
    p.add(pdf.table([[entity_label(a, req.lang), theme.format_number(a["value"], req.lang)]
                     for _, a in agencies.iterrows()], [req.t("entity"), req.t("overdue_tasks_cap")], [140, 30],
                    right=(1,)))
    p.shown.extend([latest, agencies])


def _values_spark(values: object) -> object:
    if not isinstance(values, list) or len(values) < 2:
        return ""
    lo, hi = min(values), max(values)
    return pdf.sparkline([(i / (len(values) - 1), (v - lo) / (hi - lo) if hi > lo else 0.5)
                          for i, v in enumerate(values)], width=20 * pdf.mm, height=6 * pdf.mm)


def theme_part(p: Pack, theme_id: str, pillar: str | None) -> None:
    """A theme's (or pillar's) charts, as on its page, and the table of all its indicators."""
    req, view = p.req, p.req.view
    for b in views._theme_blocks(queries.stamp(), req.as_of, req.lang, theme_id, pillar):
        if b.kind == "chart":
            p.chart(b.fig, b.data)
        else:
            p.add(para(f"<b>{pdf.text(b.title)}</b> ({theme.format_date(b.data['as_of'].max(), req.lang)})", "body",
                       True), para(b.text.replace("\\", ""), "body"))
            p.shown.append(b.data)
    obs = queries.theme_observations(req.as_of, theme_id, pillar)
    rows = views.indicator_rows(theme_id, obs, view, pillar)
    if len(rows):
        p.add(para(req.t("all_indicators"), "h2"),
              pdf.table([[r["name"], r["latest"], r["date"], r["change"], r["status"], _values_spark(r["trend"])]
                         for _, r in rows.iterrows()],
                        [req.t("indicator"), req.t("latest_figure"), req.t("date"), req.t("change"), req.t("status"),
                         req.t("trend")], [58, 32, 21, 18, 26, 18]))


def budget_part(p: Pack) -> None:
    req, view = p.req, p.req.view
    data = queries.budget(req.as_of)
    p.add(para(req.t("budget_title"), "h2"))
    if data.empty:
        p.add(para(req.t("no_data")))
        return
    year, part = views.latest_budget_year(data)
    glance = views.budget_glance(part, view)
    p.add(para(req.t("budget_year", year=year), "body"),
          pdf.table(glance.values.tolist(), list(glance.columns), [30] + [20] * (len(glance.columns) - 1),
                    right=tuple(range(1, len(glance.columns)))))
    p.shown.append(part.assign(value=part["amount_bn_vnd"]))
    stages = views.budget_stages(part, year, view)
    if stages is not None:
        title, totals, labels = stages
        p.chart(charts.bar_figure(totals, title, "billion_vnd", "higher", req.as_of, req.lang, labels=labels,
                                  keep_order=True), totals)


def theme_section(p: Pack, theme_id: str) -> None:
    req = p.req
    p.add(pdf.PageBreak(), heading(req.t(f"theme_{theme_id}")), para(req.t(f"theme_intro_{theme_id}"), "small"))
    if theme_id == "digital_transformation":  # every pillar: a print has no tabs to open
        for pillar in PILLARS:
            p.add(heading(req.t(f"pillar_{pillar}"), 2))
            theme_part(p, theme_id, pillar)
    else:
        theme_part(p, theme_id, None)
    if theme_id == "resources":
        budget_part(p)


def profile_section(p: Pack, unit_id: str) -> None:
    req, view = p.req, p.req.view
    ag = queries.agencies().set_index("id").loc[unit_id]
    p.add(pdf.PageBreak(), heading(f"{req.t('profile')}: {name(ag, req.lang)}"))
    p.add(para(tracking.kind_line(ag, view), "small"))
    obs = queries.entity_observations(req.as_of, unit_id, illustrative=False)
    bud = queries.entity_budget(req.as_of, unit_id)
    for _, r in obs[obs["indicator_id"].isin(list(tracking.REPORTING))].sort_values("as_of").iterrows():
        p.add(para(f"{req.t(tracking.REPORTING[r['indicator_id']][0])} "
                   f"({req.t('as_of').lower()} {theme.format_date(r['as_of'], req.lang)})"))
    if obs.empty and bud.empty:
        p.add(para(req.t("profile_empty")))
        return
    overdue, products, history = tracking.standing(obs)
    p.add(pdf.table([[figure_text(row, view) if row is not None else req.t("no_data")
                      for row in (overdue, products)] + [theme.format_number(len(obs), req.lang)]],
                    [req.t("overdue_tasks_cap"), req.t("products_reported_cap"), req.t("figures_reported")],
                    [1, 1, 1]))
    if history["as_of"].nunique() >= 2:
        title, build = tracking.overdue_history_chart(history, view)
        p.chart(build(), history)
    for _, peers, build in tracking.peer_charts((overdue, products), view, unit_id):
        p.chart(build(), peers)
    if not obs.empty:
        table = tracking.profile_table(obs, view)
        keep = [req.t(k) for k in ("indicator", "category", "value", "date", "source")]
        p.add(para(req.t("pack_profile_figures"), "h2"),
              pdf.table(table[keep].values.tolist(), keep, [55, 30, 28, 18, 45]))
        p.shown.append(obs)
    if not bud.empty:
        table = tracking.budget_table(bud, view).drop(columns=req.t("quote"))  # the quote: on the page, too long here
        p.add(para(req.t("budget_title"), "h2"),
              pdf.table(table.values.tolist(), list(table.columns), [20, 50, 40, 30], right=(2,)))


def conflicts_section(p: Pack) -> None:
    """The disagreements between figures and the breaks in series, only of what this pack shows."""
    req = p.req
    shown = pd.concat([d for d in p.shown if len(d)], ignore_index=True) if p.shown else pd.DataFrame()
    p.add(pdf.PageBreak(), heading(req.t("pack_conflicts")))
    rows = []
    if "conflict_id" in shown:
        flagged = shown[shown["conflict_id"].notna()]
        for cid, part in flagged.groupby("conflict_id"):
            notes = "; ".join(sorted(set(part["note"].dropna().astype(str)))) if "note" in part else None
            rows.append([conflict_explanation(cid, req.lang, notes),
                         ", ".join(sorted({name(r, req.lang, "indicator_name") for _, r in part.iterrows()}))])
    if rows:
        p.add(para(req.t("conflict_help"), "small"),
              pdf.table([[i + 1, *r] for i, r in enumerate(rows)], ["#", req.t("explanation"), req.t("indicator")],
                        [6, 110, 54]))
    else:
        p.add(para(req.t("pack_no_conflicts")))
    breaks = []
    if "definition" in shown and "indicator_id" in shown:
        for _, part in shown.drop_duplicates(["indicator_id", "definition"]).groupby("indicator_id"):
            if len(part) > 1:
                bases = [name(r, req.lang, "definition") or req.t("usual_definition") for _, r in part.iterrows()]
                breaks.append([name(part.iloc[0], req.lang, "indicator_name"), "; ".join(sorted(set(bases)))])
    p.add(para(req.t("pack_breaks"), "h2"))
    if breaks:
        p.add(para(req.t("pack_breaks_help"), "small"), pdf.table(breaks, [req.t("indicator"), req.t("definition")],
                                                              [70, 100]))
    else:
        p.add(para(req.t("pack_no_breaks")))


def sources_section(p: Pack) -> None:
    req = p.req
    src = queries.sources()
    src = src[src["report_date"].dt.date <= req.as_of]
    p.add(heading(req.t("footer_sources")),
          pdf.table([[name(r, req.lang, "issuer"), name(r, req.lang, "title"),
                      theme.format_date(r["report_date"], req.lang)] for _, r in src.iterrows()],
                    [req.t("issuer"), req.t("report_title"), req.t("report_date")], [45, 105, 20]),
          para(req.t("footer_licence"), "small"))


def method_section(p: Pack) -> None:
    req = p.req
    p.add(heading(req.t("status_rule_title")), para(_md(req.t("status_rule")), "body", True),
          para(_md(req.t("status_method_source")), "small", True),
          pdf.table([[para(_status_word(s, req.lang), "cell", True), req.t(f"status_when_{s}")]
                     for s in scorecard.SHOWN[:-1]], [req.t("status"), req.t("status_when")], [40, 130]))


def build(req: Request, progress: Progress = lambda frac, msg: None) -> bytes:
    """The pack's PDF. `progress(fraction, message)` is told of each step (the page's progress bar)."""
    made = dt.datetime.now().replace(microsecond=0)
    pdf.register_fonts()  # paragraphs read their fonts when they are made
    p = Pack(req)
    progress(0.02, req.t("pack_step_content"))
    cover(p, made)
    scorecard_section(p)
    overdue_section(p)
    for unit in (req.agency, req.province):
        if unit:
            profile_section(p, unit)
    for theme_id in ([req.theme] if req.theme else DASHBOARD_THEMES):
        theme_section(p, theme_id)
    conflicts_section(p)
    sources_section(p)
    method_section(p)
    figures = [item.fig for item in p.story if isinstance(item, Chart)]
    progress(0.1, req.t("pack_step_charts", n=len(figures)))
    images = iter(pdf.render_png(figures, lambda done: progress(0.1 + 0.8 * done / max(len(figures), 1),
                                                                req.t("pack_step_charts_done", done=done,
                                                                      n=len(figures)))))
    story = []
    for item in p.story:
        if isinstance(item, Chart):
            png, w, h = next(images)
            story.append(pdf.keep(pdf.chart_image(png, w, h), pdf.Spacer(1, 4 * pdf.mm)))
        else:
            story.append(item)
    progress(0.92, req.t("pack_step_pdf"))
    footer = f"{req.t('app_title')} · {req.t('pack_title')} · {theme.format_date(req.as_of, req.lang)}"
    out = pdf.write(story, title=f"{req.t('app_title')} — {req.t('pack_title')}", footer=footer,
                    page_word=req.t("pack_page"), lang="vi-VN" if req.lang == "vi" else "en-GB")
    progress(1.0, req.t("pack_step_done"))
    return out


def file_name(req: Request) -> str:
    """'ban-tin-hop-nang-luc-khcn-2026-05-08.pdf': what the pack holds, in the reader's language, and its date."""
    ags = queries.agencies().set_index("id")
    parts = [req.t("pack_title") if req.lang == "en" else "ban-tin-hop",
             req.t(f"theme_{req.theme}") if req.theme else "",
             *(name(ags.loc[u], req.lang) for u in (req.agency, req.province) if u), req.as_of.isoformat()]
    return charts.slug("-".join(p for p in parts if p)) + ".pdf"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.pack",
                                     description="Bản tin họp (PDF) / The meeting pack (PDF)")
    parser.add_argument("--out", required=True, type=Path, help="tệp PDF / the PDF file")
    parser.add_argument("--as-of", help="dd/mm/yyyy (mặc định: báo cáo mới nhất / default: the latest report)")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    parser.add_argument("--theme", help=", ".join(DASHBOARD_THEMES))
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
