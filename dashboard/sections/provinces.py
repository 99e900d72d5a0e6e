"""The provinces page: a measure drawn on the offline map of the 34 units and as a ranked bar; a province's profile."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, queries, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.models import Chart, Columns, Control, Downloads, Names, Text, section
from dashboard.sections.themes import chart
from dashboard.sections.units import profile
from dashboard.texts import entity_label, programme_name, unit_names
from dashboard.view import View

MAP_CENTER = {"lat": 15.6, "lon": 108.6}  # fixed, east enough that Hoàng Sa and Trường Sa are inside the frame
# Vietnam's two archipelagos, drawn on every map: (label key, the province they belong to, where they lie)
ISLANDS = (("islands_hoang_sa", "p_da_nang", 16.5, 112.0), ("islands_truong_sa", "p_khanh_hoa", 9.9, 114.3))
# a scale that starts from a visible blue: the smallest figure must not vanish into the white background
SCALE = [[0.0, "#b9d3ec"], [0.5, "#4a90c8"], [1.0, "#08306b"]]
MIN_PROVINCES = 2
HIGHLIGHT = "#111827"  # the outline of the province whose profile is open


def province_measures(view: View) -> pd.DataFrame:
    """Each province's latest figure of each measure the reports give for provinces (indicator|programme|group|basis,
    the warehouse's `entity_latest`), the measures given for at least two."""
    def build() -> pd.DataFrame:
        figs = queries.entity_latest(view.as_of)
        figs = figs[figs["entity_kind"] == "province"]
        return figs[figs.groupby("measure")["entity_id"].transform("nunique") >= MIN_PROVINCES]
    return memo(("province_measures", view), build)


def measure_label(figs: pd.DataFrame, key: str, view: View) -> str:
    r = figs[figs["measure"] == key].iloc[0]
    bits = [name(r, view.lang, "indicator_name")]
    if pd.notna(r["programme"]):
        bits.append(programme_name(r["programme"], view.lang))
    if pd.notna(r["category"]):
        bits.append(name(r, view.lang, "category_name") or str(r["category"]))
    rows = figs[figs["measure"] == key]
    since, until = rows["as_of"].min(), rows["as_of"].max()
    day = theme.format_date(until, view.lang)
    days = day if since == until else f"{theme.format_date(since, view.lang)}–{day}"
    return f"{' · '.join(bits)} ({days}; {rows['entity_id'].nunique()}/34)"


def controls(view: View) -> tuple[Control, ...]:
    """The measure (numeric ones first, widest coverage first, then lists of named provinces), the region and the
    province whose profile is open."""
    def build() -> tuple[Control, ...]:
        figs = province_measures(view)
        if figs.empty:
            return ()
        cover = figs.groupby("measure").agg(n=("entity_id", "nunique"), flag=("unit", lambda u: (u == "flag").all()),
                                            latest=("as_of", "max"), total=("value", "sum"))
        # numeric measures first, the latest report's first (an older list is not the default), then the widest: most
        # provinces, and of one group and its part the group (the larger total)
        keys = tuple(cover.sort_values(["flag", "latest", "n", "total"], ascending=[True, False, False, False]).index)
        regions = tuple(theme.terms("region"))
        provinces = unit_names(view.lang, "province")
        ordered = tuple(sorted(provinces, key=lambda p: queries.agencies().set_index("id").loc[p, "name_vi"]))
        return (Control("measure", view.t("measure"), keys, tuple((k, measure_label(figs, k, view)) for k in keys),
                        width=3),
                Control("region", view.t("region"), regions, tuple((r, view.t(f"region_{r}")) for r in regions),
                        none_label=view.t("all_regions")),
                Control("province", view.t("pick_province"), ordered, tuple((p, provinces[p]) for p in ordered),
                        none_label="—", resolve="province", width=1.5))
    return memo(("province_controls", view), build)


def map_figure(values: pd.DataFrame, shapes: dict, provinces: pd.DataFrame, title: str, unit: str, view: View,
               highlight: str | None = None) -> go.Figure:
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
    if flag:  # a list of named provinces: one colour for "named", no scale
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
        island = view.t(key, place=unit_names(view.lang)[province])
        fig.add_trace(go.Scattermap(lat=[lat], lon=[lon], mode="markers", name=island, showlegend=True,
                                    marker=dict(size=11, color=theme.MUTED),
                                    hovertemplate=f"<b>{island}</b><extra></extra>", customdata=[province]))
    fig.update_layout(map=dict(style="white-bg", center=MAP_CENTER, zoom=4.0), margin=dict(l=0, r=0),
                      legend=dict(orientation="h", yanchor="bottom", y=0.0, xanchor="right", x=1.0))
    fig = charts.finish(fig, title, view.as_of, values, view.lang)
    fig.update_layout(height=720)
    return fig


def measure_map(view: View, key: str, region: str | None, chosen: str | None):
    """The measure on the map beside its ranked bar (or the list of named provinces), those without a figure named."""
    def build():
        figs = province_measures(view)
        ags = queries.agencies()
        provinces = ags[ags["kind"] == "province"]
        if region:
            provinces = provinces[provinces["region"] == region]
        values = figs[(figs["measure"] == key) & figs["entity_id"].isin(provinces["id"])]
        values = values.sort_values("report_date").drop_duplicates("entity_id", keep="last")
        r0 = figs[figs["measure"] == key].iloc[0]
        unit, direction = r0["unit"], r0["direction"]
        title = measure_label(figs, key, view).rsplit(" (", 1)[0]
        shapes = queries.province_shapes()
        if region:
            codes = set(provinces["code"])
            shapes = {**shapes, "features": [f for f in shapes["features"] if f["properties"]["code"] in codes]}
        the_map = Chart(f"map_{key}_{region}", title, map_figure(values, shapes, provinces, title, unit, view, chosen),
                        values, select="province")
        if values.empty:
            right: tuple = (Text(view.t("no_data"), "info"),)
        elif unit == "flag":
            right = (Names(f"prov_names_{key}", f"{view.t('named_in_list')} ({len(values)})", "",
                           tuple(sorted(entity_label(r, view.lang) for _, r in values.iterrows())), values,
                           bullets=True),)
        else:
            right = (chart(f"prov_bar_{key}_{region}_{chosen}", title, values,
                           charts.bar_figure(values, title, unit, direction, view.as_of, view.lang, highlight=chosen),
                           view),)
        items: list = [Columns(((the_map,), right), (3, 2))]
        missing = provinces[~provinces["id"].isin(values["entity_id"])]
        if not missing.empty:
            items.append(Text(f"**{view.t('not_in_list' if unit == 'flag' else 'no_data')}** ({len(missing)}): "
                              + ", ".join(map(theme.plain_md, missing["name_" + view.lang].fillna(missing["name_vi"]))),
                              "caption"))
        if unit == "flag" and not values.empty:  # no bar chart for a list: its rows are downloadable here
            items.append(Downloads(f"prov_list_{key}", title, values))
        items.append(Text(view.t("map_attribution"), "caption"))
        return section(*items, pack=False)
    return memo(("measure_map", key, region, chosen, view), build)


def provinces_page(view: View, measure: str | None, region: str | None, province: str | None) -> list:
    figs = province_measures(view)
    if figs.empty:
        return [section(Text(view.t("no_data"), "info"))]
    out = [measure_map(view, measure or controls(view)[0].options[0], region, province)]
    if province:
        out.append(profile(view, province))
    return out
