"""The scheduler worker: its own process (`python cli.py schedule`), never inside Streamlit."""
