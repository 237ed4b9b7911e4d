"""Lists of accounts as cards, for a phone: one short block of markdown per account instead
of a table too wide for the screen. Pure, so it is tested without Streamlit; data is escaped
by the ``escape`` the caller passes (ui's markdown escape)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from core import fmt
from present.labels import CATEGORY_LABELS, PLATFORM_LABELS, STATUS_LABELS
from present.tables import COLUMNS, NO_ACCOUNT


def _text(value: object) -> str:
    """A cell from the data as plain text; missing and empty read as '–'."""
    if fmt.is_missing(value) or str(value).strip() == "":
        return fmt.MISSING
    return str(value).strip()


def account_card(row: pd.Series, escape: Callable[[str], str], link: str | None = None) -> str:
    """One account: its OPD, platform and handle, how long it has been silent, its status,
    the admin to remind and their phone; and a reminder link when there is one."""
    platform = PLATFORM_LABELS.get(str(row["platform"]), str(row["platform"]))
    days = COLUMNS["days_since_last_post"].text(row["days_since_last_post"])
    status = STATUS_LABELS.get(str(row["status"]), str(row["status"]))
    lines = [
        f"**{escape(_text(row['opd_name']))}**",
        f"{escape(platform)} · {escape(_text(row['handle']))}",
        f"Tanpa unggahan: **{escape(days)}** · {escape(status)}",
        f"Admin: {escape(_text(row['admin_name']))} · {escape(_text(row['admin_phone']))}",
    ]
    if link:
        lines.append(f"[Kirim pengingat lewat WhatsApp]({link})")
    return "  \n".join(lines)


def account_cards(
    frame: pd.DataFrame, escape: Callable[[str], str], links: list[str | None] | None = None
) -> list[str]:
    """A card for each row, in the frame's order (``links``: a reminder link per row)."""
    rows = [row for _, row in frame.iterrows()]
    chosen = links if links is not None else [None] * len(rows)
    return [account_card(row, escape, link) for row, link in zip(rows, chosen, strict=True)]


def no_account_cards(opds: pd.DataFrame, escape: Callable[[str], str]) -> list[str]:
    """An OPD without an account, as a card: its name, "belum punya akun", whom to ask."""
    cards = []
    for _, row in opds.iterrows():
        category = CATEGORY_LABELS.get(str(row["category"]), _text(row["category"]))
        lines = [
            f"**{escape(_text(row['opd_name']))}**",
            f"{escape(NO_ACCOUNT)} · {escape(category)}",
            f"Admin: {escape(_text(row['admin_name']))} · {escape(_text(row['admin_phone']))}",
        ]
        cards.append("  \n".join(lines))
    return cards
