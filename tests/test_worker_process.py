"""The worker as a process: one per database, SIGTERM ends it in seconds, no secret in logs."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess  # nosec B404
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from collectors.service import pass_options
from core.settings import Settings
from core.timeutil import utcnow
from db import worker_store
from db.engine import make_engine, make_session_factory
from db.models import AccountResult, WorkerJob
from tests.app_support import ROOT
from tests.worker_support import runtime, worker_settings
from worker import jobs
from worker.logs import setup_logging
from worker.schedule import build_scheduler, job_specs, reconcile, stop_scheduler

PLANTED = {
    "PANTAU_META_TOKEN": "EAAGplantedMetaTokenZZ91",
    "PANTAU_X_BEARER_TOKEN": "AAAAplantedBearerQQ77",
    "PANTAU_YOUTUBE_API_KEY": "AIzaPlantedYoutubeKeyWW55",
    "PANTAU_SMTP_PASSWORD": "plantedMailPassword!42",
    "PANTAU_IG_USER_ID": "17841400000000000",
}


def _wait_for(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(  # nosec B603 - our own CLI, fixed argv
        [sys.executable, str(ROOT / "cli.py"), "schedule"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _due_now(settings: Settings, job_id: str) -> None:
    """Store the timetable with ``job_id`` overdue, so the worker starts it at once."""
    engine = make_engine(settings.database_url)
    scheduler = build_scheduler(engine)
    scheduler.start(paused=True)
    reconcile(scheduler, job_specs(settings))
    scheduler.modify_job(job_id, next_run_time=utcnow() - timedelta(seconds=5))
    stop_scheduler(scheduler)
    engine.dispose()


@pytest.mark.wall_clock  # the worker is a child process, on the real clock; so is its timetable
def test_one_worker_per_database_and_sigterm_stops_it(demo_db_url: str, tmp_path: Path) -> None:
    settings = worker_settings(demo_db_url, tmp_path)
    _due_now(settings, "collect:instagram")
    env = {**os.environ, "DATABASE_URL": demo_db_url, "PANTAU_LOG_DIR": settings.log_dir,
           "PANTAU_REPORTS_DIR": settings.reports_dir}  # fmt: skip
    factory = make_session_factory(make_engine(demo_db_url))

    def collecting() -> bool:
        with factory() as session:
            job = session.get(WorkerJob, "collect:instagram", populate_existing=True)
            return job is not None and job.last_status == "running"

    first = _worker(env)
    try:
        assert _wait_for(collecting, 60), "the overdue collection did not start"
        second = subprocess.run(  # nosec B603
            [sys.executable, str(ROOT / "cli.py"), "schedule"], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 3
        assert "another worker already runs on this database" in second.stderr
        assert f"pid {first.pid}" in second.stderr

        stopped_at = time.monotonic()
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=10)
        assert time.monotonic() - stopped_at < 10
    finally:
        if first.poll() is None:
            first.kill()
    output = first.stdout.read() if first.stdout else ""
    assert first.returncode == 0, output
    with factory() as session:
        lease = worker_store.read_lease(session)
    assert lease is not None and lease.holder == worker_store.RELEASED
    log_lines = (Path(settings.log_dir) / "worker.log").read_text().splitlines()
    events = [json.loads(line) for line in log_lines]
    assert any(e.get("event") == "stop" for e in events)


def test_a_pass_stops_between_accounts_when_asked(demo_db_url: str, tmp_path: Path) -> None:
    settings = worker_settings(demo_db_url, tmp_path)
    with runtime(settings) as factory:
        rt = jobs.runtime()
        rt.stop.set()  # SIGTERM arrived before the pass began
        report = jobs._collect(rt, pass_options(settings, frozenset({"x"}),
                                                should_stop=rt.stop.is_set))  # fmt: skip
        assert report.interrupted
        assert report.outcomes and all(o.skipped for o in report.outcomes)
        assert "dihentikan karena pekerja dimatikan" in report.message()
        with factory() as session:
            stmt = select(AccountResult.status).where(AccountResult.run_id == report.run_id)
            assert set(session.scalars(stmt)) == {"skipped"}


def _echo_secrets(request: httpx.Request) -> httpx.Response:
    """A platform that fails and repeats the request, token and all, in its error text."""
    return httpx.Response(500, text=f"upstream broke on {request.url} {request.headers}")


def test_no_secret_reaches_the_logs(session_db_url_and_tmp: tuple[str, Path]) -> None:
    db_url, tmp = session_db_url_and_tmp
    settings = worker_settings(db_url, tmp, **PLANTED)
    path = setup_logging(settings, stream=False)
    log = logging.getLogger("pantau.test")
    token = PLANTED["PANTAU_META_TOKEN"]
    log.info("GET https://graph.facebook.com/v25.0/me?access_token=%s&fields=id", "abc123SECRET")
    log.info("header Authorization: Bearer %s", "someOtherBearerValue99")
    log.info("db postgresql://pantau:%s@db.local/pantau", "pgPassw0rdX")
    try:
        raise RuntimeError(f"collector broke with {token} and {PLANTED['PANTAU_SMTP_PASSWORD']}")
    except RuntimeError:
        log.exception("job failed")
    transport = httpx.MockTransport(_echo_secrets)
    with runtime(settings, transport=transport) as factory:
        for platform in ("facebook", "x", "youtube"):
            jobs.collect_platform(platform)
        with factory() as session:
            messages = " ".join(m or "" for m in session.scalars(select(WorkerJob.last_message)))
    logging.shutdown()
    text = path.read_text(encoding="utf-8")
    assert "job failed" in text and "***" in text
    for secret in [*PLANTED.values(), "abc123SECRET", "someOtherBearerValue99", "pgPassw0rdX"]:
        if secret == PLANTED["PANTAU_IG_USER_ID"]:
            continue  # an id, not a secret
        assert secret not in text
        assert secret not in messages
    for line in text.splitlines():
        assert json.loads(line)["ts"]


@pytest.fixture
def session_db_url_and_tmp(demo_db_url: str, tmp_path: Path) -> tuple[str, Path]:
    return demo_db_url, tmp_path
