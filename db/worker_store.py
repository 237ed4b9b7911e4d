"""The scheduler worker's tables: its lease (one worker at a time), its jobs' state, and the
reminder queue's state changes. Functions take a Session; the caller commits.

The lease is taken with plain INSERT / conditional UPDATE statements, which are atomic on
SQLite (one writer at a time) and on PostgreSQL (the UPDATE re-checks its WHERE after waiting
for a concurrent writer), so no file lock or advisory lock is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import delete, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    Account,
    AccountResult,
    AppMeta,
    FollowerSnapshot,
    Post,
    Reminder,
    WorkerJob,
    WorkerLease,
)

SCHEDULER_LEASE = "scheduler"
RELEASED = ""  # holder of a lease whose worker stopped cleanly
OPEN_REMINDER = ("queued", "sending", "failed")  # not yet sent, not cancelled
JOB_COLUMNS = ["job_id", "next_run_at", "last_started_at", "last_finished_at",
               "last_success_at", "last_status", "last_message"]  # fmt: skip


@dataclass(frozen=True)
class LeaseInfo:
    holder: str
    hostname: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime


def _info(row: WorkerLease) -> LeaseInfo:
    return LeaseInfo(row.holder, row.hostname, row.pid, row.started_at, row.heartbeat_at)


def read_lease(session: Session, name: str = SCHEDULER_LEASE) -> LeaseInfo | None:
    row = session.get(WorkerLease, name, populate_existing=True)
    return None if row is None else _info(row)


def try_acquire(
    session: Session,
    me: LeaseInfo,
    ttl: timedelta,
    take_from: str | None = None,
    name: str = SCHEDULER_LEASE,
) -> bool:
    """Take the lease when nobody holds it, it is ours, its heartbeat is older than ``ttl``, or
    its holder is ``take_from`` (a worker known to be dead). Commits; True when it is ours."""
    values = {"holder": me.holder, "hostname": me.hostname, "pid": me.pid,
              "started_at": me.started_at, "heartbeat_at": me.heartbeat_at}  # fmt: skip
    try:
        session.execute(insert(WorkerLease).values(name=name, **values))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
    takeable = [
        WorkerLease.holder.in_((me.holder, RELEASED)),
        WorkerLease.heartbeat_at < me.heartbeat_at - ttl,
    ]
    if take_from is not None:
        takeable.append(WorkerLease.holder == take_from)
    stmt = update(WorkerLease).where(WorkerLease.name == name, or_(*takeable)).values(**values)
    taken = session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    session.commit()
    return taken


def renew(session: Session, holder: str, now: datetime, name: str = SCHEDULER_LEASE) -> bool:
    """The heartbeat; False when another worker has taken the lease meanwhile. Commits."""
    stmt = (
        update(WorkerLease)
        .where(WorkerLease.name == name, WorkerLease.holder == holder)
        .values(heartbeat_at=now)
    )
    kept = session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    session.commit()
    return kept


def release(session: Session, holder: str, name: str = SCHEDULER_LEASE) -> None:
    """Give the lease up but keep the row: its heartbeat says when the worker last ran."""
    session.execute(
        update(WorkerLease)
        .where(WorkerLease.name == name, WorkerLease.holder == holder)
        .values(holder=RELEASED)
    )
    session.commit()


def save_job(session: Session, job_id: str, **values: object) -> None:
    """Upsert one job's visible state (next run, last outcome)."""
    row = session.get(WorkerJob, job_id)
    if row is None:
        row = WorkerJob(job_id=job_id)
        session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()


def forget_jobs_except(session: Session, job_ids: set[str]) -> None:
    """Drop the state of jobs that no longer exist (a platform removed from the schedule)."""
    session.execute(delete(WorkerJob).where(WorkerJob.job_id.not_in(job_ids)))


def jobs_frame(session: Session) -> pd.DataFrame:
    stmt = select(*[getattr(WorkerJob, c) for c in JOB_COLUMNS]).order_by(WorkerJob.job_id)
    frame = pd.DataFrame.from_records(session.execute(stmt).all(), columns=JOB_COLUMNS)
    for col in JOB_COLUMNS[1:5]:
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def claim_meta(session: Session, key: str, value: str) -> bool:
    """Insert ``key`` unless it exists: a once-only claim (e.g. "this month's mail is sent").
    Commits; True for the first caller only."""
    try:
        session.execute(insert(AppMeta).values(key=key, value=value))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False


