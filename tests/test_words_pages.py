"""The dashboard's look and words on every page: the house CSS on a page opened by its
address, Indonesian placeholders on every choice, the sign-in page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, make_session_factory
from db.models import Opd
from services.users import ADMIN, OPD, Principal
from tests.app_support import ADMIN_USER, ROOT, ensure_user, run_page, signed_in, texts
from ui import style
from ui.navigation import page_files


def stylesheets(at: AppTest) -> list[str]:
    return [
        str(element.proto.body) for element in at.get("html") if "<style>" in element.proto.body
    ]


def test_a_page_opened_without_app_py_gets_the_house_css(demo_app: str) -> None:
    at = signed_in(
        AppTest.from_file(str(ROOT / "pages/peringkat.py"), default_timeout=90), ADMIN_USER
    )
    at.run()
    assert not at.exception
    assert stylesheets(at) == [style.stylesheet()]  # once, not once per caller
    sheet = stylesheets(at)[0]
    assert "@media (max-width: 640px)" in sheet
    assert "calc(50% - 0.5rem)" in sheet and ".modebar" in sheet


def test_the_sign_in_screen_gets_the_house_css(demo_app: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    assert stylesheets(at) == [style.stylesheet()]
    assert f".st-key-{style.SIGN_IN_KEY}" in stylesheets(at)[0]


def test_the_sign_in_page_names_the_office_and_the_product(
    demo_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert at.title[0].value == "Masuk ke Pantau"
    assert at.caption[0].value == "Dinas Komunikasi dan Informatika Kabupaten Sintang"
    assert "Pantau memantau akun media sosial resmi OPD dan kecamatan Kabupaten Sintang" in texts(
        at
    )
    monkeypatch.setenv("PANTAU_OFFICE_NAME", "Dinas Kominfo Kabupaten Melawi")
    monkeypatch.setenv("PANTAU_REGENCY", "Kabupaten Melawi")
    st.cache_data.clear()  # the settings are cached: read them again
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert at.caption[0].value == "Dinas Kominfo Kabupaten Melawi"
    assert "kecamatan Kabupaten Melawi:" in texts(at)


CHOICE_CALL = re.compile(r"\.(selectbox|multiselect)\(")


def choice_calls(path: Path) -> list[str]:
    """The text of every selectbox/multiselect call in a source file (to its closing line)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    calls = []
    for n, line in enumerate(lines):
        if CHOICE_CALL.search(line):
            end = next(i for i in range(n, len(lines)) if lines[i].rstrip().endswith(")") or
                       lines[i].strip().startswith(")"))  # fmt: skip
            calls.append("\n".join(lines[n : end + 1]))
    return calls


def test_every_choice_in_the_source_has_an_indonesian_placeholder() -> None:
    sources = [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
    calls = [call for path in sources for call in choice_calls(path)]
    assert len(calls) >= 8  # the pattern finds them
    missing = [call for call in calls if "placeholder=" not in call]
    assert not missing, missing


@pytest.mark.parametrize(
    ("role", "page"),
    [(ADMIN, page) for page in page_files(ADMIN)] + [(OPD, page) for page in page_files(OPD)],
)
def test_no_page_offers_choose_an_option(demo_app: str, role: str, page: str) -> None:
    user = ADMIN_USER if role == ADMIN else opd_user(demo_app)
    at = run_page(page, user)
    choices = [*at.selectbox, *at.multiselect]
    for choice in choices:
        placeholder = choice.proto.placeholder
        assert placeholder and not placeholder.startswith("Choose"), (page, choice.label)
        assert placeholder.startswith(("Pilih", "Semua")), (page, placeholder)
    assert stylesheets(at) == [style.stylesheet()]  # app.py and the page's guard: once


def opd_user(url: str) -> Principal:
    with make_session_factory(make_engine(url))() as session:
        opd = session.scalars(select(Opd).where(Opd.code == "DINKES")).one()
        principal = Principal("admin-dinkes-uji", OPD, opd.id, opd.name)
    ensure_user(principal, "DINKES")
    return principal
