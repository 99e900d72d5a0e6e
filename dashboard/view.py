"""What a reader is looking at (language, report date, the illustrative switch, a unit) and the one resolver that
reads it from a link, the sidebar, a picker or the meeting pack's command line. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from dashboard import queries
from dashboard.i18n import LANG_NAMES, t
from etl.text import parse_date

LANG_PARAM = {"vi": "Tiếng Việt", "en": "English"}  # as the sidebar's language box writes ?lang=
VIEW_PARAMS = ("lang", "as_of", "illustrative", "unit")


@dataclass(frozen=True)
class View:
    """The view every section is built for; hashable, so the models built for it are memoised by it."""

    lang: str
    as_of: dt.date
    illustrative: bool = False
    latest: dt.date | None = field(default=None, compare=False)  # the latest report: a link leaves its date out
    # the unit (a ministry, agency or province id) a theme or indicator page is filtered by: part of the view, not a
    # page's own choice, so that every link the page makes keeps it and every model made for it is memoised by it
    unit: str | None = None

    def t(self, key: str, **fields: object) -> str:
        return t(key, self.lang, **fields)

    def params(self) -> dict[str, str]:
        """The view as URL parameters (only what differs from the default view: a link to today's latest report stays
        a link to the latest one)."""
        out: dict[str, str] = {}
        if self.lang != "vi":
            out["lang"] = LANG_PARAM[self.lang]
        if self.latest is None or self.as_of != self.latest:
            out["as_of"] = date_param(self.as_of)
        if self.illustrative:
            out["illustrative"] = "true"
        if self.unit:
            out["unit"] = self.unit
        return out

    def link(self, path: str, **extra: str | None) -> str:
        """'/chi-so?id=…&lang=English': a page of the dashboard in this view, with `extra` parameters."""
        query = {k: v for k, v in extra.items() if v} | self.params()
        return f"/{path.strip('/')}" + (f"?{urlencode(query)}" if query else "")

    def at(self, as_of: dt.date) -> View:
        return replace(self, as_of=as_of)

    def of(self, unit: str | None) -> View:
        """This view filtered by a unit (None: the whole country)."""
        return replace(self, unit=unit)


def date_param(day: dt.date) -> str:
    """A date as links write it: dd/mm/yyyy in both languages, so that one link works in either."""
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Snapped:
    """A report date for a date asked for, and why it differs (a label key and its fields), if it does."""

    day: dt.date | None
    note: str | None = None
    fields: tuple[tuple[str, str], ...] = ()

    def message(self, lang: str) -> str | None:
        return t(self.note, lang, **dict(self.fields)) if self.note else None


def snap_date(text: str | dt.date | None, lang: str = "vi") -> Snapped:
    """The report date to show for `text` (dd/mm/yyyy or yyyy-mm-dd): itself when it is a report date, else the
    latest report before it, or the first report for a date before them all (and it says so); None for no text or
    text that is not a date (note `as_of_invalid`)."""
    dates = queries.report_dates()
    if text is None or text == "":
        return Snapped(max(dates) if dates else None)
    day = text if isinstance(text, dt.date) else parse_date(str(text).strip())[0]
    if day is None:
        return Snapped(None, "as_of_invalid", (("wanted", str(text)),))
    if day in dates:
        return Snapped(day)
    earlier = [d for d in dates if d <= day]
    shown = max(earlier) if earlier else min(dates)
    from dashboard.theme import format_date  # the theme's formats read the vocabulary through queries

    return Snapped(shown, "as_of_moved" if earlier else "as_of_too_early",
                   (("wanted", format_date(day, lang)), ("date", format_date(shown, lang))))


def resolve_lang(text: str | None) -> str:
    """'English', 'en', 'Tiếng Việt', 'vi' → 'en' / 'vi' (Vietnamese when unknown)."""
    if not text:
        return "vi"
    text = text.strip()
    for code, label in LANG_NAMES.items():
        if text.casefold() in (code, label.casefold(), LANG_PARAM[code].casefold()):
            return code
    return "vi"


def resolve_unit(text: str | None, kind: str | None = None) -> str | None:
    """A unit's id from its id, name, alias, official English name or name without diacritics (the ETL's resolver,
    etl/sql/entities.sql); None when nothing matches or the unit is not of `kind` (e.g. 'province')."""
    if not text or not text.strip():
        return None
    found = queries.resolve_agency(text)
    if found is None or kind is None:
        return found
    ags = queries.agencies().set_index("id")
    return found if found in ags.index and ags.loc[found, "kind"] == kind else None


def from_params(params: Mapping[str, str]) -> tuple[View, list[str]]:
    """The view a link asks for, and what the reader must be told about it (a date moved to a report date)."""
    lang = resolve_lang(params.get("lang"))
    snapped = snap_date(params.get("as_of"), lang)
    dates = queries.report_dates()
    day = snapped.day or max(dates)
    notes = [m for m in (snapped.message(lang),) if m]
    return View(lang=lang, as_of=day, illustrative=str(params.get("illustrative", "")).lower() == "true",
                latest=max(dates), unit=resolve_unit(params.get("unit"))), notes
