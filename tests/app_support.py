"""What every page test needs: point the app at a database, open a page, read what it shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from db.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGE = "pages/ringkasan.py"


def serve_from(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at ``url`` with empty caches, and leave no cache behind."""
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


def migrated(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def run_page(page: str) -> AppTest:
    """Start the app from app.py, switch to ``page`` and fail on any exception."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    if page != DEFAULT_PAGE:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    )
    return "\n".join(str(p) for p in parts)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
