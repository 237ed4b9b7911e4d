"""Reusable widgets. Each takes plain values or DataFrames, never a database session."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core import period
from metrics.reminders import mailto_link, whatsapp_link
from present import export
from present.charts import CHART_CONFIG
from present.labels import platform_label
from present.markdown import md_escape
from present.tables import TableView
from ui.loaders import load_is_demo
from ui.loaders_account import UNREADABLE_FALLBACK
from ui.resources import get_settings, now_local

DEMO_TEXT = (
    "**DATA DEMO** — angka di halaman ini berasal dari data contoh buatan, "
    "bukan dari akun OPD yang sebenarnya."
)


def demo_banner() -> None:
    if load_is_demo():
        st.warning(DEMO_TEXT, icon=":material/science:")


def month_picker(key: str, months_back: int = 15) -> str:
    """Select box of recent months, newest first; returns ``YYYY-MM``. It opens on the last
    complete month; the running month is offered on top, labelled as such."""
    now = now_local()
    tz = get_settings().tz
    months = period.recent_months(now, tz, months_back)
    label = partial(period.month_label, now=now, tz=tz)
    return str(
        st.selectbox(
            "Bulan", months, index=1, format_func=label, key=key, placeholder="Pilih bulan"
        )
    )


IMAGE_MIME = {"png": "image/png", "svg": "image/svg+xml"}


def chart(fig: go.Figure, key: str) -> None:
    """A plotly chart in the house style with "Unduh PNG" and "Unduh SVG" buttons.

    Each image is rendered only when its button is clicked (a callable ``data``), through the
    server's Chromium (present.export), with the same margins and names as on screen; without
    Chromium the buttons are disabled and a line says why.
    """
    st.plotly_chart(fig, width="stretch", config=CHART_CONFIG, key=key)
    available = export.export_available()
    with st.container(horizontal=True, key=f"{key}_downloads"):
        for kind in export.DOWNLOAD_SPECS:  # PNG first: what most people want
            st.download_button(
                f"Unduh {kind.upper()}",
                data=partial(export.figure_image, fig, kind),
                file_name=f"pantau-{key}.{kind}",
                mime=IMAGE_MIME[kind],
                key=f"{key}_{kind}",
                on_click="ignore",
                icon=":material/download:",
                type="tertiary",
                disabled=not available,
            )
    if not available:
        st.caption(export.MESSAGE_ID)


def _column_config(view: TableView) -> dict[str, Any]:
    """Link columns show their text; numbers and dates keep the Styler's text (no format)."""
    config: dict[str, Any] = {}
    for header, column in view.columns.items():
        if column.kind == "link":
            config[header] = st.column_config.LinkColumn(
                header, display_text=column.link_text, width=column.width
            )
        elif column.width is not None:
            config[header] = st.column_config.Column(header, width=column.width)
    return config


def table(
    frame: pd.DataFrame | TableView, key: str, height: int | Literal["auto"] = "auto"
) -> None:
    """A table; a TableView's numbers and dates stay values (they sort by value) and read
    in Indonesian through a Styler, which Streamlit shows in place of its own number format."""
    if frame.empty:
        st.info("Belum ada data untuk ditampilkan.")
        return
    if isinstance(frame, TableView):
        texts: dict[object, Callable[[object], str] | str | None] = {
            h: c.text for h, c in frame.columns.items() if c.kind in ("number", "date")
        }
        st.dataframe(
            frame.sortable().style.format(texts),
            hide_index=True,
            width="stretch",
            height=height,
            key=key,
            column_config=_column_config(frame),
        )
        return
    st.dataframe(frame, hide_index=True, width="stretch", height=height, key=key)


def multi_choice(
    label: str,
    options: list[str],
    format_func: Callable[[str], str],
    key: str,
    disabled: bool = False,
) -> list[str]:
    """Multi-select where an empty choice means 'all'."""
    chosen = st.multiselect(
        label, options, format_func=format_func, key=key, disabled=disabled, placeholder="Semua"
    )
    return [str(c) for c in chosen]


def send_buttons(
    phone: str | None, email: str | None, subject: str, text: str, where_to_fix: str = ""
) -> None:
    """WhatsApp and e-mail buttons prefilled with ``text``, or a note where a contact is missing."""
    wa_link = whatsapp_link(phone, text)
    mail_link = mailto_link(email, subject, text)
    col_wa, col_mail = st.columns(2)
    with col_wa:
        if wa_link:
            st.link_button("Kirim lewat WhatsApp", wa_link, icon=":material/chat:")
        else:
            st.info(f"Nomor telepon admin belum tercatat.{where_to_fix}")
    with col_mail:
        if mail_link:
            st.link_button("Kirim lewat surel", mail_link, icon=":material/mail:")
        else:
            st.info(f"Alamat surel admin belum tercatat.{where_to_fix}")


def unreadable_list(frame: pd.DataFrame) -> None:
    """Each account Pantau cannot read with its reason and step, as lines that wrap on a phone
    (a table cell would cut the reason off). ``frame``: opd_name, platform,
    handle, status_reason, admin_name."""
    lines = []
    for row in frame.to_dict(orient="records"):
        admin = row.get("admin_name")
        who = f" · admin {md_escape(str(admin))}" if isinstance(admin, str) and admin else ""
        reason = str(row.get("status_reason") or "") or UNREADABLE_FALLBACK
        lines.append(
            f"- **{md_escape(str(row['opd_name']))}** · {platform_label(str(row['platform']))} · "
            f"{md_escape(str(row['handle']))}{who}  \n  {md_escape(reason)}"
        )
    st.markdown("\n".join(lines))
