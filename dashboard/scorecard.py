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
from dashboard.indicators import Summary, gap_text, needed_text, series_names, summarise_targets
from dashboard.texts import conflict_explanation, entity_label, programme_name, unit_names
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


def all_targets(on: dt.date) -> list[Summary]:
    """Every target stated by `on` (dated or not), judged at that date from the warehouse's figures."""
    def build() -> list[Summary]:
        targets, inds = queries.targets(), queries.indicators()
        ids = tuple(sorted({s for _, tg in targets.iterrows() for s in series_names(tg)}))
        return summarise_targets(targets, queries.indicator_observations(on, ids), inds, on)
    return memo(("all_targets", on), build)


def missed_marks(indicator_id: str, view: View) -> tuple[tuple[dt.date, float, str], ...]:
    """Where a trajectory chart of the indicator's national figures writes a missed target's shortfall: at the
    target, on its deadline ('Không đạt: thiếu 1,28 điểm %')."""
    return tuple((s.deadline, s.goal.value, f"{t('status_missed', view.lang)}: {gap_text(s, view.lang) or ''}")
                 for s in all_targets(view.as_of)
                 if s.status == "missed" and s.target is not None and s.target["indicator_id"] == indicator_id
                 and not isinstance(s.target.get("entity_name"), str) and s.goal is not None)


def target_lines(view: View) -> list[Line]:
    """Every dated target, judged at the view date (dashboard.indicators.summarise_targets), worst first."""
    def build() -> list[Line]:
        inds = queries.indicators().set_index("id", drop=False)
        targets = queries.targets()
        targets = targets[targets["deadline"].notna() & targets["indicator_id"].isin(inds.index)]
        ids = tuple(sorted({s for _, tg in targets.iterrows() for s in series_names(tg)}))
        obs = queries.indicator_observations(view.as_of, ids)
        lines = [Line(inds.loc[s.indicator_id], s, s.points)
                 for s in summarise_targets(targets, obs, inds, view.as_of)]
        order = theme.statuses()
        return sorted(lines, key=lambda ln: (order.index(ln.status), ln.summary.deadline,
                                             name(ln.indicator, view.lang)))
    return memo(("scorecard", view), build)


def counts(lines: list[Line]) -> dict[str, int]:
    """How many targets have each status, worst first."""
    return {s: sum(1 for ln in lines if ln.status == s) for s in theme.statuses()}


Points = list[tuple[float, float]]


def path_needed(line: Line) -> list[tuple[dt.date, float]]:
    """What the trajectory draws beside the figures: the path the target needs, from the first figure (two figures or
    more, the published method's) or from the only one, to the target at its deadline; for a missed target the
    shortfall at the deadline; nothing for an achieved target (no path is still to go)."""
    s, goal = line.summary, line.summary.goal
    if goal is None or goal.deadline is None or line.status in ("achieved", "overdue_no_data", "no_data"):
        return []
    if line.status == "missed":
        judged = s.judged
        if judged is None or pd.isna(judged.get("value")):
            return []
        return [(goal.deadline, float(judged["value"])), (goal.deadline, goal.value)]
    if s.progress.base is not None and len(line.points) > 1:
        return [s.progress.base, (goal.deadline, goal.value)]
    return list(s.path_to_go or ())


def trajectory(line: Line) -> tuple[Points, Points]:
    """The observed figures and `path_needed`, scaled to 0..1: x is time, y is better upwards (a rank is turned upside
    down). Drawn by the page and the meeting pack."""
    pts = list(line.points)
    if not pts:
        return [], []
    path = path_needed(line)
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


def target_unit(s: Summary, lang: str) -> str:
    """The unit a target is for, by its official name in `lang` ('' for a national target)."""
    unit = s.target.get("entity_id") if s.target is not None else None
    return unit_names(lang).get(unit, "") if isinstance(unit, str) else ""


