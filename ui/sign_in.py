"""The sign-in page: the office, the product and what it is for, then the form.

Shown instead of every page until someone signs in (app.py, ui.navigation). Checking the
password is ``services.users``' work; opening the web session is ``ui.auth``'s.
"""

from __future__ import annotations

import logging

import streamlit as st

from core.timeutil import utcnow
from db.engine import make_session_factory
from reports.summary import office_name
from services import users
from ui.auth import EXPIRED_KEY, sign_in
from ui.resources import get_engine, get_settings
from ui.style import SIGN_IN_KEY

WRONG = (
    "Nama pengguna atau kata sandi salah, atau akun sedang dikunci sementara. "
    "Setelah lima kali salah, akun dikunci 15 menit."
)
BUSY = "Terlalu banyak percobaan masuk saat ini. Coba lagi sebentar."
# the per-address limit (services.sign_in_guard): an office behind one address may reach it
NETWORK_REFUSED = (
    "Terlalu banyak percobaan masuk yang gagal dari jaringan ini. Coba lagi dalam 15 menit."
)


def auth_log_to_stderr() -> None:
    """The dashboard sets up no logging of its own: send the ``pantau.auth`` lines (sign-ins
    too, which are INFO) to its stderr, the journal under systemd, unless something already
    handles them. Once per process."""
    auth = logging.getLogger("pantau.auth")
    if auth.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    auth.addHandler(handler)
    auth.setLevel(logging.INFO)


def client_address() -> str | None:
    """The browser's address as Streamlit sees the connection (None from this machine); for the
    per-address limit and the auth log (services.sign_in_guard)."""
    return st.context.ip_address


def try_sign_in(username: str, password: str) -> str | None:
    """Sign in, or the Indonesian reason why not (the same for every refusal of a user, so the
    page never tells which names exist; a refused address is told apart). The web session
    begins at the time the user was read, so a password changed since ends it."""
    now, client = utcnow(), client_address()
    try:
        with make_session_factory(get_engine())() as session:
            principal = users.authenticate(session, username, password, now, client)
    except users.SignInBusy:
        return BUSY
    if principal is None:
        return NETWORK_REFUSED if users.address_refused(client, now) else WRONG
    sign_in(principal, now)
    return None


def has_users() -> bool:
    with make_session_factory(get_engine())() as session:
        return users.user_count(session) > 0


def login_form() -> None:
    """The sign-in page (shown instead of every page until someone signs in): the office, the
    product and what it is for, then the form, in a centred column (ui.style)."""
    auth_log_to_stderr()
    with st.container(key=SIGN_IN_KEY):
        _login_column()


def _login_column() -> None:
    settings = get_settings()
    st.caption(office_name(settings))
    st.title("Masuk ke Pantau")
    st.markdown(
        f"Pantau memantau akun media sosial resmi OPD dan kecamatan {settings.regency_name}: "
        "mana yang aktif, mana yang perlu diingatkan, dan seberapa baik unggahannya."
    )
    if st.session_state.pop(EXPIRED_KEY, False):
        st.info("Sesi Anda sudah berakhir. Silakan masuk lagi.", icon=":material/schedule:")
    if not has_users():
        st.warning(
            "Belum ada pengguna. Admin server dapat membuatnya dengan "
            "`python cli.py user add NAMA --role admin`."
        )
    with st.form("masuk"):
        username = st.text_input("Nama pengguna", key="masuk_nama")
        password = st.text_input("Kata sandi", type="password", key="masuk_sandi")
        sent = st.form_submit_button("Masuk", type="primary")
    if sent:
        refusal = try_sign_in(username, password)
        if refusal is None:
            st.rerun()
        st.error(refusal)
