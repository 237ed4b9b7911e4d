"""The invite form: an OPD admin opens the link, chooses a user name and a password, and is
signed in, ready to connect the OPD's accounts."""

from __future__ import annotations

import streamlit as st

from core.passwords import MIN_LENGTH
from present.markdown import md_escape
from services.invites import INVITE_PARAM, InviteError
from ui.auth import sign_in
from ui.loaders_connect import accept_invite, invite_opd_name
from ui.navigation import AFTER_INVITE

PASSWORD_HINT = (
    f"Kata sandi: paling sedikit {MIN_LENGTH} karakter, tidak memuat nama pengguna, dan tidak "
    "mudah ditebak. Gabungan tiga atau empat kata acak yang tidak berhubungan mudah diingat dan "
    "sulit ditebak."
)


def invite_code() -> str:
    return str(st.query_params.get(INVITE_PARAM, ""))


def invite_form() -> None:
    st.title("Undangan Pantau")
    code = invite_code()
    try:
        opd_name = invite_opd_name(code)
    except InviteError as exc:
        st.error(str(exc), icon=":material/link_off:")
        if st.button("Ke halaman masuk", key="undangan_ke_masuk"):
            st.query_params.clear()
            st.rerun()
        return
    st.write(
        f"Anda diundang sebagai admin media sosial **{md_escape(opd_name)}**. Buat nama "
        "pengguna dan kata sandi Anda sendiri; setelah itu Anda dapat menyambungkan akun resmi "
        "OPD ke Pantau."
    )
    with st.form("undangan"):
        username = st.text_input("Nama pengguna", key="undangan_nama")
        st.caption("Nama pengguna: huruf kecil, angka, titik, garis bawah atau tanda hubung.")
        password = st.text_input("Kata sandi", type="password", key="undangan_sandi")
        st.caption(PASSWORD_HINT)
        repeat = st.text_input("Ulangi kata sandi", type="password", key="undangan_ulang")
        sent = st.form_submit_button("Buat akun dan lanjutkan", type="primary")
    if not sent:
        return
    if password != repeat:
        st.error("Kedua kata sandi tidak sama. Ketik ulang.")
        return
    try:
        principal = accept_invite(code, username, password)
    except InviteError as exc:
        st.error(str(exc))
        return
    sign_in(principal)
    st.session_state[AFTER_INVITE] = True
    st.query_params.clear()
    st.rerun()
