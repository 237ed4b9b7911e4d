"""The dashboard's own HTTP routes beside Streamlit's (served by serve_app.py's ``st.App``)."""
