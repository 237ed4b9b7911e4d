"""Invites: an admin asks an OPD's admin to join without a shared password or a shell.

The invite is a random code (stored as a digest), single use, for one OPD, expiring after
``INVITE_DAYS``. Opening its link lets the person choose a user name and a password (an
``opd`` user of that OPD) and go on to connect the OPD's accounts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import fmt
from core.passwords import GUESSABLE, HAS_NAME, MIN_LENGTH, HasherBusy
from core.settings import Settings
from db import access, audit
from db.models import Invite, Opd
from metrics.reminders import mailto_link, whatsapp_link
from services.users import OPD, Principal, UserError, WeakPasswordError, add_user, principal_of
from services.web_sessions import user_id_of

INVITE_DAYS = 3
INVITE_PARAM = "undangan"  # the dashboard's query parameter carrying the code
BUSY = "Terlalu banyak percobaan masuk saat ini. Coba lagi sebentar."
WEAK_PASSWORD = {
    GUESSABLE: "Kata sandi terlalu mudah ditebak: terlalu umum, berupa kata atau nama biasa, "
    "atau berpola (misalnya urutan tombol papan ketik atau angka tahun). Pakai beberapa kata "
    "acak yang tidak berhubungan.",
    HAS_NAME: "Kata sandi tidak boleh memuat nama pengguna.",
}


class InviteError(ValueError):
    """An invite that cannot be used; the message is Indonesian, for the page."""


@dataclass(frozen=True)
class NewInvite:
    link: str
    expires_at: datetime
    opd_name: str
    whatsapp: str | None  # wa.me link to the OPD admin's phone, when the registry has one
    email: str | None  # mailto: link, when the registry has an address


def create_invite(
    session: Session, settings: Settings, admin: Principal, opd_code: str, now: datetime
) -> NewInvite:
    opd = session.scalar(select(Opd).where(Opd.code == opd_code))
    if opd is None:
        raise InviteError(f"OPD dengan kode {opd_code} tidak ada di daftar.")
    code = secrets.token_urlsafe(32)
    until = now + timedelta(days=INVITE_DAYS)
    access.add_invite(session, Invite(
        token_hash=access.digest(code), opd_id=opd.id, created_at=now, expires_at=until,
        created_by=user_id_of(session, admin.username),
    ))  # fmt: skip
    # an invite grants access: audited with its OPD and expiry, never its code
    after = {"opd": opd.code, "berlaku_sampai": until.isoformat()}
    audit.record(session, admin.username, "user.invited", opd.name, None, after, now)
    session.commit()
    link = f"{settings.public_base_url()}/?{INVITE_PARAM}={quote(code)}"
    text = invite_message(opd.name, link, until, settings)
    subject = f"Undangan Pantau untuk {opd.name}"
    return NewInvite(
        link, until, opd.name,
        whatsapp_link(opd.admin_phone, text), mailto_link(opd.admin_email, subject, text),
    )  # fmt: skip


def invite_message(opd_name: str, link: str, until: datetime, settings: Settings) -> str:
    day = fmt.long_date(until, settings.tz)
    return (
        f"Yth. Admin media sosial {opd_name}, Bidang Komunikasi Publik mengundang Anda ke "
        f"Pantau. Buka tautan ini, buat kata sandi, lalu sambungkan akun resmi OPD Anda: {link} "
        f"(berlaku sampai {day}, hanya sekali pakai)."
    )


def open_invite(session: Session, code: str, now: datetime) -> Invite:
    """The invite behind a link, or InviteError saying why it cannot be used."""
    row = access.invite(session, code) if code else None
    if row is None:
        raise InviteError("Tautan undangan tidak dikenal. Minta undangan baru kepada admin.")
    if row.used_at is not None:
        raise InviteError("Undangan ini sudah dipakai. Silakan masuk dengan nama pengguna Anda.")
    if row.expires_at <= now:
        raise InviteError("Undangan ini sudah kedaluwarsa. Minta undangan baru kepada admin.")
    return row


def opd_name_of(session: Session, row: Invite) -> str:
    opd = session.get(Opd, row.opd_id)
    return opd.name if opd is not None else ""


def accept_invite(
    session: Session, code: str, username: str, password: str, now: datetime
) -> Principal:
    """Create the OPD admin's user from an invite (single use) and return who they are."""
    row = open_invite(session, code, now)
    opd = session.get(Opd, row.opd_id)
    if opd is None:
        raise InviteError("OPD undangan ini sudah tidak ada di daftar.")
    try:
        user = add_user(session, username, password, OPD, opd.code)
    except UserError as exc:
        session.rollback()
        raise InviteError(_user_error_text(exc)) from exc
    except HasherBusy as exc:
        session.rollback()
        raise InviteError(BUSY) from exc
    row.used_at, row.used_by = now, user.id
    after = {"peran": OPD, "opd": opd.code, "aktif": True, "lewat": "undangan"}
    audit.record(session, user.username, "user.added", user.username, None, after, now)
    session.commit()
    return principal_of(session, user)


def _user_error_text(error: UserError) -> str:
    detail = str(error)
    if "exists" in detail or "taken" in detail:
        return "Nama pengguna itu sudah dipakai. Pilih nama lain."
    if isinstance(error, WeakPasswordError):
        return WEAK_PASSWORD.get(error.kind) or (
            f"Kata sandi terlalu pendek. Pakai paling sedikit {MIN_LENGTH} karakter yang sulit "
            "ditebak, misalnya beberapa kata acak."
        )
    return (
        "Nama pengguna terdiri dari 3-60 huruf kecil, angka, titik, garis bawah atau tanda "
        "hubung, diawali huruf atau angka."
    )
