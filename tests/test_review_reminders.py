"""services.review.month_reminders with reminders marked sent whose moment was never kept:
they count from when they were made, without pandas' warning about mixed time units."""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.period import month_period
from core.settings import Settings
from db import repository as repo
from db.models import Reminder
from metrics.reminder_answers import ReminderAnswers
from services.review import month_reminders
from tests.sample_world import build_sample_world

SETTINGS = Settings()


def sent_without_moment(session: Session, account_id: int, made: datetime) -> None:
    """A reminder marked sent whose sending moment was not kept (only its creation)."""
    rid = repo.record_reminder(
        session, account_id, "whatsapp", "6281234567890",
        "Yth. Bapak/Ibu admin, akun Instagram dinas belum mengunggah sejak September.",
    )  # fmt: skip
    row = session.get(Reminder, rid)
    assert row is not None
    row.created_at, row.sent_at = made + timedelta(microseconds=250), None  # as utcnow() keeps


def test_reminders_without_a_sent_moment_count_from_their_creation(
    session: Session, fixed_now: datetime
) -> None:
    ids = build_sample_world(session, now=fixed_now)
    october = month_period("2026-10", SETTINGS.tz)
    sent_without_moment(session, ids["dpupr_ig"], october.start + timedelta(days=19))
    sent_without_moment(session, ids["dinkes_ig"], october.start + timedelta(days=4))
    sent_without_moment(session, ids["dpupr_ig"], october.end + timedelta(hours=1))  # November
    session.commit()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas 3 warns where pandas 4 will raise
        answers = month_reminders(session, october)
    # DINKES posts daily and answered; DPUPR went quiet 60 days before FIXED_NOW
    assert answers == ReminderAnswers(sent=2, answered=1, waiting=0)
