"""Reminders: the polite message, the links that open it in WhatsApp or the mail program, and
the rules for when one is due and when to escalate. Pure (no database, no Streamlit).

An account is escalated when it is still dormant or at risk, its admin was reminded more than
``escalate_days`` calendar days ago, and it has not posted since that reminder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pandas as pd

from core import fmt
from metrics.activity import AT_RISK, DORMANT

ESCALATE_STATUSES = (DORMANT, AT_RISK)
OFFICE = "Bidang Komunikasi Publik Diskominfo"
GUIDANCE = (
    f"Sesuai arahan {OFFICE}, akun media sosial OPD perlu aktif dan rutin memperbarui "
    "informasi kegiatan kepada masyarakat. Postingan sebaiknya menampilkan nama pejabat, "
    "kegiatan, lokasi, waktu, dan siapa yang hadir. Mohon juga akun dibuka secara rutin, "
    "komentar dan pesan yang masuk dibalas, serta keterangan postingan diketik dengan teliti "
    "memakai bahasa yang mudah dipahami masyarakat."
)
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


def last_reminders(reminders: pd.DataFrame) -> pd.DataFrame:
    """The newest reminder per account: account_id, last_reminded_at, last_channel.

    ``reminders`` needs account_id, created_at (UTC) and channel.
    """
    columns = ["account_id", "last_reminded_at", "last_channel"]
    if reminders.empty:
        frame = pd.DataFrame(columns=columns)
        frame["last_reminded_at"] = pd.to_datetime(frame["last_reminded_at"], utc=True)
        return frame
    newest = reminders.sort_values("created_at", ascending=False, kind="stable")
    newest = newest.drop_duplicates("account_id", keep="first")
    renamed = newest.rename(columns={"created_at": "last_reminded_at", "channel": "last_channel"})
    return renamed[columns].reset_index(drop=True)


def days_between(earlier: pd.Series, day: pd.Timestamp, tz: str) -> pd.Series:
    """Calendar days (local time) from each timestamp to ``day``; NaN where there is none."""
    local = pd.to_datetime(earlier, utc=True).dt.tz_convert(tz).dt.normalize().dt.tz_localize(None)
    return (pd.Timestamp(day).normalize() - local).dt.days.astype("float64")


def escalation_flags(frame: pd.DataFrame, escalate_days: int) -> pd.Series:
    """True where the account needs escalation.

    ``frame`` needs status, days_since_reminder (NaN = never reminded), last_reminded_at and
    last_posted_at (both UTC, NaT when unknown).
    """
    reminded = pd.to_datetime(frame["last_reminded_at"], utc=True)
    posted = pd.to_datetime(frame["last_posted_at"], utc=True)
    posted_since = posted.notna() & reminded.notna() & (posted > reminded)
    still_quiet = frame["status"].isin(ESCALATE_STATUSES)
    overdue = frame["days_since_reminder"].gt(escalate_days)
    return (still_quiet & overdue & ~posted_since).astype(bool)


def due_for_reminder(frame: pd.DataFrame, pending: set[int], every_days: int) -> pd.DataFrame:
    """Dormant accounts never reminded, or last reminded more than ``every_days`` ago, with no
    reminder already waiting. ``frame`` is
    :func:`services.reminders.dormant_accounts`'s accounts."""
    dormant = frame["status"] == DORMANT
    quiet_long = frame["days_since_reminder"].isna() | frame["days_since_reminder"].gt(every_days)
    waiting = frame["account_id"].isin(pending)
    return frame[dormant & quiet_long & ~waiting]
