"""Per-indicator summaries the pages show: latest value, change, target in force and status."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpis.status import Assessment, TargetSpec, assess


@dataclass(frozen=True)
class Summary:
    indicator_id: str
    unit: str
    direction: str
    latest: pd.Series | None  # the row of the latest national observation
    previous: pd.Series | None
    assessment: Assessment

    @property
    def change(self) -> float | None:
        if self.latest is None or self.previous is None:
            return None
        return float(self.latest["value"]) - float(self.previous["value"])


def national_series(obs: pd.DataFrame) -> pd.DataFrame:
    """One national value per date (no entity, no sub-group); of two reports for a date, the later report."""
    nat = obs[(obs["scope"] == "national") & obs["category"].isna()]
    if nat.empty:
        return nat
    nat = nat.sort_values(["as_of", "report_date"])
    return nat.drop_duplicates("as_of", keep="last")


def comparable_previous(series: pd.DataFrame, period: str) -> pd.Series | None:
    """The observation the latest one can fairly be compared with, or None.

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


def target_specs(targets: pd.DataFrame, indicator_id: str) -> list[TargetSpec]:
    rows = targets[(targets["indicator_id"] == indicator_id) & targets["year"].notna()]  # no year: no path to judge
    return [TargetSpec(float(r["value"]), int(r["year"]), r["comparator"]) for _, r in rows.iterrows()]


def summarise(indicator: pd.Series, obs: pd.DataFrame, targets: pd.DataFrame) -> Summary:
    """Status of an indicator from its national observations known at the view date."""
    series = national_series(obs[obs["indicator_id"] == indicator["id"]])
    points = [(pd.Timestamp(r["as_of"]).date(), float(r["value"])) for _, r in series.iterrows()]
    a = assess(points, target_specs(targets, indicator["id"]), indicator["direction"])
    latest = series.iloc[-1] if len(series) else None
    previous = comparable_previous(series, indicator.get("period", "point"))
    return Summary(indicator["id"], indicator["unit"], indicator["direction"], latest, previous, a)

