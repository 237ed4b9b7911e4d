"""The scheduler worker's state: is it running (its lease and heartbeat), its jobs' next and
last runs and their names for people, the banner every page shows when it has stopped, and
when each account is next collected (from its platform's job)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from core import fmt
from core.settings import Settings
from core.timeutil import utcnow
from db import queries, worker_store
from db.worker_store import LeaseInfo
from present.labels import PLATFORM_LABELS

RUNNING, STOPPED, NEVER_RAN = "running", "stopped", "never"
STALE_INTERVALS = 2  # the banner shows after this many collection intervals without a beat
BEAT_GRACE = timedelta(minutes=2)  # a running worker beats every 15 s
JOB_LABELS = {
    "new_accounts": "Data pertama akun baru",
    "snapshots": "Jaga jumlah pengikut harian",
    "dormancy": "Cek akun dorman dan antrean pengingat",
    "briefing": "Bahan paparan bulanan",
    "alerts": "Cek peringatan dan kirim surelnya",
}


@dataclass(frozen=True)
class WorkerState:
    now: datetime
    lease: LeaseInfo | None
    jobs: pd.DataFrame  # worker_store.JOB_COLUMNS
    interval: timedelta
    demo: bool

    @property
    def last_seen(self) -> datetime | None:
        return None if self.lease is None else self.lease.heartbeat_at

    @property
    def state(self) -> str:
        """running (beating now), stopped (has run before), never (no lease ever taken)."""
        if self.lease is None:
            return NEVER_RAN
        alive = self.lease.holder != worker_store.RELEASED
        return RUNNING if alive and self.now - self.lease.heartbeat_at <= BEAT_GRACE else STOPPED

    @property
    def stale(self) -> bool:
        """True when the worker has not run for longer than two collection intervals (or
        never ran on a database with real data: the demo world does not need it)."""
        if self.last_seen is None:
            return not self.demo
        return self.now - self.last_seen > STALE_INTERVALS * self.interval


def worker_state(session: Session, settings: Settings, now: datetime | None = None) -> WorkerState:
    return WorkerState(
        now=now or utcnow(),
        lease=worker_store.read_lease(session),
        jobs=worker_store.jobs_frame(session),
        interval=timedelta(hours=settings.collect_interval_int),
        demo=queries.is_demo(session),
    )


def banner_text(state: WorkerState, settings: Settings) -> str | None:
    """The warning above every page, in Indonesian; None when all is well."""
    if not state.stale:
        return None
    if state.last_seen is None:
        return (
            "Proses otomatis terjadwal belum pernah berjalan untuk basis data ini, jadi data tidak "
            "diperbarui otomatis. Jalankan `make run` atau layanan pantau-worker (lihat "
            "docs/deploy.md)."
        )
    since = fmt.date_time(state.last_seen, settings.tz)
    return (
        f"Proses otomatis terjadwal tidak berjalan sejak {since}. Data tidak diperbarui dan jumlah "
        "pengikut harian yang terlewat tidak bisa diambil kembali. Mohon hubungi admin server."
    )


def job_label(job_id: str) -> str:
    """A job's name for people: "Pengambilan data Instagram", "Bahan paparan bulanan", …"""
    kind, _, platform = job_id.partition(":")
    if kind == "collect":
        return f"Pengambilan data {PLATFORM_LABELS.get(platform, platform)}"
    return JOB_LABELS.get(job_id, job_id)


def next_collection(jobs: pd.DataFrame) -> dict[str, pd.Timestamp]:
    """Platform → next scheduled collection pass."""
    out: dict[str, pd.Timestamp] = {}
    for job_id, when in zip(jobs["job_id"], jobs["next_run_at"], strict=True):
        kind, _, platform = str(job_id).partition(":")
        if kind == "collect" and not pd.isna(when):
            out[platform] = pd.Timestamp(when)
    return out


def with_next_run(accounts: pd.DataFrame, jobs: pd.DataFrame) -> pd.DataFrame:
    """Adds ``next_run_at`` (UTC; NaT without a worker) to a frame with a platform column."""
    out = accounts.copy()
    out["next_run_at"] = pd.to_datetime(out["platform"].map(next_collection(jobs)), utc=True)
    return out
