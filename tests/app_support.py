"""What every page test needs: point the app at a database, open a page, read what it shows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from core.timeutil import utcnow
from db.engine import make_engine, make_session_factory
from db.migrate import current_revision, head_revision, upgrade
from db.models import User
from present.tables import TableView
from services.users import ADMIN, Principal, add_user
from services.web_sessions import open_web_session
from ui.auth import AUTH_KEY, SignedIn

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


ADMIN_USER = Principal("penguji", ADMIN)
TEST_PASSWORD = "kata-sandi-uji-123"  # nosec B105 - test users only


def ensure_user(principal: Principal, opd_code: str | None = None) -> None:
    """Create ``principal`` in the app's database (when it is migrated) so it may sign in."""
    engine = make_engine(os.environ["DATABASE_URL"])
    try:
        if current_revision(engine) != head_revision():
            return
        with make_session_factory(engine)() as session:
            if session.scalar(select(User).where(User.username == principal.username)) is None:
                add_user(session, principal.username, TEST_PASSWORD, principal.role, opd_code)
                session.commit()
    finally:
        engine.dispose()


def web_session_of(principal: Principal, hours: int = 8) -> SignedIn:
    """A live web session for ``principal`` (created in the app's database), as sign-in makes."""
    engine = make_engine(os.environ["DATABASE_URL"])
    try:
        token = ""
        if current_revision(engine) == head_revision():
            with make_session_factory(engine)() as session:
                token = open_web_session(session, principal.username, hours, utcnow())
    finally:
        engine.dispose()
    return SignedIn(principal, utcnow() + timedelta(hours=hours), token)


def signed_in(at: AppTest, principal: Principal | None) -> AppTest:
    """Open the app as ``principal`` (as if they had just signed in); None: nobody."""
    if principal is not None:
        ensure_user(principal)
        at.session_state[AUTH_KEY] = web_session_of(principal)
    return at


def run_page(page: str, user: Principal | None = ADMIN_USER) -> AppTest:
    """Start the app from app.py as ``user``, switch to ``page``, fail on any exception."""
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), user)
    at.run()
    if page != DEFAULT_PAGE:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert_no_page_failure(at)
    return at


def assert_no_page_failure(at: AppTest) -> None:
    """The page guard turns a crash into a polite message: that message is a failure too."""
    failures = [e.value for e in at.error if "tidak dapat ditampilkan" in str(e.value)]
    assert not failures, failures


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    )
    return "\n".join(str(p) for p in parts)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def choose_month(at: AppTest, month: str) -> AppTest:
    """Pick ``month`` (YYYY-MM) in the page's month picker (it opens on the last complete
    month): for tests whose data is about the running month of their fixed clock."""
    pickers = [s for s in at.selectbox if s.label == "Bulan"]
    assert len(pickers) == 1, "the page has one month picker"
    pickers[0].set_value(month).run()
    assert not at.exception, [e.message for e in at.exception]
    assert_no_page_failure(at)
    return at


def table_texts(view: TableView) -> pd.DataFrame:
    """What each cell of a present.tables view reads in the browser (the product's own
    TableView.texts, which ui.components.table's Styler shows)."""
    return view.texts()


def shown_cells(element: Dataframe) -> pd.DataFrame:
    """A page's table as its cells read (the Styler's texts when the table has them)."""
    display = element.proto.arrow_data.styler.display_values
    if not display:
        return element.value
    return pa.ipc.open_stream(display).read_pandas()


def table_with(at: AppTest, header: str) -> pd.DataFrame:
    """The cells of the page's one table with a column ``header``, as they read."""
    found = [element for element in at.dataframe if header in element.value.columns]
    assert len(found) == 1, f"one table with {header}"
    return shown_cells(found[0])
