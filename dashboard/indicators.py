"""Per-indicator summaries the pages show: latest value, change, target in force and status.

Only comparable figures are compared: two figures are one series when their definition is the same
(data/README.md, `definition`), and a change is computed only between two exact figures (never from "khoảng",
"hơn" or "Top 10"); the status (kpis/progress.py) reads the exact figures of the latest figure's definition.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.theme import qualifier_of
from kpis.progress import Goal, Progress, assess, bound_meets, goal_in_force


@dataclass(frozen=True)
class Summary:
    indicator_id: str
    unit: str
    direction: str
    latest: pd.Series | None  # the row of the latest national observation
    previous: pd.Series | None  # the figure before it of the same definition (one the period lets us compare)
    goal: Goal | None  # the target in force at the latest figure's date
    progress: Progress
    other_basis: pd.Series | None = None  # an earlier figure on another basis, when none of the same basis exists

    @property
    def status(self) -> str:
        """A status of kpis.progress, or no_data / no_target."""
        if self.latest is None:
            return "no_data"
        return "no_target" if self.goal is None else self.progress.status

    @property
    def precise(self) -> bool:
        """Whether latest and previous are both exact, so their difference means something."""
        return self.previous is not None and all(qualifier_of(r) == "exact" for r in (self.latest, self.previous))

    @property
    def change(self) -> float | None:
        if self.latest is None or not self.precise:
            return None
        return float(self.latest["value"]) - float(self.previous["value"])


def definition_key(rows: pd.DataFrame) -> pd.Series:
    """The basis of each figure as a comparable key ('' for the indicator's usual one)."""
    return rows["definition"].fillna("") if "definition" in rows else pd.Series("", index=rows.index)


def national_series(obs: pd.DataFrame) -> pd.DataFrame:
    """One national value per indicator, date and definition (no entity, no sub-group); of two reports for one, the
    later. Works on the figures of many indicators at once (a page makes it once, not once per indicator)."""
    nat = obs[(obs["scope"] == "national") & obs["category"].isna()]
    if nat.empty:
        return nat
    nat = nat.assign(_basis=definition_key(nat)).sort_values(["as_of", "report_date"], kind="stable")
    return nat.drop_duplicates(["indicator_id", "as_of", "_basis"], keep="last").drop(columns="_basis")


def same_basis(series: pd.DataFrame, row: pd.Series) -> pd.DataFrame:
    """The figures of `series` on the basis of `row`."""
    return series[definition_key(series) == (row.get("definition") if pd.notna(row.get("definition")) else "")]


def comparable_previous(series: pd.DataFrame, period: str) -> pd.Series | None:
    """The observation the latest one can fairly be compared with, or None (`series`: one basis, by date).

    A level compares with the one before; a year-to-date sum only with the same day of an earlier year
    (January-April is not smaller than a whole year because things got worse); growth rates never.
    """
    if len(series) < 2 or period == "period_growth":
        return None
    if period == "year_to_date":
        last = pd.Timestamp(series.iloc[-1]["as_of"])
        same = series.iloc[:-1][[(pd.Timestamp(d).month, pd.Timestamp(d).day) == (last.month, last.day)
                                  for d in series.iloc[:-1]["as_of"]]]
        return same.iloc[-1] if len(same) else None
    return series.iloc[-2]


def comparable_points(series: pd.DataFrame, period: str) -> pd.DataFrame:
    """The figures a trend may be drawn through: a year-to-date sum only with the same day of other years, a growth
    rate only on its own (each covers the period its report states)."""
    if series.empty or period == "point":
        return series
    if period == "period_growth":
        return series.tail(1)
    last = pd.Timestamp(series.iloc[-1]["as_of"])
    return series[[(pd.Timestamp(d).month, pd.Timestamp(d).day) == (last.month, last.day) for d in series["as_of"]]]


def goals(targets: pd.DataFrame, indicator_id: str) -> list[Goal]:
    rows = targets[(targets["indicator_id"] == indicator_id) & targets["year"].notna()]  # no year: no path to judge
    return [Goal(float(r["value"]), int(r["year"]), r["comparator"]) for _, r in rows.iterrows()]


def natural_limit(unit: str) -> float | None:
    return 100.0 if unit == "percent" else None


def by_indicator(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each indicator, split once (a page summarises dozens of indicators; filtering the whole frame
    for each one was most of a theme page's first run)."""
    return {k: g for k, g in frame.groupby("indicator_id", sort=False)} if len(frame) else {}


def summarise_each(indicators: pd.DataFrame, obs: pd.DataFrame, targets: pd.DataFrame) -> dict[str, Summary]:
    """summarise() for every indicator of `indicators` (rows with an `id`)."""
    series, goals_ = by_indicator(national_series(obs)), by_indicator(targets)
    return {ind["id"]: summarise(ind, obs.iloc[:0], goals_.get(ind["id"], targets.iloc[:0]),
                                 series=series.get(ind["id"], obs.iloc[:0])) for _, ind in indicators.iterrows()}


def summarise(indicator: pd.Series, obs: pd.DataFrame, targets: pd.DataFrame,
              series: pd.DataFrame | None = None) -> Summary:
    """Status of an indicator from its national observations known at the view date (kpis/progress.py);
    `series`: its national_series() when the caller has it already."""
    if series is None:
        series = national_series(obs[obs["indicator_id"] == indicator["id"]])
    specs = goals(targets, indicator["id"])
    direction = indicator["direction"]
    if series.empty:
        return Summary(indicator["id"], indicator["unit"], direction, None, None, None, Progress("insufficient"))
    latest = series.iloc[-1]
    basis = same_basis(series, latest)
    previous = comparable_previous(basis, indicator.get("period", "point"))
    goal = goal_in_force(specs, pd.Timestamp(latest["as_of"]).date())
    if qualifier_of(latest) != "exact":
        # an estimate or a bound is judged only when its bound already meets the target ("hơn 90%" of 80%)
        met = goal is not None and bound_meets(float(latest["value"]), qualifier_of(latest), goal, direction)
        progress = Progress("achieved" if met else "insufficient")
    else:
        exact = basis[[qualifier_of(r) == "exact" for _, r in basis.iterrows()]]
        exact = comparable_points(exact, indicator.get("period", "point"))
        points = [(pd.Timestamp(r["as_of"]).date(), float(r["value"])) for _, r in exact.iterrows()]
        progress = assess(points, direction, goal, natural_limit(indicator["unit"]))
    other = series.iloc[:-1][definition_key(series.iloc[:-1]) != definition_key(basis).iloc[0]]
    return Summary(indicator["id"], indicator["unit"], direction, latest, previous, goal, progress,
                   other.iloc[-1] if previous is None and len(other) else None)
