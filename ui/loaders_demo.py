"""Leaving the demo from Pengaturan: what the demo world holds here, and its removal.

Only an admin sees it, only while the database holds the demo. The admin types
:data:`CONFIRM_WORDS`; the removal then runs in one transaction with the rankings redone, the
briefings made on demo data are deleted and every cache is emptied, so no page says DATA DEMO.
The demo logins go too: an admin signed in with one is signed out at the next click (the web
session is gone), which the section says beforehand. It refuses while no other admin exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core import fmt
from core.passwords import HasherBusy
from db.engine import make_session_factory
from demo.contacts import demo_contacts
from present.markdown import md_escape
from refresh import after_write
from reports.demo_briefings import discard_demo_briefings
from services.demo_removal import (
    DemoRemoval,
    DemoState,
    NoOtherAdmin,
    demo_logins,
    demo_state,
    other_admins,
    remove_demo,
)
from ui.auth import ADMIN, guarded, require
from ui.errors import guarded_action
from ui.loaders import load_is_demo
from ui.resources import TTL_SECONDS, get_engine, get_settings

CONFIRM_WORDS = "HAPUS DEMO"
CONFIRM_KEY = "hapus_demo_ketik"
FLASH_KEY = "hapus_demo_hasil"  # (ok, text): the outcome of the last press, shown once
NO_ADMIN = (
    "Belum ada admin selain login demo. Buat dulu akun admin Anda sendiri di server dengan "
    "`python cli.py user add NAMA --role admin`, lalu hapus data demo."
)
NOT_CONFIRMED = (
    f"Data demo belum dihapus: ketik **{CONFIRM_WORDS}** persis seperti tertulis, dengan huruf "
    "besar, di kotak konfirmasi."
)
# finding the demo logins checks their passwords, which waits its turn with the sign-ins
HASHER_BUSY = "Server sedang sibuk memeriksa kata sandi. Coba lagi sebentar."
REMOVED_LABELS = {  # rows of these tables are named in the outcome, in this order
    "accounts": "akun",
    "posts": "unggahan",
    "follower_snapshots": "catatan jumlah pengikut",
    "collection_runs": "catatan pengambilan data",
    "reminders": "pengingat",
    "month_scores": "baris peringkat tersimpan",
}


@dataclass(frozen=True)
class DemoOverview:
    """What the section says will go and what stays."""

    state: DemoState
    logins: tuple[str, ...]  # the demo logins that will be removed
    other_admins: int  # admins who can still sign in afterwards


@guarded(ADMIN)
@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_demo_overview() -> DemoOverview:
    with make_session_factory(get_engine())() as session:
        logins = demo_logins(session)
        return DemoOverview(
            demo_state(session), tuple(u.username for u in logins), other_admins(session, logins)
        )


@guarded_action
def remove_demo_world() -> None:
    """Button callback (runs before the page, so the page that follows shows no demo)."""
    actor = require(ADMIN).username
    if str(st.session_state.get(CONFIRM_KEY, "")).strip() != CONFIRM_WORDS:
        st.session_state[FLASH_KEY] = (False, NOT_CONFIRMED)
        return
    settings = get_settings()
    try:
        with make_session_factory(get_engine())() as session:
            removal = remove_demo(session, demo_contacts(), keep_an_admin=True, actor=actor)
            after_write(session, settings)
            session.commit()
    except NoOtherAdmin:
        st.session_state[FLASH_KEY] = (False, NO_ADMIN)
        return
    except HasherBusy:
        st.session_state[FLASH_KEY] = (False, HASHER_BUSY)
        return
    briefings = len(discard_demo_briefings(settings, removal.loaded_at))
    st.cache_data.clear()
    st.session_state[CONFIRM_KEY] = ""
    st.session_state[FLASH_KEY] = (True, outcome_text(removal, briefings))


def _join(items: list[str]) -> str:
    """'a', 'a dan b', 'a, b, dan c'."""
    if len(items) < 3:
        return " dan ".join(items)
    return f"{', '.join(items[:-1])}, dan {items[-1]}"


def outcome_text(removal: DemoRemoval, briefings: int) -> str:
    removed = [
        f"{fmt.number(removal.rows[table])} {label}"
        for table, label in REMOVED_LABELS.items()
        if removal.rows[table]
    ]
    parts = [f"Data demo sudah dihapus: {_join(removed) or 'tidak ada baris data'}."]
    if removal.logins:
        parts.append(f"Login demo yang dihapus: {_join(list(removal.logins))}.")
    if removal.contacts_cleared:
        parts.append(
            f"Kontak admin contoh pada {fmt.number(removal.contacts_cleared)} OPD dikosongkan."
        )
    if briefings:
        files = fmt.number(briefings)
        parts.append(f"Bahan paparan yang dibuat dari data demo juga dihapus: {files} berkas.")
    kept = f"Daftar {fmt.number(removal.opds_kept)} OPD tetap tersimpan"
    if removal.real_accounts_kept:
        kept += f", begitu pula {fmt.number(removal.real_accounts_kept)} akun milik kantor"
    return " ".join([*parts, f"{kept}."])


def explanation(overview: DemoOverview) -> str:
    state = overview.state
    logins = (
        f"; login demo ({_join([md_escape(n) for n in overview.logins])})"
        if overview.logins
        else ""
    )
    kept = f"daftar {fmt.number(state.opds)} OPD"
    if state.real_accounts:
        kept += (
            f" dan {fmt.number(state.real_accounts)} akun yang ditambahkan kantor beserta datanya"
        )
    return (
        "Basis data Pantau saat ini berisi **data demo**: akun dan angka contoh buatan untuk "
        "mencoba dasbor. "
        "Sebelum memantau akun OPD yang sebenarnya, hapus data demo ini.\n\n"
        f"**Yang dihapus:** {fmt.number(state.demo_accounts)} akun demo beserta unggahan, "
        "riwayat jumlah pengikut, catatan pengambilan data, pengingat, dan peringkat "
        f"tersimpan{logins}; serta kontak admin contoh pada daftar OPD.\n\n"
        f"**Yang tetap:** {kept}.\n\n"
        "Jika Anda sekarang masuk dengan login demo, Anda akan keluar dan perlu masuk lagi "
        "dengan akun admin Anda sendiri. Penghapusan ini tidak dapat dibatalkan."
    )


def demo_removal_section() -> None:
    """The end of Pengaturan: the outcome of the last press, then, while the database holds
    the demo, the section that removes it."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is not None:
        ok, text = flash
        (st.success if ok else st.error)(text)
    if not load_is_demo():
        return
    with st.expander("Hapus data demo", icon=":material/delete:"):
        try:
            overview = load_demo_overview()
        except HasherBusy:
            st.warning(HASHER_BUSY, icon=":material/hourglass_empty:")
            return
        st.markdown(explanation(overview))
        if not overview.other_admins:
            st.warning(NO_ADMIN)
        typed = st.text_input(f"Ketik {CONFIRM_WORDS} untuk memastikan", key=CONFIRM_KEY)
        st.button(
            "Hapus data demo", key="hapus_demo", type="primary", on_click=remove_demo_world,
            disabled=typed.strip() != CONFIRM_WORDS or not overview.other_admins,
        )  # fmt: skip
