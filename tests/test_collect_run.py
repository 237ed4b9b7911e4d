"""The collection runner with fake collectors: isolation, platform-wide stops, idempotency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import ClassVar

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from collectors.base import (
    AccountRef,
    AuthError,
    NotFound,
    PostRecord,
    ProfileSnapshot,
)
from collectors.run import PassOptions, collect_pass
from core.settings import Settings, load_settings
from db import repository as repo
from db.engine import make_session_factory
from db.models import AccountResult, CollectionRun
from tests.clock import FIXED_NOW

# every test here runs at FIXED_NOW: two passes of one test read the same day (one snapshot)
pytestmark = pytest.mark.usefixtures("fixed_now")
NOW = FIXED_NOW


class FakeCollector:
    platform = "instagram"
    broken: ClassVar[set[str]] = set()  # handles that fail with NotFound
    token_bad = False
    calls: ClassVar[list[tuple[str, datetime]]] = []

    def __init__(self, client: httpx.Client, settings: Settings) -> None:
        self.client = client

    def fetch_profile(self, account: AccountRef) -> ProfileSnapshot:
        if self.token_bad:
            raise AuthError("token expired", "Token Instagram kedaluwarsa.")
        if account.handle in self.broken:
            raise NotFound("no such account", "Akun tidak ditemukan.")
        return ProfileSnapshot(
            followers=100 + len(account.handle), platform_id=f"id-{account.handle}"
        )

    def fetch_posts(self, account: AccountRef, since: datetime) -> Iterator[PostRecord]:
        type(self).calls.append((account.handle, since))
        for n in range(3):
            yield PostRecord(
                f"{account.handle}-{n}", NOW - timedelta(days=n * 10), likes=n, comments=1
            )


class FakeX(FakeCollector):
    platform = "x"
    token_bad = False  # its own credential: Instagram's bad token must not touch X


REGISTRY = {"instagram": FakeCollector, "x": FakeX}


@pytest.fixture
def world(session: Session) -> Session:
    FakeCollector.broken, FakeCollector.token_bad, FakeCollector.calls = set(), False, []
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    other = repo.upsert_opd(session, "DISHUB", "Dinas Perhubungan", "dinas")
    for handle in ("a.one", "a.two", "a.three"):
        repo.upsert_account(session, opd, "instagram", handle)
    repo.upsert_account(session, other, "x", "dishub_x")
    session.commit()
    return session


def run(engine: Engine, **options: object):  # type: ignore[no-untyped-def]
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    return collect_pass(make_session_factory(engine), client, load_settings(environ={}),
                        REGISTRY, PassOptions(**options))  # fmt: skip


def dump(session: Session) -> list[tuple[object, ...]]:
    posts = session.execute(text(
        "SELECT account_id, platform_post_id, posted_at, likes, comments, first_seen_at "
        "FROM posts ORDER BY 1, 2"
    )).all()  # fmt: skip
    snapshots = session.execute(text(
        "SELECT account_id, observed_at, followers, following, post_count "
        "FROM follower_snapshots ORDER BY 1, 2"
    )).all()  # fmt: skip
    return [tuple(r) for r in posts] + [tuple(r) for r in snapshots]


def test_a_failing_account_never_stops_the_others(world: Session, engine: Engine) -> None:
    FakeCollector.broken = {"a.two"}
    report = run(engine)
    assert report.status == "partial"
    by_handle = {o.account.handle: o for o in report.outcomes}
    assert by_handle["a.two"].error is not None and by_handle["a.one"].ok
    results = world.scalars(select(AccountResult)).all()
    assert sorted(r.status for r in results) == ["failed", "ok", "ok", "ok"]
    failed = next(r for r in results if r.status == "failed")
    assert (failed.error_class, failed.message) == ("not_found", "Akun tidak ditemukan.")
    assert world.execute(text("SELECT count(*) FROM posts")).scalar() == 9


def test_a_bad_token_stops_its_platform_once(world: Session, engine: Engine) -> None:
    FakeCollector.token_bad = True
    report = run(engine)
    ig = [o for o in report.outcomes if o.account.platform == "instagram"]
    assert sum(o.error is not None for o in ig) == 1  # one failure, not one per account
    assert sum(o.skipped for o in ig) == 2
    assert "instagram" in report.platform_errors
    assert "Token Instagram kedaluwarsa." in report.message()
    assert any(o.ok for o in report.outcomes if o.account.platform == "x")
    run_row = world.scalars(select(CollectionRun)).one()
    assert run_row.status == "partial" and "2 akun dilewati" in (run_row.message or "")


def test_a_second_pass_changes_nothing_but_last_seen(world: Session, engine: Engine) -> None:
    run(engine)
    before = dump(world)
    second = run(engine)
    assert second.status == "ok"
    world.expire_all()
    assert dump(world) == before
    # the second pass asked only for what is new or young enough to re-read
    since = dict(FakeCollector.calls[-4:])
    assert since["a.one"] < NOW and since["a.one"] > NOW - timedelta(days=31)


def test_platform_ids_are_learnt_and_filters_apply(world: Session, engine: Engine) -> None:
    report = run(engine, platforms=frozenset({"x"}))
    assert [o.account.handle for o in report.outcomes] == ["dishub_x"]
    world.expire_all()
    assert (
        world.execute(text("SELECT platform_id FROM accounts WHERE handle='dishub_x'")).scalar()
        == "id-dishub_x"
    )
    by_opd = run(engine, opd_code="dinkes")
    assert {o.account.handle for o in by_opd.outcomes} == {"a.one", "a.two", "a.three"}
