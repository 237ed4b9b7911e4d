"""A page opened first by its address (a bookmark) before app.py has run in the session.

Streamlit takes pages/ for its old multipage layout until an app.py run calls st.navigation, and
then runs the page alone under a menu of file names. AppTest behaves so on every run (it resets
that layout flag), which lets these tests start a session as such a bookmark does: the page
hands over to app.py (ui.navigation.hand_over_to_app), app.py opens it again
(ui.navigation.open_deep_link). The browser test: tests/test_browser.py.
"""

from __future__ import annotations

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, make_session_factory
from db.models import Account
from services.users import REVIEWER, Principal
from tests.app_support import ADMIN_USER, ROOT, signed_in, texts
from ui.navigation import APP_RAN, DEEP_LINK

SIDEBAR_CAPTION = "Pantau · Bidang Komunikasi Publik, Dinas Kominfo"  # drawn by app.py only


def an_account_beyond_the_first(url: str) -> int:
    with make_session_factory(make_engine(url))() as session:
        found = session.scalar(select(Account.id).order_by(Account.id.desc()))
    assert found is not None
    return int(found)


def bookmark(page: str, query: dict[str, str]) -> AppTest:
    """A new session whose first request is ``page``'s address with ``query``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for name, value in query.items():
        at.query_params[name] = value
    return at.switch_page(page)


def test_a_bookmarked_page_opens_inside_app_py_with_its_query(demo_app: str) -> None:
    account = an_account_beyond_the_first(demo_app)
    at = signed_in(bookmark("pages/detail_akun.py", {"akun": str(account)}), ADMIN_USER).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Detail Akun"
    assert SIDEBAR_CAPTION in [c.value for c in at.sidebar.caption]  # app.py's frame is there
    assert at.query_params["akun"] == str(account)
    assert at.selectbox[0].value == account  # the account of the address, not the first
    assert at.session_state[APP_RAN] and DEEP_LINK not in at.session_state


def test_a_bookmark_opened_signed_out_asks_to_sign_in_in_app_py(demo_app: str) -> None:
    at = bookmark("pages/peringkat.py", {"bulan": "2026-10"}).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Masuk ke Pantau"
    assert at.session_state[APP_RAN] and DEEP_LINK not in at.session_state
    assert at.query_params["bulan"] == "2026-10"  # kept for the page after the sign-in
    assert not at.dataframe and not at.metric and "DATA DEMO" not in texts(at)


def test_a_bookmark_of_a_page_not_in_the_menu_opens_the_home_page(demo_app: str) -> None:
    reviewer = Principal("peninjau-uji", REVIEWER)  # Pengaturan is the admin's
    at = signed_in(bookmark("pages/pengaturan.py", {}), reviewer).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Ringkasan"
    assert DEEP_LINK not in at.session_state
