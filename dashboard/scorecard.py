"""The overview's scorecard: every target's status by the published progress method, worst first, what is late and
who is responsible, what moved since the previous report, and who has not reported."""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd

from dashboard import queries, theme
from dashboard.cache import memo
from dashboard.i18n import name, t
from dashboard.indicators import Summary, by_indicator, national_series, same_basis, summarise_each
from dashboard.texts import entity_label, programme_name
from dashboard.view import View


@dataclass(frozen=True)
class Line:
    """One target on the scorecard."""

    indicator: pd.Series
    summary: Summary
    points: tuple[tuple[dt.date, float], ...]  # the exact figures of the latest figure's basis, by date

    @property
    def status(self) -> str:
        return self.summary.status


def target_lines(view: View) -> list[Line]:
    """Every indicator with a dated target, judged at the view date, worst first."""
    def build() -> list[Line]:
        inds = queries.indicators().set_index("id", drop=False)
        targets = queries.targets()
        ids = tuple(sorted(set(targets.loc[targets["year"].notna(), "indicator_id"]) & set(inds.index)))
        obs = queries.indicator_observations(view.as_of, ids)
        summaries = summarise_each(inds.loc[list(ids)], obs, targets)
        figures = by_indicator(national_series(obs))
        lines = []
        for ind_id in ids:
            ind = inds.loc[ind_id]
            s = summaries[ind_id]
            points: tuple = ()
            if s.latest is not None:
                basis = same_basis(figures[ind_id], s.latest)
                points = tuple((pd.Timestamp(r["as_of"]).date(), float(r["value"])) for _, r in basis.iterrows()
                               if theme.qualifier_of(r) == "exact")
            lines.append(Line(ind, s, points))
        order = theme.statuses()
        return sorted(lines, key=lambda ln: (order.index(ln.status), name(ln.indicator, view.lang)))
    return memo(("scorecard", view), build)


def counts(lines: list[Line]) -> dict[str, int]:
    """How many targets have each status, worst first."""
    return {s: sum(1 for ln in lines if ln.status == s) for s in theme.statuses()}


Points = list[tuple[float, float]]


def trajectory(line: Line) -> tuple[Points, Points]:
    """The observed figures and the path the target needs from the first of them (to the target's year), scaled to
    0..1: x is time, y is better upwards (a rank is turned upside down). Drawn by the page and the meeting pack."""
    goal, progress = line.summary.goal, line.summary.progress
    pts = list(line.points)
    if not pts:
        return [], []
    path: list[tuple[dt.date, float]] = []
    if goal is not None and progress.base is not None and line.status != "achieved":
        path = [progress.base, (dt.date(goal.year, 12, 31), goal.value)]
    xs = [d.toordinal() for d, _ in pts + path]
    ys = [v for _, v in pts + path]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    flip = line.summary.direction == "lower"

    def unit(d: dt.date, v: float) -> tuple[float, float]:
        f = (v - y0) / (y1 - y0) if y1 > y0 else 0.5
        return ((d.toordinal() - x0) / (x1 - x0) if x1 > x0 else 0.5, 1 - f if flip else f)

    return [unit(*p) for p in pts], [unit(*p) for p in path]


