"""Sources and method: the reports every figure comes from, which figures disagree, how status is judged, and when
the warehouse was built."""

from __future__ import annotations

from functools import partial

import pandas as pd

from dashboard import queries, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.models import Expander, Table, Text, section
from dashboard.view import View


def reports(view: View) -> pd.DataFrame:
    """The reports issued by the view date."""
    src = queries.sources()
    return src[src["report_date"].dt.date <= view.as_of]


def sources_section(view: View):
    src = reports(view)
    table = pd.DataFrame({
        view.t("issuer"): [name(r, view.lang, "issuer") for _, r in src.iterrows()],
        view.t("report_title"): [name(r, view.lang, "title") for _, r in src.iterrows()],
        view.t("report_date"): [theme.format_date(d, view.lang) if pd.notna(d) else "" for d in src["report_date"]],
    })
    return section(Table("sources", table, pack_widths=(45, 105, 20)),
                   section(Text(view.t("footer_licence"), "caption"), screen=False),  # the screen's footer says it
                   title=view.t("footer_sources"))


def conflicts_section(view: View):
    """Every flagged disagreement, numbered (not by id), with the reports it comes from."""
    src, con = queries.sources(), queries.conflicts()
    named = {r["source_file"]: f"{name(r, view.lang, 'issuer')} ({theme.format_date(r['report_date'], view.lang)})"
             for _, r in src.iterrows()}
    # a table, not a data grid: the explanations are sentences, and a grid cuts them off
    table = pd.DataFrame({
        "#": range(1, len(con) + 1),
        # without an explanation (a conflict only a submission flags), the rows' own notes
        view.t("explanation"): con[f"explanation_{view.lang}"].fillna(con["notes"]).fillna(""),
        view.t("row_count"): [theme.format_number(n, view.lang) for n in con["rows"]],
        view.t("reports"): ["; ".join(named.get(f, view.t("submission")) for f in s) for s in con["sources"]],
    }).set_index("#")
    return section(Text(view.t("conflict_help"), "caption"), Table("conflicts", table, grid=False, index=True),
                   title=view.t("conflict"), pack=False)


def method_section(view: View):
    """The progress method, its source and the table of its bands."""
    statuses = [s for s in theme.statuses() if s != "no_target"]
    bands = pd.DataFrame({
        view.t("status"): [f"{theme.status_symbol(s)} {view.t('status_' + s)}" for s in statuses],
        view.t("status_when"): [view.t(f"status_when_{s}") for s in statuses],
    }).set_index(view.t("status"))
    return section(Text(view.t("status_rule")), Text(view.t("status_method_source")),
                   Table("method", bands, grid=False, index=True, pack_widths=(40, 130)),
                   title=view.t("status_rule_title"))


def build_log(view: View):
    """For the data team: files, sizes and checksums of the last build."""
    log, num = queries.load_log(), partial(theme.format_number, lang=view.lang)
    table = pd.DataFrame({
        view.t("file"): log["file"],
        view.t("row_count"): [num(n) for n in log["rows"]],
        view.t("file_size"): [num(n) for n in log["bytes"]],
        view.t("loaded_at"): [theme.format_datetime(t_, view.lang) for t_ in log["loaded_at"]],
        view.t("file_kind"): log["kind"],
        "sha256": log["sha256"],
    })
    return section(Expander(view.t("build_log"), (Table("build_log", table),)), pack=False)


def sources_page(view: View) -> list:
    return memo(("sources", view), lambda: [sources_section(view), conflicts_section(view), method_section(view),
                                             build_log(view)])
