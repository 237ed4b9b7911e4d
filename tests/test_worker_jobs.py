"""The worker's jobs on the demo world: daily snapshots, reminders, the monthly briefing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pptx import Presentation
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core import fmt
from core.period import current_month, previous_month
from core.timeutil import local_today
from db import worker_store
from db.models import Account, AccountResult, AppMeta, FollowerSnapshot, Reminder
from metrics.activity import LASTING_ERRORS
from reports.briefings import list_briefings
from tests.worker_support import FakeSmtp, runtime, worker_settings
from worker import jobs

SMTP = {"PANTAU_SMTP_HOST": "mail.sintang.example", "PANTAU_SMTP_FROM": "pantau@example.go.id"}


def _forget_today(session: Session, account_ids: list[int], since: dt.datetime) -> None:
    """As if these accounts had not been read today."""
    ids = FollowerSnapshot.account_id.in_(account_ids)
    session.execute(delete(FollowerSnapshot).where(ids, FollowerSnapshot.observed_at >= since))
    results = AccountResult.account_id.in_(account_ids)
    session.execute(delete(AccountResult).where(results, AccountResult.started_at >= since))
    session.commit()


def test_every_account_gets_todays_follower_count(demo_db_url: str, tmp_path: Path) -> None:
    settings = worker_settings(demo_db_url, tmp_path)
    with runtime(settings) as factory, factory() as session:
        since = jobs.local_midnight(settings)
        assert worker_store.accounts_without_snapshot(session, since, LASTING_ERRORS) == set()
        assert jobs.top_up_snapshots() == "Semua akun sudah punya jumlah pengikut hari ini."
        stmt = select(Account.id).where(Account.platform == "instagram").limit(3)
        chosen = list(session.scalars(stmt))
        _forget_today(session, chosen, since)
        assert worker_store.accounts_without_snapshot(session, since, LASTING_ERRORS) == set(chosen)
        runs_before = session.scalar(select(func.max(AccountResult.run_id)))

        summary = jobs.top_up_snapshots()

        assert summary == (
            "3 akun belum punya jumlah pengikut hari ini; 3 berhasil dibaca sekarang."
        )
        assert worker_store.accounts_without_snapshot(session, since, LASTING_ERRORS) == set()
        new = select(AccountResult.account_id).where(AccountResult.run_id > runs_before)
        assert sorted(session.scalars(new)) == sorted(chosen)  # only those were fetched
        today = select(func.count()).where(
            FollowerSnapshot.account_id.in_(chosen), FollowerSnapshot.observed_at >= since
        )
        assert session.scalar(today) == 3


def test_dormancy_check_queues_once_and_mails_once(demo_db_url: str, tmp_path: Path) -> None:
    settings = worker_settings(demo_db_url, tmp_path, **SMTP)
    smtp = FakeSmtp()
    with runtime(settings, smtp) as factory, factory() as session:
        first = jobs.check_dormancy()
        queued = session.scalars(select(Reminder).where(Reminder.created_by == "pekerja")).all()
        assert queued, "the demo world has dormant accounts"
        by_mail = [r for r in queued if r.channel == "email"]
        assert {r.status for r in by_mail} == {"sent"}
        assert {r.status for r in queued if r.channel == "queue"} <= {"queued"}
        # one mail per admin: the message names all their due accounts, recorded per account
        mails = {(r.recipient, r.message) for r in by_mail}
        assert first.startswith(f"{len(queued)} pengingat baru masuk antrean. Surel terkirim "
                                f"{len(mails)},")  # fmt: skip
        assert len(smtp.sent) == len(mails)
        assert sorted(str(m["To"]) for m in smtp.sent) == sorted(str(to) for to, _ in mails)
        assert all(str(m["Subject"]).startswith("Pengingat: ") for m in smtp.sent)

        second = jobs.check_dormancy()  # the same day again: nothing new, nothing resent

        assert second.startswith("0 pengingat baru masuk antrean. Surel terkirim 0,")
        assert len(smtp.sent) == len(mails)
        total = session.scalar(select(func.count()).select_from(Reminder))
        assert total == len(queued)


def test_a_refused_mail_is_retried_then_marked_failed(demo_db_url: str, tmp_path: Path) -> None:
    settings = worker_settings(demo_db_url, tmp_path, **SMTP)
    with runtime(settings, FakeSmtp(refuse=True)) as factory, factory() as session:
        jobs.check_dormancy()
        jobs.check_dormancy()
        jobs.check_dormancy()
        mails = session.scalars(select(Reminder).where(Reminder.channel == "email")).all()
        assert mails
        assert {(r.status, r.attempts) for r in mails} == {("failed", 3)}
        assert all("mail server down" in (r.last_error or "") for r in mails)


def test_without_smtp_reminders_wait_in_the_queue(demo_db_url: str, tmp_path: Path) -> None:
    from services.reminders import mark_queued_sent, pending_queue

    settings = worker_settings(demo_db_url, tmp_path)
    with runtime(settings) as factory, factory() as session:
        jobs.check_dormancy()
        waiting = pending_queue(session)
        assert len(waiting) and set(waiting["channel"]) == {"queue"}
        first = int(waiting["reminder_id"].iloc[0])
        assert mark_queued_sent(session, first, "whatsapp", "62812", "Pesan")
        assert not mark_queued_sent(session, first, "whatsapp", "62812", "Pesan")  # only once
        assert first not in set(pending_queue(session)["reminder_id"])


def test_the_monthly_job_makes_the_briefing_once(demo_db_url: str, tmp_path: Path) -> None:
    settings = worker_settings(demo_db_url, tmp_path, **SMTP,
                               PANTAU_REPORT_RECIPIENTS="kadis@example.go.id")  # fmt: skip
    smtp = FakeSmtp()
    month = previous_month(current_month(settings.tz, local_today(settings.tz)))
    with runtime(settings, smtp) as factory:
        summary = jobs.monthly_briefing()
        assert summary.startswith(f"Bahan paparan {fmt.month_name(month)} dibuat")
        assert summary.endswith("Sudah dikirim lewat surel.")
        listed = list_briefings(settings)
        assert sorted(listed["format"]) == ["pdf", "pptx"]
        assert set(listed["month"]) == {month}
        pptx = Path(listed.set_index("format").loc["pptx", "path"])
        texts = " ".join(
            shape.text_frame.text
            for slide in Presentation(str(pptx)).slides
            for shape in slide.shapes
            if shape.has_text_frame
        )
        assert "Kabupaten Sintang" in texts
        assert Path(listed.set_index("format").loc["pdf", "path"]).read_bytes()[:5] == b"%PDF-"
        assert len(smtp.sent) == 1
        assert {a.get_filename() for a in smtp.sent[0].iter_attachments()} == {
            f"pantau-briefing-{month}.pptx",
            f"pantau-briefing-{month}.pdf",
        }
        stamp = pptx.stat().st_mtime_ns

        again = jobs.monthly_briefing()

        assert f"{fmt.month_name(month)} sudah ada" in again
        assert pptx.stat().st_mtime_ns == stamp
        assert len(smtp.sent) == 1
        with factory() as session:
            assert session.get(AppMeta, f"briefing_mailed:{month}").value == "sent"
    assert not list(Path(settings.reports_dir).glob(".*partial"))
