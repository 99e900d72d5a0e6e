"""Downloads: exactly the rows behind a chart or table, each with its source, in the reader's language, as CSV and
Excel files that stand alone."""

from __future__ import annotations

import io

import pandas as pd

from dashboard import theme
from dashboard.i18n import has_label, name, t
from dashboard.texts import conflict_explanation, programme_name
from dashboard.view import View
from etl.text import inert


def download_frame(data: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Exactly the rows behind a chart, each with its source, in the reader's language: headers, names of
    indicators, units, programmes and groups, how the figure is stated, the issuing agency, report and its date."""
    if "indicator_id" not in data or "source_quote" not in data:  # a table of its own (league grid, tasks)
        out = data[[c for c in data.columns if not str(c).startswith("_")]].copy()
        if "as_of" in out:
            out["as_of"] = pd.to_datetime(out["as_of"]).dt.date
        return out
    rows = data.reset_index(drop=True)

    def col(key: str) -> pd.Series:
        return rows[key] if key in rows else pd.Series([None] * len(rows))

    def label(values: pd.Series, prefix: str) -> list[str]:
        return [t(prefix + v, lang) if isinstance(v, str) and has_label(prefix + v) else (v or "") for v in values]

    records = rows.to_dict("records")
    out = pd.DataFrame({
        t("indicator", lang): [name(r, lang, "indicator_name") for r in records],
        t("entity", lang): [next((v for v in ((r.get("entity_name_en") if lang == "en" else None), r.get("entity_name"))
                                  if isinstance(v, str) and v), t("national", lang)) for r in records],
        t("category", lang): [name(r, lang, "category_name") or (r.get("category") or "") for r in records],
        t("programme", lang): [programme_name(p, lang) for p in col("programme")],
        t("value", lang): rows["value"],
        t("base", lang): col("base"),
        t("unit_of_measure", lang): [theme.unit_label(u, lang) or u for u in rows["unit"]],
        t("qualifier", lang): label(col("qualifier"), "qualifier_"),
        t("value_high", lang): col("value_high"),
        t("definition", lang): [name(r, lang, "definition") for r in records],
        t("date", lang): pd.to_datetime(rows["as_of"]).dt.date,
        t("issuer", lang): [name(r, lang, "source_issuer") for r in records],
        t("report_title", lang): [name(r, lang, "source_title") for r in records],
        t("report_date", lang): pd.to_datetime(col("report_date")).dt.date,
        t("quote", lang): rows["source_quote"],
        t("conflict", lang): [conflict_explanation(c, lang, n) if isinstance(c, str) else ""
                              for c, n in zip(col("conflict_id"), col("note"), strict=True)],
    })
    return out.dropna(axis=1, how="all")


def export_note(view: View, url: str) -> list[tuple[str, str]]:
    """What a downloaded file says of itself: the dashboard, the page's link and the date of the view."""
    return [(view.t("export_title"), view.t("app_title")), (view.t("export_link"), url),
            (view.t("view_as_of"), theme.format_date(view.as_of, view.lang))]


def _inert(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with no text cell a spreadsheet would run as a formula (the texts come from reports and uploads)."""
    text = frame.select_dtypes(exclude=["number", "datetime", "bool"]).columns
    return frame.assign(**{c: frame[c].map(inert) for c in text})


def csv_bytes(frame: pd.DataFrame, note: list[tuple[str, str]] | None = None) -> bytes:
    """CSV in UTF-8 with a BOM (Excel opens Vietnamese text correctly); `note` as first lines starting with '#'."""
    head = "".join(f"# {k}: {inert(v)}\n" for k, v in note or [])
    return (head + _inert(frame).to_csv(index=False)).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, note: list[tuple[str, str]] | None = None, sheets: tuple[str, str] = ("data", "source")
               ) -> bytes:
    """The rows on the first sheet; `note` (dashboard, link, view date) on a second one."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        _inert(frame).to_excel(xl, index=False, sheet_name=sheets[0])
        if note:
            pd.DataFrame(note).map(inert).to_excel(xl, index=False, header=False, sheet_name=sheets[1])
    return buf.getvalue()
