"""Section builders: for a view, the models (dashboard/models.py) each page shows. No Streamlit here."""
