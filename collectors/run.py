"""One collection pass: fetch every account concurrently, save each result on one thread.

Fetching happens in per-platform thread pools (an ``httpx.Client`` is thread-safe); saving
happens only on the calling thread, one transaction per account, so a crash can never leave a
half-written account behind. One account's failure never stops the others; a platform-wide
failure (bad token, spent quota) stops that platform once, with one message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.orm import Session, sessionmaker

from collectors.base import (
    AccountRef,
    Collector,
    CollectorError,
    PostRecord,
    ProfileSnapshot,
)
from core.crypto import SecretKeyError
from core.settings import Settings
from core.timeutil import utcnow
from db import queries
from db import repository as repo
from db import tokens as token_store
from db.comments import CommentRow, upsert_comments

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SAVE_BATCH = 50  # accounts per transaction: one writer, few commits
UNEXPECTED_MESSAGE = "Terjadi kesalahan tak terduga saat membaca akun ini; akan dicoba lagi."


@dataclass(frozen=True)
class PassOptions:
    platforms: frozenset[str] | None = None
    opd_code: str | None = None
    refresh_days: int = 30  # re-read the counts of posts this young so engagement matures
    concurrency: Mapping[str, int] = field(default_factory=dict)
    default_concurrency: int = 4
    account_ids: frozenset[int] | None = None  # only these accounts (the daily snapshot top-up)
    # asked before each account: the worker sets it on SIGTERM so a pass ends within seconds
    should_stop: Callable[[], bool] | None = None


@dataclass
class AccountOutcome:
    account: AccountRef
    started_at: datetime
    profile: ProfileSnapshot | None = None
    posts: list[PostRecord] = field(default_factory=list)
    error: CollectorError | None = None
    skipped: bool = False
    skipped_for: CollectorError | None = None  # the platform-wide error that stopped the pass

    @property
    def ok(self) -> bool:
        return self.error is None and not self.skipped


@dataclass
class PassReport:
    run_id: int
    outcomes: list[AccountOutcome] = field(default_factory=list)
    platform_errors: dict[str, CollectorError] = field(default_factory=dict)
    interrupted: bool = False  # the worker was asked to stop; skipped accounts come next pass

    @property
    def status(self) -> str:
        failed = [o for o in self.outcomes if not o.ok]
        if not failed:
            return "ok"
        return "failed" if len(failed) == len(self.outcomes) else "partial"

    def message(self) -> str:
        ok = sum(o.ok for o in self.outcomes)
        parts = [f"{ok} dari {len(self.outcomes)} akun berhasil dibaca."]
        for platform, error in sorted(self.platform_errors.items()):
            skipped = sum(o.skipped for o in self.outcomes if o.account.platform == platform)
            parts.append(f"{platform}: {error.message_id} ({skipped} akun dilewati)")
        if self.interrupted:
            parts.append("Pengumpulan dihentikan karena pekerja dimatikan; sisanya dibaca lagi "
                         "pada putaran berikutnya.")  # fmt: skip
        return " ".join(parts)


def stored_tokens(session: Session, secret_key: str) -> dict[int, str]:
    """Decrypted per-account access tokens; none when the key is missing or wrong (the
    collectors of those platforms then report a configuration error per account)."""
    if not secret_key:
        return {}
    try:
        return {k: v.access_token for k, v in token_store.load_tokens(session, secret_key).items()}
    except SecretKeyError:
        return {}


def accounts_to_collect(
    session: Session, options: PassOptions, known_platforms: set[str], secret_key: str
) -> list[tuple[AccountRef, datetime | None]]:
    """Active accounts to read, each with the time of its newest stored post."""
    accounts = queries.accounts_frame(session, active_only=True)
    accounts = accounts[accounts["platform"].isin(known_platforms)]
    if options.platforms:
        accounts = accounts[accounts["platform"].isin(options.platforms)]
    if options.opd_code:
        accounts = accounts[accounts["opd_code"] == options.opd_code.upper()]
    if options.account_ids is not None:
        accounts = accounts[accounts["account_id"].isin(options.account_ids)]
    last = queries.post_history_frame(session).set_index("account_id")["last_posted_at"]
    tokens = stored_tokens(session, secret_key)
    targets = []
    for row in accounts.to_dict(orient="records"):
        account_id = int(row["account_id"])
        ref = AccountRef(account_id, str(row["platform"]), str(row["handle"]),
                         _text(row["platform_id"]), _text(row["url"]),
                         tokens.get(account_id))  # fmt: skip
        newest = last.get(ref.account_id)
        targets.append((ref, None if newest is None else newest.to_pydatetime()))
    return targets


def _text(value: object) -> str | None:
    """A text cell of the accounts frame: pandas gives NaN, not None, for a missing one when
    others in the column are known (a YouTube account without its channel id next to one with)."""
    return value if isinstance(value, str) else None


def hour_floor(moment: datetime) -> datetime:
    """Snapshots are keyed to the hour, so re-running a pass within the hour changes nothing."""
    return moment.replace(minute=0, second=0, microsecond=0)


class PlatformPass:
    """Fetches the accounts of one platform; stops early after a platform-wide error."""

    def __init__(
        self, collector: Collector, workers: int, should_stop: Callable[[], bool] | None = None
    ) -> None:
        self.collector = collector
        self.should_stop = should_stop
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers))
        self.stopped: CollectorError | None = None
        self.lock = threading.Lock()

    def submit(self, account: AccountRef, since: datetime) -> Future[AccountOutcome]:
        return self.pool.submit(self.fetch, account, since)

    def fetch(self, account: AccountRef, since: datetime) -> AccountOutcome:
        outcome = AccountOutcome(account, started_at=utcnow())
        if self.should_stop is not None and self.should_stop():
            outcome.skipped = True
            return outcome
        if self.stopped is not None:  # the platform's credential or quota failed: say so
            outcome.skipped, outcome.skipped_for = True, self.stopped
            return outcome
        try:
            outcome.profile = self.collector.fetch_profile(account)
            outcome.posts = list(self.collector.fetch_posts(account, since))
        except CollectorError as exc:
            if exc.platform_wide:
                with self.lock:  # requests already in flight report once, not once each
                    if self.stopped is not None:
                        outcome.skipped, outcome.skipped_for = True, self.stopped
                        return outcome
                    self.stopped = exc
            outcome.error = exc
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            outcome.error = CollectorError(f"{type(exc).__name__}: {exc}", UNEXPECTED_MESSAGE)
        return outcome


def post_row(account_id: int, post: PostRecord) -> repo.PostRow:
    return repo.PostRow(
        account_id, post.post_id, post.posted_at, post.caption, post.url, post.media_type,
        post.likes, post.comments, post.shares, post.views, post.comments_sampled,
        post.comments_answered,
    )  # fmt: skip


def comment_rows(account_id: int, post: PostRecord) -> list[CommentRow]:
    """The comments read with the owner's token (none when they were not read)."""
    return [
        CommentRow(account_id, post.post_id, c.comment_id, c.commented_at, c.first_reply_at)
        for c in post.comment_replies or ()
    ]


