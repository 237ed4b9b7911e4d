"""Reminder messages, links and escalation: pure rules, tested by tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from core.settings import Settings
from db import queries
from metrics.reminders import (
    ReminderTarget,
    days_between,
    escalation_flags,
    last_reminders,
    mailto_link,
    normalize_phone,
    reminder_message,
    reminder_subject,
    whatsapp_link,
)
from services import reminders
from tests.sample_world import build_sample_world

TARGET = ReminderTarget(
    opd_name="Dinas Perhubungan",
    platform="Facebook",
    handle="demo.dishub",
    regency="Kabupaten Sintang",
    days_since_last_post=1234.0,
    admin_name="Budi Santoso",
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812-0000-1001", "6281200001001"),
        ("62 812 3456 7890", "6281234567890"),
        ("812 3456 7890", "6281234567890"),
        ("(0565) 21234", "6256521234"),
        ("0062 812 3456 7890", "6281234567890"),
        ("0812 3456 7890 / 0813 1111 2222", "6281234567890"),
        ("0812-1111-2222, 0813-3333-4444", "6281211112222"),
        ("+1 202 555 0100", "12025550100"),
        ("", None),
        (None, None),
        ("-", None),
        ("0812", None),
    ],
)
def test_normalize_phone(raw: str | None, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_message_names_the_account_days_regency_and_guidance() -> None:
    text = reminder_message([TARGET])
    assert text.startswith("Yth. Bapak/Ibu Budi Santoso, Admin Media Sosial Dinas Perhubungan,")
    for part in ("Facebook demo.dishub", "Dinas Perhubungan", "1.234 hari", "Kabupaten Sintang"):
        assert part in text
    assert "Sesuai arahan Bidang Komunikasi Publik Diskominfo" in text
    assert "nama pejabat, kegiatan, lokasi, waktu, dan siapa yang hadir" in text
    assert "Terima kasih" in text
    assert "<" not in text and ">" not in text and "**" not in text


def test_message_without_posts_or_admin_stays_polite() -> None:
    target = ReminderTarget("Kecamatan Dedai", "YouTube", "demo.dedai", "Kabupaten Sintang")
    text = reminder_message([target])
    assert text.startswith("Yth. Bapak/Ibu Admin Media Sosial Kecamatan Dedai,")
    assert "belum memiliki unggahan yang tercatat" in text
    assert "nan" not in text


def test_whatsapp_link_encodes_the_message() -> None:
    text = reminder_message([TARGET]) + " & tanya? #ok"
    link = whatsapp_link("0812-3456-7890", text)
    assert link is not None
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert " " not in link and "\n" not in link and "&" not in parts.query.split("=", 1)[1]
    assert parse_qs(parts.query)["text"] == [text]
    assert whatsapp_link(None, text) is None
    assert whatsapp_link("tidak ada", text) is None


def test_mailto_link_encodes_subject_and_body() -> None:
    subject = reminder_subject([TARGET])
    body = reminder_message([TARGET])
    link = mailto_link(" admin.dishub@demo.example ", subject, body)
    assert link is not None
    assert link.startswith("mailto:admin.dishub@demo.example?subject=")
    assert " " not in link and "\n" not in link and "+" not in link
    query = parse_qs(urlsplit(link).query)
    assert query["subject"] == [subject]
    assert query["body"] == [body.replace("\n", "\r\n")]
    assert "%0D%0A" in link
    assert unquote(link.split("subject=")[1].split("&")[0]).startswith("Pengingat: akun Facebook")
    assert mailto_link(None, subject, body) is None
    assert mailto_link("bukan-surel", subject, body) is None


NOW = datetime(2026, 11, 26, 6, tzinfo=UTC)


def _frame(rows: list[tuple[str, float | None, datetime | None, datetime | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["status", "days_since_reminder", "last_reminded_at", "last_posted_at"]
    )
    for col in ("last_reminded_at", "last_posted_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def test_escalation_table() -> None:
    old = NOW - timedelta(days=10)
    frame = _frame(
        [
            ("dormant", 10, old, NOW - timedelta(days=90)),  # reminded, still quiet -> escalate
            ("at_risk", 8, old, NOW - timedelta(days=20)),  # at risk counts too
            ("dormant", 7, old, NOW - timedelta(days=90)),  # exactly 7 days: not yet
            ("dormant", None, None, NOW - timedelta(days=90)),  # never reminded
            ("active", 10, old, NOW - timedelta(days=1)),  # active again
            ("no_data", 10, old, None),  # never observed: not escalated
            ("at_risk", 10, old, old + timedelta(days=1)),  # posted after the reminder
            ("dormant", 10, old, None),  # observed, never posted
        ]
    )
    assert escalation_flags(frame, 7).tolist() == [
        True, True, False, False, False, False, False, True,
    ]  # fmt: skip


def test_last_reminders_and_calendar_days() -> None:
    rows = pd.DataFrame(
        {
            "account_id": [1, 1, 2],
            "created_at": pd.to_datetime(
                ["2026-11-01T03:00Z", "2026-11-20T16:30Z", "2026-10-01T00:00Z"], utc=True
            ),
            "channel": ["email", "whatsapp", "email"],
        }
    )
    last = last_reminders(rows).set_index("account_id")
    assert last.loc[1, "last_channel"] == "whatsapp"
    assert last.loc[2, "last_channel"] == "email"
    # 20 Nov 16:30 UTC is 20 Nov 23:30 WIB: six calendar days before 26 November
    days = days_between(last["last_reminded_at"], pd.Timestamp("2026-11-26"), "Asia/Pontianak")
    assert days.tolist() == [6.0, 56.0]
    assert last_reminders(rows.iloc[0:0]).empty


def test_dormant_accounts_record_and_escalate(session: Session, fixed_now: datetime) -> None:
    ids = build_sample_world(session, now=fixed_now)
    settings = Settings()
    names = {"instagram": "Instagram", "facebook": "Facebook", "youtube": "YouTube"}
    today = fixed_now.astimezone(settings.tz).date()
    view = reminders.dormant_accounts(session, today, settings, names)
    assert view.escalate_days == 7
    assert not view.accounts["escalate"].any()
    reminders.record(session, [ids["dpupr_ig"]], "whatsapp", "6281200000000", "Pesan")
    (old,) = reminders.record(session, [ids["dishub_fb"]], "email", "a@b.c", "Pesan")
    session.commit()
    reminder = queries.reminders_frame(session)
    assert set(reminder["channel"]) == {"whatsapp", "email"}
    from db.models import Reminder

    row = session.get(Reminder, old)
    assert row is not None
    row.created_at = row.sent_at = datetime.now(UTC) - timedelta(days=9)
    session.commit()
    view = reminders.dormant_accounts(session, today, settings, names)
    flagged = view.accounts[view.accounts["escalate"]]
    assert flagged["handle"].tolist() == ["demo.dishub"]
    assert view.accounts.iloc[0]["handle"] == "demo.dishub"  # escalations come first
    counts = reminders.counts(reminders.filter_dormant(view.accounts, include_active=False))
    assert counts == {
            "dormant": 2, "at_risk": 1, "no_data": 1, "unreadable": 0, "active": 0, "escalate": 1,
        }  # fmt: skip
    with pytest.raises(ValueError, match="channel"):
        reminders.record(session, [ids["dpupr_ig"]], "sms", None, None)


def test_filter_dormant() -> None:
    frame = pd.DataFrame(
        {
            "status": ["dormant", "active", "at_risk", "no_data"],
            "platform": ["instagram", "instagram", "facebook", "youtube"],
            "category": ["dinas", "dinas", "kecamatan", "kecamatan"],
        }
    )
    assert len(reminders.filter_dormant(frame, include_active=False)) == 3
    assert len(reminders.filter_dormant(frame, include_active=True)) == 4
    only_ig = reminders.filter_dormant(frame, True, platforms=["instagram"])
    assert only_ig["status"].tolist() == ["dormant", "active"]
    kec = reminders.filter_dormant(frame, False, categories=["kecamatan"])
    assert kec["platform"].tolist() == ["facebook", "youtube"]
