"""No traceback ever reaches a user: a page that fails shows a plain message and a reference,
the log has the details under that reference (secrets masked). And pages see new data at once."""

from __future__ import annotations

import logging
import re

import pytest
import streamlit as st
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

import ui.loaders
from db.engine import make_engine, make_session_factory
from db.models import Account, Opd
from tests.app_support import ADMIN_USER, ROOT, run_page, signed_in
from ui.errors import PAGE_FAILED

PLANTED = "EAAB-planted-secret-value"


def test_a_failing_loader_shows_a_plain_message_and_logs_it(
    demo_app: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PANTAU_META_TOKEN", PLANTED)

    def broken(month: str) -> None:
        raise TypeError(f"expected str, got 'float' (token={PLANTED})")

    monkeypatch.setattr(ui.loaders, "load_overview", broken)
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), ADMIN_USER)
    with caplog.at_level(logging.ERROR, logger="pantau.dashboard"):
        at.run()
    assert not at.exception  # nothing of Python reaches the page
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and "Ringkasan" in shown[0] and "Traceback" not in shown[0]
    ref = re.search(r"kode kejadian \*\*([0-9a-f]{8})\*\*", shown[0])
    assert ref is not None, shown
    assert PAGE_FAILED.split("**")[0] in shown[0]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"ref={ref.group(1)}" in logged and "page=Ringkasan" in logged
    assert "TypeError" in logged and "Traceback" in logged
    assert PLANTED not in logged
    # the rest of the frame still works: the menu and the reload button are there
    assert [b for b in at.sidebar.button if b.key == "muat_ulang_data"]


def deactivate_one_account(url: str) -> None:
    """A write by another process, as the CLI or the worker would make it."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        first = session.scalar(select(Account.id).order_by(Account.id).limit(1))
        session.execute(update(Account).where(Account.id == first).values(active=False))
        session.commit()
    engine.dispose()


def test_caches_empty_once_another_process_writes(demo_app: str) -> None:
    calls: list[int] = []

    @st.cache_data
    def cached_loader() -> int:
        calls.append(1)
        return len(calls)

    ui.loaders.refresh_when_data_changed()  # the stamp as this process first sees it
    assert cached_loader() == cached_loader() == 1
    assert not ui.loaders.refresh_when_data_changed()  # nothing new: caches kept
    assert cached_loader() == 1
    deactivate_one_account(demo_app)
    assert ui.loaders.refresh_when_data_changed()
    assert cached_loader() == 2  # read afresh


def test_the_reload_button_reads_afresh(demo_app: str) -> None:
    """A change no data stamp sees (OPDs renamed by hand) shows after Muat ulang data."""
    at = run_page("pages/ringkasan.py")
    engine = make_engine(demo_app)
    with make_session_factory(engine)() as session:
        session.execute(update(Opd).values(name="Dinas Contoh Berganti Nama"))
        session.commit()
    engine.dispose()
    again = run_page("pages/ringkasan.py")  # another visit: the cached data, as before
    assert "Dinas Contoh Berganti Nama" not in tables_text(again)
    at.sidebar.button(key="muat_ulang_data").click().run()
    assert not at.exception
    assert "Dinas Contoh Berganti Nama" in tables_text(at)


def tables_text(at: AppTest) -> str:
    return "\n".join(d.value.to_csv() for d in at.dataframe)


def test_a_failing_button_action_is_logged_not_raised(
    demo_app: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Streamlit runs button callbacks before the page, outside the page guard."""
    from ui.errors import guarded_action

    done: list[int] = []

    @guarded_action
    def record(account_id: int) -> None:
        done.append(account_id)
        raise ConnectionError("database went away")

    with caplog.at_level(logging.ERROR, logger="pantau.dashboard"):
        record(7)  # no exception leaves the callback
    assert done == [7]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "action record" in logged and "ConnectionError" in logged
