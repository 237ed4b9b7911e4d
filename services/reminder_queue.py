"""The reminder queue: the worker's daily dormancy check queues a reminder per dormant
account; with SMTP and an admin address the worker mails it, otherwise it waits on the Akun
Dorman page until someone sends it by WhatsApp or e-mail and marks it.

Nothing is sent twice: a reminder is claimed (queued → sending) by one sender before it is
mailed, and an account with a reminder still waiting gets no second one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from core.mailer import Mailer, MailError
from core.settings import Settings
from core.timeutil import utcnow
from db import queries, worker_store
from db import repository as repo
from db.models import Reminder
from metrics.activity import DORMANT
from services.reminders import CHANNELS, dormant_accounts

QUEUE = "queue"  # channel of a reminder someone has to send from the dashboard
EMAIL = "email"
MAX_MAIL_ATTEMPTS = 3
WORKER = "pekerja"
QUEUE_COLUMNS = ["reminder_id", "account_id", "created_at", "channel", "status", "recipient",
                 "subject", "message", "attempts", "last_error"]  # fmt: skip


@dataclass(frozen=True)
class MailResult:
    sent: int = 0
    retry: int = 0
    failed: int = 0


def due_for_reminder(frame: pd.DataFrame, pending: set[int], every_days: int) -> pd.DataFrame:
    """Dormant accounts never reminded, or last reminded more than ``every_days`` ago, with no
    reminder already waiting. ``frame`` is :func:`services.reminders.dormant_accounts`'s."""
    dormant = frame["status"] == DORMANT
    quiet_long = frame["days_since_reminder"].isna() | frame["days_since_reminder"].gt(every_days)
    waiting = frame["account_id"].isin(pending)
    return frame[dormant & quiet_long & ~waiting]


def queue_dormant_reminders(
    session: Session, settings: Settings, day: date, platform_names: Mapping[str, str]
) -> int:
    """The daily check: queue one reminder per account that is due; commits; returns how many.

    Running it twice the same day queues nothing new (the first ones are still waiting).
    """
    view = dormant_accounts(session, day, settings, platform_names)
    due = due_for_reminder(
        view.accounts, worker_store.pending_account_ids(session), view.escalate_days
    )
    for row in due.to_dict(orient="records"):
        email = row.get("admin_email")
        has_email = isinstance(email, str) and "@" in email
        channel = EMAIL if settings.smtp_configured and has_email else QUEUE
        recipient = email.strip() if has_email else row.get("phone")  # type: ignore[union-attr]
        repo.record_reminder(
            session, int(row["account_id"]), channel, recipient or None, str(row["message"]),
            created_by=WORKER, status="queued", subject=str(row["subject"]),
        )  # fmt: skip
    session.commit()
    return len(due)


def mail_queued_reminders(session: Session, mailer: Mailer) -> MailResult:
    """Mail every queued e-mail reminder once; a refused one is retried on later runs, up to
    :data:`MAX_MAIL_ATTEMPTS`, then marked failed (and shown in the dashboard's queue)."""
    if not mailer.configured:
        return MailResult()
    sent = retry = failed = 0
    for reminder in worker_store.queued_reminders(session, channel=EMAIL):
        rid, to = reminder.id, reminder.recipient or ""
        subject, body = reminder.subject or "Pengingat", reminder.message or ""
        if not worker_store.claim_reminder(session, rid):
            continue  # someone else took it
        try:
            mailer.send([to], subject, body)
        except MailError as exc:
            session.refresh(reminder)  # the claim counted this attempt
            attempts = int(reminder.attempts or 0)
            status = "failed" if attempts >= MAX_MAIL_ATTEMPTS else "queued"
            worker_store.finish_reminder(session, rid, status, error=str(exc))
            session.commit()
            failed, retry = failed + (status == "failed"), retry + (status == "queued")
            continue
        worker_store.finish_reminder(session, rid, "sent", when=utcnow())
        session.commit()
        sent += 1
    return MailResult(sent, retry, failed)


def pending_queue(session: Session) -> pd.DataFrame:
    """Reminders waiting for a person (queued, mail that failed, or mail whose sending was cut
    off and must be checked by hand), oldest first."""
    frame = queries.reminders_frame(session)
    waiting = frame["status"].isin(worker_store.OPEN_REMINDER)
    return frame[waiting].sort_values("created_at")[QUEUE_COLUMNS].reset_index(drop=True)


def mark_sent(
    session: Session, reminder_id: int, channel: str, recipient: str | None, message: str
) -> bool:
    """A person sent a queued reminder by hand; False when it was already closed."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown reminder channel {channel!r}; expected one of {CHANNELS}")
    done = worker_store.finish_reminder(
        session, reminder_id, "sent", when=utcnow(), channel=channel, recipient=recipient
    )
    if done:
        row = session.get(Reminder, reminder_id)
        if row is not None:
            row.message = message
    session.commit()
    return done


def cancel(session: Session, reminder_id: int) -> bool:
    done = worker_store.finish_reminder(session, reminder_id, "cancelled")
    session.commit()
    return done
