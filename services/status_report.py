"""What `cli.py status` prints: the database's contents, where the settings came from (secrets
hidden), the worker and its jobs, the latest runs, and the accounts whose collection needs
attention (from :mod:`services.collection_health`, with each account's status)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import fmt
from core.redact import redact_url_password
from core.settings import Settings
from core.timeutil import local_today
from db import queries
from db.migrate import current_revision
from db.models import Account, FollowerSnapshot, Opd, Post
from metrics.activity import UNREADABLE
from services.collection_health import NEVER_COLLECTED, collection_health
from services.overview import dormant_report
from services.worker_state import worker_state


def opd_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Opd)) or 0)


def status_summary(session: Session, settings: Settings) -> pd.DataFrame:
    """Key/value rows: schema revision, data source, row counts, last runs, settings."""

    def count(model: type[Opd] | type[Account] | type[Post] | type[FollowerSnapshot]) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    bind = session.get_bind()
    rows: list[tuple[str, str]] = [
        *configuration_rows(settings, redact_url_password(bind.engine.url.render_as_string())),
        ("schema_revision", str(current_revision(bind.engine))),
        ("data_source", "demo" if queries.is_demo(session) else "real"),
        ("opds", str(count(Opd))),
        ("accounts", str(count(Account))),
        ("posts", str(count(Post))),
        ("follower_snapshots", str(count(FollowerSnapshot))),
    ]
    rows.extend(worker_rows(session, settings))
    for run in queries.runs_frame(session, limit=5).to_dict(orient="records"):
        when = fmt.date_time(pd.Timestamp(run["started_at"]).to_pydatetime(), settings.tz)
        text = f"{run['kind']} {run['status']} {when} {run['source'] or ''}".strip()
        rows.append((f"run_{run['run_id']}", text))
    rows.extend(settings.redacted().items())
    return pd.DataFrame(rows, columns=["key", "value"])


def configuration_rows(settings: Settings, database: str) -> list[tuple[str, str]]:
    """Where this process's settings came from and which database it opened (password
    masked): a command run without the deployment's settings file shows it at once."""
    files = ", ".join(settings.files) or "none (environment and defaults only)"
    return [("settings_files", files), ("database", database)]


def _when(value: object, settings: Settings) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "n/a"  # not "-": a spreadsheet would read a CSV cell "-" as the start of a formula
    return fmt.date_time(pd.Timestamp(value).to_pydatetime(), settings.tz)  # type: ignore[arg-type]


def worker_rows(session: Session, settings: Settings) -> list[tuple[str, str]]:
    """The worker's state and heartbeat, then per job: next run and how the last one went."""
    state = worker_state(session, settings)
    rows = [
        (
            "worker",
            state.state + (" (STALE: no run for over two intervals)" if state.stale else ""),
        ),
        ("worker_heartbeat", _when(state.last_seen, settings)),
    ]
    if state.lease is not None and state.state == "running":
        rows.append(("worker_process", f"{state.lease.hostname} pid {state.lease.pid}"))
    for job in state.jobs.to_dict(orient="records"):
        status = job["last_status"]
        last = status if isinstance(status, str) and status else "never run"
        text = f"next {_when(job['next_run_at'], settings)}; last {last}"
        if job["last_finished_at"] is not None and not pd.isna(job["last_finished_at"]):
            text += f" {_when(job['last_finished_at'], settings)}"
        rows.append((f"job:{job['job_id']}", text))
    return rows


ACCOUNT_COLUMNS = [
    "opd_code", "platform", "handle", "status", "reason", "last_status", "last_success_at",
    "consecutive_failures", "next_run_at", "error_class",
]  # fmt: skip


def account_rows(session: Session, settings: Settings, everyone: bool) -> pd.DataFrame:
    """Per account: its status (``unreadable`` with the reason in the office's words), last
    success, failures in a row, next collection (as Status Pengambilan Data). Only the accounts that
    need attention (failing, never collected, cannot be read) unless ``everyone``."""
    health = collection_health(session).accounts
    statuses = dormant_report(session, local_today(settings.tz), settings)
    statuses = statuses[["account_id", "status", "status_reason"]].rename(
        columns={"status_reason": "reason"}
    )
    health = health.merge(statuses, on="account_id", how="left")
    if not everyone:
        health = health[
            (health["consecutive_failures"] > 0)
            | (health["last_status"] == NEVER_COLLECTED)
            | (health["status"] == UNREADABLE)
        ]
    out = health[ACCOUNT_COLUMNS].copy()
    for col in ("last_success_at", "next_run_at"):
        out[col] = [_when(v, settings) for v in out[col]]
    out["error_class"] = out["error_class"].fillna("")
    out["reason"] = out["reason"].fillna("")
    return out.reset_index(drop=True)
