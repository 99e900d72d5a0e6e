"""The tasks page: status per programme and date, movement, overdue tasks by agency and by group, and the
illustrative task registry (badged, hidden by the sidebar switch)."""

from __future__ import annotations

import pandas as pd

from dashboard import charts, queries, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.models import Downloads, Filter, Table, Text, section
from dashboard.sections.themes import MIN_POINTS, chart
from dashboard.texts import entity_label, programme_name, quote_help, task_lead, unit_names
from dashboard.view import View

# Segments of a programme's status bar, in reading order (task_status columns; done_unsplit is the part of "done" a
# report does not split into on time and late).
STATUS_PARTS = ("done_on_time", "done_late", "done_unsplit", "in_progress_on_time", "overdue", "recurring")
GROUPS = ("the_che", "ha_tang", "nhan_luc", "chi_dao_dieu_hanh", "cds_doanh_nghiep", "cds_he_thong_chinh_tri")


def with_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """Attach report titles and dates to rows that carry a source_file (for the figure's source line)."""
    src = queries.sources()[["source_file", "title_vi", "title_en", "issuer_vi", "issuer_en", "report_date"]]
    src = src.rename(columns={"title_vi": "source_title_vi", "title_en": "source_title_en",
                              "issuer_vi": "source_issuer_vi", "issuer_en": "source_issuer_en"})
    return frame.merge(src, on="source_file", how="left")


def breakdown(view: View):
    """Stacked status bars per programme and report date, with shares of the total."""
    title = view.t("task_breakdown")
    ts = queries.task_status(view.as_of)
    ts = ts[ts["entity_id"].isna() & ts["category"].isna() & ts["total"].notna()].copy()
    if ts.empty:
        return section(Text(view.t("no_data"), "info"), title=title)
    split = ts["done_on_time"].fillna(0) + ts["done_late"].fillna(0)
    ts["done_unsplit"] = (ts["done"] - split).where(ts["done"].notna() & (ts["done"] > split))
    ts = ts.sort_values(["as_of", "programme"], ascending=[False, True])
    ts["label"] = [f"{name(r, view.lang, 'programme_name')} — {theme.format_date(r['as_of'], view.lang)}"
                   for _, r in ts.iterrows()]
    labels = {"done_unsplit": view.t("st_done_unsplit")}
    parts = [(c, labels.get(c) or view.t(f"st_{c}")) for c in STATUS_PARTS if ts[c].notna().any()]
    colours = theme.task_colours() | {"done_unsplit": theme.task_colours()["done"]}
    data = with_sources(ts)
    fig = charts.stacked_bar_figure(data, "label", parts, title, view.as_of, view.lang, data, share_of="total",
                                    colours=colours)
    return section(chart("task_breakdown", title, data.drop(columns=["label"]), fig, view), title=title)


def movement(view: View):
    """Overdue and done counts of each programme across its report dates."""
    ts = queries.task_status(view.as_of)
    ts = ts[ts["entity_id"].isna() & ts["category"].isna()]
    ts = ts[ts.groupby("programme")["as_of"].transform("nunique") > 1]
    if ts.empty:
        return section(Text(view.t("no_data"), "info"), title=view.t("task_movement"))
    data = with_sources(ts)
    items = []
    for col in ("overdue", "done"):
        title = f"{view.t('st_' + col)} — {view.t('task_movement').lower()}"
        items.append(chart(f"task_movement_{col}", title, data,
                           charts.lines_figure(data, "as_of", col, "programme_name_" + view.lang, title, view.as_of,
                                               view.lang), view))
    return section(*items, title=view.t("task_movement"))


def overdue_lists(view: View, heading: str, by_group: bool):
    """Each overdue list the reports give (one per programme and date): per agency, or per task group."""
    obs = queries.indicator_observations(view.as_of, ("tasks_overdue",))
    rows = (obs[obs["entity_id"].isna() & obs["category"].isin(GROUPS)] if by_group
            else obs[obs["entity_id"].notna()])
    if rows.empty:
        return section(Text(view.t("no_data"), "info"), title=view.t(heading))
    items = []
    # the latest list first: an older one below it, never above
    lists = sorted(rows.groupby(["programme", "as_of"], sort=False), key=lambda g: g[0][1], reverse=True)
    for (prog, as_of), part in lists:
        title = f"{view.t(heading)} — {programme_name(prog, view.lang)} ({theme.format_date(as_of, view.lang)})"
        labels = [view.t(f"group_{c}") for c in part["category"]] if by_group else \
            [entity_label(r, view.lang) for _, r in part.iterrows()]
        if len(part) < MIN_POINTS:  # one or two parts are a sentence, not a chart of one bar
            parts = "; ".join(f"{theme.plain_md(lb)}: **{theme.format_number(v, view.lang)}**"
                              for lb, v in zip(labels, part["value"], strict=True))
            items.append(Text(f"**{theme.plain_md(title)}** — {parts}", help=quote_help(part.iloc[0], view.lang)))
            continue
        items.append(chart(f"{heading}_{prog}_{pd.Timestamp(as_of).date()}", title, part,
                           charts.bar_figure(part, title, "count", "lower", view.as_of, view.lang,
                                             labels=labels if by_group else None,
                                             colour=theme.task_colours()["overdue"]), view))
    return section(*items, title=view.t(heading))


