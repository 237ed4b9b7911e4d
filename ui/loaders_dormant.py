"""Akun Dorman: the cached loader, the table people read, and the one write (a reminder)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from core import fmt
from db.engine import make_session_factory
from metrics.reminders import normalize_phone
from present.cards import account_cards
from present.labels import PLATFORM_LABELS
from present.markdown import md_escape
from present.tables import TableView, display_table
from services import reminders
from services.reminders import DormantView
from ui.auth import STAFF, guarded, require
from ui.errors import guarded_action
from ui.resources import TTL_SECONDS, get_engine, get_settings, now_local

ESCALATE = "Perlu eskalasi"
CHANNEL_LABELS = {"whatsapp": "WhatsApp", "email": "Surel (e-mail)"}
FLASH_KEY = "akun_dorman_flash"
QUEUE_FLASH_KEY = "akun_dorman_queue_flash"  # (done, text) after a queue button
QUEUE_STATUS_LABELS = {
    "queued": "Menunggu dikirim",
    "sending": "Sedang dikirim lewat surel (bila tertahan lama, pastikan ke penerima dulu)",
    "failed": "Gagal dikirim lewat surel",
}
ALREADY_CLOSED = (
    "Pengingat ini sudah ditutup sebelumnya (oleh pengguna lain atau oleh proses otomatis), "
    "jadi tidak diubah."
)
# the task is to remind: who, how long silent, and whom to call come first
BASE_COLUMNS = [
    "opd_name", "handle", "days_since_last_post", "admin_name", "admin_phone", "status",
    "platform", "last_reminded_at", "url", "admin_email",
]  # fmt: skip


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Memuat daftar akun…")
def load_dormant(day: str) -> DormantView:
    with make_session_factory(get_engine())() as session:
        return reminders.dormant_accounts(
            session, date.fromisoformat(day), get_settings(), PLATFORM_LABELS
        )


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_queue() -> pd.DataFrame:
    """Reminders the worker queued that still wait for a person."""
    with make_session_factory(get_engine())() as session:
        return reminders.pending_queue(session)


def today() -> str:
    return now_local().date().isoformat()


def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code, code)


def dormant_table(frame: pd.DataFrame) -> TableView:
    """Indonesian columns, days as numbers; the profile URL stays a URL for a link column."""
    view = display_table(frame, BASE_COLUMNS)
    flags = [ESCALATE if flag else "" for flag in frame["escalate"]]
    view.frame.insert(6, "Eskalasi", flags)
    return view


def dormant_cards(frame: pd.DataFrame) -> list[str]:
    """The list as cards for a phone, each with its WhatsApp reminder when a phone is known."""
    links = [link if isinstance(link, str) and link else None for link in frame["wa_link"]]
    return account_cards(frame, md_escape, links)


@guarded_action
def mark_reminded(
    account_ids: tuple[int, ...], channel: str, recipient: str | None, message: str
) -> None:
    """Button callback: record the reminder (one row per account it names), refresh the list,
    leave a confirmation. Whoever
    may send a reminder (admin and reviewer: Diskominfo's staff) records it, or it goes twice."""
    user = require(*STAFF)
    with make_session_factory(get_engine())() as session:
        reminders.record(session, account_ids, channel, recipient, message, user.username)
        session.commit()
    load_dormant.clear()
    when = fmt.long_date(now_local().date())
    st.session_state[FLASH_KEY] = (
        f"Pengingat lewat {channel_label(channel)} sudah dicatat pada {when} untuk "
        f"{fmt.number(len(account_ids))} akun."
    )


@dataclass(frozen=True)
class QueuedReminder:
    """One waiting reminder, as the page shows it."""

    reminder_ids: tuple[int, ...]  # one row per account the message names
    title: str  # "OPD · Platform · handle", one per account
    details: str  # when it was prepared, its state, how often mailing was tried
    error: str | None
    subject: str
    message: str
    phone: str | None  # normalised for wa.me
    email: str | None
    channel: str  # the channel offered first: whatsapp, or email when that is all there is


def _clean(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _queue_details(row: dict[str, object]) -> str:
    created = pd.Timestamp(row["created_at"]).to_pydatetime()  # type: ignore[arg-type]
    parts = [
        f"Disiapkan {fmt.date_time(created, get_settings().tz)}",
        QUEUE_STATUS_LABELS.get(str(row["status"]), str(row["status"])),
    ]
    attempts = row.get("attempts")
    if isinstance(attempts, int | float) and attempts > 0:
        parts.append(f"{fmt.number(int(attempts))} kali dicoba lewat surel")
    return " · ".join(parts)


def _account_title(row: dict[str, object]) -> str:
    handle = _clean(row.get("handle"))
    if not handle:
        return f"Akun nomor {row['account_id']} (tidak lagi dipantau)"
    platform = PLATFORM_LABELS.get(str(row["platform"]), str(row["platform"]))
    return f"{row['opd_name']} · {platform} · {handle}"


def queue_items(queue: pd.DataFrame, accounts: pd.DataFrame) -> list[QueuedReminder]:
    """The waiting reminders, one per message (the worker records an admin's message once per
    account it names), with the admin's current contacts (from the dormant view; the address
    the worker chose is the fallback)."""
    info = accounts[["account_id", "opd_name", "platform", "handle", "phone", "admin_email"]]
    rows = queue.merge(info, on="account_id", how="left").to_dict(orient="records")
    messages: dict[tuple[str, str, str], list[dict[str, object]]] = {}
    for row in ({str(k): v for k, v in r.items()} for r in rows):
        key = (str(row.get("recipient") or ""), str(row.get("message") or ""), str(row["status"]))
        messages.setdefault(key, []).append(row)
    return [_queued(group) for group in messages.values()]


def _queued(group: list[dict[str, object]]) -> QueuedReminder:
    row = group[0]
    recipient = _clean(row.get("recipient"))
    email = _clean(row.get("admin_email")) or (
        recipient if recipient and "@" in recipient else None
    )
    phone = _clean(row.get("phone")) or normalize_phone(
        recipient if recipient and "@" not in recipient else None
    )
    return QueuedReminder(
        reminder_ids=tuple(int(r["reminder_id"]) for r in group),  # type: ignore[call-overload]
        title="; ".join(_account_title(r) for r in group),
        details=_queue_details(row),
        error=_clean(row.get("last_error")),
        subject=_clean(row.get("subject")) or "Pengingat",
        message=str(row.get("message") or ""),
        phone=phone,
        email=email,
        channel="whatsapp" if phone or not email else "email",
    )


def _after_queue_change(done: bool, text: str) -> None:
    load_queue.clear()
    load_dormant.clear()
    st.session_state[QUEUE_FLASH_KEY] = (done, text if done else ALREADY_CLOSED)


@guarded_action
def mark_queue_sent(
    reminder_ids: tuple[int, ...], channel: str, recipient: str | None, message: str
) -> None:
    """Button callback: a person sent a queued reminder (its rows of every account) by hand."""
    actor = require(*STAFF).username
    with make_session_factory(get_engine())() as session:
        # every row is closed (a list, not a generator: all() would stop at the first False)
        closed = [
            reminders.mark_queued_sent(session, rid, channel, recipient, message, actor)
            for rid in reminder_ids
        ]
        done = all(closed)
    when = fmt.long_date(now_local().date())
    _after_queue_change(
        done, f"Pengingat lewat {channel_label(channel)} ditandai terkirim ({when})."
    )


@guarded_action
def cancel_queued(reminder_ids: tuple[int, ...]) -> None:
    """Button callback: the reminder is not needed (e.g. the account is already active again)."""
    actor = require(*STAFF).username
    with make_session_factory(get_engine())() as session:
        closed = [reminders.cancel_queued(session, rid, actor) for rid in reminder_ids]
        done = all(closed)
    _after_queue_change(done, "Pengingat dibatalkan dan dihapus dari antrean.")
