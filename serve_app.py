"""The dashboard as production serves it: app.py under Streamlit's ``st.App``, with Pantau's
own routes beside Streamlit's (web/session_routes.py: the HttpOnly session cookie).

``streamlit run serve_app.py`` finds ``app`` and serves it with uvicorn (core/supervisor.py).
Tests that drive app.py directly (Streamlit's AppTest) run without these routes and cookies.
"""

from __future__ import annotations

import streamlit as st

from core.settings import load_settings
from web.session_routes import SessionCookies

app = st.App("app.py", routes=SessionCookies(load_settings()).routes())
