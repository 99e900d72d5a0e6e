"""Rows of the warehouse as a reader reads them: figures as their report states them, units by their official name,
the quote behind a figure, what a conflict flags. Shared by the sections, the exports and the pack."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard import queries, theme
from dashboard.i18n import name, t


def figure_text(row: Any, lang: str) -> str:
    """A figure as its report states it ('khoảng 80 nghìn', 'Top 10'), or 'Chưa có số liệu' — never a zero in place
    of a missing figure."""
    value = row.get("value") if row is not None else None
    if value is None or pd.isna(value):
        return t("no_data", lang)
    return theme.format_figure(row, lang) or ""


def value_text(value: float | None, unit: str, lang: str, base: float | None = None) -> str:
    """A formatted value, or 'Chưa có số liệu'."""
    if value is None or pd.isna(value):
        return t("no_data", lang)
    return theme.format_value(value, unit, lang, None if base is None or pd.isna(base) else base) or ""


def entity_label(row: Any, lang: str) -> str:
    """A unit's official name in the reader's language (the Vietnamese one when no English name is known)."""
    en = row.get("entity_name_en") if lang == "en" else None
    vi = row.get("entity_name")
    return en if isinstance(en, str) and en else (vi if isinstance(vi, str) else "")


def quote_help(row: Any, lang: str) -> str:
    """'Nguồn: <report> (date) — “quote”' (Markdown-safe), behind a figure's (?)."""
    return (f"{t('source', lang)}: {theme.plain_md(name(row, lang, 'source_title'))} "
            f"({theme.format_date(row['report_date'], lang)}) — “{theme.plain_md(row['source_quote'])}”")


def conflict_explanation(conflict_id: str, lang: str, notes: str | None = None) -> str:
    """What a conflict flags, in `lang` (data/dims/conflicts.csv); without an explanation, the rows' `notes`."""
    con = queries.conflicts()
    found = con.loc[con["conflict_id"] == conflict_id, f"explanation_{lang}"]
    if len(found) and pd.notna(found.iloc[0]):
        return str(found.iloc[0])
    return notes or ""


def conflict_notes(data: pd.DataFrame, lang: str) -> str | None:
    """The explanations of the conflicts flagged in `data`, in `lang`; None when no row is flagged."""
    if "conflict_id" not in data or not data["conflict_id"].notna().any():
        return None
    flagged = data.loc[data["conflict_id"].notna()]
    notes = {c: "; ".join(sorted(set(rows["note"].dropna().astype(str)))) if "note" in rows else None
             for c, rows in flagged.groupby("conflict_id")}
    return " ".join(conflict_explanation(c, lang, notes[c]) for c in sorted(notes))


def programme_name(programme: object, lang: str) -> str:
    progs = queries.programmes().set_index("id")
    return name(progs.loc[programme], lang) if isinstance(programme, str) and programme in progs.index else ""


def unit_names(lang: str, kind: str | None = None) -> dict[str, str]:
    """Every unit's id -> its official name in `lang` (Vietnamese when no English name is known)."""
    ags = queries.agencies()
    if kind:
        ags = ags[ags["kind"] == kind]
    return dict(zip(ags["id"], ags["name_" + lang].fillna(ags["name_vi"]), strict=True))


def task_lead(row: Any, lang: str) -> str:
    """Who leads a dated task: the unit the report names, or the group it assigns it to ('các bộ, ngành, địa
    phương')."""
    lead = row.get(f"lead_name_{lang}") or row.get("lead_name_vi")
    return str(lead) if isinstance(lead, str) and lead else t(f"task_scope_{row.get('scope') or 'unstated'}", lang)


def issues_table(issues: list, lang: str) -> pd.DataFrame:
    """A validation report as the upload page shows it: file, sheet, row, column, value, the reason in `lang` (the
    first MAX_LISTED issues)."""
    from etl.issues import MAX_LISTED

    return pd.DataFrame([{
        t("file", lang): i.file, t("sheet", lang): getattr(i, "sheet", None) or "", t("row", lang): i.row,
        t("column", lang): i.column, t("value", lang): i.value,
        t("reason", lang): i.reason_vi if lang == "vi" else i.reason_en,
    } for i in issues[:MAX_LISTED]])


def report_name(source_file: str, lang: str) -> str:
    """'Bộ Khoa học và Công nghệ, Báo cáo … (03/05/2026)' for a source file."""
    src = queries.sources().set_index("source_file")
    if source_file not in src.index:
        return source_file
    r = src.loc[source_file]
    return f"{name(r, lang, 'issuer')}, {name(r, lang, 'title')} ({theme.format_date(r['report_date'], lang)})"
