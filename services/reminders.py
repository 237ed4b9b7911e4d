"""The reminder use case (Akun Dorman and the worker): who to remind, with the prefilled
message and its links (:mod:`metrics.reminders`); the record that a reminder was sent; and the
queue the worker's daily dormancy check fills.

The queue: one reminder per dormant account that is due; with SMTP and an admin address the
worker mails it, otherwise it waits on the Akun Dorman page until someone sends it by WhatsApp
or e-mail and marks it. Nothing is sent twice: a reminder is claimed (queued → sending) by one
sender before it is mailed, and an account with a reminder still waiting gets no second one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from core import fmt
from core.mailer import Mailer, MailError
from core.settings import Settings
from core.timeutil import utcnow
from db import queries, repository, worker_store
from db.models import Reminder
from metrics.activity import ACTIVE, AT_RISK, DORMANT, NO_DATA, UNREADABLE
from metrics.reminders import (
    ReminderTarget,
    days_between,
    due_for_reminder,
    escalation_flags,
    last_reminders,
    mailto_link,
    normalize_phone,
    reminder_message,
    reminder_subject,
    whatsapp_link,
)
from services import audit as trail
from services.overview import day_period, dormant_report

CHANNELS = ("whatsapp", "email")
QUEUE = "queue"  # channel of a reminder someone has to send from the dashboard
EMAIL = "email"
MAX_MAIL_ATTEMPTS = 3
WORKER = "pekerja"
QUEUE_COLUMNS = ["reminder_id", "account_id", "created_at", "channel", "status", "recipient",
                 "subject", "message", "attempts", "last_error"]  # fmt: skip
REMIND_STATUSES = (DORMANT, AT_RISK)  # the accounts a reminder asks to post again
REMINDER_ORDER = {DORMANT: 0, AT_RISK: 1, NO_DATA: 2, UNREADABLE: 3, ACTIVE: 4}  # most due first


@dataclass(frozen=True)
class DormantView:
    """Accounts with status, contacts, last reminder, escalation flag and ready messages."""

    day: date
    as_of: datetime
    escalate_days: int
    accounts: pd.DataFrame


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


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def admin_key(row: Mapping[str, Any]) -> str:
    """Who looks after the account: the admin's name, number and address; the OPD when none
    is recorded (its accounts then go to one unknown admin)."""
    phone = normalize_phone(
        row.get("admin_phone") if isinstance(row.get("admin_phone"), str) else None
    )
    parts = (
        _clean(row.get("admin_name")).casefold(),
        phone or "",
        _clean(row.get("admin_email")).casefold(),
    )
    return "|".join(parts) if any(parts) else f"opd|{row['opd_name']}"


def _named(group: pd.DataFrame) -> pd.DataFrame:
    """The accounts an admin's reminder names: the quiet ones, or every one when none is."""
    quiet = group[group["status"].isin(REMIND_STATUSES)]
    return quiet if len(quiet) else group


