"""The provinces page: a measure drawn on the offline map of the 34 units and as a ranked bar."""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, queries, theme
from dashboard.i18n import name
from dashboard.shell import View, cached_chart, downloads, entity_label, memo, url_selectbox
from kpis.registry import REGIONS

MAP_CENTER = {"lat": 15.6, "lon": 108.6}  # fixed, east enough that Hoàng Sa and Trường Sa are inside the frame
# Vietnam's two archipelagos, drawn on every map: (label key, the province they belong to, where they lie)
ISLANDS = (("islands_hoang_sa", "p_da_nang", 16.5, 112.0), ("islands_truong_sa", "p_khanh_hoa", 9.9, 114.3))
# a scale that starts from a visible blue: the smallest figure must not vanish into the white background
SCALE = [[0.0, "#b9d3ec"], [0.5, "#4a90c8"], [1.0, "#08306b"]]
MIN_PROVINCES = 2
HIGHLIGHT = "#111827"  # the outline of the province whose profile is open


def _fresh_click(map_key: str) -> str | None:
    """The province just clicked on the map, if the click is new. The map keeps its selection across runs, so a
    click already acted on is remembered: choosing another province in the list afterwards must not bring it back."""
    state = st.session_state.get(map_key)
    points = state.get("selection", {}).get("points", []) if state else []
    click = points[0].get("customdata") if points else None
    if click is None:
        st.session_state.pop("_map_click", None)
        return None
    if click == st.session_state.get("_map_click"):
        return None
    st.session_state["_map_click"] = click
    return click


def _key(r: pd.Series) -> str:
    parts = [r["indicator_id"], r["programme"], r["category"]]
    return "|".join("" if p is None or pd.isna(p) else str(p) for p in parts) + f"|{r['as_of']:%Y-%m-%d}"


def province_measures(view: View) -> pd.DataFrame:
    """Figures the reports give for provinces, keyed by indicator|programme|category|date."""
    figs = queries.entity_figures(view.as_of)
    figs = figs[figs["entity_kind"] == "province"].copy()
    if figs.empty:
        return figs
    figs["measure"] = [_key(r) for _, r in figs.iterrows()]
    counts = figs.groupby("measure")["entity_id"].transform("nunique")
    return figs[counts >= MIN_PROVINCES]


def measure_label(figs: pd.DataFrame, key: str, view: View) -> str:
    r = figs[figs["measure"] == key].iloc[0]
    progs = queries.programmes().set_index("id")
    bits = [name(r, view.lang, "indicator_name")]
    if pd.notna(r["programme"]):
        bits.append(name(progs.loc[r["programme"]], view.lang))
    if pd.notna(r["category"]):
        bits.append(name(r, view.lang, "category_name") or str(r["category"]))
    n = r["measure"] and figs.loc[figs["measure"] == key, "entity_id"].nunique()
    return f"{' · '.join(bits)} ({theme.format_date(r['as_of'], view.lang)}; {n}/34)"


def map_figure(values: pd.DataFrame, shapes: dict, provinces: pd.DataFrame, title: str, unit: str,
               direction: str, view: View, highlight: str | None = None) -> go.Figure:
    """Choropleth of the measure; provinces without a figure drawn grey and named in the hover; the `highlight`ed
    province (the one whose profile is open) outlined."""
    fig = go.Figure()
    missing = provinces[~provinces["id"].isin(values["entity_id"])]
    label = "name_" + view.lang
    flag = unit == "flag"
    def only(codes: pd.Series) -> dict:  # each trace carries only its own shapes: half the page weight
        keep = set(codes)
        return {**shapes, "features": [f for f in shapes["features"] if f["properties"]["code"] in keep]}

    if not missing.empty:
        fig.add_trace(go.Choroplethmap(
            geojson=only(missing["code"]), featureidkey="properties.code", locations=missing["code"],
            z=[0] * len(missing), colorscale=[[0, theme.NO_DATA_COLOUR], [1, theme.NO_DATA_COLOUR]],
            showscale=False, marker_line_color="white", marker_line_width=0.6,
            text=[f"{n}: {view.t('not_in_list' if flag else 'no_data')}"
                  for n in missing[label].fillna(missing["name_vi"])],
            hovertemplate="%{text}<extra></extra>", name=view.t("no_data"),
        ))
    merged = values.merge(provinces[["id", "code"]], left_on="entity_id", right_on="id")
    if unit == "flag":  # a list of named provinces: one colour for "named", no scale
        texts = [f"<b>{theme.plain_html(entity_label(r, view.lang))}</b><br>{view.t('named_in_list')}"
                 for _, r in merged.iterrows()]
        colour = dict(colorscale=[[0, theme.PRIMARY], [1, theme.PRIMARY]], showscale=False)
    else:
        texts = [f"<b>{theme.plain_html(entity_label(r, view.lang))}</b><br>"
                 f"{theme.format_figure(r.to_dict() | {'unit': unit}, view.lang)}" for _, r in merged.iterrows()]
        colour = dict(colorscale=SCALE,  # darker = larger, whichever way is better
                      colorbar=dict(title=dict(text=theme.unit_label(unit, view.lang)), tickformat=",~f",
                                    thickness=14, len=0.6))
    fig.add_trace(go.Choroplethmap(
        geojson=only(merged["code"]), featureidkey="properties.code", locations=merged["code"], z=merged["value"],
        marker_line_color="white", marker_line_width=0.6, text=texts,
        customdata=merged["entity_id"], hovertemplate="%{text}<extra></extra>", **colour,
    ))
    chosen = provinces[provinces["id"] == highlight]
    if len(chosen):
        fig.add_trace(go.Choroplethmap(
            geojson=only(chosen["code"]), featureidkey="properties.code", locations=chosen["code"], z=[0],
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, marker_line_color=HIGHLIGHT,
            marker_line_width=3, hoverinfo="skip", name=chosen.iloc[0][label] or chosen.iloc[0]["name_vi"]))
    for key, province, lat, lon in ISLANDS:  # markers only: map text would need glyphs fetched from the internet
        label = view.t(key)
        fig.add_trace(go.Scattermap(lat=[lat], lon=[lon], mode="markers", name=label, showlegend=True,
                                    marker=dict(size=11, color=theme.MUTED), hovertemplate=f"<b>{label}</b><extra></extra>",
                                    customdata=[province]))
    fig.update_layout(map=dict(style="white-bg", center=MAP_CENTER, zoom=4.0),
                      legend=dict(orientation="h", yanchor="bottom", y=0.0, xanchor="right", x=1.0))
    fig = charts.finish(fig, title, view.as_of, values, view.lang, narrow=True)
    fig.update_layout(height=720, margin=dict(l=0, r=0))
    return fig


