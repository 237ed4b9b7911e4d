"""Alerts on a database (SQLite, or PostgreSQL on its run): each check raised from stored data,
raised once however often it runs (and never again once read), acknowledged with who and
when, and mailed once through the queue. "Now" is FIXED_NOW."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.mailer import Mailer
from core.settings import Settings, SettingsError
from db import alerts as store
from db import repository as repo
from db import worker_store
from db.models import Account, AccountToken, Post
from db.models_followup import Alert
from db.worker_store import LeaseInfo
from services import alerts
from services.config import effective_settings, save_overrides
from tests.worker_support import FakeSmtp

SMTP = Settings(smtp_host="mail.sintang.example", smtp_sender="pantau@example.go.id",
                report_recipients="kabid@example.go.id")  # fmt: skip
ORDINARY = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 10]  # interactions of 1 000-follower posts


def _world(session: Session, now: datetime) -> dict[str, int]:
    """DINKES's Instagram with a breakout post yesterday and a follower drop (4 000 → 3 500);
    DISHUB's Instagram posting ordinary posts, then not found since 6 hours ago; DEDAI's
    TikTok connected by its owner until 3 days from now."""
    dinkes = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    dishub = repo.upsert_opd(session, "DISHUB", "Dinas Perhubungan", "dinas")
    dedai = repo.upsert_opd(session, "KEC-DEDAI", "Kecamatan Dedai", "kecamatan")
    ids = {
        "dinkes": repo.upsert_account(session, dinkes, "instagram", "dinkes.sintang").id,
        "dishub": repo.upsert_account(session, dishub, "instagram", "dishub.sintang").id,
        "dedai": repo.upsert_account(session, dedai, "tiktok", "kec.dedai").id,
    }
    posts = [
        repo.PostRow(ids["dishub"], f"dishub-{n}", now - timedelta(days=2 + n), likes=count,
                     comments=0)
        for n, count in enumerate(ORDINARY)
    ]  # fmt: skip
    posts.append(repo.PostRow(ids["dinkes"], "dinkes-star", now - timedelta(days=1), likes=380,
                              comments=20))  # fmt: skip
    repo.upsert_posts(session, posts)
    counts = {40: 4100, 7: 4000, 0: 3500}
    repo.upsert_snapshots(session, [
        *(repo.SnapshotRow(ids["dinkes"], now - timedelta(days=d, hours=1), f)
          for d, f in counts.items()),
        repo.SnapshotRow(ids["dishub"], now - timedelta(days=40), 1000),
    ])  # fmt: skip
    run = repo.start_run(session, "collect")
    repo.record_account_results(session, run.id, [
        repo.ResultRow(ids["dishub"], now - timedelta(hours=30), "ok"),
        repo.ResultRow(ids["dinkes"], now - timedelta(hours=30), "ok"),
    ])  # fmt: skip
    failed = repo.start_run(session, "collect")
    repo.record_account_results(session, failed.id, [
        repo.ResultRow(ids["dishub"], now - timedelta(hours=6), "failed", "not_found",
                       "Akun Instagram ini bukan akun profesional atau tidak ditemukan."),
    ])  # fmt: skip
    session.add(AccountToken(account_id=ids["dedai"], access_token_enc="sealed",
                             refresh_token_enc="sealed", updated_at=now - timedelta(days=300),
                             refresh_expires_at=now + timedelta(days=3)))  # fmt: skip
    session.commit()
    return ids


def _kinds(raised: list[alerts.RaisedAlert]) -> dict[str, int | None]:
    return {a.kind: a.account_id for a in raised}


def test_each_check_raises_from_stored_data_once(session: Session, fixed_now: datetime) -> None:
    ids = _world(session, fixed_now)
    settings = Settings()

    first = alerts.check_alerts(session, settings, fixed_now)

    assert _kinds(first) == {
        "breakout": ids["dinkes"], "follower_drop": ids["dinkes"], "gone": ids["dishub"],
        "token_expiring": ids["dedai"],
    }  # fmt: skip
    by_kind = {a.kind: a for a in first}
    assert by_kind["follower_drop"].reason == (
        "Pengikut @dinkes.sintang (Instagram, Dinas Kesehatan) turun 12,5% dalam 7 hari: "
        "dari 4.000 menjadi 3.500."
    )
    assert "tingkat interaksinya 10,0% dari jumlah pengikut" in by_kind["breakout"].reason
    assert by_kind["breakout"].post_id is not None
    assert "(3 hari lagi)" in by_kind["token_expiring"].reason
    assert alerts.check_alerts(session, settings, fixed_now) == []  # run again: nothing new
    later = fixed_now + timedelta(hours=1)
    assert alerts.check_alerts(session, settings, later) == []  # an hour later: the same events
    assert session.scalar(select(func.count()).select_from(Alert)) == 4
    listed = alerts.open_alerts(session)
    assert set(listed["kind"]) == set(by_kind)
    assert set(listed["mail_status"]) == {"queued"}


def test_an_acknowledged_alert_is_never_raised_again(session: Session, fixed_now: datetime) -> None:
    _world(session, fixed_now)
    alerts.check_alerts(session, Settings(), fixed_now)
    ids = [int(i) for i in alerts.open_alerts(session)["alert_id"]]

    assert alerts.acknowledge(session, ids[0], "peninjau", fixed_now) == 1
    assert alerts.acknowledge(session, ids[0], "admin", fixed_now) == 0  # already read

    row = session.get(Alert, ids[0])
    assert row is not None
    assert (row.acknowledged_by, row.mail_status) == ("peninjau", "cancelled")
    assert row.acknowledged_at == fixed_now
    assert alerts.check_alerts(session, Settings(), fixed_now) == []
    assert ids[0] not in set(alerts.open_alerts(session)["alert_id"])
    everything = alerts.open_alerts(session, include_acknowledged=True)
    assert len(everything) == len(ids)


def test_raising_is_insert_if_absent_across_sessions(session: Session, fixed_now: datetime) -> None:
    """Two checkers (the worker and a dashboard) raising the same event: one row."""
    row = {"key": "worker_silent:2026-11-25T17:00:00+00:00", "kind": "worker_silent",
           "account_id": None, "post_id": None, "reason": "Pekerja tidak berjalan."}  # fmt: skip
    other = Session(bind=session.get_bind())
    try:
        assert store.raise_new(other, [row], fixed_now) == [row["key"]]
        other.commit()
        assert store.raise_new(session, [row, row], fixed_now) == []
        session.commit()
    finally:
        other.close()
    assert session.scalar(select(func.count()).select_from(Alert)) == 1


def test_the_thresholds_set_in_pengaturan_apply(session: Session, fixed_now: datetime) -> None:
    _world(session, fixed_now)
    strict = save_overrides(session, Settings(), {"PANTAU_ALERT_FOLLOWER_DROP_PCT": "13",
                                                  "PANTAU_ALERT_BREAKOUT_Z": "1000"})  # fmt: skip
    session.commit()
    assert effective_settings(session, Settings()).alert_thresholds() == (13, 50, 1000.0)
    raised = alerts.check_alerts(session, strict, fixed_now)
    assert "follower_drop" not in _kinds(raised) and "breakout" not in _kinds(raised)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"follower_drop_pct": "100"}, "PANTAU_ALERT_FOLLOWER_DROP_PCT"),
        ({"follower_drop_min": "0"}, "PANTAU_ALERT_FOLLOWER_DROP_MIN"),
        ({"breakout_z": "3"}, "PANTAU_ALERT_BREAKOUT_Z"),
        ({"breakout_z": "tinggi"}, "PANTAU_ALERT_BREAKOUT_Z"),
    ],
)
def test_bad_alert_thresholds_are_refused(values: dict[str, str], problem: str) -> None:
    with pytest.raises(SettingsError, match=problem):
        Settings(**values)


def test_the_worker_silent_is_raised_once_per_silence(
    session: Session, fixed_now: datetime
) -> None:
    beat = fixed_now - timedelta(hours=13)  # two 6-hour intervals and more
    worker_store.try_acquire(session, LeaseInfo("w1", "server", 42, beat, beat), timedelta(90))
    worker_store.save_job(session, "collect:instagram", last_success_at=beat)
    session.commit()

    raised = alerts.check_worker_silence(session, Settings(), fixed_now)

    assert [a.kind for a in raised] == ["worker_silent"]
    assert raised[0].reason.startswith(
        "Proses otomatis terjadwal tidak berjalan sejak 26 November 2026"
    )
    assert alerts.check_worker_silence(session, Settings(), fixed_now + timedelta(hours=1)) == []
    worker_store.renew(session, "w1", fixed_now)  # back, and collecting
    worker_store.save_job(session, "collect:instagram", last_success_at=fixed_now)
    session.commit()
    assert alerts.check_worker_silence(session, Settings(), fixed_now) == []


def test_a_beating_worker_that_finishes_no_pass(session: Session, fixed_now: datetime) -> None:
    started = fixed_now - timedelta(days=2)
    worker_store.try_acquire(session, LeaseInfo("w1", "server", 42, started, fixed_now),
                             timedelta(90))  # fmt: skip
    worker_store.save_job(session, "collect:instagram", last_success_at=started)
    worker_store.save_job(session, "new_accounts", last_success_at=fixed_now)  # not a pass
    session.commit()
    raised = alerts.check_worker_silence(session, Settings(), fixed_now)
    assert [a.kind for a in raised] == ["worker_silent"]
    assert "tidak ada putaran pengambilan data yang selesai" in raised[0].reason


def test_queued_alerts_are_mailed_once(session: Session, fixed_now: datetime) -> None:
    _world(session, fixed_now)
    alerts.check_alerts(session, Settings(), fixed_now)
    settings = SMTP
    smtp = FakeSmtp()

    first = alerts.mail_queued_alerts(session, settings, Mailer(settings, smtp))
    second = alerts.mail_queued_alerts(session, settings, Mailer(settings, smtp))

    assert (first.sent, second.sent) == (4, 0)
    assert len(smtp.sent) == 4
    assert {m["To"] for m in smtp.sent} == {"kabid@example.go.id"}
    subjects = {str(m["Subject"]) for m in smtp.sent}
    assert "Peringatan Pantau: Pengikut turun tajam" in subjects
    body = next(m for m in smtp.sent if "turun tajam" in str(m["Subject"])).get_content()
    assert body.startswith("Pengikut @dinkes.sintang (Instagram, Dinas Kesehatan) turun 12,5%")
    statuses = session.scalars(select(Alert.mail_status).execution_options(populate_existing=True))
    assert set(statuses) == {"sent"}
    assert None not in set(session.scalars(select(Alert.mailed_at)))


def test_a_refused_mail_is_retried_then_failed(session: Session, fixed_now: datetime) -> None:
    _world(session, fixed_now)
    alerts.check_alerts(session, Settings(), fixed_now)
    settings = SMTP
    refusing = Mailer(settings, FakeSmtp(refuse=True))

    results = [alerts.mail_queued_alerts(session, settings, refusing) for _ in range(4)]

    assert [(r.retry, r.failed) for r in results] == [(4, 0), (4, 0), (0, 4), (0, 0)]
    rows = session.scalars(select(Alert).execution_options(populate_existing=True)).all()
    assert {(a.mail_status, a.mail_attempts) for a in rows} == {("failed", 3)}
    assert all("mail server down" in (a.mail_error or "") for a in rows)


def test_without_smtp_or_a_recipient_alerts_stay_queued(
    session: Session, fixed_now: datetime
) -> None:
    _world(session, fixed_now)
    alerts.check_alerts(session, Settings(), fixed_now)
    smtp = FakeSmtp()
    no_smtp = Settings()
    no_recipient = replace(SMTP, report_recipients="")
    for settings in (no_smtp, no_recipient):
        result = alerts.mail_queued_alerts(session, settings, Mailer(settings, smtp))
        assert (result.sent, result.retry, result.failed) == (0, 0, 0)
    assert smtp.sent == []
    assert set(alerts.open_alerts(session)["mail_status"]) == {"queued"}


def test_newest_raise_first_and_within_a_check_the_weightier(
    session: Session, fixed_now: datetime
) -> None:
    ids = _world(session, fixed_now)
    bright = fixed_now - timedelta(days=3)
    repo.upsert_posts(
        session, [repo.PostRow(ids["dinkes"], "dinkes-bright", bright, likes=200, comments=0)]
    )
    session.commit()
    alerts.check_alerts(session, Settings(), fixed_now)
    later = fixed_now + timedelta(hours=1)
    store.raise_new(session, [{"key": "worker_silent:x", "kind": "worker_silent",
                               "reason": "Proses otomatis tidak berjalan."}], later)  # fmt: skip
    session.commit()

    listed = alerts.open_alerts(session)

    assert list(listed["kind"]) == [
        "worker_silent", "gone", "token_expiring", "follower_drop", "breakout", "breakout",
    ]  # fmt: skip
    breakouts = listed[listed["kind"] == "breakout"]
    external = {p.id: p.platform_post_id for p in session.scalars(select(Post))}
    assert [external[int(p)] for p in breakouts["post_id"]] == ["dinkes-star", "dinkes-bright"]
    assert "10,0%" in breakouts.iloc[0]["reason"] and "5,0%" in breakouts.iloc[1]["reason"]


def test_only_alerts_of_the_last_day_are_mailed(session: Session, fixed_now: datetime) -> None:
    """A first run, or SMTP set up months later, mails no backlog: alerts raised more than 24
    hours ago are cancelled unmailed and stay listed until read."""
    store.raise_new(session, [{"key": "worker_silent:old", "kind": "worker_silent",
                               "reason": "Lama."}], fixed_now - timedelta(hours=25))  # fmt: skip
    store.raise_new(session, [{"key": "worker_silent:fresh", "kind": "worker_silent",
                               "reason": "Baru."}], fixed_now - timedelta(hours=23))  # fmt: skip
    session.commit()
    smtp = FakeSmtp()

    result = alerts.mail_queued_alerts(session, SMTP, Mailer(SMTP, smtp))

    assert (result.sent, result.retry, result.failed) == (1, 0, 0)
    assert [m.get_content().split("\n")[0] for m in smtp.sent] == ["Baru."]
    listed = alerts.open_alerts(session)
    assert dict(zip(listed["key"], listed["mail_status"], strict=True)) == {
        "worker_silent:fresh": "sent", "worker_silent:old": "cancelled",
    }  # fmt: skip


def test_alerts_of_an_account_no_longer_watched_are_not_listed_nor_mailed(
    session: Session, fixed_now: datetime
) -> None:
    ids = _world(session, fixed_now)
    alerts.check_alerts(session, Settings(), fixed_now)
    account = session.get(Account, ids["dinkes"])
    assert account is not None
    account.active = False
    session.commit()

    listed = alerts.open_alerts(session)
    everything = alerts.open_alerts(session, include_acknowledged=True)
    smtp = FakeSmtp()
    mailed = alerts.mail_queued_alerts(session, SMTP, Mailer(SMTP, smtp))

    assert set(listed["kind"]) == {"gone", "token_expiring"}
    assert ids["dinkes"] not in set(everything["account_id"])
    assert mailed.sent == 2 and len(smtp.sent) == 2
    assert not any("dinkes" in m.get_content() for m in smtp.sent)
