"""SQLAlchemy 2 typed models. Times are UTC; a count the platform hides is NULL, never 0."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.timeutil import utcnow
from db.base import PLATFORMS, Base
from db.types import UTCDateTime


class Opd(Base):
    """A regional government agency (OPD) or kecamatan office."""

    __tablename__ = "opds"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), default="")
    admin_name: Mapped[str | None] = mapped_column(String(120))
    admin_phone: Mapped[str | None] = mapped_column(String(40))
    admin_email: Mapped[str | None] = mapped_column(String(200))
    accounts: Mapped[list[Account]] = relationship(back_populates="opd")


class Account(Base):
    """One official social-media account (or website) of an OPD."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "handle", name="uq_accounts_platform_handle"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opds.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(200))
    platform_id: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_on: Mapped[date] = mapped_column(Date, default=lambda: utcnow().date())
    opd: Mapped[Opd] = relationship(back_populates="accounts")


class FollowerSnapshot(Base):
    """Audience size of an account at one moment; history cannot be back-filled."""

    __tablename__ = "follower_snapshots"
    __table_args__ = (
        UniqueConstraint("account_id", "observed_at", name="uq_snapshots_account_observed"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    followers: Mapped[int | None] = mapped_column(BigInteger)
    following: Mapped[int | None] = mapped_column(BigInteger)
    post_count: Mapped[int | None] = mapped_column(BigInteger)


class Post(Base):
    """A public post; counts are the latest observed, NULL when the platform hides them."""

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("account_id", "platform_post_id", name="uq_posts_account_post"),
        Index("ix_posts_account_posted", "account_id", "posted_at"),
        Index("ix_posts_posted_at", "posted_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    platform_post_id: Mapped[str] = mapped_column(String(200))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    caption: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))
    media_type: Mapped[str | None] = mapped_column(String(40))
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # derived at write time by metrics/ (a cache: recomputed whenever the post is written)
    interactions: Mapped[int | None] = mapped_column(BigInteger)
    caption_score: Mapped[float | None] = mapped_column(Float)
    caption_level: Mapped[str | None] = mapped_column(String(20))  # official level featured
    caption_flags: Mapped[int | None] = mapped_column(Integer)  # see metrics.captions.flags
    # public top-level comments read (a sample) and how many the owner answered (reply rate)
    comments_sampled: Mapped[int | None] = mapped_column(Integer)
    comments_answered: Mapped[int | None] = mapped_column(Integer)


class CollectionRun(Base):
    """One pass of collection or one import of a file."""

    __tablename__ = "collection_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # collect | import | demo
    source: Mapped[str | None] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="running")  # running|ok|partial|failed
    message: Mapped[str | None] = mapped_column(Text)
    results: Mapped[list[AccountResult]] = relationship(back_populates="run")


class AccountResult(Base):
    """What one run did for one account; a failure here never aborts the other accounts."""

    __tablename__ = "account_results"
    __table_args__ = (
        UniqueConstraint("run_id", "account_id", name="uq_account_results_run_account"),
        Index("ix_account_results_account", "account_id", "started_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("collection_runs.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20))  # ok | failed
    error_class: Mapped[str | None] = mapped_column(String(20))
    message: Mapped[str | None] = mapped_column(Text)
    posts_seen: Mapped[int] = mapped_column(Integer, default=0)
    run: Mapped[CollectionRun] = relationship(back_populates="results")


class AppMeta(Base):
    """Small key/value facts about this database, e.g. ``data_source = demo``."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AccountToken(Base):
    """A per-account OAuth token pair (TikTok, a Facebook Page token), encrypted at rest.

    The ciphertexts are Fernet tokens made with the key in ``PANTAU_SECRET_KEY``; the key never
    enters the database, so a copy of the database file reveals no token.
    """

    __tablename__ = "account_tokens"
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    access_token_enc: Mapped[str] = mapped_column(Text)
    refresh_token_enc: Mapped[str | None] = mapped_column(Text)
    access_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refresh_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # who connected it and how (``oauth`` from Sambungkan Akun, ``cli`` from `token set`)
    source: Mapped[str | None] = mapped_column(String(20))
    scopes: Mapped[str | None] = mapped_column(Text)  # as granted, comma-separated
    connected_by: Mapped[str | None] = mapped_column(String(60))  # a username
    connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AccountMonth(Base):
    """Monthly pre-aggregate per account (local-time months), kept fresh by the writers.

    Readers rank thousands of accounts from these rows instead of millions of posts.
    """

    __tablename__ = "account_months"
    __table_args__ = (Index("ix_account_months_month", "month"),)  # rankings read by month
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM, local time
    posts: Mapped[int] = mapped_column(Integer, default=0)
    rated_posts: Mapped[int] = mapped_column(Integer, default=0)  # interactions known
    interactions: Mapped[int] = mapped_column(BigInteger, default=0)
    viewed_posts: Mapped[int] = mapped_column(Integer, default=0)  # views and interactions known
    views: Mapped[int] = mapped_column(BigInteger, default=0)
    view_interactions: Mapped[int] = mapped_column(BigInteger, default=0)
    caption_scored: Mapped[int] = mapped_column(Integer, default=0)
    caption_score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    caption_complete: Mapped[int] = mapped_column(Integer, default=0)  # all five elements
    caption_within_rule: Mapped[int] = mapped_column(Integer, default=0)  # allowed levels
    caption_clean: Mapped[int] = mapped_column(Integer, default=0)  # no typo, no jargon
    active_weeks: Mapped[int] = mapped_column(Integer, default=0)
    last_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comments_sampled: Mapped[int] = mapped_column(Integer, default=0)
    comments_answered: Mapped[int] = mapped_column(Integer, default=0)
    # median minutes from a comment to the owner's first reply (answered comments; Facebook
    # and Instagram read with the owner's token); NULL when no answered comment is known
    reply_median_minutes: Mapped[float | None] = mapped_column(Float)
    snapshots: Mapped[int] = mapped_column(Integer, default=0)  # with a known follower count
    followers_mean: Mapped[float | None] = mapped_column(Float)
    followers_first: Mapped[int | None] = mapped_column(BigInteger)
    followers_first_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followers_last: Mapped[int | None] = mapped_column(BigInteger)
    followers_last_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AggregateDirty(Base):
    """(account, month) pairs written since their aggregate was last computed."""

    __tablename__ = "aggregate_dirty"
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[str] = mapped_column(String(7), primary_key=True)


class Reminder(Base):
    """A reminder sent (or queued) to an OPD admin about a quiet account."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_account_sent", "account_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(20))  # whatsapp | email | queue
    status: Mapped[str] = mapped_column(String(20), default="sent")  # queued | sent | failed
    recipient: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(80))  # a user name, or "worker"
    # the worker's queue: queued -> sending -> sent (or failed); "sending" is never retried,
    # so a crash between the mail server's answer and our commit cannot send a reminder twice
    subject: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


class MonthScore(Base):
    """A month's ranking per account, computed by the writers after each refresh.

    Readers show it as is; only what moves with the clock (status, days since the last post)
    is computed when read. ``weights_key`` names the index weights it was computed with.
    """

    __tablename__ = "month_scores"
    __table_args__ = (Index("ix_month_scores_month", "month"),)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    weights_key: Mapped[str] = mapped_column(String(200))
    score: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)  # NULL: not ranked (no data, unreadable)
    consistency: Mapped[float | None] = mapped_column(Float)
    engagement: Mapped[float | None] = mapped_column(Float)
    growth: Mapped[float | None] = mapped_column(Float)
    caption: Mapped[float | None] = mapped_column(Float)
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    engagement_rate_views: Mapped[float | None] = mapped_column(Float)
    growth_weekly: Mapped[float | None] = mapped_column(Float)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    followers_start: Mapped[float | None] = mapped_column(Float)
    followers_end: Mapped[float | None] = mapped_column(Float)
    followers_change: Mapped[float | None] = mapped_column(Float)
    posts: Mapped[int] = mapped_column(Integer)
    active_weeks: Mapped[int] = mapped_column(Integer)
    weeks_in_period: Mapped[int] = mapped_column(Integer)
    caption_score: Mapped[float | None] = mapped_column(Float)
    reply_rate: Mapped[float | None] = mapped_column(Float)
    reply_median_minutes: Mapped[float | None] = mapped_column(Float)
    last_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # up to the month
    posts_total: Mapped[int] = mapped_column(Integer)
    observed: Mapped[bool] = mapped_column(Boolean)


