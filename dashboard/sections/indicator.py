"""One page per indicator (/chi-so?id=<indicator_id>): what it measures, its targets, every figure with its date,
qualifier, definition, unit and quote, the charts with their breaks, the conflicts explained, the downloads."""

from __future__ import annotations

import pandas as pd

from dashboard import charts, queries, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.indicators import national_targets, summarise
from dashboard.models import Control, Downloads, Table, Text, section
from dashboard.scorecard import all_targets, deadline_text, missed_marks, need_text, target_unit
from dashboard.sections.themes import change_line, chart, latest_per_entity, status_badge, target_line
from dashboard.texts import conflict_explanation, entity_label, figure_text, programme_name, report_name
from dashboard.view import View


def choices(view: View) -> dict[str, str]:
    """Every indicator a reader can open (budget rows have their own table), by theme: id -> 'Theme · name'."""
    inds = queries.indicators()
    inds = inds[inds["theme"] != "budget"].sort_values(["theme", "id"])
    return {r["id"]: f"{view.t('theme_' + r['theme'])} · {name(r, view.lang)}" for _, r in inds.iterrows()}


def controls(view: View) -> tuple[Control, ...]:
    names = memo(("indicator_choices", view.lang), lambda: choices(view))
    return (Control("id", view.t("pick_indicator"), tuple(names), tuple(names.items()), none_label="—",
                    not_found="indicator_not_found"),)


def heading(view: View, picked: dict[str, str | None]) -> str:
    """The page's title: the indicator's name once one is picked."""
    ind_id = picked.get("id")
    inds = queries.indicators().set_index("id", drop=False)
    return name(inds.loc[ind_id], view.lang) if ind_id in inds.index else view.t("page_indicator")


def figures_table(obs: pd.DataFrame, view: View) -> pd.DataFrame:
    return pd.DataFrame({
        view.t("date"): [theme.format_date(d, view.lang) for d in obs["as_of"]],
        view.t("value"): [figure_text(r, view.lang) for _, r in obs.iterrows()],
        view.t("definition"): [name(r, view.lang, "definition") or view.t("usual_definition")
                               for _, r in obs.iterrows()],
        view.t("entity"): [entity_label(r, view.lang) or view.t("national") for _, r in obs.iterrows()],
        view.t("category"): obs[f"category_name_{view.lang}"].fillna(obs["category"]).fillna(""),
        view.t("programme"): [programme_name(p, view.lang) for p in obs["programme"]],
        view.t("source"): [f"{name(r, view.lang, 'source_title')} ({theme.format_date(r['report_date'], view.lang)})"
                           for _, r in obs.iterrows()],
        view.t("quote"): obs["source_quote"],
        view.t("conflict"): [conflict_explanation(c, view.lang, n) if isinstance(c, str) else ""
                             for c, n in zip(obs["conflict_id"], obs["note"], strict=True)],
    })


def target_items(indicator_id: str, unit: str, view: View, ids: set[str] | None = None) -> list[Text]:
    """Each target of the indicator stated by the view date: its deadline as the report words it, the unit it is for,
    its kind, its verdict and what it needs, and the report's words: on the line for a Vietnamese reader, behind the
    (?) for others. `ids`: only these targets (a unit's)."""
    out = []
    for s in (s for s in all_targets(view.as_of) if s.target is not None and s.target["indicator_id"] == indicator_id
              and (ids is None or s.target["id"] in ids)):
        tg = s.target
        high = f"–{theme.format_value(tg['value_high'], unit, view.lang)}" if pd.notna(tg["value_high"]) else ""
        source = view.t("nq57") if tg["source_file"] == "nq57" else report_name(tg["source_file"], view.lang)
        quote = f"“{theme.plain_md(tg['source_quote'])}” ({theme.plain_md(source)})"
        words = f" ({theme.plain_md(tg['deadline_text'])})" if isinstance(tg.get("deadline_text"), str) else ""
        when = (deadline_text(s, view.lang) + words) if s.deadline is not None else view.t("target_no_year")
        unit_name = target_unit(s, view.lang)
        who = f" · {theme.plain_md(unit_name)}" if unit_name else ""
        kind = f" · {view.t('target_kind_' + tg['kind'])}" if isinstance(tg.get("kind"), str) else ""
        target = (f"- **{theme.COMPARATORS[tg['comparator']]} {theme.format_value(tg['value'], unit, view.lang)}{high}"
                  f" · {theme.plain_md(when)}**{who}{kind} · {status_badge(s.status, view)}")
        need = need_text(s, view.lang)
        target += f" · {theme.plain_md(need)}" if need else ""
        out.append(Text(f"{target} — {quote}") if view.lang == "vi"
                   else Text(f"{target} ({theme.plain_md(source)})", help=quote))
    return out


