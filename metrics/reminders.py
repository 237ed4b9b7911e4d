"""Reminders: the polite message, the links that open it in WhatsApp or the mail program, and
the rules for when one is due and when to escalate. Pure (no database, no Streamlit).

An admin gets one message that names all of their quiet accounts ("Yth. Bapak/Ibu NAMA, Admin
Media Sosial OPD"), not one message per account.

An account is escalated when it is still dormant or at risk, its admin was reminded more than
``escalate_days`` calendar days ago, and it has not posted since that reminder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

import pandas as pd

from core import fmt
from metrics.activity import AT_RISK, DORMANT

ESCALATE_STATUSES = (DORMANT, AT_RISK)
OFFICE = "Bidang Komunikasi Publik Diskominfo"
GUIDANCE = (
    f"Sesuai arahan {OFFICE}, akun media sosial OPD perlu aktif dan rutin memperbarui "
    "informasi kegiatan kepada masyarakat. Unggahan sebaiknya menampilkan nama pejabat, "
    "kegiatan, lokasi, waktu, dan siapa yang hadir. Mohon juga akun dibuka secara rutin, "
    "komentar dan pesan yang masuk dibalas, serta keterangan unggahan diketik dengan teliti "
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


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _joined(names: Sequence[str]) -> str:
    """ "A", "A dan B", "A, B, dan C"."""
    if len(names) <= 2:
        return " dan ".join(names)
    return ", ".join(names[:-1]) + ", dan " + names[-1]


def _greeting(targets: Sequence[ReminderTarget]) -> str:
    """ "Yth. Bapak/Ibu NAMA, Admin Media Sosial OPD," (the name left out when unknown)."""
    name = targets[0].admin_name
    who = f"Bapak/Ibu {name}, Admin" if name else "Bapak/Ibu Admin"
    return f"Yth. {who} Media Sosial {_joined(_unique([t.opd_name for t in targets]))},"


def reminder_subject(targets: Sequence[ReminderTarget]) -> str:
    if len(targets) == 1:
        one = targets[0]
        return f"Pengingat: akun {one.platform} {one.handle} ({one.opd_name}) perlu diperbarui"
    opds = _joined(_unique([t.opd_name for t in targets]))
    return f"Pengingat: {fmt.number(len(targets))} akun media sosial {opds} perlu diperbarui"


def _accounts_text(targets: Sequence[ReminderTarget]) -> str:
    """The accounts named: one in a sentence, several as a list (with their OPD when the
    admin looks after the accounts of more than one)."""
    opds = _unique([t.opd_name for t in targets])
    if len(targets) == 1:
        one = targets[0]
        return (
            f"akun {one.platform} {one.handle} milik {one.opd_name} "
            f"{_quiet_text(one.days_since_last_post)}."
        )
    lines = [
        f"- {t.platform} {t.handle}" + (f" ({t.opd_name})" if len(opds) > 1 else "")
        + f": {_quiet_text(t.days_since_last_post)}"
        for t in targets
    ]  # fmt: skip
    owner = f" milik {opds[0]}" if len(opds) == 1 else ""
    return f"{fmt.number(len(targets))} akun media sosial{owner} berikut:\n" + "\n".join(lines)


def reminder_message(targets: Sequence[ReminderTarget]) -> str:
    """One polite Indonesian reminder to one admin about all of ``targets`` (their quiet
    accounts, at least one), plain text (no HTML, no markup)."""
    if not targets:
        raise ValueError("a reminder names at least one account")
    regency = targets[0].regency
    these = "akun tersebut" if len(targets) == 1 else "akun-akun tersebut"
    return "\n\n".join(
        [
            _greeting(targets),
            f"Salam hangat dari {OFFICE} {regency}. Dengan hormat kami mengingatkan bahwa "
            + _accounts_text(targets),
            GUIDANCE,
            f"Kami mohon kiranya {these} dapat kembali diperbarui dalam waktu dekat. "
            "Terima kasih atas perhatian dan kerja samanya.",
            f"Hormat kami,\n{OFFICE} {regency}",
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
