"""The worker's jobs. APScheduler stores each job in the database by reference
(``worker.jobs:collect_platform`` plus plain arguments), so the functions live at module level
and find the process's settings, database and stop flag in :data:`RUNTIME`.

Each job logs what it did (English, for the server's admin) and returns a short Indonesian
summary that the health page shows under the job.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time

import httpx
from sqlalchemy.orm import Session, sessionmaker

from collectors import REGISTRY
from collectors.http import HttpOptions
from collectors.run import PassOptions, PassReport
from collectors.service import pass_options, run_collection
from core import fmt
from core.mailer import Mailer
from core.period import current_month, previous_month
from core.settings import Settings
from core.timeutil import local_today, utcnow
from db import queries, worker_store
from db import repository as repo
from demo.collect import DemoSource
from demo.world import build_world
from metrics.activity import LASTING_ERRORS
from present.labels import PLATFORM_LABELS
from refresh import after_write
from reports.briefings import mail_briefing, make_monthly_briefing
from services.alerts import check_alerts, mail_queued_alerts
from services.config import effective_settings
from services.reminders import mail_queued_reminders, queue_dormant_reminders

log = logging.getLogger("pantau.worker")
NEW_ACCOUNTS_JOB = "new_accounts"
ALERTS_JOB = "alerts"
LOCK_POLL_SECONDS = 0.5  # a pass waiting for its platform checks the stop flag this often


@dataclass
class Runtime:
    """What the jobs of this process share."""

    settings: Settings
    factory: sessionmaker[Session]
    mailer: Mailer
    stop: threading.Event = field(default_factory=threading.Event)
    running: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    platform_locks: dict[str, threading.Lock] = field(default_factory=dict)  # see hold_platforms
    demo: DemoSource | None = None  # built on first use
    transport: httpx.BaseTransport | None = None  # tests put a MockTransport here
    http_options: HttpOptions | None = None  # and a retry policy that does not sleep

    @contextmanager
    def track(self, name: str) -> Iterator[None]:
        """Mark job ``name`` as running (for a clean stop and for the health page)."""
        with self.lock:
            self.running.add(name)
        with self.factory() as session:
            worker_store.save_job(session, name, last_started_at=utcnow(), last_status="running")
            session.commit()
        try:
            yield
        finally:
            with self.lock:
                self.running.discard(name)

    def busy(self) -> bool:
        with self.lock:
            return bool(self.running)

    def is_running(self, name: str) -> bool:
        with self.lock:
            return name in self.running

    @contextmanager
    def hold_platforms(
        self, platforms: Iterable[str], wait: bool = False
    ) -> Iterator[frozenset[str]]:
        """One collection pass per platform at a time: hold the pass lock of each platform.
        ``wait``: wait for each (until the worker is asked to stop); otherwise take only the
        free ones. Yields the platforms held (locks taken in name order: no deadlock)."""
        held: list[threading.Lock] = []
        names: list[str] = []
        try:
            for platform in sorted(set(platforms)):
                with self.lock:
                    lock = self.platform_locks.setdefault(platform, threading.Lock())
                if self._acquire(lock, wait):
                    held.append(lock)
                    names.append(platform)
            yield frozenset(names)
        finally:
            for lock in held:
                lock.release()

    def _acquire(self, lock: threading.Lock, wait: bool) -> bool:
        if not wait:
            return lock.acquire(blocking=False)
        while not lock.acquire(timeout=LOCK_POLL_SECONDS):
            if self.stop.is_set():
                return False
        return True


RUNTIME: Runtime | None = None


def runtime() -> Runtime:
    if RUNTIME is None:
        raise RuntimeError("the worker runtime is not set up (run `python cli.py schedule`)")
    return RUNTIME


def _demo_source(rt: Runtime, session: Session) -> DemoSource | None:
    """The demo world's simulator when this database holds the demo and no platform is
    configured: `make run` then shows a worker that really collects, without the internet."""
    if rt.settings.has_platform_credentials or not queries.is_demo(session):
        return None
    if rt.demo is None:
        as_of = repo.get_meta(session, "demo_as_of") or local_today(rt.settings.tz).isoformat()
        rt.demo = DemoSource(build_world(date.fromisoformat(as_of)), rt.settings)
    return rt.demo


def _collect(rt: Runtime, options: PassOptions) -> PassReport:
    with rt.factory() as session:
        demo = _demo_source(rt, session)
    if demo is not None:
        report = demo.collect(rt.factory, options)
    else:
        report, _requests = run_collection(
            rt.factory, rt.settings, options, rt.transport, rt.http_options
        )
    if not rt.stop.is_set():  # else what the pass wrote stays marked for the next refresh
        with rt.factory() as session:
            after_write(session, rt.settings)
            session.commit()
    return report


def collect_platform(platform: str) -> str:
    """One collection pass over the accounts of ``platform``."""
    rt = runtime()
    with rt.track(f"collect:{platform}"), rt.hold_platforms({platform}, wait=True) as held:
        if not held:  # asked to stop while a first collection of new accounts ran
            return "Pengambilan data tidak dimulai karena proses otomatis dimatikan."
        options = pass_options(rt.settings, frozenset({platform}), should_stop=rt.stop.is_set)
        report = _collect(rt, options)
        ok = sum(o.ok for o in report.outcomes)
        total = len(report.outcomes)
        log.info("%s: %d/%d accounts read, status %s", platform, ok, total, report.status,
                 extra={"job": "collect", "platform": platform})  # fmt: skip
        return report.message()


def collect_new_accounts() -> str:
    """First data for accounts just added through the registry (`cli.py registry import` or
    Pengaturan), instead of at their platform's next regular pass hours later.

    Runs every minute or so: one cheap query, and when it finds accounts no collection has
    tried yet, one pass over just those, then the same derived-data refresh as a regular pass.
    A platform whose regular pass is running is left to the next run (one pass per platform
    at a time), and so is every platform before its regular job's first pass (which reads
    every account anyway). A failed attempt is recorded like any other, so an account that
    cannot be read is not tried again until the regular pass."""
    rt = runtime()
    with rt.factory() as session:
        ready = worker_store.collected_once(session) & set(REGISTRY)
        waiting = worker_store.never_collected(session, ready) if ready else {}
    if not waiting:
        return "Tidak ada akun baru yang menunggu data pertamanya."
    total = sum(len(ids) for ids in waiting.values())
    busy = (f"{fmt.number(total)} akun baru menunggu pengambilan data yang sedang berjalan; "
            "akan dicoba sebentar lagi.")  # fmt: skip
    if rt.is_running("snapshots"):  # that pass reads every account without today's count
        return busy
    with rt.hold_platforms(waiting) as free:
        if not free:
            return busy
        ids = frozenset(i for platform in free for i in waiting[platform])
        with rt.track(NEW_ACCOUNTS_JOB):
            options = pass_options(rt.settings, free, account_ids=ids, should_stop=rt.stop.is_set)
            report = _collect(rt, options)
    ok = sum(o.ok for o in report.outcomes)
    log.info("%d new accounts (%s) read for the first time; %d ok", len(ids),
             ",".join(sorted(free)), ok, extra={"job": NEW_ACCOUNTS_JOB})  # fmt: skip
    text = f"Akun baru: {report.message()}"
    if total > len(ids):
        text += (f" {fmt.number(total - len(ids))} akun baru lainnya menunggu pengambilan data "
                 "yang sedang berjalan.")  # fmt: skip
    return text


def local_midnight(settings: Settings, now: datetime | None = None) -> datetime:
    today = local_today(settings.tz) if now is None else now.astimezone(settings.tz).date()
    return datetime.combine(today, time(0), tzinfo=settings.tz)


def top_up_snapshots() -> str:
    """The daily guarantee: every account without today's follower count is read now (the
    history cannot be filled in later). Cheap when the regular passes already did it."""
    rt = runtime()
    with rt.track("snapshots"):
        with rt.factory() as session:
            missing = worker_store.accounts_without_snapshot(
                session, local_midnight(rt.settings), LASTING_ERRORS
            )
        if not missing:
            return "Semua akun sudah punya jumlah pengikut hari ini."
        options = pass_options(rt.settings, account_ids=frozenset(missing),
                               should_stop=rt.stop.is_set)  # fmt: skip
        report = _collect(rt, options)
        ok = sum(o.ok for o in report.outcomes)
        log.info("%d accounts lacked today's count; %d read now", len(missing), ok,
                 extra={"job": "snapshots"})  # fmt: skip
        return (
            f"{fmt.number(len(missing))} akun belum punya jumlah pengikut hari ini; "
            f"{fmt.number(ok)} berhasil dibaca sekarang."
        )


def check_dormancy() -> str:
    """Queue a reminder per dormant account that is due, then mail what can be mailed."""
    rt = runtime()
    with rt.track("dormancy"), rt.factory() as session:
        day = local_today(rt.settings.tz)
        queued = queue_dormant_reminders(session, rt.settings, day, PLATFORM_LABELS)
        mailed = mail_queued_reminders(session, rt.mailer)
    log.info("%d reminders queued; mailed %d, to retry %d, failed %d", queued, mailed.sent,
             mailed.retry, mailed.failed, extra={"job": "dormancy"})  # fmt: skip
    text = f"{fmt.number(queued)} pengingat baru masuk antrean."
    if rt.mailer.configured:
        text += (
            f" Surel terkirim {fmt.number(mailed.sent)}, dicoba lagi {fmt.number(mailed.retry)},"
            f" gagal {fmt.number(mailed.failed)}."
        )
    return text


def monthly_briefing() -> str:
    """On the 1st: the briefing of the month before, saved (and mailed once with SMTP)."""
    rt = runtime()
    with rt.track("briefing"), rt.factory() as session:
        month = previous_month(current_month(rt.settings.tz, local_today(rt.settings.tz)))
        made = make_monthly_briefing(session, rt.settings, month)
        mailed = mail_briefing(session, rt.settings, rt.mailer, made)
    names = ", ".join(p.name for p in made.paths)
    log.info("%s: %s %s%s", month, "made" if made.created else "already there", names,
             "; mailed" if mailed else "", extra={"job": "briefing"})  # fmt: skip
    done = "dibuat" if made.created else "sudah ada"
    return f"Bahan paparan {fmt.month_name(month)} {done}: {names}." + (
        " Sudah dikirim lewat surel." if mailed else ""
    )


def raise_alerts() -> str:
    """Raise what is new (breakouts, follower drops, accounts gone, connections ending, the
    worker's own silence), then mail the queued alerts when SMTP and a recipient are set."""
    rt = runtime()
    with rt.track(ALERTS_JOB), rt.factory() as session:
        settings = effective_settings(session, rt.settings)  # the thresholds set in Pengaturan
        raised = check_alerts(session, settings, utcnow())
        mailed = mail_queued_alerts(session, settings, rt.mailer)
    kinds = ",".join(sorted({a.kind for a in raised})) or "-"
    log.info("%d alerts raised (%s); mailed %d, to retry %d, failed %d", len(raised), kinds,
             mailed.sent, mailed.retry, mailed.failed, extra={"job": ALERTS_JOB})  # fmt: skip
    text = f"{fmt.number(len(raised))} peringatan baru."
    if rt.mailer.configured and rt.settings.report_recipient_list():
        text += (
            f" Surel terkirim {fmt.number(mailed.sent)}, dicoba lagi {fmt.number(mailed.retry)},"
            f" gagal {fmt.number(mailed.failed)}."
        )
    return text