def unit_of(s: Summary, lang: str) -> str:
    """' · Thái Nguyên' for a target of one unit, '' for a national one."""
    unit = target_unit(s, lang)
    return f" · {unit}" if unit else ""


def deadline_text(s: Summary, lang: str) -> str:
    """'hạn 30/06/2026' — and, where the report prints a date that does not exist ('31/6/2026'), its words too."""
    if s.deadline is None:
        return t("no_deadline", lang)
    text = t("due_on", lang, date=theme.format_date(s.deadline, lang))
    note = s.target.get(f"deadline_note_{lang}") if s.target is not None else None
    return f"{text} ({note})" if isinstance(note, str) and note else text


def need_text(s: Summary, lang: str) -> str:
    """What a leader acts on, by verdict: the shortfall of a missed target, how long an overdue one is late, the
    pace a single figure needs, the observed pace against the needed one (R of the method)."""
    status = s.status
    if status == "missed":
        return (gap_text(s, lang) or "") + (f" ({t('estimate', lang)})" if s.estimate else "")
    if status == "overdue_no_data" and s.days_left is not None:
        return t("days_late", lang, n=theme.format_number(-s.days_left, lang))
    if status == "insufficient":
        return needed_text(s, lang) or gap_text(s, lang) or ""
    ratio = s.progress.ratio
    if status in ("on_track", "needs_acceleration", "limited", "deterioration") and ratio is not None:
        return f"{t('pace_short', lang)} {theme.format_pace(ratio, lang)}"
    return ""


def cells(line: Line, lang: str) -> dict[str, str]:
    """A target's row as text: latest figure as stated and its date, the target and its deadline, what it needs
    (page and pack)."""
    s = line.summary
    return {
        "figure": (theme.format_figure(s.latest, lang) or "") if s.latest is not None else t("no_data", lang),
        "date": theme.format_date(s.latest["as_of"], lang) if s.latest is not None else "",
        "target": (f"{theme.COMPARATORS[s.goal.comparator]} {theme.format_value(s.goal.value, s.unit, lang)}"
                   + unit_of(s, lang) if s.goal else ""),
        "deadline": deadline_text(s, lang),
        "pace": need_text(s, lang),
    }


