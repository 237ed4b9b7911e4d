"""The one place the dashboard runs a script of its own in the browser: writing the session
cookie, and sending the browser to a platform's consent page.

Streamlit sets no cookie and cannot redirect, so these two need a script. Values reach it only
as JSON string literals with ``<``, ``>`` and ``&`` escaped, never as markup: no text from a user
or a platform can close the script or become code. tests/test_untrusted_text.py checks that
no other dashboard module renders raw HTML.
"""

from __future__ import annotations

import json

import streamlit as st

COOKIE_FLAGS = "Path=/; SameSite=Lax"


def js_string(value: str) -> str:
    """``value`` as a JavaScript string literal that cannot end the surrounding <script>."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def set_cookie(name: str, value: str, seconds: int) -> None:
    """Write (``seconds`` > 0) or clear (0) a cookie of the dashboard's own origin; Secure
    when the page is served over https."""
    cookie = f"{name}={value}; Max-Age={seconds}; {COOKIE_FLAGS}"
    _run(
        f"document.cookie = {js_string(cookie)} + "
        "(location.protocol === 'https:' ? '; Secure' : '');"
    )


def go_to(url: str) -> None:
    """Send this tab to ``url`` (an http(s) address only)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("only http(s) addresses")
    _run(f"window.location.assign({js_string(url)});")


def _run(script: str) -> None:
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True, width="content")
