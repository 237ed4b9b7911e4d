"""Pengaturan: registry editing through the importer, uploads, watched accounts, overrides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import Account
from services.config import effective_settings, save_overrides
from tests.app_support import run_page, serve_from
from tests.db_support import NewDatabase
from tests.sample_world import build_sample_world

PAGE = "pages/pengaturan.py"


@pytest.fixture
def filled(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = new_db_url("settings")
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        build_sample_world(session)
    engine.dispose()
    yield from serve_from(url, monkeypatch)


def db(url: str):  # type: ignore[no-untyped-def]
    return make_session_factory(make_engine(url))()


def test_page_shows_the_registry_and_the_rules(filled: str) -> None:
    at = run_page(PAGE)
    assert at.title[0].value == "Pengaturan"
    registry = at.dataframe[0].value  # the registry editor
    assert "demo.dinkes" in registry["handle"].tolist()
    assert set(registry.columns) >= {"opd_code", "platform", "handle", "admin_phone"}
    assert at.number_input(key="active_days").value == 14
    assert at.number_input(key="dormant_days").value == 30


def test_thresholds_are_saved_validated_and_used(filled: str) -> None:
    at = run_page(PAGE)
    at.number_input(key="active_days").set_value(40)  # not below the dormant limit: refused
    at.button(key="save_rules").click().run()
    assert "belum dapat disimpan" in at.error[0].value
    at.number_input(key="active_days").set_value(7)
    at.button(key="save_rules").click().run()
    assert "disimpan" in at.success[0].value
    with db(filled) as session:
        assert effective_settings(session, load_settings(environ={})).active_days_int == 7


def test_an_upload_reports_in_indonesian(filled: str, tmp_path: Path) -> None:
    at = run_page(PAGE)
    csv = "platform,handle,observed_at,followers\ninstagram,demo.dinkes,31/02/2026,10\n"
    at.radio(key="upload_kind").set_value("data").run()
    # AppTest cannot drive st.file_uploader; the action behind the button is tested directly
    from ui.loaders_settings import upload

    outcome = upload(csv.encode(), "pengikut.csv", "data")
    assert not outcome.ok and "Baris 2" in outcome.problems[0]
    assert "baris dibaca" in outcome.summary


def test_watched_accounts_and_overrides_in_services(filled: str) -> None:
    from services.admin import registry_frame, save_registry, set_active

    with db(filled) as session:
        frame = registry_frame(session)
        frame.loc[frame["opd_code"] == "DINKES", "admin_phone"] = "+62 812-0000-0099"
        outcome = save_registry(session, frame)
        assert outcome.ok, outcome.problems
        account = session.scalars(select(Account).where(Account.handle == "demo.dishub")).one()
        set_active(session, {account.id: False})
        session.commit()
        phone = session.execute(text("SELECT admin_phone FROM opds WHERE code='DINKES'")).scalar()
        assert phone == "+62 812-0000-0099"
        session.refresh(account)
        assert account.active is False
        with pytest.raises(ValueError, match="PANTAU_INDEX_WEIGHTS"):
            save_overrides(session, load_settings(environ={}), {"PANTAU_INDEX_WEIGHTS": "x=1"})


def test_page_on_an_empty_database_and_on_the_demo_world(
    new_db_url: NewDatabase, demo_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = new_db_url("empty")
    engine = make_engine(empty)
    upgrade(engine)
    engine.dispose()
    for url, rows in ((empty, 0), (demo_db_url, 129)):
        gen = serve_from(url, monkeypatch)
        next(gen)
        at = run_page(PAGE)
        assert at.title[0].value == "Pengaturan"
        registry = at.dataframe[0].value
        assert (registry["handle"] != "").sum() == rows
        accounts = at.dataframe[1].value
        assert len(accounts) == rows
        if rows:
            assert "DATA DEMO" in "".join(w.value for w in at.warning)
        next(gen, None)
