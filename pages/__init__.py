"""The dashboard's pages: Streamlit scripts run by st.navigation (app.py), one per file."""