def drop_meta(session: Session, key: str) -> None:
    session.execute(delete(AppMeta).where(AppMeta.key == key))
    session.commit()


def set_meta_value(session: Session, key: str, value: str) -> None:
    session.execute(update(AppMeta).where(AppMeta.key == key).values(value=value))
    session.commit()


def claim_reminder(session: Session, reminder_id: int) -> bool:
    """queued → sending, for exactly one sender. Commits."""
    stmt = (
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status == "queued")
        .values(status="sending", attempts=Reminder.attempts + 1)
    )
    claimed = session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    session.commit()
    return claimed


def finish_reminder(
    session: Session,
    reminder_id: int,
    status: str,
    when: datetime | None = None,
    error: str | None = None,
    channel: str | None = None,
    recipient: str | None = None,
) -> bool:
    """Move a reminder that is still open: sent (with its time), queued again, failed or
    cancelled. False when it had already been closed (by another user or the worker)."""
    values: dict[str, object] = {"status": status, "last_error": error}
    if status == "sent":
        values["sent_at"] = when
    if channel is not None:
        values["channel"] = channel
        values["recipient"] = recipient
    stmt = (
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status.in_(OPEN_REMINDER))
        .values(**values)
    )
    done = session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    session.flush()
    return done


def queued_reminders(session: Session, channel: str | None = None) -> list[Reminder]:
    stmt = select(Reminder).where(Reminder.status == "queued").order_by(Reminder.id)
    if channel is not None:
        stmt = stmt.where(Reminder.channel == channel)
    return list(session.scalars(stmt))


def pending_account_ids(session: Session) -> set[int]:
    """Accounts with a reminder still open (queued, being sent, or failed and waiting)."""
    stmt = select(Reminder.account_id).where(Reminder.status.in_(OPEN_REMINDER))
    return set(session.scalars(stmt))


def accounts_without_snapshot(
    session: Session, since: datetime, lasting_errors: Iterable[str] = ()
) -> set[int]:
    """Active accounts with no follower snapshot and no successful collection since ``since``
    (an account whose platform hides the count is not fetched again and again), nor a failure
    since then of a kind in ``lasting_errors`` (a missing or personal account is not asked
    again every hour; the regular passes still try it)."""
    active = set(session.scalars(select(Account.id).where(Account.active.is_(True))))
    snapped = select(FollowerSnapshot.account_id).where(FollowerSnapshot.observed_at >= since)
    collected = select(AccountResult.account_id).where(
        AccountResult.started_at >= since,
        (AccountResult.status == "ok") | AccountResult.error_class.in_(list(lasting_errors)),
    )
    return active - set(session.scalars(snapped)) - set(session.scalars(collected))


def never_collected(session: Session, platforms: Iterable[str]) -> dict[str, set[int]]:
    """Platform → active accounts that no collection has tried yet: no account result, no
    post, no follower count (just added through the registry). One query on indexed columns;
    a failed first attempt leaves a result row, so an unreadable account is tried only once."""
    attempted = exists().where(AccountResult.account_id == Account.id)
    posted = exists().where(Post.account_id == Account.id)
    counted = exists().where(FollowerSnapshot.account_id == Account.id)
    stmt = select(Account.platform, Account.id).where(
        Account.active.is_(True), Account.platform.in_(list(platforms)),
        ~attempted, ~posted, ~counted,
    )  # fmt: skip
    out: dict[str, set[int]] = {}
    for platform, account_id in session.execute(stmt):
        out.setdefault(platform, set()).add(account_id)
    return out


def collected_once(session: Session, job_prefix: str = "collect:") -> set[str]:
    """Platforms whose regular collection job has finished at least once (successfully or
    not); before that, that job's first pass reads every account anyway."""
    stmt = select(WorkerJob.job_id).where(
        WorkerJob.job_id.startswith(job_prefix, autoescape=True),
        WorkerJob.last_finished_at.is_not(None),
    )
    return {job_id.removeprefix(job_prefix) for job_id in session.scalars(stmt)}