class WorkerLease(Base):
    """Who runs the scheduler: one row per lock name, renewed by the holder's heartbeat.

    A second worker may take the lock only once the heartbeat is older than the lease, so the
    same jobs never run twice, on SQLite as on PostgreSQL (a conditional UPDATE, no file lock).
    """

    __tablename__ = "worker_leases"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    hostname: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkerJob(Base):
    """The worker's jobs as people see them: next run and how the last one went."""

    __tablename__ = "worker_jobs"
    job_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status: Mapped[str | None] = mapped_column(String(20))  # ok | failed | missed
    last_message: Mapped[str | None] = mapped_column(Text)


class PostComment(Base):
    """A public comment read with the owner's token (Facebook, Instagram), kept only as the
    reply measures need: no text, no name, no user id (owner-access.md §9)."""

    __tablename__ = "post_comments"
    __table_args__ = (
        UniqueConstraint("post_id", "platform_comment_id", name="uq_post_comments_post_comment"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    platform_comment_id: Mapped[str] = mapped_column(String(200))
    commented_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # NULL: unanswered


# the other model modules: importing db.models registers every table (Alembic, tests)
from db.models_access import Invite, OAuthState, User, WebSession  # noqa: E402
from db.models_audit import AuditEntry  # noqa: E402
from db.models_followup import Alert, PostMark  # noqa: E402

__all__ = [
    "PLATFORMS", "Account", "AccountMonth", "AccountResult", "AccountToken", "AggregateDirty",
    "Alert", "AppMeta", "AuditEntry", "Base", "CollectionRun", "FollowerSnapshot", "Invite",
    "MonthScore", "OAuthState", "Opd", "Post", "PostComment", "PostMark", "Reminder", "User",
    "WebSession", "WorkerJob", "WorkerLease",
]  # fmt: skip