def due_soon(lines: list[Line], view: View, days: int = 90) -> list[Line]:
    """The targets not yet met whose deadline falls in the next `days` days after the view date, soonest first."""
    soon = [ln for ln in lines if ln.summary.days_left is not None and 0 <= ln.summary.days_left <= days
            and ln.status != "achieved"]
    return sorted(soon, key=lambda ln: ln.summary.deadline)


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
table.nq-score td.ind{min-width:11rem}
table.nq-score td.need{min-width:7rem;font-size:.84rem}
table.nq-score small{white-space:nowrap}
.nq-due{margin:.1rem 0 .6rem;font-size:.9rem;line-height:1.6}
.nq-due b.when{white-space:nowrap}
.nq-due details{display:inline;margin-left:.4rem}
.nq-due summary{display:inline;cursor:pointer;color:#1c5fb8}
.nq-due ul{margin:.3rem 0 .2rem;padding-left:1.1rem;font-size:.86rem}
@media (max-width:640px){
  /* on a phone each target is two lines: its name across the width, then its figure, target and what it needs */
  table.nq-score .nq-wide,table.nq-score tr.head{display:none}
  table.nq-score,table.nq-score tbody{display:block}
  table.nq-score tr{display:grid;grid-template-columns:1.3rem 1fr 1fr 1fr;column-gap:.5rem;border-bottom:1px solid #eee;
    padding:.3rem 0}
  table.nq-score tr.group{display:block;border-bottom:none}
  table.nq-score td{border:none;padding:.05rem 0;min-width:0}
  table.nq-score tr>:first-child{grid-row:span 2}
  table.nq-score tr>:nth-child(2){grid-column:2 / span 3}
  table.nq-score td.num{white-space:normal}
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
    """The targets, grouped by verdict, worst first and by deadline within one: indicator, latest figure, target and
    deadline, what it needs, trajectory. On a phone each target is a row of its own lines (no columns to squeeze)."""
    head = "".join(f"<th{' class=nq-wide' if k == 'trajectory' else ''}>{html.escape(view.t(k))}</th>"
                   for k in ("indicator", "latest_figure", "target", "need_column", "trajectory"))
    rows = [f"<div class='nq-scroll'><table class='nq-score'><tr class='head'><th></th>{head}</tr>"]
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
                f'<tr><td class="sym" style="color:{theme.status_colour(status)}" '
                f'title="{html.escape(view.t("status_" + status))}">{theme.status_symbol(status)}</td>'
                f'<td class="ind"><a href="{html.escape(view.link("chi-so", id=ind["id"]))}" target="_self">{label}</a></td>'
                f'<td class="num">{figure}</td><td>{c["target"]}<br><small>{c["deadline"]}</small></td>'
                f'<td class="need">{c["pace"]}</td><td class="nq-wide">{sparkline(ln)}</td></tr>')
    rows.append("</table></div>")
    return "".join(rows)


def due_list(due: tuple, days: int, view: View) -> str:
    """What falls due in the next `days` days, soonest first: the date, the target or task, who it is for."""
    until = theme.format_date(view.as_of + dt.timedelta(days=days), view.lang)
    head = f"<b>{html.escape(view.t('due_soon', n=days, date=until))}:</b> "
    if not due:
        return f"<div class='nq-due'>{head}{html.escape(view.t('due_soon_none', n=days))}</div>"
    n_targets = sum(d.kind == "target" for d in due)
    summary = view.t("due_summary", targets=n_targets, tasks=len(due) - n_targets,
                     date=theme.format_date(due[0].day, view.lang))
    items = []
    for day in sorted({d.day for d in due}):
        parts = []
        for d in (d for d in due if d.day == day):
            title = html.escape(d.title)
            if d.link:
                title = f'<a href="{html.escape(d.link)}" target="_self">{title}</a>'
            mark = (f'<span style="color:{theme.status_colour(d.status)}">{theme.status_symbol(d.status)}</span> '
                    if d.status else "")
            parts.append(f"{mark}{title}" + (f" <i>({html.escape(d.who)})</i>" if d.who else ""))
        items.append(f'<li><b class="when">{theme.format_date(day, view.lang)}</b>: {"; ".join(parts)}</li>')
    return (f"<div class='nq-due'>{head}{html.escape(summary)}<details><summary>{html.escape(view.t('due_open'))}"
            f"</summary><ul>{''.join(items)}</ul></details></div>")


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
    """What the latest report brought since the one before: its figures, the task lists it gives, and the targets it
    states or moves (a verdict that changed, a new figure)."""
    dates = [d for d in queries.report_dates() if d <= view.as_of]
    if len(dates) < 2:
        return []
    before = view.at(dates[-2])
    out = []
    src = queries.sources()
    counts_ = queries.figures_by_source(view.as_of).set_index("source_file")["figures"]
    for _, r in src[(src["report_date"].dt.date > before.as_of) & (src["report_date"].dt.date <= view.as_of)].iterrows():
        out.append(html.escape(view.t("new_report", issuer=name(r, view.lang, "issuer"),
                                      date=theme.format_date(r["report_date"], view.lang),
                                      n=theme.format_number(counts_.get(r["source_file"], 0), view.lang))))
    tasks = queries.latest_task_status(view.as_of)
    earlier = queries.latest_task_status(before.as_of).set_index("programme")
    for _, r in tasks[(tasks["as_of"].dt.date > before.as_of) & tasks["overdue"].notna()].iterrows():
        was = earlier["overdue"].get(r["programme"]) if r["programme"] in earlier.index else None
        out.append(html.escape(view.t("new_overdue", programme=name(r, view.lang, "programme_name"),
                                      n=theme.format_number(r["overdue"], view.lang),
                                      date=theme.format_date(r["as_of"], view.lang)))
                   + (f" ({html.escape(view.t('previous').lower())}: {theme.format_number(was, view.lang)})"
                      if was is not None and pd.notna(was) else ""))
    old = {ln.summary.target["id"]: ln for ln in target_lines(before)}
    for ln in lines:
        prev = old.get(ln.summary.target["id"])
        label = html.escape(name(ln.indicator, view.lang))
        if prev is None:
            out.append(f"{html.escape(view.t('new_target'))}: {label} ({html.escape(deadline_text(ln.summary, view.lang))})"
                       f" {chip(ln.status, view)}")
        elif prev.status != ln.status:
            out.append(f"{label}: {chip(prev.status, view)} → {chip(ln.status, view)}")
        elif ln.summary.latest is not None and (prev is None or prev.summary.latest is None
                                                or pd.Timestamp(prev.summary.latest["as_of"])
                                                != pd.Timestamp(ln.summary.latest["as_of"])):
            out.append(view.t("new_figure", indicator=label,
                              value=html.escape(theme.format_figure(ln.summary.latest, view.lang) or ""),
                              date=theme.format_date(ln.summary.latest["as_of"], view.lang)))
    return out


MOVED_SHOWN = 8


def moved_list(moved: list[str], view: View) -> str:
    """What moved since the previous report: the first eight, the rest behind a click."""
    if not moved:
        return f"<small>{html.escape(view.t('nothing_moved'))}</small>"
    first = "".join(f"<li>{m}</li>" for m in moved[:MOVED_SHOWN])
    rest = "".join(f"<li>{m}</li>" for m in moved[MOVED_SHOWN:])
    more = (f"<details><summary style='cursor:pointer;color:#1c5fb8'>"
            f"{html.escape(view.t('and_more', n=len(moved) - MOVED_SHOWN))}</summary><ul style='padding-left:1.1rem'>"
            f"{rest}</ul></details>") if rest else ""
    return f"<ul style='margin:0;padding-left:1.1rem;font-size:.88rem'>{first}</ul>{more}"


def late_agencies(latest: pd.DataFrame, agencies: pd.DataFrame, view: View) -> str:
    """The agencies with the most overdue tasks at the latest list, each linked to its profile."""
    if latest.empty:
        return f"<small>{html.escape(view.t('no_data'))}</small>"
    row = latest.iloc[0]
    # the first six, and every agency tied with the sixth: a list never stops inside a tie
    shown = agencies[agencies["value"] >= agencies["value"].iloc[min(5, len(agencies) - 1)]] if len(agencies) else agencies
    items = [f'<li><a href="{html.escape(view.link("bo-nganh-dia-phuong", agency=r["entity_id"]))}" '
             f'target="_self" style="color:{theme.STATUS_COLOURS["red"]}">{html.escape(entity_label(r, view.lang))}</a>: '
             f"<b>{theme.format_number(r['value'], view.lang)}</b></li>" for _, r in shown.iterrows()]
    more = len(agencies) - len(shown)
    note = ""
    flagged = pd.concat([latest, agencies])["conflict_id"].dropna()
    if len(flagged):  # the list and the total disagree: said beside the list, not only on the sources page
        note = (f"<div style='color:{theme.STATUS_COLOURS['orange']};font-size:.82rem'>⚠ "
                f"{html.escape(conflict_explanation(flagged.iloc[0], view.lang))}</div>")
    return (f"<div style='font-size:.88rem'>{html.escape(programme_name(row['programme'], view.lang))} · "
            f"{theme.format_date(row['as_of'], view.lang)}<ul style='margin:.2rem 0;padding-left:1.1rem'>"
            f"{''.join(items)}</ul>{note}<a href='{html.escape(view.link('nhiem-vu'))}' target='_self'>"
            f"{html.escape(view.t('all_overdue') + (f' (+{more})' if more > 0 else ''))} →</a></div>")


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
