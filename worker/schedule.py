"""The worker's timetable: which jobs exist, when they run, and how they are kept in the
database across restarts (APScheduler's SQLAlchemy job store in the product's own database).

Every job coalesces (after downtime it runs once, not once per missed slot), runs one
instance at a time, and has a misfire grace suited to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from collectors import REGISTRY
from core.settings import Settings
from core.timeutil import utcnow
from db import worker_store
from worker import jobs

log = logging.getLogger("pantau.worker")
JOB_TABLE = "apscheduler_jobs"
FIRST_PASS_DELAY = timedelta(minutes=1)  # a fresh install collects at once, platforms staggered
STAGGER = timedelta(minutes=2)
DORMANCY_GRACE = int(timedelta(hours=12).total_seconds())
ALERTS_FIRST_DELAY = timedelta(minutes=10)  # after the first passes of a fresh start
NEW_ACCOUNTS_EVERY = timedelta(seconds=30)  # an account added to the registry is read this soon
# a long collection (and a first read of new accounts) must not hold back the briefing or the
# reminders
EXECUTOR_THREADS = 3


@dataclass(frozen=True)
class JobSpec:
    job_id: str
    func: Callable[..., str]
    trigger: BaseTrigger
    args: tuple[str, ...] = ()
    first_run: datetime | None = None  # None: the trigger decides
    misfire_grace: int | None = None  # seconds; None = run however late (then coalesced)


def job_specs(settings: Settings, now: datetime | None = None) -> list[JobSpec]:
    now = now or utcnow()
    tz = settings.tz
    specs = [
        JobSpec(
            f"collect:{platform}",
            jobs.collect_platform,
            IntervalTrigger(
                hours=settings.collect_interval_int,
                timezone=tz,
                jitter=settings.collect_jitter_int * 60 or None,
            ),
            args=(platform,),
            first_run=now + FIRST_PASS_DELAY + i * STAGGER,
        )
        for i, platform in enumerate(REGISTRY)
    ]
    return [
        *specs,
        JobSpec(
            jobs.NEW_ACCOUNTS_JOB,
            jobs.collect_new_accounts,
            IntervalTrigger(seconds=int(NEW_ACCOUNTS_EVERY.total_seconds()), timezone=tz),
        ),
        JobSpec(
            "snapshots",
            jobs.top_up_snapshots,
            IntervalTrigger(hours=1, timezone=tz),
            first_run=now + timedelta(minutes=30),
        ),
        JobSpec(
            "dormancy",
            jobs.check_dormancy,
            CronTrigger(hour=settings.dormancy_check_hour_int, minute=0, timezone=tz),
            misfire_grace=DORMANCY_GRACE,
        ),
        JobSpec(
            jobs.ALERTS_JOB,
            jobs.raise_alerts,
            IntervalTrigger(hours=1, timezone=tz),
            first_run=now + ALERTS_FIRST_DELAY,
        ),
        JobSpec(
            "briefing", jobs.monthly_briefing, CronTrigger(day=1, hour=7, minute=0, timezone=tz)
        ),
    ]


def build_scheduler(engine: Engine) -> BackgroundScheduler:
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)},
        executors={"default": ThreadPoolExecutor(EXECUTOR_THREADS)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone="UTC",
    )


def stop_scheduler(scheduler: BackgroundScheduler) -> None:
    """Stop without touching the stored timetable. APScheduler 3 processes due jobs once more
    while shutting down (and would then skip a run it could no longer submit), so the job
    store is detached first; the jobs stay in the database for the next start."""
    scheduler.remove_jobstore("default", shutdown=False)
    scheduler.shutdown(wait=False)


def _same_schedule(job: Any, spec: JobSpec) -> bool:
    return bool(str(job.trigger) == str(spec.trigger) and tuple(job.args) == spec.args
                and job.func_ref == f"{spec.func.__module__}:{spec.func.__name__}")  # fmt: skip


def reconcile(scheduler: BackgroundScheduler, specs: list[JobSpec]) -> dict[str, str]:
    """Make the stored jobs match ``specs``: a job whose schedule is unchanged keeps its stored
    next run (persistence across restarts); new or changed ones are (re)scheduled; jobs no
    longer wanted are removed. Returns job id → "kept" | "added" | "changed" | "removed"."""
    outcome: dict[str, str] = {}
    wanted = {s.job_id for s in specs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
            outcome[job.id] = "removed"
    for spec in specs:
        job = scheduler.get_job(spec.job_id)
        if job is not None and _same_schedule(job, spec):
            outcome[spec.job_id] = "kept"
            continue
        options: dict[str, Any] = {"misfire_grace_time": spec.misfire_grace}
        if spec.first_run is not None:
            options["next_run_time"] = spec.first_run
        scheduler.add_job(spec.func, spec.trigger, args=spec.args, id=spec.job_id,
                          name=spec.job_id, replace_existing=True, **options)  # fmt: skip
        outcome[spec.job_id] = "added" if job is None else "changed"
    return outcome


def sync_next_runs(scheduler: BackgroundScheduler, factory: sessionmaker[Session]) -> None:
    """Copy each job's next run time where the dashboard and `cli.py status` can read it."""
    with factory() as session:
        ids = set()
        for job in scheduler.get_jobs():
            ids.add(job.id)
            worker_store.save_job(session, job.id, next_run_at=job.next_run_time)
        worker_store.forget_jobs_except(session, ids)
        session.commit()


class JobRecorder:
    """Scheduler listener: remembers when each job started and how it ended."""

    # no EVENT_JOB_SUBMITTED: it may arrive after a quick job's end; jobs record their start
    MASK = EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES

    def __init__(self, factory: sessionmaker[Session], redact: Callable[[str], str] = str) -> None:
        self.factory = factory
        self.redact = redact  # a job's error text reaches the health page: no secret in it

    def __call__(self, event: JobEvent) -> None:
        now = utcnow()
        values: dict[str, object]
        if event.code == EVENT_JOB_EXECUTED and isinstance(event, JobExecutionEvent):
            values = {"last_finished_at": now, "last_success_at": now, "last_status": "ok",
                      "last_message": str(event.retval or "")[:2000]}  # fmt: skip
        elif event.code == EVENT_JOB_ERROR and isinstance(event, JobExecutionEvent):
            log.error("job %s failed", event.job_id, exc_info=event.exception,
                      extra={"job": event.job_id})  # fmt: skip
            message = self.redact(f"{type(event.exception).__name__}: {event.exception}")
            values = {"last_finished_at": now, "last_status": "failed", "last_message": message}
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            values = {"last_message": "skipped: the previous run was still going"}
        else:
            values = {"last_status": "missed", "last_message": "missed its time"}
        try:
            with self.factory() as session:
                worker_store.save_job(session, event.job_id, **values)
                session.commit()
        except Exception:  # a busy database must never stop the scheduler thread
            log.exception("could not record job event for %s", event.job_id)
