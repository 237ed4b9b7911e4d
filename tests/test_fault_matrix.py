"""A collection pass over the simulator with every fault kind (issue #3's fault matrix)."""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from collectors.http import HttpOptions
from collectors.run import PassReport
from collectors.service import pass_options, run_collection
from core.settings import Settings, load_settings
from db.engine import make_session_factory
from demo.collect import store_demo_tokens
from demo.simworld import world_from_demo
from demo.world import build_world
from ingest.registry import import_registry_records
from simulator import Fault, Simulator, sim_settings_env

AS_OF = date(2025, 12, 1)


def no_wait(_seconds: float) -> None:
    """Retries and latency cost no time in tests."""


@pytest.fixture
def sim_db(session: Session) -> tuple[Simulator, Settings]:
    world = build_world(AS_OF, months=2)
    import_registry_records(session, world.registry)
    session.commit()
    sim = Simulator(world_from_demo(world), sleep=no_wait)
    env = sim_settings_env(sim) | {"PANTAU_SECRET_KEY": Fernet.generate_key().decode()}
    settings = load_settings(environ=env)
    store_demo_tokens(session, sim, settings.secret_key)
    return sim, settings


def handles(sim: Simulator, platform: str) -> list[str]:
    return sorted(a.handle for a in sim.world.accounts(platform))


# (fault, expected error class; None = healed by a retry and collected in full)
def plan(sim: Simulator) -> list[tuple[Fault, str | None]]:
    ig, fb, tt = handles(sim, "instagram"), handles(sim, "facebook"), handles(sim, "tiktok")
    web = handles(sim, "website")
    return [
        (Fault("not_found", platform="instagram", handle=ig[0]), "not_found"),
        (Fault("graph_throttle", platform="instagram", handle=ig[1], code=613), "rate_limited"),
        (Fault("server_error", platform="instagram", handle=ig[2], times=1), None),
        (Fault("rate_limit", platform="instagram", handle=ig[3], times=1), None),
        (Fault("timeout", platform="facebook", handle=fb[0]), "transient"),
        (Fault("malformed", platform="facebook", handle=fb[1]), "malformed"),
        (Fault("empty_page", platform="facebook", handle=fb[2], times=1), None),
        (Fault("rate_limit", platform="facebook", handle=fb[3]), "rate_limited"),
        (Fault("server_error", platform="facebook", handle=fb[4]), "transient"),
        (Fault("graph_throttle", platform="facebook", handle=fb[5], code=80001), "rate_limited"),
        (Fault("invalid_token", platform="tiktok", handle=tt[0]), "auth"),
        (Fault("html_error", platform="website", handle=web[0], status=503), "transient"),
    ]


def run(engine: Engine, sim: Simulator, settings: Settings) -> PassReport:
    report, _ = run_collection(
        make_session_factory(engine), settings, pass_options(settings), sim.transport(),
        HttpOptions(sleep=no_wait, clock=lambda: 0.0),
    )  # fmt: skip
    return report


def stored_posts(session: Session) -> dict[tuple[str, str], list[str]]:
    rows = session.execute(text(
        "SELECT a.platform, a.handle, p.platform_post_id FROM posts p "
        "JOIN accounts a ON a.id = p.account_id ORDER BY 1, 2, 3"
    )).all()  # fmt: skip
    out: dict[tuple[str, str], list[str]] = {}
    for platform, handle, post_id in rows:
        out.setdefault((platform, handle), []).append(post_id)
    return out


def served_posts(sim: Simulator, platform: str, handle: str) -> list[str]:
    return sorted(p.post_id for p in sim.world.visible_posts(platform, handle))


def test_fault_matrix(session: Session, engine: Engine, sim_db: tuple[Simulator, Settings]) -> None:
    sim, settings = sim_db
    faults = plan(sim)
    for fault, _ in faults:
        sim.faults.add(fault)
    sim.faults.add(Fault("quota_exceeded", platform="youtube"))
    sim.faults.add(Fault("expired_token", platform="x"))
    report = run(engine, sim, settings)
    outcomes = {(o.account.platform, o.account.handle): o for o in report.outcomes}

    for fault, expected in faults:
        outcome = outcomes[(str(fault.platform), str(fault.handle))]
        got = None if outcome.error is None else outcome.error.error_class
        assert got == expected, (fault.kind, fault.platform, outcome.error)

    for platform, expected in (("youtube", "quota"), ("x", "auth")):
        mine = [o for (p, _), o in outcomes.items() if p == platform]
        assert [o.error.error_class for o in mine if o.error] == [expected]  # once per platform
        assert sum(o.skipped for o in mine) == len(mine) - 1
        assert platform in report.platform_errors

    stored = stored_posts(session)
    broken = {(str(f.platform), str(f.handle)) for f, e in faults if e is not None}
    healthy = [k for k in outcomes if k not in broken and k[0] not in ("youtube", "x")]
    assert len(healthy) >= 60
    for platform, handle in healthy:
        assert outcomes[(platform, handle)].ok, (platform, handle)
        assert stored.get((platform, handle), []) == served_posts(sim, platform, handle)

    results: dict[str, str] = dict(session.execute(text(
        "SELECT a.handle || '@' || a.platform, r.error_class FROM account_results r "
        "JOIN accounts a ON a.id = r.account_id WHERE r.status = 'failed'"
    )).all())  # fmt: skip
    assert results[f"{faults[0][0].handle}@instagram"] == "not_found"
    messages = session.execute(
        text("SELECT message FROM account_results WHERE error_class='not_found'")
    )
    assert any("Bisnis atau Kreator" in (m or "") for (m,) in messages)


