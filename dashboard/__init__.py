"""The Streamlit dashboard: labels, theme, queries, charts and the page shell."""
