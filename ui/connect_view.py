"""Sambungkan Akun's pieces: the consent's return, the accounts with their buttons, invites."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import fmt
from present.connections import state_counts
from present.labels import platform_label
from present.markdown import md_escape
from services.connection_states import CONNECTED, EXPIRED, EXPIRING, PUBLIC, REVOKED
from services.connections import ConnectError
from services.invites import InviteError
from ui.browser_script import go_to
from ui.loaders_connect import create_invite, disconnect, finish_connect, start_connect
from ui.resources import get_settings

RETURN_KEYS = ("state", "code", "error")
FLASH_KEY = "sambung_flash"
# Streamlit's own icons and colours (Debian's Chromium has no colour emoji font)
STATE_ICONS = {
    PUBLIC: ":gray[:material/public:]",
    CONNECTED: ":green[:material/link:]",
    EXPIRING: ":orange[:material/schedule:]",
    EXPIRED: ":red[:material/link_off:]",
    REVOKED: ":red[:material/block:]",
}
PROVIDER_BUTTONS = {"meta": "Facebook dan Instagram", "tiktok": "TikTok", "google": "YouTube"}


def show_consent_return() -> None:
    """The platform sent the owner back (``code`` and ``state``, or ``error``): finish once."""
    show_flash()
    params = {key: str(st.query_params.get(key, "")) for key in RETURN_KEYS}
    if not any(params.values()):
        return
    st.query_params.clear()  # a reload must not replay the consent
    outcome = finish_connect({k: v for k, v in params.items() if v})
    if outcome.ok:
        st.success(outcome.message, icon=":material/link:")
    else:
        st.error(outcome.message, icon=":material/link_off:")
    # names come from the registry and from the platform: shown as text, never as markdown
    if outcome.connected:
        st.write("Tersambung: " + ", ".join(map(md_escape, outcome.connected)))
    if outcome.unmatched:
        st.warning(
            "Dikelola akun ini, tetapi belum ada di daftar OPD Anda (tidak disimpan): "
            + ", ".join(map(md_escape, outcome.unmatched))
            + ". Tambahkan dulu di Pengaturan bila termasuk akun resmi.",
            icon=":material/info:",
        )


def send_to_consent(url: str, label: str) -> None:
    """Send the browser to the platform's consent page (a link too, if scripts are blocked)."""
    go_to(url)
    st.link_button(f"Buka halaman persetujuan {label}", url, type="primary")


def account_rows(frame: pd.DataFrame, providers: dict[str, bool]) -> None:
    """One box per account: platform and account, its state, until when and who connected
    it, and the button (beside on a wide screen, below on a phone)."""
    for row in frame.to_dict("records"):
        with st.container(border=True):
            text, action = st.columns([4, 1], vertical_alignment="center")
            name = md_escape(f"@{row['handle']}")
            text.markdown(f"**{platform_label(str(row['platform']))}** · {name}")
            text.caption(_state_line(row))
            _buttons(action, row, providers)


def _state_line(row: dict[Any, Any]) -> str:
    parts = [f"{STATE_ICONS.get(str(row['state']), '')} {row['state_label']}"]
    if row["has_token"]:
        parts.append(_until_text(row))
        if isinstance(row["connected_by"], str) and row["connected_by"]:
            parts.append(f"disambungkan oleh {md_escape(row['connected_by'])}")
    return " · ".join(parts)


def _until_text(row: dict[Any, Any]) -> str:
    until = row["usable_until"]
    if until is not None and not pd.isna(until):
        moment = pd.Timestamp(until).to_pydatetime()
        return f"berlaku sampai {fmt.date_time(moment, get_settings().tz)}"
    return "berlaku tanpa batas waktu"


def _buttons(cell: DeltaGenerator, row: Any, providers: dict[str, bool]) -> None:
    provider, account_id = row["provider"], int(row["account_id"])
    if row["has_token"]:
        if cell.button("Putuskan", key=f"putus_{account_id}"):
            _disconnect(account_id)
        return
    if not isinstance(provider, str) or not providers.get(provider):
        cell.caption("data publik")
        return
    if cell.button("Sambungkan", key=f"sambung_{account_id}", type="primary"):
        try:
            url = start_connect(provider, account_id)
        except ConnectError as exc:
            st.error(str(exc))
            return
        send_to_consent(url, PROVIDER_BUTTONS[provider])


def _disconnect(account_id: int) -> None:
    """Disconnect, then run the page again so every line shows the new state."""
    try:
        st.session_state[FLASH_KEY] = ("success", disconnect(account_id))
    except ConnectError as exc:
        st.session_state[FLASH_KEY] = ("error", str(exc))
    st.rerun()


def show_flash() -> None:
    """The outcome of an action of the previous run (kept across its rerun)."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is None:
        return
    kind, text = flash
    if kind == "success":
        st.success(text, icon=":material/link_off:")
    else:
        st.error(text)


def admin_overview(accounts: pd.DataFrame, providers: dict[str, bool]) -> None:
    """Admin: how many accounts are in each state, invites, and which apps are not set up."""
    st.dataframe(state_counts(accounts), hide_index=True, width="content")
    invite_section(accounts[["opd_code", "opd_name"]].drop_duplicates())
    missing = [PROVIDER_BUTTONS[name] for name, ready in providers.items() if not ready]
    if missing:
        st.caption(
            "Aplikasi yang belum diatur di server (tombol Sambungkan belum muncul): "
            + ", ".join(missing)
            + ". Lihat Panduan, bagian Sambungkan Akun."
        )


def invite_section(opds: pd.DataFrame) -> None:
    """Admin: a single-use, expiring invite for an OPD's admin, sent by WhatsApp or e-mail."""
    with st.expander("Undang admin OPD", icon=":material/person_add:"):
        st.caption(
            "Admin OPD membuka tautan undangan, membuat kata sandinya sendiri, lalu "
            "menyambungkan akun resmi OPD-nya. Tautan berlaku 3 hari dan hanya sekali pakai."
        )
        names = dict(zip(opds["opd_code"], opds["opd_name"], strict=False))
        with st.form("undang_admin_opd", border=False):
            code = st.selectbox(
                "OPD yang diundang", list(names), format_func=lambda c: names[c],
                key="undang_opd", placeholder="Pilih OPD", index=None,
            )  # fmt: skip
            sent = st.form_submit_button("Buat undangan")
        if not sent:
            return
        if code is None:
            st.warning("Pilih dulu OPD yang diundang.")
            return
        try:
            invite = create_invite(str(code))
        except InviteError as exc:
            st.error(str(exc))
            return
        st.success(f"Undangan untuk {md_escape(invite.opd_name)} berlaku sampai "
                   f"{fmt.date_time(invite.expires_at, get_settings().tz)}.")  # fmt: skip
        st.code(invite.link, language=None)
        if invite.whatsapp:
            st.link_button("Kirim lewat WhatsApp", invite.whatsapp, icon=":material/chat:")
        if invite.email:
            st.link_button("Kirim lewat e-mail", invite.email, icon=":material/mail:")
        if not (invite.whatsapp or invite.email):
            st.caption("Nomor dan e-mail admin OPD ini belum ada di daftar: salin tautan di atas.")
