"""The worker's timetable: registration, persistence across restarts, coalescing, the lease."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from collectors import REGISTRY
from core.settings import Settings
from core.timeutil import utcnow
from db import worker_store
from db.engine import make_session_factory
from db.worker_store import LeaseInfo
from worker.main import acquire
from worker.schedule import JobRecorder, JobSpec, build_scheduler, job_specs, reconcile

RUNS: list[str] = []
RAN = threading.Event()


def count_run(tag: str) -> str:
    """A job for the coalescing test (stored by reference, so it lives at module level)."""
    RUNS.append(tag)
    RAN.set()
    return f"ran {tag}"


def _started(engine: Engine, paused: bool = True) -> BackgroundScheduler:
    scheduler = build_scheduler(engine)
    scheduler.start(paused=paused)
    return scheduler


def test_jobs_are_registered_and_survive_a_restart(engine: Engine) -> None:
    settings = Settings()
    first = _started(engine)
    added = reconcile(first, job_specs(settings))
    expected = {f"collect:{p}" for p in REGISTRY} | {"new_accounts", "snapshots", "dormancy",
                                                      "briefing", "alerts"}  # fmt: skip
    assert added == dict.fromkeys(expected, "added")
    before = {job.id: job.next_run_time for job in first.get_jobs()}
    briefing = first.get_job("briefing")
    assert str(briefing.trigger) == "cron[day='1', hour='7', minute='0']"
    assert briefing.trigger.timezone.key == "Asia/Pontianak"  # 07:00 WIB
    assert all(job.coalesce and job.max_instances == 1 for job in first.get_jobs())
    first.shutdown(wait=False)

    second = _started(engine)  # a restart: the jobs come back from the database
    assert reconcile(second, job_specs(settings)) == dict.fromkeys(expected, "kept")
    assert {job.id: job.next_run_time for job in second.get_jobs()} == before
    second.shutdown(wait=False)

    third = _started(engine)  # a new interval changes the collection jobs only
    changed = reconcile(third, job_specs(Settings(collect_interval_hours="3")))
    assert {k for k, v in changed.items() if v == "changed"} == {f"collect:{p}" for p in REGISTRY}
    assert str(third.get_job("collect:x").trigger) == "interval[3:00:00]"
    third.shutdown(wait=False)


def test_a_job_no_longer_wanted_is_removed(engine: Engine) -> None:
    scheduler = _started(engine)
    reconcile(scheduler, job_specs(Settings()))
    fewer = [s for s in job_specs(Settings()) if s.job_id != "collect:x"]
    assert reconcile(scheduler, fewer)["collect:x"] == "removed"
    assert scheduler.get_job("collect:x") is None
    scheduler.shutdown(wait=False)


def test_missed_runs_after_downtime_coalesce_into_one(engine: Engine) -> None:
    RUNS.clear()
    RAN.clear()
    spec = JobSpec("hourly", count_run, IntervalTrigger(hours=1), args=("hourly",),
                   first_run=utcnow() + timedelta(hours=1))  # fmt: skip
    before = _started(engine)
    reconcile(before, [spec])
    before.shutdown(wait=False)

    after = _started(engine)  # five hours later: five runs were missed while it was down
    assert reconcile(after, [spec]) == {"hourly": "kept"}
    after.modify_job("hourly", next_run_time=utcnow() - timedelta(hours=5, minutes=1))
    recorder = JobRecorder(make_session_factory(engine))
    after.add_listener(recorder, JobRecorder.MASK)
    after.resume()
    assert RAN.wait(10)
    time.sleep(1.0)
    after.shutdown(wait=True)
    assert RUNS == ["hourly"]
    restarted = _started(engine)  # the next run is the next slot after now, not a missed one
    assert restarted.get_job("hourly").next_run_time > utcnow()
    restarted.shutdown(wait=False)
    with make_session_factory(engine)() as session:
        state = worker_store.jobs_frame(session).set_index("job_id").loc["hourly"]
    assert state["last_status"] == "ok"
    assert state["last_message"] == "ran hourly"


def _lease(holder: str, pid: int = 1, host: str = "elsewhere") -> LeaseInfo:
    now = utcnow()
    return LeaseInfo(holder, host, pid, now, now)


def test_the_lease_admits_one_worker(engine: Engine) -> None:
    factory = make_session_factory(engine)
    ttl = timedelta(seconds=90)
    mine, why = acquire(factory, ttl)
    assert mine is not None and why == ""
    other, why = acquire(factory, ttl)
    assert other is None
    assert "another worker already runs" in why and f"pid {os.getpid()}" in why
    with factory() as session:
        assert worker_store.renew(session, mine.holder, utcnow())
        worker_store.release(session, mine.holder)
        assert worker_store.read_lease(session).holder == worker_store.RELEASED
    again, _ = acquire(factory, ttl)  # released: the next worker starts at once
    assert again is not None


def test_a_silent_worker_loses_its_lease_after_the_ttl(session: Session) -> None:
    ttl = timedelta(seconds=90)
    assert worker_store.try_acquire(session, _lease("a"), ttl)
    assert not worker_store.try_acquire(session, _lease("b"), ttl)
    late = _lease("b")
    later = LeaseInfo("b", late.hostname, late.pid, late.started_at, late.heartbeat_at + ttl * 2)
    assert worker_store.try_acquire(session, later, ttl)
    assert not worker_store.renew(session, "a", utcnow())  # the old one learns it lost


def test_a_dead_worker_on_this_host_is_replaced_at_once(engine: Engine) -> None:
    import socket
    import subprocess  # nosec B404
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(done.stdout)
    factory = make_session_factory(engine)
    with factory() as session:
        assert worker_store.try_acquire(
            session, _lease("dead", dead_pid, socket.gethostname()), timedelta(seconds=90)
        )
    mine, why = acquire(factory, timedelta(seconds=90))
    assert mine is not None, why


@pytest.mark.parametrize("hours", ["0", "x"])
def test_a_bad_interval_is_refused(hours: str) -> None:
    from core.settings import SettingsError

    with pytest.raises(SettingsError, match="PANTAU_COLLECT_INTERVAL_HOURS"):
        Settings(collect_interval_hours=hours)
