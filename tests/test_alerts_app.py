"""Alerts end to end on the demo world (at FIXED_NOW): raised when the demo is loaded, listed
and marked read by `cli.py alerts`, listed on Ringkasan with its button, mailed by the worker's
job, and their thresholds set in Pengaturan."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from cli import app
from core.settings import Settings
from db import repository as repo
from db.engine import make_engine, make_session_factory
from db.models import Account
from db.models_followup import Alert
from services import alerts
from services.config import effective_settings
from tests.app_support import ADMIN_USER, run_page, texts
from tests.clock import FIXED_NOW
from tests.worker_support import FakeSmtp, runtime, worker_settings
from worker import jobs

runner = CliRunner()
SMTP = {"PANTAU_SMTP_HOST": "mail.sintang.example", "PANTAU_SMTP_FROM": "pantau@example.go.id",
        "PANTAU_REPORT_RECIPIENTS": "kabid@example.go.id"}  # fmt: skip


def _stored(url: str) -> list[Alert]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            rows = list(session.scalars(select(Alert).order_by(Alert.id)))
            session.expunge_all()
            return rows
    finally:
        engine.dispose()


def _plant_breakout(url: str) -> str:
    """A post of two days ago far above every other on Instagram, and the check that raises it
    (the demo world's own breakouts are older than a week); returns the post's address."""
    address = "https://www.instagram.com/p/PantauUjiMenonjol/"
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            account = session.scalars(
                select(Account).where(Account.platform == "instagram", Account.active.is_(True))
                .order_by(Account.id)
            ).first()  # fmt: skip
            assert account is not None
            post = repo.PostRow(account.id, "pantau-uji-menonjol", FIXED_NOW - timedelta(days=2),
                                url=address, likes=500_000, comments=0)  # fmt: skip
            repo.upsert_posts(session, [post])
            session.commit()
            raised = alerts.check_alerts(session, Settings(), FIXED_NOW)
            assert [a.kind for a in raised if a.kind == "breakout"] == ["breakout"]
    finally:
        engine.dispose()
    return address


def _cli(url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["alerts", *args], env={"DATABASE_URL": url})


def test_the_demo_world_holds_alerts_of_several_kinds(demo_db_url: str) -> None:
    stored = _stored(demo_db_url)
    kinds = [a.kind for a in stored]
    assert kinds.count("gone") == 2  # the personal Instagram and the missing YouTube channel
    assert all(a.mail_status == "queued" and a.acknowledged_at is None for a in stored)
    gone = " ".join(a.reason for a in stored if a.kind == "gone")
    assert "@demo.kectempunak (Instagram, Kecamatan Tempunak)" in gone


def test_cli_lists_checks_and_marks_alerts_read(demo_db_url: str) -> None:
    listed = _cli(demo_db_url, "--format", "json", "--check")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert len(rows) == len(_stored(demo_db_url))  # --check found nothing new
    assert list(rows[0]) == ["id", "raised_at", "kind", "opd_code", "platform", "handle",
                             "reason", "mail_status"]  # fmt: skip
    assert all(r["raised_at"].endswith("+07:00") for r in rows)  # WIB, with its offset
    assert [r["raised_at"] for r in rows] == sorted((r["raised_at"] for r in rows), reverse=True)
    gone = json.loads(_cli(demo_db_url, "--format", "json", "--kind", "gone").stdout)
    assert {r["kind"] for r in gone} == {"gone"} and len(gone) == 2

    first = rows[0]["id"]
    acked = _cli(demo_db_url, "--ack", str(first), "--by", "kabid")
    assert acked.exit_code == 0 and "1 of 1 alerts marked read." in acked.stdout

    still_open = json.loads(_cli(demo_db_url, "--format", "json").stdout)
    assert first not in {r["id"] for r in still_open}
    everything = json.loads(_cli(demo_db_url, "--format", "json", "--all").stdout)
    read = next(r for r in everything if r["id"] == first)
    assert read["acknowledged_by"] == "kabid" and read["acknowledged_at"].endswith("+07:00")
    table = _cli(demo_db_url)
    assert table.exit_code == 0 and "mail_status" in table.stdout and "queued" in table.stdout
    wrong = _cli(demo_db_url, "--kind", "banjir")
    assert wrong.exit_code == 1 and "unknown --kind banjir" in wrong.output


def test_ringkasan_lists_alerts_and_the_button_marks_one_read(demo_app: str) -> None:
    address = _plant_breakout(demo_app)
    stored = _stored(demo_app)
    newest = max(stored, key=lambda a: (a.raised_at, a.id))
    at = run_page("pages/ringkasan.py")

    assert "Peringatan" in [h.value for h in at.subheader]
    shown = texts(at)
    assert "Akun tidak dapat dibaca" in shown and "Unggahan menonjol" in shown
    assert "WIB" in shown
    links = [b.proto.url for b in at.get("link_button") if b.proto.label == "Buka unggahan"]
    assert links == [address]  # the breakout's post; the other alerts are about no post
    at.button(key=f"alert_ack_{newest.id}").click().run()

    assert not at.exception, [e.message for e in at.exception]
    assert "1 peringatan ditandai sudah dibaca." in [s.value for s in at.success]
    assert not [b for b in at.button if b.key == f"alert_ack_{newest.id}"]
    read = next(a for a in _stored(demo_app) if a.id == newest.id)
    assert read.acknowledged_by == ADMIN_USER.username
    assert read.acknowledged_at is not None and read.mail_status == "cancelled"
    assert sum(a.acknowledged_at is None for a in _stored(demo_app)) == len(stored) - 1


def test_the_worker_job_mails_the_queued_alerts_once(demo_db_url: str, tmp_path: Path) -> None:
    settings = worker_settings(demo_db_url, tmp_path, **SMTP)
    smtp = FakeSmtp()
    waiting = len(_stored(demo_db_url))
    with runtime(settings, smtp):
        first = jobs.raise_alerts()
        second = jobs.raise_alerts()
    assert first == f"0 peringatan baru. Surel terkirim {waiting}, dicoba lagi 0, gagal 0."
    assert second == "0 peringatan baru. Surel terkirim 0, dicoba lagi 0, gagal 0."
    assert len(smtp.sent) == waiting
    assert all(str(m["Subject"]).startswith("Peringatan Pantau: ") for m in smtp.sent)
    assert {a.mail_status for a in _stored(demo_db_url)} == {"sent"}


def test_without_smtp_the_job_leaves_them_queued(demo_db_url: str, tmp_path: Path) -> None:
    with runtime(worker_settings(demo_db_url, tmp_path)):
        assert jobs.raise_alerts() == "0 peringatan baru."
    assert {a.mail_status for a in _stored(demo_db_url)} == {"queued"}


def test_pengaturan_saves_the_alert_thresholds(demo_app: str) -> None:
    at = run_page("pages/pengaturan.py")
    assert at.number_input(key="alert_drop_pct").value == 10
    at.number_input(key="alert_drop_pct").set_value(15)
    at.number_input(key="alert_drop_min").set_value(200)
    at.number_input(key="alert_breakout_z").set_value(6.5)
    at.button(key="save_rules").click().run()
    assert "disimpan" in at.success[0].value
    engine = make_engine(demo_app)
    with make_session_factory(engine)() as session:
        saved = effective_settings(session, Settings())
        assert saved.alert_thresholds() == (15, 200, 6.5)
        assert alerts.alert_rules(saved).breakout_z == 6.5
    engine.dispose()
