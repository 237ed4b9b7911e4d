"""Presentation that needs no Streamlit: labels, chart builders, table formatting, export."""
