"""Account lists that read on every screen: a table on a desktop, cards on a phone, and the
OPDs that have no account at all."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from present.cards import no_account_cards
from present.markdown import md_escape
from present.tables import TableView, no_account_table
from ui.components import table
from ui.style import CARDS_KEY_PREFIX, WIDE_KEY_PREFIX


def table_or_cards(view: TableView, cards: list[str], key: str) -> None:
    """Both the table and the cards; the house CSS (ui.style) shows the table on a wide
    screen and the cards on a phone (the server cannot know the width)."""
    with st.container(key=f"{WIDE_KEY_PREFIX}{key}"):
        table(view, key=key)
    with st.container(key=f"{CARDS_KEY_PREFIX}{key}"):
        for number, card in enumerate(cards):
            with st.container(border=True, key=f"{key}_card_{number}"):
                st.markdown(card)


def no_account_section(opds: pd.DataFrame, key: str) -> None:
    """The OPDs in the registry with no watched account: a finding, not a gap in a list."""
    if opds.empty:
        return
    st.subheader("OPD yang belum punya akun")
    st.caption(
        "OPD berikut tercatat di daftar OPD tetapi belum punya akun media sosial resmi yang "
        "dipantau, jadi tidak muncul di daftar akun maupun peringkat. Tanyakan kepada admin OPD "
        "apakah akunnya sudah ada lalu daftarkan di halaman Pengaturan."
    )
    table_or_cards(no_account_table(opds), no_account_cards(opds, md_escape), key=key)
