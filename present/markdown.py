"""Text from the data or from an admin (names, handles, captions) made inert inside the
dashboard's own Markdown: every character Markdown gives a meaning is escaped."""

from __future__ import annotations

MARKDOWN_SPECIALS = "\\`*_{}[]<>()#+!|~$"


def md_escape(text: str) -> str:
    """``text`` shown literally wherever Streamlit reads Markdown (captions, labels, expanders)."""
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIALS else c for c in text)