def sparkline(line: Line, width: int = 96, height: int = 28) -> str:
    """An inline SVG of `trajectory`: the observed figures solid, the path the target needs dashed."""
    observed, path = trajectory(line)
    if not observed:
        return ""

    def xy(p: tuple[float, float]) -> tuple[str, str]:
        return f"{3 + (width - 6) * p[0]:.1f}", f"{3 + (height - 6) * (1 - p[1]):.1f}"

    def points(pts: Points) -> str:
        return " ".join(",".join(xy(p)) for p in pts)

    colour = theme.status_colour(line.status)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    if path:
        svg.append(f'<polyline points="{points(path)}" fill="none" stroke="{theme.MUTED}" '
                   'stroke-width="1.5" stroke-dasharray="4 3"/>')
        cx, cy = xy(path[-1])
        svg.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="none" stroke="{theme.MUTED}"/>')
    if len(observed) > 1:
        svg.append(f'<polyline points="{points(observed)}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for p in observed:
        cx, cy = xy(p)
        svg.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
    svg.append("</svg>")
    # as an image: st.html's sanitiser drops inline SVG, a data: image passes (and needs no script or font)
    data = base64.b64encode("".join(svg).encode("utf-8")).decode("ascii")
    label = html.escape(line.summary.indicator_id)
    return f'<img class="nq-spark" src="data:image/svg+xml;base64,{data}" width="{width}" height="{height}" alt="{label}">'


def cells(line: Line, lang: str) -> dict[str, str]:
    """A target's row as text: latest figure as stated and its date, the target, the pace (page and pack)."""
    s, status = line.summary, line.status
    ratio = s.progress.ratio
    return {
        "figure": (theme.format_figure(s.latest, lang) or "") if s.latest is not None else t("no_data", lang),
        "date": theme.format_date(s.latest["as_of"], lang) if s.latest is not None else "",
        "target": (f"{theme.COMPARATORS[s.goal.comparator]} {theme.format_value(s.goal.value, s.unit, lang)}"
                   f" · {s.goal.year}" if s.goal else ""),
        "pace": (theme.format_pace(ratio, lang)
                 if ratio is not None and status not in ("achieved", "insufficient") else ""),
    }


def chip(status: str, view: View, count: int | None = None, link: bool = False) -> str:
    colour = theme.status_colour(status)
    text = f"{theme.status_symbol(status)} {html.escape(view.t('status_' + status))}"
    if count is not None:
        text = f"<b>{count}</b> {text}"
    body = f'<span class="nq-chip" style="border-color:{colour};color:{colour}">{text}</span>'
    return f'<a class="nq-plain" href="#st-{status}">{body}</a>' if link else body


STYLE = """<style>
.nq-chip{display:inline-block;border:1.5px solid;border-radius:1rem;padding:.1rem .6rem;margin:.15rem .3rem .15rem 0;
  font-size:.9rem;white-space:nowrap;background:#fff}
a.nq-plain{text-decoration:none}
.nq-strip{display:flex;flex-wrap:wrap;align-items:center;gap:.2rem;margin:.2rem 0 .4rem}
.nq-late{display:inline-block;background:#fdecea;border:1.5px solid {red};color:{red};border-radius:.5rem;
  padding:.1rem .6rem;font-size:.9rem}
.nq-scroll{overflow-x:auto}
table.nq-score{border-collapse:collapse;width:100%;font-size:.88rem}
table.nq-score td.names{font-size:.84rem;line-height:1.5}
table.nq-score td,table.nq-score th{padding:.22rem .4rem;border-bottom:1px solid #eee;vertical-align:middle;text-align:left}
table.nq-score th{font-weight:600;color:{muted};font-size:.8rem}
table.nq-score td.num{white-space:nowrap}
table.nq-score tr.group td{font-weight:600;padding-top:.5rem;border-bottom:none}
@media (max-width:640px){
  table.nq-score .nq-wide{display:none}
  /* on a phone each target is two lines: its name across the width, then the latest figure and the target */
  table.nq-score,table.nq-score tbody{display:block}
  table.nq-score tr{display:grid;grid-template-columns:1.3rem 1fr 1fr;column-gap:.5rem;border-bottom:1px solid #eee;
    padding:.25rem 0}
  table.nq-score tr.group{display:block;border-bottom:none}
  table.nq-score td,table.nq-score th{border-bottom:none;padding:.05rem 0}
  table.nq-score tr>:first-child{grid-row:span 2}
  table.nq-score tr>:nth-child(2){grid-column:2 / span 2}
}
</style>""".replace("{red}", theme.STATUS_COLOURS["red"]).replace("{muted}", theme.MUTED)


def strip(lines: list[Line], overdue: tuple[float, dt.date] | None, view: View) -> str:
    """Status counts (each a link to its rows), the overdue total and the as-of date: the first thing a reader sees."""
    n = counts(lines)
    parts = [chip(s, view, n[s], link=True) for s in n if n[s]]
    if overdue is not None:
        parts.append(f'<span class="nq-late">⚠ <b>{theme.format_number(overdue[0], view.lang)}</b> '
                     f'{html.escape(view.t("overdue_tasks"))} · {theme.format_date(overdue[1], view.lang)}</span>')
    total = sum(n.values())
    head = html.escape(view.t("scorecard_of", n=total, date=theme.format_date(view.as_of, view.lang)))
    return f'<div class="nq-strip"><span style="margin-right:.4rem">{head}</span>{"".join(parts)}</div>'


def table(lines: list[Line], view: View) -> str:
    """The targets, grouped by status, worst first: indicator, latest figure, target, pace, trajectory."""
    head = "".join(f"<th{' class=nq-wide' if k in ('pace', 'trajectory') else ''}>{html.escape(view.t(k))}</th>"
                   for k in ("indicator", "latest_figure", "target", "pace", "trajectory"))
    rows = [f"<div class='nq-scroll'><table class='nq-score'><tr><th></th>{head}</tr>"]
    for status in theme.statuses():
        group = [ln for ln in lines if ln.status == status]
        if not group:
            continue
        rows.append(f'<tr class="group" id="st-{status}"><td colspan="6">{chip(status, view, len(group))}</td></tr>')
        if status == "no_data":  # nothing to show but their names: one line, not a row each
            names = ", ".join(f'<a href="{html.escape(view.link("chi-so", id=ln.indicator["id"]))}" '
                              f'target="_self">{html.escape(name(ln.indicator, view.lang))}</a>' for ln in group)
            rows.append(f'<tr><td></td><td class="names" colspan="5">{names}</td></tr>')
            continue
        for ln in group:
            ind, c = ln.indicator, {k: html.escape(v) for k, v in cells(ln, view.lang).items()}
            label = html.escape(name(ind, view.lang))
            figure = f"{c['figure']}<br><small>{c['date']}</small>" if c["date"] else c["figure"]
            rows.append(
                f'<tr><td style="color:{theme.status_colour(status)}" title="{html.escape(view.t("status_" + status))}">'
                f'{theme.status_symbol(status)}</td>'
                f'<td><a href="{html.escape(view.link("chi-so", id=ind["id"]))}" target="_self">{label}</a></td>'
                f'<td class="num">{figure}</td><td class="num">{c["target"]}</td><td class="num nq-wide">{c["pace"]}</td>'
                f'<td class="nq-wide">{sparkline(ln)}</td></tr>')
    rows.append("</table></div>")
    return "".join(rows)


def overdue_now(view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the latest national overdue total row, the agencies' overdue counts at that report, most first)."""
    obs = queries.indicator_observations(view.as_of, ("tasks_overdue",))
    if obs.empty:
        return obs, obs
    nat = obs[(obs["scope"] == "national") & obs["category"].isna()]
    latest = nat[nat["as_of"] == nat["as_of"].max()].sort_values("value", ascending=False).head(1)
    if latest.empty:
        return latest, latest
    row = latest.iloc[0]
    agencies = obs[(obs["scope"] != "national") & (obs["as_of"] == row["as_of"]) & (obs["programme"] == row["programme"])]
    return latest, agencies.sort_values(["value", "entity_name"], ascending=[False, True])


def since_previous(lines: list[Line], view: View) -> list[str]:
    """What moved since the report before the latest one: status changes and new figures of the targets."""
    dates = [d for d in queries.report_dates() if d <= view.as_of]
    if len(dates) < 2:
        return []
    before = view.at(dates[-2])
    old = {ln.indicator["id"]: ln for ln in target_lines(before)}
    out = []
    for ln in lines:
        prev = old.get(ln.indicator["id"])
        label = html.escape(name(ln.indicator, view.lang))
        if prev is not None and prev.status != ln.status:
            out.append(f"{label}: {chip(prev.status, view)} → {chip(ln.status, view)}")
        elif ln.summary.latest is not None and (prev is None or prev.summary.latest is None
                                                or pd.Timestamp(prev.summary.latest["as_of"])
                                                != pd.Timestamp(ln.summary.latest["as_of"])):
            out.append(view.t("new_figure", indicator=label,
                              value=html.escape(theme.format_figure(ln.summary.latest, view.lang) or ""),
                              date=theme.format_date(ln.summary.latest["as_of"], view.lang)))
    return out


def moved_list(moved: list[str], view: View) -> str:
    """What moved since the previous report, as a short list (the first eight)."""
    if not moved:
        return f"<small>{html.escape(view.t('nothing_moved'))}</small>"
    return ("<ul style='margin:0;padding-left:1.1rem;font-size:.88rem'>" + "".join(f"<li>{m}</li>" for m in moved[:8])
            + "</ul>")


def late_agencies(latest: pd.DataFrame, agencies: pd.DataFrame, view: View) -> str:
    """The agencies with the most overdue tasks at the latest list, each linked to its profile."""
    if latest.empty:
        return f"<small>{html.escape(view.t('no_data'))}</small>"
    row = latest.iloc[0]
    items = [f'<li><a href="{html.escape(view.link("bo-nganh-dia-phuong", agency=r["entity_id"]))}" '
             f'target="_self" style="color:{theme.STATUS_COLOURS["red"]}">{html.escape(entity_label(r, view.lang))}</a>: '
             f"<b>{theme.format_number(r['value'], view.lang)}</b></li>" for _, r in agencies.head(6).iterrows()]
    return (f"<div style='font-size:.88rem'>{html.escape(programme_name(row['programme'], view.lang))} · "
            f"{theme.format_date(row['as_of'], view.lang)}<ul style='margin:.2rem 0;padding-left:1.1rem'>"
            f"{''.join(items)}</ul><a href='{html.escape(view.link('nhiem-vu'))}' target='_self'>"
            f"{html.escape(view.t('all_overdue'))} →</a></div>")


def compliance(view: View) -> str | None:
    """Who reported their products for the latest round and who did not (report 004), or None."""
    obs = queries.indicator_observations(view.as_of, ("products_unit_with", "products_unit_without",
                                                      "products_unit_no_info"))
    if obs.empty:
        return None
    missing = obs[obs["indicator_id"] == "products_unit_no_info"]
    missing = missing.assign(_name=[entity_label(r, view.lang) for _, r in missing.iterrows()]).sort_values("_name")
    sent = obs[obs["indicator_id"] != "products_unit_no_info"]
    date = theme.format_date(obs["as_of"].max(), view.lang)
    links = ", ".join(f'<a href="{html.escape(view.link("bo-nganh-dia-phuong", agency=r["entity_id"]))}" '
                      f'target="_self">{html.escape(entity_label(r, view.lang))}</a>' for _, r in missing.iterrows())
    line = view.t("compliance_line", sent=len(sent), missing=len(missing), date=date)
    return (f"<div style='font-size:.88rem'>{html.escape(line)}"
            f"<br><span style='color:{theme.STATUS_COLOURS['orange']}'>{html.escape(view.t('not_reported'))}:</span> "
            f"{links}</div>")