def test_second_pass_is_idempotent_and_deleted_posts_are_kept(
    session: Session, engine: Engine, sim_db: tuple[Simulator, Settings]
) -> None:
    sim, settings = sim_db
    first = run(engine, sim, settings)
    # only the demo's missing channel fails: it is registered, but no platform has it
    failed = [o.account for o in first.outcomes if not o.ok]
    assert len(failed) == 1 and sim.world.find(failed[0].platform, failed[0].handle) is None
    dump = (
        "SELECT account_id, platform_post_id, posted_at, caption, likes, comments, shares, "
        "views, first_seen_at FROM posts ORDER BY 1, 2"
    )
    before = session.execute(text(dump)).all()
    second = run(engine, sim, settings)
    assert [o.account for o in second.outcomes if not o.ok] == failed
    session.expire_all()
    assert session.execute(text(dump)).all() == before

    handle = handles(sim, "instagram")[0]
    victim = sim.world.visible_posts("instagram", handle)[0]
    sim.world.delete_post("instagram", handle, victim.post_id)
    run(engine, sim, settings)
    session.expire_all()
    assert victim.post_id in stored_posts(session)[("instagram", handle)]  # nothing is lost
    assert len(session.execute(text(dump)).all()) == len(before)  # and nothing doubled


def test_expiring_tiktok_tokens_are_refreshed_before_a_pass(
    session: Session, engine: Engine, sim_db: tuple[Simulator, Settings]
) -> None:
    from datetime import timedelta

    from collectors.http import build_client
    from collectors.service import refresh_expiring_tokens
    from core.timeutil import utcnow
    from db import repository as repo
    from db import tokens as token_store
    from simulator.credentials import tiktok_refresh_token

    sim, settings = sim_db
    handle = handles(sim, "tiktok")[0]
    account_id = repo.account_ids_by_handle(session)[("tiktok", handle)]
    stale = token_store.TokenPair(
        "act.stale", tiktok_refresh_token(handle), utcnow() - timedelta(hours=1)
    )
    token_store.save_token(session, account_id, stale, settings.secret_key)
    session.commit()
    with build_client(settings, sim.transport()) as client:
        assert refresh_expiring_tokens(session, client, settings) == 1
        assert refresh_expiring_tokens(session, client, settings) == 0  # fresh now
    fresh = token_store.load_tokens(session, settings.secret_key)[account_id]
    assert fresh.access_token == sim.world.tiktok_token(handle)
    assert fresh.access_expires_at is not None and fresh.access_expires_at > utcnow()
    report = run(engine, sim, settings)
    assert all(o.ok for o in report.outcomes if o.account.platform == "tiktok")


def test_young_youtube_videos_carry_a_reply_sample(
    session: Session, engine: Engine, sim_db: tuple[Simulator, Settings]
) -> None:
    from datetime import UTC, datetime, timedelta

    from simulator import SimPost

    sim, settings = sim_db
    handle = handles(sim, "youtube")[0]
    fresh = SimPost("vid-fresh-1", datetime.now(UTC) - timedelta(days=2), "Rapat koordinasi",
                    likes=10, comments=40, views=500)  # fmt: skip
    sim.world.now = datetime.now(UTC)
    sim.world.add_post("youtube", handle, fresh)
    run(engine, sim, settings)
    row = session.execute(
        text("SELECT comments_sampled, comments_answered FROM posts WHERE platform_post_id = :p"),
        {"p": "vid-fresh-1"},
    ).one()
    assert row[0] == 40 and 0 <= row[1] <= 40
    old = session.execute(text(
        "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id "
        "WHERE a.platform = 'youtube' AND p.comments_sampled IS NOT NULL"
    )).scalar()  # fmt: skip
    assert old == 1  # only young videos are sampled (one quota unit each)
