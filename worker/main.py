"""`python cli.py schedule`: take the lease, start the timetable, beat, stop on a signal.

On SIGTERM or SIGINT the scheduler stops taking jobs and running collection passes stop
before their next account; the worker leaves within :data:`STOP_SECONDS` even if a request
is still in flight (what was saved is committed per batch; the rest is read next pass).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core import fmt
from core.mailer import Mailer
from core.redact import Redactor, secret_values
from core.settings import Settings
from core.timeutil import utcnow
from db import worker_store
from db.engine import make_engine, make_session_factory
from db.migrate import current_revision, head_revision
from db.worker_store import LeaseInfo
from worker import jobs
from worker.logs import setup_logging
from worker.schedule import (
    JobRecorder,
    build_scheduler,
    job_specs,
    reconcile,
    stop_scheduler,
    sync_next_runs,
)

log = logging.getLogger("pantau.worker")
HEARTBEAT_SECONDS = 15.0
LEASE_TTL = timedelta(seconds=90)  # a worker silent this long is taken for dead
STOP_SECONDS = 8.0  # then leave anyway: systemd and `make run` wait 10
ACQUIRE_ATTEMPTS = 3  # the lease released between our two reads: take it again
EXIT_OK, EXIT_NOT_READY, EXIT_LOCKED, EXIT_LEASE_LOST = 0, 1, 3, 4


@dataclass(frozen=True)
class WorkerOptions:
    heartbeat_seconds: float = HEARTBEAT_SECONDS
    lease_ttl: timedelta = LEASE_TTL
    stop_seconds: float = STOP_SECONDS
    log_to_stderr: bool = True


def _alive_here(lease: LeaseInfo) -> bool | None:
    """Whether a lease holder on this machine still runs; None when it is on another host."""
    if lease.hostname != socket.gethostname():
        return None
    try:
        os.kill(lease.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def acquire(factory: sessionmaker[Session], ttl: timedelta) -> tuple[LeaseInfo | None, str]:
    """Take the scheduler lease; (our lease, "") or (None, why another worker keeps it)."""
    other: LeaseInfo | None = None
    for _ in range(ACQUIRE_ATTEMPTS):  # another attempt only when the lease was just released
        now = utcnow()
        me = LeaseInfo(uuid.uuid4().hex, socket.gethostname(), os.getpid(), now, now)
        with factory() as session:
            current = worker_store.read_lease(session)
            dead = current.holder if current and _alive_here(current) is False else None
            if worker_store.try_acquire(session, me, ttl, take_from=dead):
                return me, ""
            other = worker_store.read_lease(session)
        if other is not None and other.holder != worker_store.RELEASED:
            break
    if other is None or other.holder == worker_store.RELEASED:
        return None, "the worker lock kept changing hands; try again in a moment."
    seen = fmt.date_time(other.heartbeat_at)
    return None, (
        f"another worker already runs on this database (host {other.hostname}, pid {other.pid}, "
        f"last heartbeat {seen}). Stop it first; if it died, its lock expires "
        f"{int(ttl.total_seconds())} s after that heartbeat."
    )


def _check_schema(engine: Engine) -> str:
    if current_revision(engine) != head_revision():
        return "the database is not initialised or is out of date: run `python cli.py init`."
    return ""


def run_worker(
    settings: Settings,
    options: WorkerOptions | None = None,
    say: Callable[[str], None] = print,
    mailer: Mailer | None = None,
) -> int:
    """Run until SIGTERM/SIGINT (or the lease is lost); returns the process exit code."""
    options = options or WorkerOptions()
    setup_logging(settings, stream=options.log_to_stderr)
    engine = make_engine(settings.database_url, sqlite_sync=settings.sqlite_sync)
    problem = _check_schema(engine)
    if problem:
        say(f"error: {problem}")
        return EXIT_NOT_READY
    factory = make_session_factory(engine)
    lease, why = acquire(factory, options.lease_ttl)
    if lease is None:
        say(f"error: {why}")
        log.warning("refused to start: %s", why)
        return EXIT_LOCKED
    rt = jobs.Runtime(settings, factory, mailer or Mailer(settings))
    jobs.RUNTIME = rt
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda _n, _f: rt.stop.set())
        signal.signal(signal.SIGINT, lambda _n, _f: rt.stop.set())
    scheduler = build_scheduler(engine)
    scheduler.add_listener(JobRecorder(factory, Redactor(secret_values(settings))),
                           JobRecorder.MASK)  # fmt: skip
    scheduler.start(paused=True)
    changes = reconcile(scheduler, job_specs(settings))
    sync_next_runs(scheduler, factory)
    scheduler.resume()
    log.info("worker started (pid %s); settings files: %s; jobs: %s", os.getpid(),
             ", ".join(settings.files) or "none", changes, extra={"event": "start"})  # fmt: skip
    say(f"Pantau worker running (pid {os.getpid()}); logs in {settings.log_dir}.")
    code = _beat_until_stopped(rt, scheduler, factory, lease, options)
    return _shut_down(rt, scheduler, factory, lease, options, code)


def _beat_until_stopped(
    rt: jobs.Runtime,
    scheduler: BackgroundScheduler,
    factory: sessionmaker[Session],
    lease: LeaseInfo,
    options: WorkerOptions,
) -> int:
    while not rt.stop.wait(options.heartbeat_seconds):
        try:
            with factory() as session:
                kept = worker_store.renew(session, lease.holder, utcnow())
            sync_next_runs(scheduler, factory)
        except Exception:  # a locked or restarting database: beat again next time
            log.exception("heartbeat failed")
            continue
        if not kept:
            log.error("another worker took the lease; stopping", extra={"event": "lease_lost"})
            rt.stop.set()
            return EXIT_LEASE_LOST
    return EXIT_OK


def _shut_down(
    rt: jobs.Runtime,
    scheduler: BackgroundScheduler,
    factory: sessionmaker[Session],
    lease: LeaseInfo,
    options: WorkerOptions,
    code: int,
) -> int:
    log.info("stopping", extra={"event": "stop"})
    stop_scheduler(scheduler)
    deadline = time.monotonic() + options.stop_seconds
    while rt.busy() and time.monotonic() < deadline:
        time.sleep(0.1)
    unfinished = sorted(rt.running)
    if code != EXIT_LEASE_LOST:
        with factory() as session:
            worker_store.release(session, lease.holder)
    jobs.RUNTIME = None
    if unfinished:
        # a request still in flight; its batch is not committed and is read again next pass
        log.warning("left while %s still ran", ", ".join(unfinished), extra={"event": "stop"})
        logging.shutdown()
        os._exit(code)
    log.info("stopped", extra={"event": "stop"})
    return code
