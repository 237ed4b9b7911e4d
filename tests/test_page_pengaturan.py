"""Pengaturan: registry editing through the importer, uploads, watched accounts, overrides."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select, text

from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import Account
from ingest.registry import REGISTRY_COLUMNS
from services.config import effective_settings, save_overrides
from testkit.db_support import NewDatabase
from tests.app_support import run_page, serve_from
from tests.sample_world import build_sample_world

PAGE = "pages/pengaturan.py"


@pytest.fixture
def filled(
    new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime
) -> Iterator[str]:
    url = new_db_url("settings")
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        build_sample_world(session, now=fixed_now)
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
    assert at.error[0].value == (
        "Nilai belum dapat disimpan: batas Aktif harus lebih kecil daripada batas Dorman."
    )  # in Indonesian, not the setting's English message
    at.number_input(key="active_days").set_value(7)
    at.text_input(key="thresholds").set_value("youtube=60:30")
    at.button(key="save_rules").click().run()
    assert "seperti youtube=30:60" in at.error[0].value and "PANTAU_" not in at.error[0].value
    at.text_input(key="thresholds").set_value("")
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


# --- issue #13: the registry table saved unchanged is a no-op; its errors point at what is shown

EXTRA = (
    "opd_code,opd_name,category,platform,handle,admin_name,admin_phone,admin_email\n"
    "DINKES,Dinas Kesehatan,dinas,website,HTTP://Dinkes.Sintangkab.go.id:8080/Berita/,,,\n"
    "DINKES,Dinas Kesehatan,dinas,website,https://sintangkab.go.id,,,\n"
    "DISHUB,Dinas Perhubungan,dinas,fb,https://www.facebook.com/profile.php?id=100064123456789,,,\n"
    "DISHUB,Dinas Perhubungan,dinas,yt,https://www.youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0kL,,,\n"
    "DPUPR,Dinas Pekerjaan Umum,dinas,instagram,https://www.instagram.com/X.com/,,,\n"
    'BAPPEDA,"Badan Perencanaan, Riset",badan,,,,,\n'
)


def _registry_state(url: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with db(url) as session:
        opds = session.execute(text("SELECT * FROM opds ORDER BY code")).all()
        accounts = session.execute(text("SELECT * FROM accounts ORDER BY id")).all()
    return [tuple(r) for r in opds], [tuple(r) for r in accounts]


@pytest.fixture
def registered(filled: str) -> str:
    """The sample world plus an http site, ids and a name that reads as an address."""
    from ingest.registry import import_registry

    with db(filled) as session:
        report = import_registry(session, EXTRA.encode(), "extra.csv")
        assert report.issues == []
        session.execute(text("UPDATE accounts SET active = false WHERE handle = 'demo.dpupr'"))
        session.commit()
    return filled


def test_saving_the_registry_table_unchanged_changes_nothing(registered: str) -> None:
    before = _registry_state(registered)
    at = run_page(PAGE)
    shown = at.dataframe[0].value["handle"].tolist()
    assert "http://dinkes.sintangkab.go.id:8080/berita" in shown  # the scheme is on screen
    assert "sintangkab.go.id" in shown and "UCa1B2c3D4e5F6g7H8i9J0kL" in shown

    at.button(key="save_registry").click().run()

    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert "Akun: 0 baru, 0 diperbarui, 10 tetap." in at.success[0].value
    assert _registry_state(registered) == before


def test_saving_the_registry_frame_unchanged_in_services(registered: str) -> None:
    from services.admin import registry_frame, save_registry

    before = _registry_state(registered)
    with db(registered) as session:
        outcome = save_registry(session, registry_frame(session))
        session.commit()
    assert outcome.ok and outcome.problems == []
    assert "OPD: 0 baru, 0 diperbarui, 5 tetap." in outcome.summary
    assert _registry_state(registered) == before


def test_empty_cells_show_empty_and_new_rows_start_empty(registered: str) -> None:
    import json

    at = run_page(PAGE)
    editor = at.dataframe[0]
    assert editor.proto.placeholder == ""  # missing values are drawn empty, not as "None"
    columns = json.loads(editor.proto.columns)
    assert columns["opd_code"] == {
        "label": "Kode OPD",
        "default": "",
        "type_config": {"type": "text"},
    }
    assert all(columns[c]["default"] == "" for c in REGISTRY_COLUMNS)
    registry = editor.value
    assert not registry.isna().any().any() and "None" not in registry.to_numpy()
    bappeda = registry[registry["opd_code"] == "BAPPEDA"].iloc[0]
    assert (bappeda["platform"], bappeda["handle"], bappeda["admin_name"]) == ("", "", "")


def _bad_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """What a user might leave in the table: an emptied code, a bad e-mail, a missing handle,
    an account without platform, a blank new row and a new row whose cells are missing."""
    edited = frame.copy()
    dinkes_ig = (edited["opd_code"] == "DINKES") & (edited["handle"] == "demo.dinkes")
    edited.loc[dinkes_ig, "opd_code"] = ""
    edited.loc[edited["handle"] == "demo.dishub", "admin_email"] = "bukan-surel"
    edited.loc[edited["handle"] == "demo.dpupr", "handle"] = None
    new = [
        {"opd_code": "DISPORA", "opd_name": "Dinas Pemuda", "platform": None, "handle": "@ok"},
        dict.fromkeys(frame.columns),
        {"opd_code": "DISSOS", "opd_name": "Dinas Sosial", "category": None},
    ]
    return pd.concat([edited, pd.DataFrame(new)], ignore_index=True)


EXPECTED_PROBLEMS = [
    'Baris "Dinas Kesehatan – instagram demo.dinkes": kolom Kode OPD wajib diisi, tetapi masih '
    "kosong.",
    "Baris \"Dinas Perhubungan – facebook demo.dishub\": 'bukan-surel' bukan alamat e-mail yang "
    "valid.",
]


def test_table_errors_name_the_row_and_the_column_as_shown(registered: str) -> None:
    from services.admin import registry_frame, save_registry

    with db(registered) as session:
        outcome = save_registry(session, _bad_cells(registry_frame(session)))
        session.commit()
        names = session.execute(text("SELECT name, category FROM opds WHERE code = 'DISSOS'")).one()
    problems = "\n".join(outcome.problems)
    assert not outcome.ok
    assert problems.splitlines()[:2] == EXPECTED_PROBLEMS
    assert (
        'Baris "Dinas Pekerjaan Umum – instagram": platform instagram diisi tanpa nama akun. '
        "Mohon isi kolom Akun." in problems
    )
    assert (
        "Baris \"Dinas Pemuda – @ok\": akun '@ok' diisi tanpa platform. Mohon isi kolom "
        "Platform." in problems
    )
    for internal in ("opd_code", "admin_email", "handle", "None", "nan"):
        assert internal not in problems, internal
    assert not re.search(r"Baris \d", problems)  # the table shows no row numbers
    assert len(outcome.problems) == 4  # the blank new row is no problem, it is left out
    assert tuple(names) == ("Dinas Sosial", "")  # missing cells are stored empty, not "None"


def test_the_page_shows_those_errors(registered: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    real_editor = st.data_editor

    def editing(data: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
        shown = real_editor(data, **kwargs)
        return _bad_cells(shown) if kwargs.get("key") == "registry_editor" else shown

    monkeypatch.setattr(st, "data_editor", editing)
    at = run_page(PAGE)
    at.button(key="save_registry").click().run()
    assert "4 kesalahan" in at.warning[0].value
    assert [t.value for t in at.text][:2] == EXPECTED_PROBLEMS
