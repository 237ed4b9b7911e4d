"""The read side: returns pandas DataFrames for metrics, pages, the CLI and reports.

Times come back as tz-aware UTC pandas timestamps; counts keep NULL as NaN (unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import TextClause, bindparam, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from db.aggregates import CHUNK, VERSION_KEY, CaptionRule, period_rows
from db.models import (
    Account,
    AccountResult,
    AppMeta,
    CollectionRun,
    FollowerSnapshot,
    Opd,
    Post,
    Reminder,
)
from db.repository import get_meta

ACCOUNT_COLUMNS = [
    "account_id", "opd_id", "opd_code", "opd_name", "category", "platform", "handle",
    "platform_id", "url", "active", "added_on", "admin_name", "admin_phone", "admin_email",
]  # fmt: skip


def _frame(session: Session, stmt: Executable, columns: list[str]) -> pd.DataFrame:
    rows = [tuple(row) for row in session.execute(stmt).fetchall()]
    return pd.DataFrame(rows, columns=columns)


def _utc(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for col in columns:
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _counts(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for col in columns:  # nullable integers: a hidden count stays <NA>, never 0
        frame[col] = frame[col].astype("Int64")
    return frame


def is_demo(session: Session) -> bool:
    return get_meta(session, "data_source") == "demo"


def opds_frame(session: Session) -> pd.DataFrame:
    cols = [
        "opd_id",
        "opd_code",
        "opd_name",
        "category",
        "admin_name",
        "admin_phone",
        "admin_email",
    ]
    stmt = select(
        Opd.id, Opd.code, Opd.name, Opd.category, Opd.admin_name, Opd.admin_phone, Opd.admin_email
    ).order_by(Opd.code)
    return _frame(session, stmt, cols)


def accounts_frame(session: Session, active_only: bool = False) -> pd.DataFrame:
    stmt = (
        select(
            Account.id,
            Opd.id,
            Opd.code,
            Opd.name,
            Opd.category,
            Account.platform,
            Account.handle,
            Account.platform_id,
            Account.url,
            Account.active,
            Account.added_on,
            Opd.admin_name,
            Opd.admin_phone,
            Opd.admin_email,
        )
        .join(Opd, Account.opd_id == Opd.id)
        .order_by(Opd.code, Account.platform, Account.handle)
    )
    if active_only:
        stmt = stmt.where(Account.active.is_(True))
    return _frame(session, stmt, ACCOUNT_COLUMNS)


def posts_frame(
    session: Session,
    start: datetime | None = None,
    end: datetime | None = None,
    account_ids: Sequence[int] | None = None,
    with_caption: bool = True,
) -> pd.DataFrame:
    """Posts with ``start <= posted_at < end`` (UTC bounds, both optional)."""
    cols = ["account_id", "platform_post_id", "posted_at", "url", "media_type",
            "likes", "comments", "shares", "views"]  # fmt: skip
    entities = [getattr(Post, c) for c in cols]
    if with_caption:
        cols.append("caption")
        entities.append(Post.caption)
    stmt = select(*entities)
    if start is not None:
        stmt = stmt.where(Post.posted_at >= start)
    if end is not None:
        stmt = stmt.where(Post.posted_at < end)
    if account_ids is not None:
        stmt = stmt.where(Post.account_id.in_(list(account_ids)))
    frame = _frame(session, stmt.order_by(Post.account_id, Post.posted_at), cols)
    return _counts(_utc(frame, "posted_at"), "likes", "comments", "shares", "views")


def snapshots_frame(
    session: Session,
    start: datetime | None = None,
    end: datetime | None = None,
    account_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    cols = ["account_id", "observed_at", "followers", "following", "post_count"]
    stmt = select(
        FollowerSnapshot.account_id, FollowerSnapshot.observed_at, FollowerSnapshot.followers,
        FollowerSnapshot.following, FollowerSnapshot.post_count,
    )  # fmt: skip
    if start is not None:
        stmt = stmt.where(FollowerSnapshot.observed_at >= start)
    if end is not None:
        stmt = stmt.where(FollowerSnapshot.observed_at < end)
    if account_ids is not None:
        stmt = stmt.where(FollowerSnapshot.account_id.in_(list(account_ids)))
    stmt = stmt.order_by(FollowerSnapshot.account_id, FollowerSnapshot.observed_at)
    frame = _frame(session, stmt, cols)
    return _counts(_utc(frame, "observed_at"), "followers", "following", "post_count")


def post_history_frame(session: Session, end: datetime | None = None) -> pd.DataFrame:
    """Per account: last post time and total posts before ``end`` (for dormancy)."""
    stmt = select(Post.account_id, func.max(Post.posted_at), func.count()).group_by(Post.account_id)
    if end is not None:
        stmt = stmt.where(Post.posted_at < end)
    frame = _frame(session, stmt, ["account_id", "last_posted_at", "posts_total"])
    return _utc(frame, "last_posted_at")


def observed_account_ids(session: Session, end: datetime | None = None) -> set[int]:
    """Accounts with any observation (snapshot, post or collection result) before ``end``."""
    ids: set[int] = set()
    for column, time_col in (
        (FollowerSnapshot.account_id, FollowerSnapshot.observed_at),
        (Post.account_id, Post.first_seen_at),
        (AccountResult.account_id, AccountResult.started_at),
    ):
        stmt = select(column).distinct()
        if end is not None:
            stmt = stmt.where(time_col < end)
        ids.update(session.scalars(stmt).all())
    return ids


def runs_frame(session: Session, limit: int = 50) -> pd.DataFrame:
    cols = ["run_id", "kind", "source", "started_at", "finished_at", "status", "message"]
    stmt = (
        select(
            CollectionRun.id,
            CollectionRun.kind,
            CollectionRun.source,
            CollectionRun.started_at,
            CollectionRun.finished_at,
            CollectionRun.status,
            CollectionRun.message,
        )
        .order_by(CollectionRun.id.desc())
        .limit(limit)
    )
    return _utc(_frame(session, stmt, cols), "started_at", "finished_at")


AGGREGATE_COLUMNS = [
    "account_id", "month", "posts", "rated_posts", "interactions", "viewed_posts", "views",
    "view_interactions", "caption_scored", "caption_score_sum", "active_weeks", "last_posted_at",
    "snapshots", "followers_mean", "followers_first", "followers_first_at", "followers_last",
    "followers_last_at", "comments_sampled", "comments_answered", "caption_complete",
    "caption_within_rule", "caption_clean", "reply_median_minutes",
]  # fmt: skip


def _fast_frame(
    session: Session, sql: TextClause, params: dict[str, object], times: Sequence[str]
) -> pd.DataFrame:
    """Bulk read of untyped SQL (no per-row type processing); times parsed in one go.

    Used where thousands of rows feed a page; the SQL is plain and portable.
    """
    result = session.execute(sql, params)
    columns = list(result.keys())
    # fetchall in one call, then plain tuples: pandas probes Row objects one by one, slowly
    frame = pd.DataFrame([tuple(row) for row in result.fetchall()], columns=columns)
    for col in times:
        frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
    return frame


def month_aggregates(session: Session, months: Sequence[str]) -> pd.DataFrame:
    """The account_months rows of the given months (YYYY-MM)."""
    # the column names are constants of this module; values are bound parameters
    columns = ", ".join(AGGREGATE_COLUMNS)
    query = f"SELECT {columns} FROM account_months WHERE month IN :months"  # noqa: S608  # nosec B608
    sql = text(query).bindparams(bindparam("months", expanding=True))
    times = ["last_posted_at", "followers_first_at", "followers_last_at"]
    return _fast_frame(session, sql, {"months": list(months)}, times)


def period_aggregates(
    session: Session,
    month: str,
    start: datetime,
    end: datetime,
    rule: CaptionRule,
    account_ids: Sequence[int],
) -> pd.DataFrame:
    """Rows shaped as :func:`month_aggregates`' for ``month`` but counted from the posts and
    follower counts in [start, end) only: the first days of a month (a running month is
    compared with the same days of the month before), where the stored rows are whole months."""
    ids = sorted(set(account_ids))
    rows = [
        row
        for first in range(0, len(ids), CHUNK)
        for row in period_rows(session, month, ids[first : first + CHUNK], start, end, rule)
    ]
    frame = pd.DataFrame(
        [[row[c] for c in AGGREGATE_COLUMNS] for row in rows], columns=AGGREGATE_COLUMNS
    )
    return _utc(frame, "last_posted_at", "followers_first_at", "followers_last_at")


def aggregate_history(session: Session, *upto_months: str) -> pd.DataFrame:
    """Per account, for each given month: last post time and posts up to that month.

    Columns ``last_posted_at_N``, ``posts_total_N`` and ``months_N`` (monthly rows so far: the
    account was observed) for the N-th month, read in one scan.
    """
    parts = []
    for n in range(len(upto_months)):
        upto = f"month <= :m{n}"
        parts += [
            f"MAX(CASE WHEN {upto} THEN last_posted_at END) AS last_posted_at_{n}",
            f"SUM(CASE WHEN {upto} THEN posts ELSE 0 END) AS posts_total_{n}",
            f"SUM(CASE WHEN {upto} THEN 1 ELSE 0 END) AS months_{n}",
        ]
    # the expressions are built from fixed text and numbered binds; months are bound parameters
    query = f"SELECT account_id, {', '.join(parts)} FROM account_months GROUP BY account_id"  # noqa: S608  # nosec B608
    sql = text(query)
    params: dict[str, object] = {f"m{n}": month for n, month in enumerate(upto_months)}
    return _fast_frame(
        session, sql, params, [f"last_posted_at_{n}" for n in range(len(upto_months))]
    )


def accounts_with_results(session: Session, end: datetime) -> set[int]:
    stmt = select(AccountResult.account_id).distinct().where(AccountResult.started_at < end)
    return set(session.scalars(stmt).all())


READ_COLUMNS = ["account_id", "last_status", "error_class", "message", "last_attempt_at", "ever_ok"]


def latest_reads(session: Session, end: datetime) -> pd.DataFrame:
    """Per account, its newest collection attempt before ``end`` and whether any succeeded.

    An attempt skipped without a reason (the pass was stopped) says nothing about the account;
    one skipped because its platform stopped the pass carries that platform's error.
    """
    meaningful = (AccountResult.started_at < end) & (
        (AccountResult.status != "skipped") | AccountResult.error_class.is_not(None)
    )
    newest = (
        select(AccountResult.account_id, func.max(AccountResult.started_at).label("at"))
        .where(meaningful)
        .group_by(AccountResult.account_id)
        .subquery()
    )
    stmt = (
        select(
            AccountResult.account_id,
            AccountResult.status,
            AccountResult.error_class,
            AccountResult.message,
            AccountResult.started_at,
        )
        .join(
            newest,
            (newest.c.account_id == AccountResult.account_id)
            & (newest.c.at == AccountResult.started_at),
        )
        .where(meaningful)
        .order_by(AccountResult.account_id, AccountResult.id)
    )
    frame = _frame(session, stmt, READ_COLUMNS[:-1]).drop_duplicates("account_id", keep="last")
    ok_stmt = (
        select(AccountResult.account_id)
        .distinct()
        .where(AccountResult.started_at < end, AccountResult.status == "ok")
    )
    ever_ok = set(session.scalars(ok_stmt).all())
    frame["ever_ok"] = frame["account_id"].isin(ever_ok)
    return _utc(frame, "last_attempt_at").reset_index(drop=True)


def reminders_frame(session: Session) -> pd.DataFrame:
    """Every reminder, newest first (queued ones too: filter on ``status``)."""
    cols = ["reminder_id", "account_id", "created_at", "channel", "status", "recipient",
            "message", "created_by", "subject", "sent_at", "attempts", "last_error"]  # fmt: skip
    stmt = select(
        Reminder.id, Reminder.account_id, Reminder.created_at, Reminder.channel, Reminder.status,
        Reminder.recipient, Reminder.message, Reminder.created_by, Reminder.subject,
        Reminder.sent_at, Reminder.attempts, Reminder.last_error,
    ).order_by(Reminder.created_at.desc())  # fmt: skip
    return _utc(_frame(session, stmt, cols), "created_at", "sent_at")


MONTH_SCORE_COLUMNS = [
    "account_id", "weights_key", "score", "rank", "consistency", "engagement", "growth",
    "caption", "engagement_rate", "engagement_rate_views", "growth_weekly", "followers",
    "followers_start", "followers_end", "followers_change", "posts", "active_weeks",
    "weeks_in_period", "caption_score", "reply_rate", "last_posted_at", "posts_total",
    "observed", "reply_median_minutes",
]  # fmt: skip


def month_scores_frame(session: Session, month: str) -> pd.DataFrame:
    """A month's stored ranking rows (see refresh/scores.py)."""
    columns = ", ".join(MONTH_SCORE_COLUMNS)
    query = f"SELECT {columns} FROM month_scores WHERE month = :month"  # noqa: S608  # nosec B608
    return _fast_frame(session, text(query), {"month": month}, ["last_posted_at"])


def data_stamp(session: Session) -> str:
    """A short text that changes whenever another process (the worker, the CLI) writes what
    the pages show: a finished collection or import, accounts added or switched off,
    reminders, derived data. Not per saved batch: a running pass would empty the caches of
    every visitor at every click."""
    parts = [
        select(func.max(CollectionRun.id)).scalar_subquery(),
        select(func.max(CollectionRun.finished_at)).scalar_subquery(),
        select(func.count(Account.id)).where(Account.active.is_(True)).scalar_subquery(),
        select(func.max(Account.id)).scalar_subquery(),
        select(func.max(Reminder.id)).scalar_subquery(),
        select(func.count(Reminder.id)).where(Reminder.status == "sent").scalar_subquery(),
        select(AppMeta.value).where(AppMeta.key == VERSION_KEY).scalar_subquery(),
    ]
    row = session.execute(select(*parts)).one()
    return "|".join("" if value is None else str(value) for value in row)
