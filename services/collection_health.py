"""The collection-health use case (Status Pengambilan Data): per account the last successful
collection, the current error and its streak, tokens about to expire, and the latest runs.

Token values are never read here: only their expiry dates (the ciphertext columns are not even
selected).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.timeutil import utcnow
from db import queries, worker_store
from db.models import AccountResult, AccountToken
from services.worker_state import with_next_run

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
NEVER_COLLECTED = "never"  # an account with no collection result at all
EXPIRY_WINDOW_DAYS = 7
RESULT_COLUMNS = ["account_id", "started_at", "status", "error_class", "message"]
HEALTH_COLUMNS = [
    "account_id", "opd_code", "opd_name", "category", "platform", "handle", "last_status",
    "last_attempt_at", "last_success_at", "consecutive_failures", "error_class", "error_message",
    "error_at", "next_run_at",
]  # fmt: skip


@dataclass(frozen=True)
class CollectionHealth:
    as_of: datetime
    accounts: pd.DataFrame  # HEALTH_COLUMNS, most troubled first
    tokens: pd.DataFrame  # expiring or expired credentials (dates only)
    runs: pd.DataFrame  # the latest runs, newest first
    failing: int
    never_collected: int
    tokens_expiring: int

    @property
    def has_collections(self) -> bool:
        return bool(len(self.runs)) or bool((self.accounts["last_status"] != NEVER_COLLECTED).any())


def consecutive_failures(statuses: Sequence[str]) -> int:
    """Failed results in a row, newest first, until the last success; skipped ones don't count
    and don't break the streak."""
    count = 0
    for status in statuses:
        if status == FAILED:
            count += 1
        elif status != SKIPPED:
            break
    return count


def results_since_last_success(session: Session) -> pd.DataFrame:
    """Per account, its newest successful result and every result after it (all results when
    it never succeeded), newest first: enough for streaks without reading the whole history."""
    newest_ok = (
        select(AccountResult.account_id, func.max(AccountResult.started_at).label("ok_at"))
        .where(AccountResult.status == OK)
        .group_by(AccountResult.account_id)
        .subquery()
    )
    stmt = (
        select(*[getattr(AccountResult, c) for c in RESULT_COLUMNS])
        .outerjoin(newest_ok, newest_ok.c.account_id == AccountResult.account_id)
        .where(or_(newest_ok.c.ok_at.is_(None), AccountResult.started_at >= newest_ok.c.ok_at))
        .order_by(
            AccountResult.account_id, AccountResult.started_at.desc(), AccountResult.id.desc()
        )
    )
    frame = pd.DataFrame.from_records(session.execute(stmt).all(), columns=RESULT_COLUMNS)
    frame["started_at"] = pd.to_datetime(frame["started_at"], utc=True)
    return frame


def token_expiry_frame(session: Session) -> pd.DataFrame:
    """account_id, access_expires_at, refresh_expires_at: expiry dates only, never the tokens."""
    columns = ["account_id", "access_expires_at", "refresh_expires_at"]
    stmt = select(
        AccountToken.account_id, AccountToken.access_expires_at, AccountToken.refresh_expires_at
    ).order_by(AccountToken.account_id)
    frame = pd.DataFrame.from_records(session.execute(stmt).all(), columns=columns)
    for col in columns[1:]:
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def summarize_results(results: pd.DataFrame) -> pd.DataFrame:
    """One row per account from :func:`results_since_last_success` (rows newest first)."""
    columns = ["account_id", "last_status", "last_attempt_at", "last_success_at",
               "consecutive_failures", "error_class", "error_message", "error_at"]  # fmt: skip
    if results.empty:
        return pd.DataFrame(columns=columns)
    grouped = results.groupby("account_id", sort=False)
    summary = grouped.agg(last_status=("status", "first"), last_attempt_at=("started_at", "first"))
    summary["consecutive_failures"] = grouped["status"].agg(lambda s: consecutive_failures(list(s)))
    ok = results[results["status"] == OK].groupby("account_id")["started_at"].max()
    summary["last_success_at"] = ok.reindex(summary.index)
    errors = (
        results[results["status"] == FAILED].drop_duplicates("account_id").set_index("account_id")
    )
    summary["error_class"] = errors["error_class"].reindex(summary.index)
    summary["error_message"] = errors["message"].reindex(summary.index)
    summary["error_at"] = errors["started_at"].reindex(summary.index)
    return summary.reset_index()[columns]


def account_health(accounts: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Every account with its collection state; failing streaks first, then never collected."""
    frame = accounts.merge(summarize_results(results), on="account_id", how="left")
    frame["last_status"] = frame["last_status"].fillna(NEVER_COLLECTED)
    frame["consecutive_failures"] = frame["consecutive_failures"].fillna(0).astype(int)
    for col in ("last_attempt_at", "last_success_at", "error_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    frame["_never"] = frame["last_status"] == NEVER_COLLECTED
    frame = frame.sort_values(
        ["consecutive_failures", "_never", "opd_code", "platform", "handle"],
        ascending=[False, False, True, True, True],
    )
    return frame[HEALTH_COLUMNS].reset_index(drop=True)


def expiring_tokens(
    tokens: pd.DataFrame,
    accounts: pd.DataFrame,
    now: datetime,
    within_days: int = EXPIRY_WINDOW_DAYS,
) -> pd.DataFrame:
    """One row per credential that expired or expires within ``within_days``: account, which
    token (access/refresh), expires_at and days_left (negative once expired), soonest first."""
    columns = ["account_id", "opd_name", "platform", "handle", "token", "expires_at", "days_left"]
    long = tokens.melt(
        id_vars="account_id",
        value_vars=["access_expires_at", "refresh_expires_at"],
        var_name="token",
        value_name="expires_at",
    ).dropna(subset=["expires_at"])
    long["token"] = long["token"].str.replace("_expires_at", "", regex=False)
    long["expires_at"] = pd.to_datetime(long["expires_at"], utc=True)
    limit = pd.Timestamp(now + timedelta(days=within_days))
    long = long[long["expires_at"] <= limit]
    seconds = (long["expires_at"] - pd.Timestamp(now)).dt.total_seconds()
    long["days_left"] = (seconds // 86_400).astype(int)
    named = long.merge(accounts[["account_id", "opd_name", "platform", "handle"]], on="account_id")
    return named.sort_values(["expires_at", "account_id"])[columns].reset_index(drop=True)


def collection_health(
    session: Session, now: datetime | None = None, runs: int = 10
) -> CollectionHealth:
    """Everything the Status Pengambilan Data page shows."""
    now = now or utcnow()
    accounts = queries.accounts_frame(session, active_only=True)
    accounts = with_next_run(accounts, worker_store.jobs_frame(session))
    health = account_health(accounts, results_since_last_success(session))
    tokens = expiring_tokens(token_expiry_frame(session), accounts, now)
    return CollectionHealth(
        as_of=now,
        accounts=health,
        tokens=tokens,
        runs=queries.runs_frame(session, limit=runs),
        failing=int((health["consecutive_failures"] > 0).sum()),
        never_collected=int((health["last_status"] == NEVER_COLLECTED).sum()),
        tokens_expiring=int(tokens["account_id"].nunique()),
    )
