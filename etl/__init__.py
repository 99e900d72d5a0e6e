"""ETL of the NQ57 Dashboard: curated CSV files in data/ -> validated -> DuckDB warehouse."""
