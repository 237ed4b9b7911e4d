"""Tinjauan Unggahan through AppTest from app.py on the hand-made month: what a reviewer and an
``opd`` user see, the filters, marking a post and taking the mark back."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from db.models import Opd, Post
from db.models_access import User
from db.models_followup import PostMark
from services.post_review import post_review
from services.users import OPD, REVIEWER, Principal
from tests.app_support import (
    ROOT,
    choose_month,
    ensure_user,
    migrated,
    run_page,
    shown_cells,
    signed_in,
    texts,
)
from tests.post_review_world import build
from ui.auth import DENIED

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


def open_november(user: Principal) -> AppTest:
    """The page on November, the running month of FIXED_NOW that the world's posts are in
    (it opens on the last complete month, October)."""
    return choose_month(run_page(PAGE, user), "2026-11")


def counts(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_reviewer_sees_every_opd(review_app: str) -> None:
    at = open_november(REVIEWER_USER)
    assert at.title[0].value == "Tinjauan Unggahan"
    assert counts(at) == {"Unggahan": "11", "Bermasalah": "8", "Sudah ditindaklanjuti": "0"}
    values, table = at.dataframe[0].value, shown_cells(at.dataframe[0])
    assert set(table["OPD"]) == {"Dinas Pertanian", "Dinas Pendidikan"}
    assert list(table.columns[:5]) == ["OPD", "Platform", "Akun", "Waktu unggah", "Tautan"]
    assert table["Waktu unggah"].iloc[0] == "13 November 2026 08.00 WIB"  # newest first
    assert values["Waktu unggah"].is_monotonic_decreasing  # moments, sorted by time
    staff = values[values["Platform"] == "Facebook"]
    assert staff["Tautan"].isna().all()  # a javascript: address is never a link
    assert values["Tautan"].dropna().str.startswith("https://").all()
    assert set(table["Skor"]) >= {"100", "85", "tanpa teks"}
    assert values["Skor"].dtype == "float64"  # sorted by value, "tanpa teks" lowest


def test_filters_narrow_the_list(review_app: str) -> None:
    at = open_november(REVIEWER_USER)
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
    shown = shown_cells(at.dataframe[0])
    assert len(shown) == 9 and "tanpa teks" not in set(shown["Skor"])


def test_mark_and_unmark_a_post(review_app: str) -> None:
    staff = post_id(review_app, "staff")
    at = open_november(REVIEWER_USER)
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
    at = open_november(user)
    assert counts(at) == {"Unggahan": "1", "Bermasalah": "0", "Sudah ditindaklanjuti": "0"}
    table = at.dataframe[0].value
    assert set(table["OPD"]) == {"Dinas Pendidikan"} and set(table["Akun"]) == {"disdik.sintang"}
    assert at.multiselect(key=f"{KEY}_opd").disabled
    shown = texts(at) + " ".join(str(t.value) for t in at.text)
    assert "Pertanian" not in shown and "distan" not in shown.lower()
    assert len(at.selectbox(key=f"{KEY}_post").options) == 1  # its own post only


def _mark_directly(target: int) -> None:
    """A page that asks the loader to mark a post, and then to take a mark back."""
    import streamlit as st

    from ui.loaders_post_review import mark_post, unmark_post

    st.text(mark_post(target, "Sudah kami perbaiki sendiri.").message)
    st.text(unmark_post(target).message)


def test_an_opd_user_cannot_mark_or_unmark_even_its_own_post(review_app: str) -> None:
    user = opd_user(review_app, "DISTAN")
    own = post_id(review_app, "staff")
    asked = signed_in(AppTest.from_function(_mark_directly, args=(own,), default_timeout=60), user)
    asked.run()
    assert not asked.exception
    assert [e.value for e in asked.error] == [DENIED] and not asked.text  # stopped at the mark
    assert marks(review_app) == {}
    staff = signed_in(
        AppTest.from_function(_mark_directly, args=(own,), default_timeout=60), REVIEWER_USER
    )
    staff.run()
    assert [t.value for t in staff.text] == [
        "Unggahan ditandai sudah ditindaklanjuti.", "Tanda ditindaklanjuti dibatalkan.",
    ]  # fmt: skip


def test_an_opd_user_reads_the_mark_without_changing_it(review_app: str) -> None:
    own = post_id(review_app, "staff")
    at = open_november(REVIEWER_USER)
    at.selectbox(key=f"{KEY}_post").set_value(own).run()
    at.text_area(key=f"{KEY}_note_{own}").input("Admin DISTAN sudah ditelepon.")
    click(at, "Tandai ditindaklanjuti")
    assert not [i for i in at.info if "hanya dibuat oleh" in str(i.value)]  # staff: the form
    at = open_november(opd_user(review_app, "DISTAN"))
    assert "hanya dibuat oleh Bidang Komunikasi Publik Diskominfo" in str(at.info[0].value)
    at.selectbox(key=f"{KEY}_post").set_value(own).run()
    shown = " ".join(str(s.value) for s in at.success) + " ".join(str(t.value) for t in at.text)
    assert "Sudah ditindaklanjuti oleh peninjau-uji" in shown
    assert "Catatan: Admin DISTAN sudah ditelepon." in shown
    labels = {b.label for b in at.button}
    assert not labels & {"Tandai ditindaklanjuti", "Batalkan tanda"}
    assert not at.text_area


def _loads_around_a_mark(target: int, opd_id: int) -> None:
    """Loads what shows marks (and one page's cache that does not), marks, loads again."""
    import streamlit as st

    from ui.loaders_account import load_account_choices
    from ui.loaders_opd import _performance
    from ui.loaders_post_review import load_post_review, mark_post
    from ui.loaders_recap import load_opd_recap, load_recap

    def seen() -> None:
        load_account_choices()
        marked = int(load_post_review("2026-11")["marked_at"].notna().sum())
        performance = _performance(opd_id, "2026-11")
        fixes = -1 if performance is None else len(performance.fixes)
        st.text(f"{marked}|{fixes}")
        st.code(load_recap("2026-11"))
        st.code(load_opd_recap("2026-11", "DISTAN").text)

    seen()
    mark_post(target, "")
    seen()


def test_a_mark_empties_only_the_caches_that_show_marks(
    review_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    import ui.loaders_account

    calls: list[int] = []
    registry = ui.loaders_account.account_list

    def counted(session: object) -> object:
        calls.append(1)
        return registry(session)

    monkeypatch.setattr(ui.loaders_account, "account_list", counted)
    st.cache_data.clear()
    farm = opd_user(review_app, "DISTAN").opd_id
    at = AppTest.from_function(
        _loads_around_a_mark, args=(post_id(review_app, "staff"), farm), default_timeout=90
    )
    signed_in(at, REVIEWER_USER).run()
    assert not at.exception, [e.message for e in at.exception]
    (marked_before, fixes_before), (marked_after, fixes_after) = (
        map(int, str(t.value).split("|")) for t in at.text
    )
    assert (marked_before, marked_after) == (0, 1) and fixes_after == fixes_before - 1
    recaps = [str(c.value) for c in at.code]
    for before, after in (recaps[0:3:2], recaps[1:4:2]):
        assert before != after and "perlu diperbaiki" in before
    assert calls == [1]  # the account list was not loaded again


def test_the_xlsx_is_made_outside_the_page_run(
    review_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The download button calls the maker with no signed-in user around: it must not ask."""
    import ui.auth
    import ui.loaders_post_review as loaders

    with make_session_factory(make_engine(review_app))() as session:
        review = post_review(session, "2026-11", load_settings())
    maker = loaders.xlsx_maker(review, "2026-11")

    def asked(*_: object) -> None:
        raise AssertionError("the download asked for the user or the settings")

    monkeypatch.setattr(ui.auth, "current_user", asked)
    monkeypatch.setattr(loaders, "get_settings", asked)
    sheet = load_workbook(io.BytesIO(maker())).active
    assert sheet is not None and sheet.title == "Unggahan 2026-11"
    assert sheet.max_row == len(review) + 1


def _scoped_loads() -> None:
    import streamlit as st

    from ui.loaders_account import load_account_choices
    from ui.loaders_connect import load_connections
    from ui.loaders_opd import load_opd_performance
    from ui.loaders_post_review import load_post_review

    st.text(f"akun {len(load_account_choices())}")
    st.text(f"sambungan {len(load_connections())}")
    st.text(f"unggahan {len(load_post_review('2026-11'))}")
    st.text(f"kinerja {load_opd_performance('2026-11')}")


def test_an_opd_user_whose_opd_is_gone_sees_nothing(review_app: str) -> None:
    """users.opd_id is set to NULL when its OPD is deleted: that is no OPD, not every OPD."""
    ensure_user(Principal("admin-yatim", OPD), "DISDIK")
    with make_session_factory(make_engine(review_app))() as session:
        session.execute(update(User).where(User.username == "admin-yatim").values(opd_id=None))
        session.commit()
    orphan = Principal("admin-yatim", OPD, None, None)
    at = signed_in(AppTest.from_function(_scoped_loads, default_timeout=60), orphan)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [t.value for t in at.text] == [
        "akun 0", "sambungan 0", "unggahan 0", "kinerja None",
    ]  # fmt: skip
    page = run_page(PAGE, orphan)
    assert "Belum ada unggahan pada" in texts(page) and not page.dataframe


def test_another_month_without_posts(review_app: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at = signed_in(at, REVIEWER_USER)
    at.run()
    at.switch_page(PAGE).run()
    at.selectbox(key=f"{KEY}_month").set_value("2026-09").run()
    assert not at.exception
    assert "Belum ada unggahan pada September 2026." in texts(at)
    assert not at.dataframe
