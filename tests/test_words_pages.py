"""The dashboard's look and words on every page: the house CSS on a page opened by its
address, Indonesian placeholders on every choice, the sign-in page."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app_support import ADMIN_USER, ROOT, signed_in, texts
from ui import style


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
