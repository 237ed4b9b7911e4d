"""The briefing's follow-up: the reminders sent in the month and which were answered (the
account posted within 7 days after), as docs/metrics.md "Reminders answered" defines it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.period import month_label, month_period
from core.settings import Settings
from db import repository as repo
from db.engine import make_session_factory
from db.models import Reminder
from metrics.reminder_answers import (
    ANSWERED,
    UNANSWERED,
    WAITING,
    ReminderAnswers,
    answer_states,
    count_answers,
)
from reports.summary import followup
from services.review import month_reminders
from tests import opd_performance_world as w

SETTINGS = Settings()
NOW = w.wib(11, 26, 13)  # tests/clock.py's FIXED_NOW


def test_answer_states_at_the_boundaries() -> None:
    sent = w.wib(11, 10, 8)
    reminders = pd.DataFrame(
        {"account_id": [1, 2, 3, 4, 5], "sent_at": pd.to_datetime([sent] * 4 + [w.wib(11, 22, 10)])}
    )
    posts = pd.DataFrame(
        {
            "account_id": [1, 2, 3, 4, 4],
            "posted_at": pd.to_datetime(
                [
                    sent + timedelta(days=7),  # the 7th day's last instant: answered
                    sent + timedelta(days=7, minutes=1),  # a minute late
                    sent,  # at the very instant it was sent: not after it
                    sent - timedelta(hours=1),  # before the reminder
                    w.wib(11, 22, 11),  # account 4's post answers only account 4's reminders
                ]
            ),
        }
    )
    states = answer_states(reminders, posts, NOW)
    assert states.tolist() == [ANSWERED, UNANSWERED, UNANSWERED, UNANSWERED, WAITING]
    counted = count_answers(states)
    assert (counted.sent, counted.answered, counted.waiting, counted.unanswered) == (5, 1, 1, 3)


def test_no_reminder_counts_nothing() -> None:
    empty = pd.DataFrame({"account_id": [], "sent_at": pd.to_datetime([], utc=True)})
    posts = pd.DataFrame({"account_id": [], "posted_at": pd.to_datetime([], utc=True)})
    assert count_answers(answer_states(empty, posts, NOW)) == ReminderAnswers(0, 0, 0)


def test_follow_up_lines_name_only_what_happened() -> None:
    assert followup(ReminderAnswers(sent=3, answered=3, waiting=0), "Oktober 2026") == [
        "3 pengingat dikirim kepada admin OPD pada Oktober 2026.",
        "3 dijawab: akunnya mengunggah dalam 7 hari setelah pengingat.",
    ]
    none = followup(ReminderAnswers(0, 0, 0), "Oktober 2026")
    assert none[0] == "Belum ada pengingat yang dicatat terkirim pada Oktober 2026."


@pytest.fixture
def world_session(engine: Engine, fixed_now: datetime) -> Iterator[tuple[Session, w.World]]:
    """The hand-made regency with its reminders, and one more sent four days before now."""
    with make_session_factory(engine)() as session:
        world = w.build(session, SETTINGS)
        rid = repo.record_reminder(
            session, world.accounts["ketungau_ig"], "whatsapp", "uji",
            "Yth. Bapak/Ibu admin, akun Instagram kecamatan belum mengunggah sejak Oktober.",
        )  # fmt: skip
        row = session.get(Reminder, rid)
        assert row is not None
        row.status, row.created_at, row.sent_at = "sent", w.wib(11, 22, 9, 55), w.wib(11, 22, 10)
        session.commit()
        yield session, world


def test_the_briefing_follow_up_counts_the_months_reminders(
    world_session: tuple[Session, w.World],
) -> None:
    """docs/metrics.md's worked example: answered, not answered twice, waiting."""
    session, _ = world_session
    period = month_period("2026-11", SETTINGS.tz)
    answers = month_reminders(session, period)
    assert answers == ReminderAnswers(sent=4, answered=1, waiting=1)
    label = month_label("2026-11", NOW, SETTINGS.tz)
    assert followup(answers, label) == [
        "4 pengingat dikirim kepada admin OPD pada November 2026 (berjalan, s.d. 26 Nov).",
        "1 dijawab: akunnya mengunggah dalam 7 hari setelah pengingat.",
        "2 belum dijawab setelah 7 hari.",
        "1 masih dalam masa tunggu 7 hari.",
    ]
    october = month_reminders(session, month_period("2026-10", SETTINGS.tz))
    assert october == ReminderAnswers(sent=1, answered=1, waiting=0)  # DINKES posted that same day
