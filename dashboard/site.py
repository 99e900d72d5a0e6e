"""The one page registry: every page's address, title, icon, pickers and sections, and what the meeting pack takes
from it. The navigation (app.py), the page files, the warm-up, the pack, the links, the tests and the benches read it;
nothing else lists pages. The theme pages come from the `theme` vocabulary (kpis/vocabularies.csv): a theme with a
`page` slug has a page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dashboard import queries, theme
from dashboard.cache import memo
from dashboard.models import Control
from dashboard.sections import indicator, overview, products, provinces, sources, tasks, themes, unit_filter, units
from dashboard.texts import unit_names
from dashboard.view import View

Choices = Mapping[str, str | None]


def _no_controls(view: View) -> tuple[Control, ...]:
    return ()


@dataclass(frozen=True)
class Page:
    slug: str  # its address (/slug) and the name of its file in pages/ (a first deep link is looked up by file name)
    title: str  # label key of its name in the navigation
    icon: str  # Material icon
    group: str  # label key of its group in the navigation
    build: Callable[[View, Choices], list] | None  # its sections for a view and the pickers' choices
    intro: str | None = None  # label key of the line under its title
    header: str | None = None  # label key of its title, when not its name in the navigation
    heading: Callable[[View, Choices], str] | None = None  # its title, when it depends on a choice
    controls: Callable[[View], tuple[Control, ...]] = field(default=_no_controls)
    theme: str | None = None
    # what the meeting pack takes from it: "head" (first), "unit" (the profile of the unit its `unit` picker
    # names), "theme" (every theme, or the one asked for), "tail" (last); None: nothing
    pack: str | None = None
    unit: str | None = None  # the picker whose unit the page's pack is about
    default: bool = False
    hidden: bool = False  # reached by links only (one page per indicator)
    admin: bool = False  # listed only when sign-in is configured; drawn by dashboard/admin.py

    def sections(self, view: View, choices: Choices | None = None) -> list:
        return self.build(view, choices or {}) if self.build else []


def _units(lang: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Every unit's id and name, ministries first, then provinces, then the other agencies, each by name."""
    def build() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        names = unit_names(lang)
        kinds = queries.agencies().set_index("id")["kind"]
        order = {"ministry": 0, "province": 1}
        ids = tuple(sorted(names, key=lambda i: (order.get(kinds[i], 2), names[i])))
        return ids, tuple((i, names[i]) for i in ids)
    return memo(("unit_options", lang), build)


def agency_controls(view: View) -> tuple[Control, ...]:
    """Any unit by name; a link may name it by id, name, alias or name without diacritics."""
    ids, labels = _units(view.lang)
    return (Control("agency", view.t("pick_agency"), ids, labels, none_label="—", resolve="unit",
                    not_found="agency_not_found"),)


def unit_controls(view: View) -> tuple[Control, ...]:
    """?unit=: the whole page seen for one ministry, agency or province (the whole country when empty), beside the
    title; it becomes the view's unit (dashboard/view.py), so every link of the page keeps it."""
    ids, labels = _units(view.lang)
    return (Control("unit", view.t("unit_filter"), ids, labels, none_label=view.t("whole_country"), resolve="unit",
                    not_found="unit_not_found", beside_title=True),)


def indicator_page(view: View, choices: Choices) -> list:
    """An indicator's page; seen for a unit, the unit's figures of it come right after what the indicator is."""
    out = indicator.indicator_page(view, choices.get("id"))
    return [*out[:1], unit_filter.indicator_section(choices["id"], view), *out[1:]] if view.unit and out else out


def _theme_pages() -> list[Page]:
    return [Page(row["page"], f"theme_{th}", row["icon"], "nav_themes",
                 lambda view, choices, th=th: (unit_filter.theme_page if view.unit else themes.theme_page)(th, view),
                 intro=f"theme_intro_{th}", controls=unit_controls, theme=th, pack="theme")
            for th, row in theme.terms("theme").items() if row["page"]]


def pages() -> tuple[Page, ...]:
    """Every page, in the navigation's order."""
    return memo(("pages",), lambda: (
        Page("tong-quan", "page_overview", "home", "nav_overview", lambda v, c: overview.overview(v),
             intro="app_subtitle", header="app_title", pack="head", default=True),
        *_theme_pages(),
        Page("nhiem-vu", "page_tasks", "task_alt", "nav_tracking", lambda v, c: tasks.tasks_page(v),
             intro="tasks_intro"),
        Page("bo-nganh-dia-phuong", "page_agencies", "account_balance", "nav_tracking",
             lambda v, c: units.agencies_page(v, c.get("agency")), intro="agencies_intro", controls=agency_controls,
             pack="unit", unit="agency"),
        Page("dia-phuong", "page_provinces", "map", "nav_tracking",
             lambda v, c: provinces.provinces_page(v, c.get("measure"), c.get("region"), c.get("province")),
             intro="provinces_intro", controls=provinces.controls, pack="unit", unit="province"),
        Page("san-pham", "page_products", "inventory_2", "nav_tracking", lambda v, c: products.products_page(v),
             intro="products_intro"),
        Page("nguon", "page_sources", "menu_book", "nav_about", lambda v, c: sources.sources_page(v), pack="tail"),
        Page("chi-so", "page_indicator", "query_stats", "nav_about", indicator_page,
             heading=indicator.heading, controls=lambda v: (*indicator.controls(v), *unit_controls(v)), hidden=True),
        Page("cap-nhat", "page_admin", "upload_file", "nav_about", None, admin=True),
    ))


def page(slug: str) -> Page:
    return next(p for p in pages() if p.slug == slug)


def theme_pages() -> tuple[Page, ...]:
    return tuple(p for p in pages() if p.theme)


def theme_of(text: str) -> str | None:
    """A theme id from its id or its page's slug (`nang-luc`), else None."""
    return next((p.theme for p in theme_pages() if text in (p.theme, p.slug)), None)


def unit_page(kind: str) -> Page:
    """The page whose pack is a unit's profile: provinces on the provinces page, any other unit on the agencies one."""
    return next(p for p in pages() if p.unit == ("province" if kind == "province" else "agency"))


def default_choices(p: Page, view: View) -> dict[str, str | None]:
    """What a new tab shows: each picker's first option, or none when it can be left empty."""
    return {c.key: (None if c.none_label else (c.options[0] if c.options else None)) for c in p.controls(view)}


