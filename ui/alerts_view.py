"""The Peringatan section of Ringkasan: open alerts, newest first, each with its button."""

from __future__ import annotations

import streamlit as st

from core import fmt
from present.alerts import AlertItem, alert_items
from present.markdown import md_escape
from ui.loaders_alerts import FLASH_KEY, acknowledge_alerts, load_alerts
from ui.resources import get_settings

SHOWN = 20  # a first check on a new install may raise many; the newest come first
FIRST = 3  # shown open; the rest wait in an expander so the page's figures stay in view


def _alert_box(item: AlertItem) -> None:
    with st.container(border=True):
        st.markdown(f"**{md_escape(item.title)}** · {item.raised}")
        st.caption(md_escape(item.reason))
        if item.link:
            st.link_button("Buka unggahan", item.link, icon=":material/open_in_new:")
        st.button(
            "Tandai sudah dibaca", key=f"alert_ack_{item.alert_id}", icon=":material/done:",
            on_click=acknowledge_alerts, args=([item.alert_id],),
        )  # fmt: skip


def alerts_section() -> None:
    """Heading, a confirmation after a button, and the open alerts (or a line saying none)."""
    st.subheader("Peringatan")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/done:")
    frame = load_alerts()
    if frame.empty:
        st.caption("Tidak ada peringatan yang belum dibaca.")
        return
    items = alert_items(frame.head(SHOWN), get_settings().tz)
    for item in items[:FIRST]:
        _alert_box(item)
    if len(items) > FIRST:
        with st.expander(f"{fmt.number(len(items) - FIRST)} peringatan lainnya"):
            for item in items[FIRST:]:
                _alert_box(item)
            if len(frame) > SHOWN:
                st.caption(
                    f"Masih ada {fmt.number(len(frame) - SHOWN)} peringatan lama lainnya; "
                    "peringatan yang sudah ditandai dibaca memberi tempat bagi yang lain."
                )
    ids = [int(i) for i in frame["alert_id"]]
    st.button(
        f"Tandai semua ({fmt.number(len(ids))}) sudah dibaca", key="alert_ack_all",
        icon=":material/done_all:", on_click=acknowledge_alerts, args=(ids,),
    )  # fmt: skip
