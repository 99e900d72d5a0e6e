"""The products the units reported (report 004's 348-product analysis): strategic or not, stage funnel, funding
source, and which units reported."""

from __future__ import annotations

import pandas as pd

from dashboard import charts, queries, theme
from dashboard.cache import memo
from dashboard.i18n import name
from dashboard.models import Columns, Downloads, Metric, Metrics, Names, Text, section
from dashboard.sections.themes import chart
from dashboard.texts import entity_label, value_text
from dashboard.view import View

STAGES = ("dang_ky_de_xuat", "nghien_cuu", "thu_nghiem_thi_diem", "ung_dung_trien_khai", "thuong_mai",
          "chua_neu_tinh_trang")
FUNDING = ("nguon_thuong_xuyen_khac", "nguon_57", "nguon_thuong_xuyen_va_57", "chua_neu_nguon")


def _category_rows(obs: pd.DataFrame, prefix: str, cats: tuple[str, ...]) -> pd.DataFrame:
    rows = obs[obs["entity_id"].isna() & obs["category"].isin([prefix + c for c in cats])]
    rows = rows.drop_duplicates("category")
    order = {prefix + c: i for i, c in enumerate(cats)}
    return rows.sort_values("category", key=lambda s: s.map(order))


def products_page(view: View) -> list:
    def build() -> list:
        obs = queries.theme_observations(view.as_of, "products")
        counts = obs[obs["indicator_id"] == "products_reported"]
        if counts.empty:
            return [section(Text(view.t("no_data"), "info"))]
        items: list = []
        total = counts[counts["entity_id"].isna() & counts["category"].isna()]
        if not total.empty:
            items.append(Metrics((Metric(name(total.iloc[0], view.lang, "indicator_name"),
                                         value_text(total.iloc[0]["value"], "count", view.lang)),)))
        cats = queries.categories()

        def labels(slugs: pd.Series, prefix: str = "") -> list[str]:  # a chart of one group names its parts alone
            return [name(cats.loc[c.removeprefix(prefix)], view.lang) for c in slugs]

        split = _category_rows(counts, "", ("cncl", "ngoai_cncl"))
        if not split.empty:
            title = view.t("products_strategic")
            items.append(chart("products_split", title, split, charts.bar_figure(
                split, title, "count", "higher", view.as_of, view.lang, labels=labels(split["category"])), view))
        stages = _category_rows(counts, "cncl_", STAGES)
        if not stages.empty:
            title = view.t("products_stage")
            items.append(chart("products_stage", title, stages, charts.funnel_figure(
                stages, labels(stages["category"], "cncl_"), title, view.as_of, view.lang), view))
        for prefix in ("", "cncl_", "ngoai_cncl_"):
            funding = _category_rows(counts, prefix, FUNDING)
            if funding.empty:
                continue
            title = view.t("products_funding") + (f" — {name(cats.loc[prefix[:-1]], view.lang)}" if prefix else "")
            items.append(chart(f"products_funding_{prefix or 'all'}", title, funding, charts.bar_figure(
                funding, title, "count", "higher", view.as_of, view.lang, labels=labels(funding["category"], prefix)),
                view))
        per_unit = counts[counts["entity_id"].notna()]
        if not per_unit.empty:
            title = view.t("products_by_unit")
            bar_labels = [f"{entity_label(r, view.lang)} · {name(r, view.lang, 'category_name') or r['category'] or ''}"
                          for _, r in per_unit.iterrows()]
            items.append(chart("products_units_counts", title, per_unit, charts.bar_figure(
                per_unit, title, "count", "higher", view.as_of, view.lang, labels=bar_labels), view))
        lists = []
        for flag in ("products_unit_with", "products_unit_without", "products_unit_no_info"):
            rows = obs[obs["indicator_id"] == flag]
            names = tuple(sorted({entity_label(r, view.lang) for _, r in rows.iterrows()} - {""}))
            lists.append((Names(f"units_{flag}", f"{view.t('reporting_list_' + flag)} ({len(rows)})",
                                theme.format_date(rows["as_of"].max(), view.lang) if len(rows) else "", names, rows,
                                bullets=True),))
        flags = obs[obs["indicator_id"].isin(["products_unit_with", "products_unit_without", "products_unit_no_info"])]
        units = section(Columns(tuple(lists)),
                        *([Downloads("products_units", view.t("products_units"), flags)] if not flags.empty else []),
                        title=view.t("products_units"))
        return [section(*items), units]
    return memo(("products", view), build)
