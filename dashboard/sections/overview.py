"""The overview: the scorecard of targets first, then the other headline indicators as context, what is late per
programme and how fresh the data is; in the pack, the scorecard and every agency's overdue tasks."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import queries, scorecard, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.models import Card, Cards, Due, Heading, Html, Scorecard, Table, Text, section
from dashboard.sections.themes import headline_tiles
from dashboard.texts import entity_label, programme_name, task_lead
from dashboard.view import View

DUE_DAYS = 90  # what falls due soon: the next three months after the view date


def due_soon(lines: list[scorecard.Line], view: View) -> tuple[Due, ...]:
    """The targets not yet met and the reports' dated tasks that fall due in the next DUE_DAYS days, soonest first
    (a task that is one of the targets is listed once, as the target)."""
    out, targets = [], set()
    for ln in scorecard.due_soon(lines, view, DUE_DAYS):
        targets.add(ln.summary.target["id"] if ln.summary.target is not None else None)
        out.append(Due(ln.summary.deadline, name(ln.indicator, view.lang), scorecard.target_unit(ln.summary, view.lang),
                       view.link("chi-so", id=ln.indicator["id"]), ln.status))
    tasks = queries.dated_tasks(view.as_of)
    if not tasks.empty:
        until = view.as_of + dt.timedelta(days=DUE_DAYS)
        soon = tasks[(tasks["deadline"].dt.date >= view.as_of) & (tasks["deadline"].dt.date <= until)
                     & ~tasks["target_id"].isin(targets)]
        out += [Due(r["deadline"].date(), name(r, view.lang, "title"), task_lead(r, view.lang),
                    view.link("bo-nganh-dia-phuong", agency=r["lead_id"]) if isinstance(r["lead_id"], str) else None,
                    kind="task") for _, r in soon.iterrows()]
    return tuple(sorted(out, key=lambda d: (d.day, d.kind != "target")))


def scorecard_section(view: View):
    lines = scorecard.target_lines(view)
    latest, agencies = scorecard.overdue_now(view)
    overdue = ((float(latest.iloc[0]["value"]), pd.Timestamp(latest.iloc[0]["as_of"]).date())
               if not latest.empty else None)
    side = [Heading(f":red[:material/schedule: {view.t('overdue_by_agency')}]", 3),
            Html(scorecard.late_agencies(latest, agencies, view)),
            Heading(view.t("since_previous"), 3), Html(scorecard.moved_list(scorecard.since_previous(lines, view), view))]
    reported = scorecard.compliance(view)
    if reported:
        side += [Heading(view.t("compliance"), 3), Html(reported)]
    shown = tuple(ln.summary.latest.to_frame().T for ln in lines if ln.summary.latest is not None)
    return section(Scorecard(tuple(lines), overdue, tuple(side), due_soon(lines, view), DUE_DAYS),
                   Text(view.t("status_rule"), "caption"),
                   pack_title=view.t("pack_scorecard"), shown=shown)


def overdue_by_agency(view: View):
    """Every agency's overdue tasks at the latest list (the pack's page; the screen shows the top of it)."""
    latest, agencies = scorecard.overdue_now(view)
    if latest.empty:
        return section(Text(view.t("no_data")), title=view.t("overdue_by_agency"), screen=False)
    r = latest.iloc[0]
    table = pd.DataFrame({view.t("entity"): [entity_label(a, view.lang) for _, a in agencies.iterrows()],
                          view.t("overdue_tasks_cap"): [theme.format_number(v, view.lang) for v in agencies["value"]]})
    return section(Text(f"{programme_name(r['programme'], view.lang)} · {theme.format_date(r['as_of'], view.lang)}",
                        "caption"),
                   Table("overdue_all", table, grid=False, pack_widths=(140, 30)),
                   title=view.t("overdue_by_agency"), screen=False, shown=(latest, agencies))


def context_tiles(view: View, scored: frozenset[str]):
    """The headline indicators without a dated target, theme by theme."""
    items: list = []
    for th in theme.terms("theme"):
        tiles = headline_tiles(th, view, skip=scored)
        if tiles:
            items += [Heading(view.t(f"theme_{th}"), 2), tiles]
    return section(*items, title=view.t("context_indicators"), pack=False) if items else None


def late_strip(view: View):
    """Overdue tasks of each programme at its latest report date."""
    ts = queries.latest_task_status(view.as_of)
    ts = ts[ts["overdue"].notna()]
    if ts.empty:
        return section(Text(view.t("no_data"), "info"), title=view.t("late_strip"), level=2, help=view.t("late_strip_help"),
                       pack=False)
    cards = []
    for _, r in ts.iterrows():
        total = r["total"] if pd.notna(r["total"]) else r.get("done_base")
        caption = f"{view.t('overdue_tasks')} · {view.t('as_of').lower()} {theme.format_date(r['as_of'], view.lang)}"
        if pd.notna(total):
            caption += " · " + view.t("of_total", total=theme.format_number(total, view.lang))
        if pd.notna(r.get("conflict_id")):
            caption += f" · :orange[:material/warning: {view.t('conflict')}]"
        cards.append(Card(name(r, view.lang, "programme_name"), theme.format_number(r["overdue"], view.lang), caption))
    return section(Cards(tuple(cards)), title=view.t("late_strip"), level=2, help=view.t("late_strip_help"), pack=False)


def freshness_strip(view: View):
    fr = queries.freshness(view.as_of).set_index("theme")
    cards = []
    for th, row in theme.terms("theme").items():
        if not row["page"]:
            continue
        latest = fr["latest"].get(th) if th in fr.index else None
        n = int(fr["figures"].get(th)) if th in fr.index else 0
        cards.append(Card(view.t(f"theme_{th}"),
                          theme.format_date(latest, view.lang) if latest is not None else view.t("no_data"),
                          f"{theme.format_number(n, view.lang)} {view.t('figures')}"))
    return section(Cards(tuple(cards), per_row=len(cards)), title=view.t("freshness"), level=2, help=view.t("freshness_help"),
                   pack=False)


def overview(view: View) -> list:
    def build() -> list:
        scored = frozenset(ln.indicator["id"] for ln in scorecard.target_lines(view))
        return [s for s in (scorecard_section(view), overdue_by_agency(view), context_tiles(view, scored),
                            late_strip(view), freshness_strip(view)) if s is not None]
    return memo(("overview", view), build)