def save_outcomes(session: Session, run_id: int, outcomes: Sequence[AccountOutcome]) -> None:
    """Store several accounts' profiles, posts and results in one transaction.

    A crash mid-way rolls the whole batch back: no account is ever half written.
    """
    now = utcnow()
    snapshots: list[repo.SnapshotRow] = []
    posts: list[repo.PostRow] = []
    ids: list[tuple[int, str]] = []
    results: list[repo.ResultRow] = []
    comments: list[CommentRow] = []
    for outcome in outcomes:
        account, snap, error = outcome.account, outcome.profile, outcome.error
        if snap is not None and (snap.followers, snap.following, snap.post_count) != (None,) * 3:
            snapshots.append(repo.SnapshotRow(account.account_id, hour_floor(now), snap.followers,
                                              snap.following, snap.post_count))  # fmt: skip
        if snap is not None and snap.platform_id and snap.platform_id != account.platform_id:
            ids.append((account.account_id, snap.platform_id))
        posts.extend(post_row(account.account_id, p) for p in outcome.posts)
        comments.extend(c for p in outcome.posts for c in comment_rows(account.account_id, p))
        cause = error or outcome.skipped_for  # a skip keeps why, so the account shows it
        results.append(repo.ResultRow(
            account.account_id, outcome.started_at,
            status="skipped" if outcome.skipped else ("ok" if error is None else "failed"),
            error_class=None if cause is None else cause.error_class,
            message=None if cause is None else cause.message_id,
            posts_seen=len(outcome.posts),
        ))  # fmt: skip
    repo.upsert_snapshots(session, snapshots)
    repo.upsert_posts(session, posts, seen_at=now)
    upsert_comments(session, comments)  # after the posts: a comment row points at its post
    repo.set_platform_ids(session, ids)
    repo.record_account_results(session, run_id, results)
    session.commit()


def collect_pass(
    factory: sessionmaker[Session],
    client: httpx.Client,
    settings: Settings,
    registry: Mapping[str, Callable[[httpx.Client, Settings], Collector]],
    options: PassOptions | None = None,
    on_outcome: Callable[[AccountOutcome], None] | None = None,
) -> PassReport:
    """Run one pass over the registered accounts and return what happened to each."""
    options = options or PassOptions()
    with factory() as session:
        run_id = repo.start_run(session, "collect", source=describe(options)).id
        session.commit()
        targets = accounts_to_collect(session, options, set(registry), settings.secret_key)
    report = PassReport(run_id)
    passes: dict[str, PlatformPass] = {}
    futures: list[Future[AccountOutcome]] = []
    refresh_from = utcnow() - timedelta(days=options.refresh_days)
    for account, last_post in targets:
        platform = account.platform
        if platform not in passes:
            workers = options.concurrency.get(platform, options.default_concurrency)
            collector = registry[platform](client, settings)
            passes[platform] = PlatformPass(collector, workers, options.should_stop)
        since = min(last_post, refresh_from) if last_post else EPOCH
        futures.append(passes[platform].submit(account, since))
    with factory() as session:
        batch: list[AccountOutcome] = []
        for future in as_completed(futures):
            batch.append(future.result())
            if len(batch) >= SAVE_BATCH:
                save_outcomes(session, run_id, batch)
                report.outcomes.extend(batch)
                batch = _notify(batch, on_outcome)
        save_outcomes(session, run_id, batch)
        report.outcomes.extend(batch)
        _notify(batch, on_outcome)
        for platform, platform_pass in passes.items():
            platform_pass.pool.shutdown()
            if platform_pass.stopped is not None:
                report.platform_errors[platform] = platform_pass.stopped
        report.interrupted = options.should_stop is not None and options.should_stop()
        repo.finish_run(session, run_id, report.status, report.message())
        session.commit()
    return report


def _notify(
    batch: list[AccountOutcome], on_outcome: Callable[[AccountOutcome], None] | None
) -> list[AccountOutcome]:
    """Tell the caller (a progress bar) about saved outcomes; returns a fresh batch."""
    for outcome in batch:
        if on_outcome is not None:
            on_outcome(outcome)
    return []


def describe(options: PassOptions) -> str:
    parts: Iterable[str] = (
        f"platform={','.join(sorted(options.platforms))}" if options.platforms else "",
        f"opd={options.opd_code}" if options.opd_code else "",
    )
    return " ".join(p for p in parts if p) or "all"