def provinces_page(view: View) -> str | None:
    """Measure and region pickers, the map beside the ranked bar; returns the province picked, if any."""
    figs = memo(view, "province_measures", lambda: province_measures(view))
    ags = queries.agencies()
    provinces = ags[ags["kind"] == "province"]
    if figs.empty:
        st.info(view.t("no_data"))
        return None
    # Numeric measures first, widest coverage first; lists of named provinces (flags) after them.
    cover = figs.groupby("measure").agg(n=("entity_id", "nunique"), flag=("unit", lambda u: (u == "flag").all()),
                                        latest=("as_of", "max"))
    keys = list(cover.sort_values(["flag", "n", "latest"], ascending=[True, False, False]).index)
    c1, c2 = st.columns([3, 1])
    labels = memo(view, "province_measure_labels", lambda: {k: measure_label(figs, k, view) for k in keys})
    key = url_selectbox(view.t("measure"), keys, "measure", labels.get, container=c1)
    region = url_selectbox(view.t("region"), list(REGIONS), "region", lambda r: view.t(f"region_{r}"),
                           none_label=view.t("all_regions"), container=c2)
    if region:
        provinces = provinces[provinces["region"] == region]
    values = figs[(figs["measure"] == key) & figs["entity_id"].isin(provinces["id"])]
    values = values.sort_values("report_date").drop_duplicates("entity_id", keep="last")
    r0 = figs[figs["measure"] == key].iloc[0]
    unit, direction = r0["unit"], r0["direction"]
    title = labels[key].rsplit(" (", 1)[0]
    shapes = queries.province_shapes()
    if region:
        codes = set(provinces["code"])
        shapes = {**shapes, "features": [f for f in shapes["features"] if f["properties"]["code"] in codes]}
    map_key = f"map_{key}_{region}"
    picked = _fresh_click(map_key)
    # the province whose profile is open: just clicked, or chosen in the list below (its state, else the link's)
    chosen = picked or st.session_state.get("_url_province", st.query_params.get("province"))
    left, right = st.columns([3, 2])
    with left:
        fig = memo(view, f"map:{key}:{region}:{chosen}",
                   lambda: map_figure(values, shapes, provinces, title, unit, direction, view, chosen))
        st.plotly_chart(fig, config=charts.plotly_config(title, view.as_of, view.lang), key=map_key,
                        on_select="rerun", selection_mode="points")
    with right:
        if values.empty:
            st.info(view.t("no_data"))
        elif unit == "flag":
            st.markdown(f"**{view.t('named_in_list')}** ({len(values)})")
            st.markdown("\n".join(f"- {theme.plain_md(n)}"
                                   for n in sorted(entity_label(r, view.lang) for _, r in values.iterrows())))
        else:
            cached_chart(view, f"prov_bar_{key}_{region}_{chosen}", title, values,
                         partial(charts.bar_figure, values, title, unit, direction, view.as_of, view.lang,
                                 highlight=chosen, narrow=True))
    missing = provinces[~provinces["id"].isin(values["entity_id"])]
    if not missing.empty:
        st.caption(f"**{view.t('not_in_list' if unit == 'flag' else 'no_data')}** ({len(missing)}): "
                   + ", ".join(map(theme.plain_md, missing["name_" + view.lang].fillna(missing["name_vi"]))))
    if unit == "flag" and not values.empty:  # no bar chart for a list: its rows are downloadable here
        downloads(values, title, view, f"prov_list_{key}")
    return picked
