"""KPI registry: every indicator declared once, as data (indicators.csv, targets.csv)."""
