"""Streamlit building blocks shared by the pages: cached loaders, widgets, charts, labels."""
