"""Loading the demo world into the database through the same paths as real data.

The registry and the follower history go through the importers (history cannot be collected
after the fact); the posts and today's follower counts are collected from the platform
simulator by the real collectors. Loading is idempotent: every write is an upsert on a natural
key, so a second load of the same world stores nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.settings import load_settings
from core.timeutil import local_today, utcnow
from db.demo_store import DEMO_SOURCE, demo_handle, demo_removed
from db.models import Account, FollowerSnapshot, Post
from db.repository import count_rows, set_meta
from demo.collect import collect_demo, unexpected_failures
from demo.world import DemoWorld, build_world
from ingest.data_import import import_records
from ingest.issues import RowIssue
from ingest.registry import import_registry_records
from refresh import after_write
from services.alerts import check_alerts


@dataclass
class DemoSummary:
    """What a demo load did; ``issues`` should always be empty (else it is a bug)."""

    as_of: date
    accounts: int
    posts: int
    snapshots: int
    new_accounts: int
    new_posts: int
    new_snapshots: int
    issues: list[RowIssue] = field(default_factory=list)
    collection: str = ""  # the simulator pass's message (Indonesian, as on the health page)
    collection_ok: bool = True  # no account failed but the quirks that fail on purpose

    @property
    def new_rows(self) -> int:
        return self.new_accounts + self.new_posts + self.new_snapshots

    def __str__(self) -> str:
        text = (
            f"Demo data as of {self.as_of.isoformat()}: {self.accounts} accounts, "
            f"{self.posts} posts, {self.snapshots} follower snapshots "
            f"({self.new_rows} new rows: {self.new_accounts} accounts, {self.new_posts} posts, "
            f"{self.new_snapshots} snapshots)."
        )
        if self.issues:
            text += f" {len(self.issues)} import issue(s), first: {self.issues[0].message()}"
        return text


def load_demo(
    session: Session, as_of: date | None = None, world: DemoWorld | None = None
) -> DemoSummary:
    """Store the demo world (built for ``as_of``, default today in WIB), bring the derived
    data up to date once and commit; then raise the alerts the world holds (the accounts that
    cannot be read; a breakout only when one of the last week's posts stands out).

    ``world`` may be passed to reuse an already built one; its own ``as_of`` then applies.
    """
    if world is None:
        world = build_world(as_of or local_today())
    settings = load_settings(environ={})  # the defaults: WIB, the shipped index weights
    registry = import_registry_records(session, world.registry)
    followers = import_records(session, "followers", world.followers, source=DEMO_SOURCE)
    set_meta(session, "data_source", DEMO_SOURCE)
    set_meta(session, "demo_as_of", world.as_of.isoformat())
    session.commit()
    posts_before = count_rows(session, Post)
    report = collect_demo(session.get_bind(), world, settings)  # type: ignore[arg-type]
    session.expire_all()
    new_posts = count_rows(session, Post) - posts_before
    after_write(session, settings)
    session.commit()
    check_alerts(session, settings, utcnow())  # so Ringkasan lists some on a fresh `make run`
    return DemoSummary(
        as_of=world.as_of,
        accounts=world.account_count,
        posts=len(world.posts),
        snapshots=len(world.followers),
        new_accounts=registry.accounts_created,
        new_posts=new_posts,
        new_snapshots=followers.new_rows,
        issues=[*registry.issues, *followers.issues],
        collection=report.message(),
        # the quirk accounts fail on purpose (demo/quirks.py); any other failure is a bug
        collection_ok=not unexpected_failures(report, world.quirks),
    )


def demo_needed(session: Session) -> bool:
    """True for a database with no posts, no snapshots and no accounts but demo ones, from
    which the demo was never removed (`make run` must not bring it back)."""
    if demo_removed(session):
        return False
    if count_rows(session, Post) or count_rows(session, FollowerSnapshot):
        return False
    others = select(func.count()).select_from(Account).where(~demo_handle())
    return not session.scalar(others)
