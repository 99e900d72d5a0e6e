"""One page per indicator (/chi-so?id=<indicator_id>): what it measures, its targets, every figure with its date,
qualifier, definition, unit and quote, the charts with their breaks, the conflicts explained, the downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, queries, theme
from dashboard.i18n import name
from dashboard.indicators import national_targets, summarise
from dashboard.shell import (
    THEME_SLUGS,
    View,
    cached_chart,
    conflict_explanation,
    downloads,
    entity_label,
    figure_text,
    no_data,
    page_header,
    status_badge,
    url_selectbox,
    view_query,
)
from dashboard.views import change_line, latest_per_entity, target_line


def link(indicator_id: str, **extra: str) -> str:
    """The URL of an indicator's page, keeping the reader's language and date."""
    return "/chi-so" + view_query(id=indicator_id, **extra)


def pick(view: View) -> str | None:
    """The indicator of ?id=, or the reader's choice; an unknown id says so."""
    inds = queries.indicators()
    inds = inds[inds["theme"] != "budget"].sort_values(["theme", "id"])
    names = {r["id"]: f"{view.t('theme_' + r['theme'])} · {name(r, view.lang)}" for _, r in inds.iterrows()}
    wanted = st.query_params.get("id")
    if wanted and wanted not in names:
        st.warning(view.t("indicator_not_found", id=theme.plain_md(wanted)), icon=":material/search_off:")
    return url_selectbox(view.t("pick_indicator"), list(names), "id", names.get, none_label="—")


def report_name(source_file: str, view: View) -> str:
    """'Bộ Khoa học và Công nghệ, Báo cáo … (03/05/2026)' for a source file."""
    src = queries.sources().set_index("source_file")
    if source_file not in src.index:
        return source_file
    r = src.loc[source_file]
    return f"{name(r, view.lang, 'issuer')}, {name(r, view.lang, 'title')} ({theme.format_date(r['report_date'], view.lang)})"


def figures_table(obs: pd.DataFrame, view: View) -> pd.DataFrame:
    progs = queries.programmes().set_index("id")
    return pd.DataFrame({
        view.t("date"): [theme.format_date(d, view.lang) for d in obs["as_of"]],
        view.t("value"): [figure_text(r, view) for _, r in obs.iterrows()],
        view.t("definition"): [name(r, view.lang, "definition") or view.t("usual_definition")
                               for _, r in obs.iterrows()],
        view.t("entity"): [entity_label(r, view.lang) or view.t("national") for _, r in obs.iterrows()],
        view.t("category"): obs[f"category_name_{view.lang}"].fillna(obs["category"]).fillna(""),
        view.t("programme"): [name(progs.loc[p], view.lang) if isinstance(p, str) and p in progs.index else ""
                              for p in obs["programme"]],
        view.t("source"): [f"{name(r, view.lang, 'source_title')} ({theme.format_date(r['report_date'], view.lang)})"
                           for _, r in obs.iterrows()],
        view.t("quote"): obs["source_quote"],
        view.t("conflict"): [conflict_explanation(c, view.lang, n) if isinstance(c, str) else ""
                             for c, n in zip(obs["conflict_id"], obs["note"], strict=True)],
    })


def indicator_page(view: View) -> None:
    head = st.container()  # the title goes above the picker, once the picker has said which indicator
    indicator_id = pick(view)
    if indicator_id is None:
        with head:
            page_header(view.t("page_indicator"))
        return
    inds = queries.indicators().set_index("id", drop=False)
    ind = inds.loc[indicator_id]
    title = name(ind, view.lang)
    with head:
        page_header(title)
    slug = THEME_SLUGS.get(ind["theme"])
    theme_link = f"[{view.t('theme_' + ind['theme'])}](/{slug}{view_query()})" if slug else view.t("theme_" + ind["theme"])
    st.caption(" · ".join([theme_link, f"{view.t('unit')}: {theme.unit_label(ind['unit'], view.lang) or '—'}",
                           view.t(f"direction_{ind['direction']}"), view.t(f"period_name_{ind['period']}")]))
    targets = queries.targets()
    mine = targets[targets["indicator_id"] == indicator_id]
    obs = queries.indicator_observations(view.as_of, (indicator_id,))
    s = summarise(ind, obs, targets, on=view.as_of)
    st.markdown(status_badge(s.status, view))
    for line in (change_line(s, view), target_line(s, view)):
        if line:
            st.caption(line)
    if not mine.empty:
        st.subheader(view.t("targets"))
        for _, tg in mine.iterrows():
            year = view.t("target_by", year=int(tg["year"])) if pd.notna(tg["year"]) else view.t("target_no_year")
            high = f"–{theme.format_value(tg['value_high'], ind['unit'], view.lang)}" if pd.notna(tg["value_high"]) else ""
            source = view.t("nq57") if tg["source_file"] == "nq57" else report_name(tg["source_file"], view)
            quote = f"“{theme.plain_md(tg['source_quote'])}” ({theme.plain_md(source)})"
            target = (f"- **{year}: {theme.COMPARATORS[tg['comparator']]} "
                      f"{theme.format_value(tg['value'], ind['unit'], view.lang)}{high}**")
            # the report's words in Vietnamese: on the line for a Vietnamese reader, behind the (?) for others
            if view.lang == "vi":
                st.markdown(f"{target} — {quote}")
            else:
                st.markdown(f"{target} ({theme.plain_md(source)})", help=quote)
    st.subheader(view.t("every_figure"))
    if obs.empty:
        no_data(view)
        return
    nat = obs[(obs["scope"] == "national") & obs["category"].isna()]
    if nat["as_of"].nunique() > 1:
        cached_chart(view, f"ind_{indicator_id}_trend", title, nat,
                     lambda: charts.trend_figure(nat, title, ind["unit"], ind["direction"], national_targets(mine),
                                                 view.as_of,
                                                 view.lang, ind["period"]))
    units = obs[obs["scope"] != "national"]
    if len(units) and ind["unit"] != "flag":
        latest = latest_per_entity(units)
        t2 = f"{title} — {view.t('by_entity')}"
        cached_chart(view, f"ind_{indicator_id}_units", t2, latest,
                     lambda: charts.bar_figure(latest, t2, ind["unit"], ind["direction"], view.as_of, view.lang))
    groups = obs[(obs["scope"] == "national") & obs["category"].notna()]
    if groups["category"].nunique() > 1:
        last = groups[groups["as_of"] == groups["as_of"].max()]
        cached_chart(view, f"ind_{indicator_id}_groups", title, last,
                     lambda: charts.bar_figure(last, title, ind["unit"], ind["direction"], view.as_of, view.lang))
    st.dataframe(figures_table(obs, view), hide_index=True, width="stretch")
    downloads(obs, title, view, f"ind_{indicator_id}_all")