def illustrative(view: View):
    """The illustrative task registry: badge, what it reproduces, and the overdue list with its pickers."""
    if not view.illustrative:
        return None
    tasks = queries.illustrative_tasks()
    if not tasks.empty:  # the registry reproduces each programme at a report date: not before that date
        tasks = tasks[pd.to_datetime(tasks["as_of"]).dt.date <= view.as_of]
    if tasks.empty:
        return None
    names = unit_names(view.lang)
    overdue = tasks[tasks["status"] == "overdue"].copy()
    overdue["days_overdue"] = (pd.to_datetime(overdue["as_of"]) - pd.to_datetime(overdue["deadline"])).dt.days
    overdue = overdue.sort_values("days_overdue", ascending=False)
    table = pd.DataFrame({
        "ID": overdue["task_id"],
        view.t("task"): overdue["title_" + view.lang],
        view.t("programme"): [programme_name(p, view.lang) for p in overdue["programme"]],
        view.t("lead_agencies"): [", ".join(names.get(a, a) for a in s.split(";")) for s in overdue["lead_agency_ids"]],
        view.t("task_group"): [view.t(f"group_{g}") for g in overdue["task_group"]],
        view.t("deadline"): [theme.format_date(d, view.lang) for d in pd.to_datetime(overdue["deadline"])],
        view.t("days_overdue"): overdue["days_overdue"],
        # the pickers' columns: ids, not shown
        "_programme": overdue["programme"], "_agencies": overdue["lead_agency_ids"].str.split(";"),
        "_group": overdue["task_group"],
    }).reset_index(drop=True)
    progs = tuple(sorted(overdue["programme"].unique()))
    agencies = tuple(sorted({a for leads in overdue["lead_agency_ids"] for a in leads.split(";")}, key=names.get))
    groups = tuple(sorted(overdue["task_group"].dropna().unique()))
    filters = (
        Filter("_programme", view.t("programme"), progs, tuple((p, programme_name(p, view.lang)) for p in progs),
               view.t("all")),
        Filter("_agencies", view.t("lead_agencies"), agencies, tuple((a, names.get(a, a)) for a in agencies),
               view.t("all"), contains=True),
        Filter("_group", view.t("task_group"), groups, tuple((g, view.t(f"group_{g}")) for g in groups), view.t("all")),
    )
    return section(Text(f":material/science: {view.t('illustrative_badge')}", "badge"),
                   Text(view.t("illustrative_help"), "caption"),
                   Table("illustrative_overdue", table, filters=filters,
                         download=Downloads("illustrative_overdue", view.t("overdue_list") + " minh hoa", table,
                                            prepared=True)),
                   title=view.t("overdue_list"), pack=False)


def dated(view: View):
    """The tasks with a deadline the reports assign, soonest first: the deadline as worded, the lead, how the report
    states it, how far the deadline is (the reports do not say whether a task was done)."""
    tasks = queries.dated_tasks(view.as_of)
    if tasks.empty:
        return None
    days = [(d.date() - view.as_of).days for d in tasks["deadline"]]
    table = pd.DataFrame({
        view.t("when_due"): [f"{theme.format_date(d, view.lang)} ({w})" if isinstance(w, str) else
                             theme.format_date(d, view.lang) for d, w in zip(tasks["deadline"], tasks["deadline_text"],
                                                                             strict=True)],
        view.t("task"): tasks["title_" + view.lang].fillna(tasks["title_vi"]),
        view.t("lead"): [task_lead(r, view.lang) for _, r in tasks.iterrows()],
        view.t("stated_as"): [view.t(f"task_stated_as_{s}") for s in tasks["stated_as"]],
        view.t("status"): [view.t("deadline_passed", n=-n) if n < 0 else
                           view.t("due_today") if n == 0 else view.t("due_in_days", n=n) for n in days],
        view.t("quote"): tasks["source_quote"],
        "_lead": tasks["lead_id"].fillna(""),
    })
    leads = tuple(sorted({i for i in tasks["lead_id"].dropna()}, key=lambda i: unit_names(view.lang).get(i, i)))
    names = unit_names(view.lang)
    return section(Text(view.t("dated_tasks_help"), "caption"),
                   Table("dated_tasks", table, filters=(Filter("_lead", view.t("lead"), leads,
                                                               tuple((i, names.get(i, i)) for i in leads),
                                                               view.t("all")),),
                         download=Downloads("dated_tasks", view.t("dated_tasks"), table, prepared=True)),
                   title=view.t("dated_tasks"), pack=False)


def tasks_page(view: View) -> list:
    def build() -> list:
        return [s for s in (breakdown(view), movement(view), overdue_lists(view, "task_overdue_by_agency", False),
                            overdue_lists(view, "task_overdue_by_group", True), dated(view), illustrative(view))
                if s is not None]
    return memo(("tasks", view), build)
