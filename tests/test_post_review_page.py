"""Tinjauan Unggahan through AppTest from app.py on the hand-made month: what a reviewer and an
``opd`` user see, the filters, marking a post and taking the mark back."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, make_session_factory
from db.models import Opd, Post
from db.models_followup import PostMark
from services.users import OPD, REVIEWER, Principal
from tests.app_support import ROOT, ensure_user, migrated, run_page, signed_in, texts
from tests.post_review_world import build

PAGE = "pages/tinjauan_unggahan.py"
KEY = "tinjauan_unggahan"
REVIEWER_USER = Principal("peninjau-uji", REVIEWER)


@pytest.fixture
def review_app(app_db: str, fixed_now: datetime) -> str:
    migrated(app_db)
    with make_session_factory(make_engine(app_db))() as session:
        build(session)
    return app_db


def opd_user(url: str, code: str) -> Principal:
    with make_session_factory(make_engine(url))() as session:
        opd = session.scalar(select(Opd).where(Opd.code == code))
        assert opd is not None
        principal = Principal(f"admin-{code.lower()}", OPD, opd.id, opd.name)
    ensure_user(principal, code)
    return principal


def post_id(url: str, platform_post_id: str) -> int:
    with make_session_factory(make_engine(url))() as session:
        found = session.scalar(select(Post.id).where(Post.platform_post_id == platform_post_id))
    assert found is not None
    return found


def marks(url: str) -> dict[int, tuple[str, str | None]]:
    with make_session_factory(make_engine(url))() as session:
        rows = session.execute(select(PostMark.post_id, PostMark.marked_by, PostMark.note))
        return {row[0]: (row[1], row[2]) for row in rows}


def counts(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_reviewer_sees_every_opd(review_app: str) -> None:
    at = run_page(PAGE, REVIEWER_USER)
    assert at.title[0].value == "Tinjauan Unggahan"
    assert counts(at) == {"Unggahan": "11", "Bermasalah": "8", "Sudah ditindaklanjuti": "0"}
    table = at.dataframe[0].value
    assert set(table["OPD"]) == {"Dinas Pertanian", "Dinas Pendidikan"}
    assert list(table.columns[:5]) == ["OPD", "Platform", "Akun", "Waktu unggah", "Tautan"]
    assert table["Waktu unggah"].iloc[0] == "13 November 2026 08.00 WIB"  # newest first
    staff = table[table["Platform"] == "Facebook"]
    assert staff["Tautan"].isna().all()  # a javascript: address is never a link
    assert table["Tautan"].dropna().str.startswith("https://").all()
    assert set(table["Skor"]) >= {"100", "85", "tanpa teks"}


def test_filters_narrow_the_list(review_app: str) -> None:
    at = run_page(PAGE, REVIEWER_USER)
    at.checkbox(key=f"{KEY}_outside").check().run()
    assert counts(at)["Unggahan"] == "2"  # the staff exercise and the post without caption
    assert set(at.dataframe[0].value["Tingkat pejabat"]) == {
        "Lainnya (di luar arahan)", "Tidak ada pejabat",
    }  # fmt: skip
    at.checkbox(key=f"{KEY}_outside").uncheck().run()
    at.multiselect(key=f"{KEY}_missing").set_value(["time"]).run()
    assert counts(at)["Unggahan"] == "2"  # the caption without time, and the one without text
    at.multiselect(key=f"{KEY}_missing").set_value([]).run()
    at.multiselect(key=f"{KEY}_band").set_value(["high"]).run()
    shown = at.dataframe[0].value
    assert len(shown) == 9 and "tanpa teks" not in set(shown["Skor"])


def test_mark_and_unmark_a_post(review_app: str) -> None:
    staff = post_id(review_app, "staff")
    at = run_page(PAGE, REVIEWER_USER)
    at.selectbox(key=f"{KEY}_post").set_value(staff).run()
    assert "Senam pagi bersama staf" in " ".join(str(t.value) for t in at.text)
    at.text_area(key=f"{KEY}_note_{staff}").input("Admin DISTAN sudah ditelepon.")
    click(at, "Tandai ditindaklanjuti")
    assert marks(review_app) == {staff: ("peninjau-uji", "Admin DISTAN sudah ditelepon.")}
    assert "Unggahan ditandai sudah ditindaklanjuti." in [s.value for s in at.success]
    assert counts(at)["Sudah ditindaklanjuti"] == "1"
    assert "Sudah ditindaklanjuti oleh peninjau-uji" in " ".join(str(s.value) for s in at.success)
    at.checkbox(key=f"{KEY}_unmarked").check().run()
    assert counts(at)["Unggahan"] == "10"  # the marked post is out of "belum ditindaklanjuti"
    at.checkbox(key=f"{KEY}_unmarked").uncheck().run()
    at.selectbox(key=f"{KEY}_post").set_value(staff).run()
    click(at, "Batalkan tanda")
    assert marks(review_app) == {}
    assert counts(at)["Sudah ditindaklanjuti"] == "0"


def test_an_opd_user_sees_only_its_own_opd(review_app: str) -> None:
    user = opd_user(review_app, "DISDIK")
    at = run_page(PAGE, user)
    assert counts(at) == {"Unggahan": "1", "Bermasalah": "0", "Sudah ditindaklanjuti": "0"}
    table = at.dataframe[0].value
    assert set(table["OPD"]) == {"Dinas Pendidikan"} and set(table["Akun"]) == {"disdik.sintang"}
    assert at.multiselect(key=f"{KEY}_opd").disabled
    shown = texts(at) + " ".join(str(t.value) for t in at.text)
    assert "Pertanian" not in shown and "distan" not in shown.lower()
    assert len(at.selectbox(key=f"{KEY}_post").options) == 1  # its own post only


def _mark_directly(target: int) -> None:
    """A page that asks the loader to mark a post it was never offered."""
    import streamlit as st

    from ui.loaders_post_review import mark_post

    st.text(mark_post(target, "coba").message)


def test_an_opd_user_cannot_mark_another_opds_post(review_app: str) -> None:
    user = opd_user(review_app, "DISDIK")
    other = post_id(review_app, "staff")
    asked = signed_in(
        AppTest.from_function(_mark_directly, args=(other,), default_timeout=60), user
    )
    asked.run()
    assert not asked.exception
    assert [t.value for t in asked.text] == ["Unggahan ini milik OPD lain."]
    assert marks(review_app) == {}
    own = post_id(review_app, "school")
    done = signed_in(AppTest.from_function(_mark_directly, args=(own,), default_timeout=60), user)
    done.run()
    assert marks(review_app) == {own: ("admin-disdik", "coba")}


def test_another_month_without_posts(review_app: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at = signed_in(at, REVIEWER_USER)
    at.run()
    at.switch_page(PAGE).run()
    at.selectbox(key=f"{KEY}_month").set_value("2026-09").run()
    assert not at.exception
    assert "Belum ada unggahan pada September 2026." in texts(at)
    assert not at.dataframe