def indicator_page(view: View, indicator_id: str | None) -> list:
    if indicator_id is None:
        return []

    def build() -> list:
        ind = queries.indicators().set_index("id", drop=False).loc[indicator_id]
        title = name(ind, view.lang)
        slug = theme.terms("theme").get(ind["theme"], {}).get("page")
        theme_name = view.t("theme_" + ind["theme"])
        theme_link = f"[{theme_name}]({view.link(slug)})" if slug else theme_name
        targets = queries.targets()
        mine = targets[targets["indicator_id"] == indicator_id]
        obs = queries.indicator_observations(view.as_of, (indicator_id,))
        s = summarise(ind, obs, targets, on=view.as_of)
        about = section(
            Text(" · ".join([theme_link, f"{view.t('unit')}: {theme.unit_label(ind['unit'], view.lang) or '—'}",
                             view.t(f"direction_{ind['direction']}"), view.t(f"period_name_{ind['period']}")]),
                 "caption"),
            Text(status_badge(s.status, view)),
            *(Text(line, "caption") for line in (change_line(s, view), target_line(s, view)) if line))
        out = [about]
        if not mine.empty:
            out.append(section(*target_items(indicator_id, ind["unit"], view), title=view.t("targets"), level=2))
        if obs.empty:
            return [*out, section(Text(view.t("no_data"), "info"), title=view.t("every_figure"), level=2)]
        items: list = []
        nat = obs[(obs["scope"] == "national") & obs["category"].isna()]
        national = national_targets(mine)
        if len(nat) and (nat["as_of"].nunique() > 1 or national["deadline"].notna().any()):
            # the national series first, by definition (a break is two series), with every target and its path
            t1 = f"{title} — {view.t('national')}"
            items.append(chart(f"ind_{indicator_id}_trend", t1, nat, charts.trend_figure(
                nat, t1, ind["unit"], ind["direction"], national, view.as_of, view.lang, ind["period"],
                marks=missed_marks(indicator_id, view)), view, targets=charts.drawn_targets(national)))
        units = obs[obs["scope"] != "national"]
        if len(units) and ind["unit"] != "flag":
            latest = latest_per_entity(units)
            t2 = f"{title} — {view.t('by_entity')}"
            items.append(chart(f"ind_{indicator_id}_units", t2, latest, charts.bar_figure(
                latest, t2, ind["unit"], ind["direction"], view.as_of, view.lang), view))
        groups = obs[(obs["scope"] == "national") & obs["category"].notna()]
        if groups["category"].nunique() > 1:
            last = groups[groups["as_of"] == groups["as_of"].max()]
            items.append(chart(f"ind_{indicator_id}_groups", title, last, charts.bar_figure(
                last, title, ind["unit"], ind["direction"], view.as_of, view.lang), view))
        items.append(Table(f"ind_{indicator_id}_all", figures_table(obs, view),
                           download=Downloads(f"ind_{indicator_id}_all", title, obs,
                                              what=view.t("every_figure").lower())))
        return [*out, section(*items, title=view.t("every_figure"), level=2, shown=(obs,))]
    return memo(("indicator", indicator_id, view), build)