def with_messages(frame: pd.DataFrame, regency: str, names: Mapping[str, str]) -> pd.DataFrame:
    """Adds phone (normalised), admin_key, admin_label, subject, message (one per admin,
    naming all of the admin's quiet accounts), reminded_ids (the accounts it names), wa_link,
    mailto_link."""
    out = frame.copy()
    records = [{str(k): v for k, v in row.items()} for row in out.to_dict(orient="records")]
    out["phone"] = [normalize_phone(p if isinstance(p, str) else None) for p in out["admin_phone"]]
    out["admin_key"] = [admin_key(row) for row in records]
    by_admin: dict[str, tuple[str, str, tuple[int, ...], str]] = {}
    for key, group in out.groupby("admin_key", sort=False):
        named = _named(group)
        targets = [_target(row, regency, names) for row in _records(named)]
        ids = tuple(int(a) for a in named["account_id"])
        by_admin[str(key)] = (reminder_subject(targets), reminder_message(targets), ids,
                              _admin_label(targets, len(group)))  # fmt: skip
    out["subject"] = [by_admin[k][0] for k in out["admin_key"]]
    out["message"] = [by_admin[k][1] for k in out["admin_key"]]
    out["reminded_ids"] = [by_admin[k][2] for k in out["admin_key"]]
    out["admin_label"] = [by_admin[k][3] for k in out["admin_key"]]
    out["wa_link"] = [
        whatsapp_link(p if isinstance(p, str) else None, m)
        for p, m in zip(out["phone"], out["message"], strict=True)
    ]
    out["mailto_link"] = [
        mailto_link(e if isinstance(e, str) else None, s, m)
        for e, s, m in zip(out["admin_email"], out["subject"], out["message"], strict=True)
    ]
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _admin_label(targets: Sequence[ReminderTarget], accounts: int) -> str:
    """ "Budi Santoso · Dinas Perhubungan · 3 akun", as the choice of whom to remind."""
    who = targets[0].admin_name or "Admin (nama belum tercatat)"
    opds = ", ".join(dict.fromkeys(t.opd_name for t in targets))
    return f"{who} · {opds} · {fmt.number(accounts)} akun"


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
    frame["_order"] = frame["status"].map(REMINDER_ORDER)
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
    account_ids: Sequence[int],
    channel: str,
    recipient: str | None,
    message: str | None,
    created_by: str | None = None,
) -> list[int]:
    """Remember that an admin was reminded through ``channel`` (whatsapp or email) of each of
    ``account_ids``: one row per account named, each with the same message; audited."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown reminder channel {channel!r}; expected one of {CHANNELS}")
    trail.record_reminder(session, created_by or trail.UNKNOWN, "reminder.recorded", account_ids,
                          saluran=channel, penerima=recipient or None)  # fmt: skip
    return [
        repository.record_reminder(
            session, int(account_id), channel, recipient or None, message, created_by=created_by
        )
        for account_id in account_ids
    ]


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """Accounts per status, plus ``escalate``: the KPIs above the list."""
    by_status = frame["status"].value_counts()
    out = {status: int(by_status.get(status, 0)) for status in REMINDER_ORDER}
    out["escalate"] = int(frame["escalate"].sum())
    return out


def choices(frame: pd.DataFrame) -> dict[str, str]:
    """ "Admin · OPD · n akun" → admin key, in the order shown (the label of two admins of one
    name and OPD gets the key's end, so no choice hides another)."""
    out: dict[str, str] = {}
    for key, label in zip(frame["admin_key"], frame["admin_label"], strict=True):
        if key in out.values():
            continue
        out[label if label not in out else f"{label} ({len(out) + 1})"] = str(key)
    return out


@dataclass(frozen=True)
class Selected:
    """The admin chosen for a reminder, and the accounts it names, as plain values."""

    account_ids: tuple[int, ...]
    phone: str | None
    admin_email: str | None
    subject: str
    message: str
    last_reminded_at: datetime | None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def admin_row(frame: pd.DataFrame, key: str) -> Selected:
    """One admin's reminder; it was last reminded when the latest of its accounts was."""
    rows = frame[frame["admin_key"] == key]
    row = rows.iloc[0]
    reminded = pd.to_datetime(rows["last_reminded_at"], utc=True).max()
    return Selected(
        account_ids=tuple(row["reminded_ids"]),
        phone=_text(row["phone"]),
        admin_email=_text(row["admin_email"]),
        subject=str(row["subject"]),
        message=str(row["message"]),
        last_reminded_at=None if pd.isna(reminded) else pd.Timestamp(reminded).to_pydatetime(),
    )


# --- the queue the worker fills -------------------------------------------------------------


@dataclass(frozen=True)
class MailResult:
    sent: int = 0
    retry: int = 0
    failed: int = 0


def queue_dormant_reminders(
    session: Session, settings: Settings, day: date, platform_names: Mapping[str, str]
) -> int:
    """The daily check: queue the accounts that are due, one message per admin naming all of
    the admin's due accounts, recorded once per account (the same message, mailed once);
    commits; returns how many accounts.

    Running it twice the same day queues nothing new (the first ones are still waiting).
    """
    view = dormant_accounts(session, day, settings, platform_names)
    due = due_for_reminder(
        view.accounts, worker_store.pending_account_ids(session), view.escalate_days
    )
    for _key, group in due.groupby("admin_key", sort=False):
        targets = [_target(row, settings.regency_name, platform_names) for row in _records(group)]
        subject, message = reminder_subject(targets), reminder_message(targets)
        first = _records(group)[0]
        email = first.get("admin_email")
        has_email = isinstance(email, str) and "@" in email
        channel = EMAIL if settings.smtp_configured and has_email else QUEUE
        recipient = email.strip() if has_email else first.get("phone")  # type: ignore[union-attr]
        for account_id in group["account_id"]:
            repository.record_reminder(
                session, int(account_id), channel, recipient or None, message,
                created_by=WORKER, status="queued", subject=subject,
            )  # fmt: skip
        trail.record_reminder(session, trail.WORKER, "reminder.queued", list(group["account_id"]),
                              saluran=channel, penerima=recipient or None)  # fmt: skip
    session.commit()
    return len(due)


def _one_mail_each(queued: Sequence[Reminder]) -> list[list[Reminder]]:
    """Queued rows grouped by what is mailed: one admin's message, recorded per account, is one
    mail."""
    groups: dict[tuple[str, str, str], list[Reminder]] = {}
    for row in queued:
        key = (row.recipient or "", row.subject or "", row.message or "")
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def mail_queued_reminders(session: Session, mailer: Mailer) -> MailResult:
    """Mail every queued e-mail reminder once (one mail for the rows of one message); a refused
    one is retried on later runs, up to :data:`MAX_MAIL_ATTEMPTS`, then marked failed (and
    shown in the dashboard's queue). Counts are of mails."""
    if not mailer.configured:
        return MailResult()
    sent = retry = failed = 0
    for rows in _one_mail_each(worker_store.queued_reminders(session, channel=EMAIL)):
        claimed = [row for row in rows if worker_store.claim_reminder(session, row.id)]
        if not claimed:
            continue  # someone else took them
        first = claimed[0]
        try:
            mailer.send([first.recipient or ""], first.subject or "Pengingat", first.message or "")
        except MailError as exc:
            session.refresh(first)  # the claim counted this attempt
            attempts = int(first.attempts or 0)
            status = "failed" if attempts >= MAX_MAIL_ATTEMPTS else "queued"
            for row in claimed:
                worker_store.finish_reminder(session, row.id, status, error=str(exc))
            session.commit()
            failed, retry = failed + (status == "failed"), retry + (status == "queued")
            continue
        when = utcnow()
        for row in claimed:
            worker_store.finish_reminder(session, row.id, "sent", when=when)
        trail.record_reminder(session, trail.WORKER, "reminder.sent",
                              [row.account_id for row in claimed], saluran=EMAIL,
                              penerima=first.recipient)  # fmt: skip
        session.commit()
        sent += 1
    return MailResult(sent, retry, failed)


def pending_queue(session: Session) -> pd.DataFrame:
    """Reminders waiting for a person (queued, mail that failed, or mail whose sending was cut
    off and must be checked by hand), oldest first."""
    frame = queries.reminders_frame(session)
    waiting = frame["status"].isin(worker_store.OPEN_REMINDER)
    return frame[waiting].sort_values("created_at")[QUEUE_COLUMNS].reset_index(drop=True)


def mark_queued_sent(session: Session, reminder_id: int, channel: str, recipient: str | None,
                     message: str, actor: str = trail.UNKNOWN) -> bool:  # fmt: skip
    """``actor`` sent a queued reminder by hand (audited); False when it was already closed."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown reminder channel {channel!r}; expected one of {CHANNELS}")
    done = worker_store.finish_reminder(
        session, reminder_id, "sent", when=utcnow(), channel=channel, recipient=recipient
    )
    if done:
        row = session.get(Reminder, reminder_id)
        if row is not None:
            row.message = message
            trail.record_reminder(session, actor, "reminder.sent", [row.account_id],
                                  saluran=channel, penerima=recipient)  # fmt: skip
    session.commit()
    return done


def cancel_queued(session: Session, reminder_id: int, actor: str = trail.UNKNOWN) -> bool:
    done = worker_store.finish_reminder(session, reminder_id, "cancelled")
    if done and (row := session.get(Reminder, reminder_id)) is not None:
        trail.record_reminder(session, actor, "reminder.cancelled", [row.account_id])
    session.commit()
    return done
