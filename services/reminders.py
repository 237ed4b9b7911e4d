"""The reminder use case (Akun Dorman): who to remind, a polite prefilled message, the links
that open WhatsApp or the mail program with it, and the record that a reminder was sent.

The message and link builders are pure functions; only :func:`dormant_accounts` reads and only
:func:`record` writes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import pandas as pd
from sqlalchemy.orm import Session

from core import fmt
from core.settings import Settings
from db import queries, repository
from metrics.activity import ACTIVE, AT_RISK, DORMANT, NO_DATA, UNREADABLE
from metrics.reminders import days_between, escalation_flags, last_reminders
from services.overview import day_period, dormant_report

CHANNELS = ("whatsapp", "email")
OFFICE = "Bidang Komunikasi Publik Diskominfo"
GUIDANCE = (
    f"Sesuai arahan {OFFICE}, akun media sosial OPD perlu aktif dan rutin memperbarui "
    "informasi kegiatan kepada masyarakat. Postingan sebaiknya menampilkan nama pejabat, "
    "kegiatan, lokasi, waktu, dan siapa yang hadir. Mohon juga akun dibuka secara rutin, "
    "komentar dan pesan yang masuk dibalas, serta keterangan postingan diketik dengan teliti "
    "memakai bahasa yang mudah dipahami masyarakat."
)
STATUS_ORDER = {DORMANT: 0, AT_RISK: 1, NO_DATA: 2, UNREADABLE: 3, ACTIVE: 4}
_MIN_DIGITS = 8


@dataclass(frozen=True)
class ReminderTarget:
    """What a reminder names: the account, how long it has been quiet, who looks after it."""

    opd_name: str
    platform: str  # a readable name, e.g. "Instagram"
    handle: str
    regency: str
    days_since_last_post: float | None = None
    admin_name: str | None = None


@dataclass(frozen=True)
class DormantView:
    """Accounts with status, contacts, last reminder, escalation flag and ready messages."""

    day: date
    as_of: datetime
    escalate_days: int
    accounts: pd.DataFrame


def normalize_phone(raw: str | None) -> str | None:
    """An Indonesian phone number as wa.me wants it: ``0812-3456`` or ``+62 812…`` → ``62812…``.

    Only the first number of a list ("0812… / 0813…") is used; None when there is none.
    """
    if not raw:
        return None
    first = re.split(r"[/,;]| atau ", raw.strip())[0].strip()
    digits = re.sub(r"\D", "", first)
    if first.startswith("+"):
        pass
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if len(digits) >= _MIN_DIGITS else None


def _quiet_text(days: float | None) -> str:
    if days is None or pd.isna(days):
        return "belum memiliki unggahan yang tercatat di pantauan kami"
    return f"belum memperbarui unggahan selama {fmt.number(float(days))} hari"


def reminder_subject(target: ReminderTarget) -> str:
    return f"Pengingat: akun {target.platform} {target.handle} ({target.opd_name}) perlu diperbarui"


def reminder_message(target: ReminderTarget) -> str:
    """A polite Indonesian reminder, plain text (no HTML, no markup)."""
    greeting = f"Yth. {target.admin_name}," if target.admin_name else "Yth. Admin media sosial,"
    return "\n\n".join(
        [
            greeting,
            f"Salam hangat dari {OFFICE} {target.regency}. Dengan hormat kami mengingatkan bahwa "
            f"akun {target.platform} {target.handle} milik {target.opd_name} "
            f"{_quiet_text(target.days_since_last_post)}.",
            GUIDANCE,
            "Kami mohon kiranya akun tersebut dapat kembali diperbarui dalam waktu dekat. "
            "Terima kasih atas perhatian dan kerja samanya.",
            f"Hormat kami,\n{OFFICE} {target.regency}",
        ]
    )


def whatsapp_link(phone: str | None, message: str) -> str | None:
    """``https://wa.me/62…?text=…`` with the message URL-encoded; None without a usable phone."""
    number = normalize_phone(phone)
    if number is None:
        return None
    return f"https://wa.me/{number}?text={quote(message, safe='')}"


def mailto_link(email: str | None, subject: str, body: str) -> str | None:
    """``mailto:`` with subject and body URL-encoded (RFC 6068 line breaks); None without one."""
    address = (email or "").strip()
    if "@" not in address:
        return None
    crlf = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return (
        f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
        f"&body={quote(crlf, safe='')}"
    )


def _days(value: object) -> float | None:
    """A day count as float, None when unknown (None, NaN)."""
    if isinstance(value, int | float) and not math.isnan(value):
        return float(value)
    return None


def _target(row: Mapping[str, Any], regency: str, names: Mapping[str, str]) -> ReminderTarget:
    admin = row.get("admin_name")
    return ReminderTarget(
        opd_name=str(row["opd_name"]),
        platform=names.get(str(row["platform"]), str(row["platform"])),
        handle=str(row["handle"]),
        regency=regency,
        days_since_last_post=_days(row.get("days_since_last_post")),
        admin_name=str(admin) if isinstance(admin, str) and admin.strip() else None,
    )


