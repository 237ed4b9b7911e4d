"""The one rule for links Pantau did not write itself (a platform's permalink, an imported
file's ``url`` column): only an absolute ``http``/``https`` address with a host is kept.

A link is shown to people as something to click (tables' link columns, Markdown), so a
``javascript:``, ``data:``, ``file:`` or ``vbscript:`` link, a relative path or text with
spaces, quotes or angle brackets in it is dropped: it would run code, open a local file or
break out of the Markdown or HTML around it. Callers say that they dropped one (a logged
warning in collectors, a warning on the line in imports).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
MAX_LINK_LENGTH = 2000  # what browsers and the posts table (1000) comfortably hold, twice over
# whitespace, control characters and the characters that end a Markdown or HTML context
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")


def web_link(value: object) -> str | None:
    """``value`` stripped when it is a safe absolute web address; None otherwise (also for
    None, empty text and anything that is not text)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > MAX_LINK_LENGTH or _UNSAFE.search(text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # "Invalid IPv6 URL" and the like
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return text