def with_messages(frame: pd.DataFrame, regency: str, names: Mapping[str, str]) -> pd.DataFrame:
    """Adds phone (normalised), subject, message, wa_link, mailto_link and choice_label."""
    out = frame.copy()
    records = [{str(k): v for k, v in row.items()} for row in out.to_dict(orient="records")]
    targets = [_target(row, regency, names) for row in records]
    out["phone"] = [normalize_phone(p if isinstance(p, str) else None) for p in out["admin_phone"]]
    out["subject"] = [reminder_subject(t) for t in targets]
    out["message"] = [reminder_message(t) for t in targets]
    out["wa_link"] = [
        whatsapp_link(p if isinstance(p, str) else None, m)
        for p, m in zip(out["phone"], out["message"], strict=True)
    ]
    out["mailto_link"] = [
        mailto_link(e if isinstance(e, str) else None, s, m)
        for e, s, m in zip(out["admin_email"], out["subject"], out["message"], strict=True)
    ]
    out["choice_label"] = [f"{t.opd_name} · {t.platform} · {t.handle}" for t in targets]
    return out


def dormant_accounts(
    session: Session, day: date, settings: Settings, platform_names: Mapping[str, str]
) -> DormantView:
    """Every monitored account with its status at the end of ``day`` and its reminder state."""
    period = day_period(day, settings)
    report = dormant_report(session, day, settings)
    frame = report.merge(last_reminders(sent_reminders(session)), on="account_id", how="left")
    frame["last_reminded_at"] = pd.to_datetime(frame["last_reminded_at"], utc=True)
    frame["days_since_reminder"] = days_between(
        frame["last_reminded_at"], pd.Timestamp(day), settings.timezone
    )
    escalate_days = int(settings.escalate_days)
    frame["escalate"] = escalation_flags(frame, escalate_days)
    frame["_order"] = frame["status"].map(STATUS_ORDER)
    frame = frame.sort_values(
        ["escalate", "_order", "days_since_last_post", "opd_code"],
        ascending=[False, True, False, True],
        na_position="first",
    ).drop(columns="_order")
    frame = with_messages(frame.reset_index(drop=True), settings.regency_name, platform_names)
    return DormantView(day, period.as_of, escalate_days, frame)


def sent_reminders(session: Session) -> pd.DataFrame:
    """Reminders that reached an admin, dated when they were sent (a queued one has not)."""
    frame = queries.reminders_frame(session)
    frame = frame[frame["status"] == "sent"].copy()
    sent = frame["sent_at"].dt.as_unit("us")  # one precision on both sides for fillna
    frame["created_at"] = sent.fillna(frame["created_at"].dt.as_unit("us"))
    return frame


def filter_dormant(
    frame: pd.DataFrame,
    include_active: bool,
    platforms: Sequence[str] = (),
    categories: Sequence[str] = (),
) -> pd.DataFrame:
    """Rows to show: active accounts only on request; empty platform/category means all."""
    keep = pd.Series(True, index=frame.index)
    if not include_active:
        keep &= frame["status"] != ACTIVE
    if platforms:
        keep &= frame["platform"].isin(list(platforms))
    if categories:
        keep &= frame["category"].isin(list(categories))
    return frame[keep].reset_index(drop=True)


def split_unreadable(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accounts a reminder may go to, accounts that cannot be read). An account Pantau cannot
    read gets no "please post again" reminder: its reason says who must act instead."""
    cannot = frame["status"] == UNREADABLE
    return frame[~cannot].reset_index(drop=True), frame[cannot].reset_index(drop=True)


def filter_options(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Platforms and OPD categories present, for the filters."""
    return sorted(frame["platform"].dropna().unique()), sorted(frame["category"].dropna().unique())


def record(
    session: Session,
    account_id: int,
    channel: str,
    recipient: str | None,
    message: str | None,
    created_by: str | None = None,
) -> int:
    """Remember that an admin was reminded through ``channel`` (whatsapp or email)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown reminder channel {channel!r}; expected one of {CHANNELS}")
    return repository.record_reminder(
        session, account_id, channel, recipient or None, message, created_by=created_by
    )


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """Accounts per status, plus ``escalate``: the KPIs above the list."""
    by_status = frame["status"].value_counts()
    out = {status: int(by_status.get(status, 0)) for status in STATUS_ORDER}
    out["escalate"] = int(frame["escalate"].sum())
    return out


def choices(frame: pd.DataFrame) -> dict[str, int]:
    """ "OPD · Platform · handle" → account id, in the order shown (labels are unique because
    platform and handle are)."""
    return {str(c): int(a) for a, c in zip(frame["account_id"], frame["choice_label"], strict=True)}


@dataclass(frozen=True)
class Selected:
    """The account chosen for a reminder, as plain values."""

    account_id: int
    phone: str | None
    admin_email: str | None
    subject: str
    message: str
    last_reminded_at: datetime | None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def account_row(frame: pd.DataFrame, account_id: int) -> Selected:
    """One account's reminder details."""
    row = frame[frame["account_id"] == account_id].iloc[0]
    reminded = row["last_reminded_at"]
    return Selected(
        account_id=int(account_id),
        phone=_text(row["phone"]),
        admin_email=_text(row["admin_email"]),
        subject=str(row["subject"]),
        message=str(row["message"]),
        last_reminded_at=None if pd.isna(reminded) else pd.Timestamp(reminded).to_pydatetime(),
    )
