"""Issue #7 item 5, first proof: ``kill -9`` of a collection pass (``bench/proof_crash.py``).

The checks are shown to catch what they look for (results without posts, posts without results,
a missing snapshot, a batch torn in two commits, lost rows, a damaged file, a dangling
reference), then a pass is killed at 20 random points in a child process. On the PostgreSQL run
the same proof runs on databases of the private cluster.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.orm import Session

from bench import proof_crash as pc
from bench.proof_db import ProofDatabases, State, data_state, integrity_problems, session_at
from db import repository as repo
from db.engine import make_engine
from testkit.db_support import ON_POSTGRES
from tests.clock import SET_UP_AT, fixed_clock

SMALL = pc.WorldSpec(accounts=120, posts=3)  # batches of 50, 50 and 20 accounts
CI = pc.WorldSpec(accounts=160, posts=3, latency=0.02, concurrency="2")  # a pass of ~2 s
World = tuple[pc.WorldSpec, str, State]  # the spec, the template's name, the reference data
TEMPLATE = "crash_template"


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> ProofDatabases:
    cluster = request.getfixturevalue("pg_cluster") if ON_POSTGRES else None
    return ProofDatabases(tmp_path_factory.mktemp("crash"), cluster)


@pytest.fixture(scope="module")
def world(dbs: ProofDatabases) -> World:
    """The registered template database and the data of a clean reference pass, made at
    SET_UP_AT: the passes compared with it run at FIXED_NOW (``fresh``), the same day, so no
    day or month boundary (a new month's rows) can come between them."""
    with fixed_clock(SET_UP_AT):
        now = (SET_UP_AT - timedelta(minutes=1)).isoformat()
        spec = replace(SMALL, now=now, secret_key=Fernet.generate_key().decode())
        pc.build_template(dbs.create(TEMPLATE), spec)
        reference = dbs.copy(TEMPLATE, "crash_reference")
        assert pc.one_pass(reference, spec, pc.simulator(spec, latency=False)) == "ok"
        return spec, TEMPLATE, data_state(reference)


@pytest.fixture
def fresh(world: World, dbs: ProofDatabases) -> Iterator[str]:
    """A copy of the template; the test runs at FIXED_NOW, as the reference pass did."""
    with fixed_clock():
        yield dbs.copy(world[1], "crash_fresh")


def checked_pass(world: World, url: str) -> pc.KillOutcome:
    """One in-process pass, then the same checks as after a kill."""
    spec, _template, reference = world
    pre = pc.pre_state(url)
    pc.one_pass(url, spec, pc.simulator(spec, latency=False))
    counted = frozenset(a for a, *_ in reference["values"])
    return pc.inspect_kill(url, pre, counted, spec.accounts)


def sql(url: str, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def test_a_clean_pass_passes_every_check(world: World, fresh: str) -> None:
    first = checked_pass(world, fresh)
    assert (first.phase, first.problems) == ("finished", [])
    again = checked_pass(world, fresh)  # every post known: all updated, none inserted
    assert (again.phase, again.problems) == ("finished", [])
    assert pc.recover(fresh, world[0], world[2]) == []


def test_results_committed_without_their_posts_are_caught(
    world: World, fresh: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = repo.upsert_posts

    def drop_one_account(session: Session, rows: Sequence[repo.PostRow], *a: Any, **k: Any) -> int:
        dropped = rows[0].account_id
        return original(session, [r for r in rows if r.account_id != dropped], *a, **k)

    monkeypatch.setattr(repo, "upsert_posts", drop_one_account)
    problems = checked_pass(world, fresh).problems
    assert len(problems) == 3  # one account per batch
    assert all(re.fullmatch(r"account \d+: result says 3 posts, 0 stored by the run", p)
               for p in problems)  # fmt: skip


def test_posts_committed_without_their_result_are_caught(
    world: World, fresh: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = repo.record_account_results
    dropped: list[int] = []

    def drop_one(session: Session, run_id: int, rows: Sequence[repo.ResultRow]) -> None:
        dropped.append(rows[0].account_id)
        original(session, run_id, rows[1:])

    monkeypatch.setattr(repo, "record_account_results", drop_one)
    problems = checked_pass(world, fresh).problems
    assert "117 results: a partial batch of 50 was committed" in problems
    assert sum(p.endswith("posts stored without a result") for p in problems) == 3
    # which accounts come first in a batch depends on thread timing; websites have no snapshot
    engine = make_engine(fresh)
    with engine.connect() as conn:
        platforms = conn.execute(text("SELECT id, platform FROM accounts")).all()
    engine.dispose()
    counted = sum(dict(platforms)[a] != "website" for a in dropped)
    assert (
        sum(p.endswith("stored without a result") and "snapshot" in p for p in problems) == counted
    )


def test_an_ok_result_without_its_snapshot_is_caught(
    world: World, fresh: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = repo.upsert_snapshots

    def drop_one(session: Session, rows: Sequence[repo.SnapshotRow]) -> int:
        return original(session, rows[1:])

    monkeypatch.setattr(repo, "upsert_snapshots", drop_one)
    problems = checked_pass(world, fresh).problems
    assert len(problems) == 3
    assert all(p.endswith("ok result without its snapshot") for p in problems)


def test_a_batch_torn_in_two_commits_is_caught(
    world: World, fresh: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a non-atomic save would leave: the second batch's posts and snapshots committed,
    then the process dies before its results."""
    original, calls = repo.record_account_results, []

    def commit_then_die(session: Session, run_id: int, rows: Sequence[repo.ResultRow]) -> None:
        calls.append(run_id)
        if len(calls) == 2:
            session.commit()
            raise KeyboardInterrupt  # as abrupt as it gets in-process
        original(session, run_id, rows)

    monkeypatch.setattr(repo, "record_account_results", commit_then_die)
    with pytest.raises(KeyboardInterrupt):
        checked_pass(world, fresh)
    monkeypatch.undo()
    outcome = pc.inspect_kill(fresh, pc.PreState(0, datetime(1970, 1, 1, tzinfo=UTC),
                                                 frozenset()), frozenset(), 120)  # fmt: skip
    assert outcome.phase == "1/3 batches"
    assert sum(p.endswith("posts stored without a result") for p in outcome.problems) == 50
    assert pc.recover(fresh, world[0], world[2]) == []  # the next pass repairs it all the same


def test_the_comparison_catches_lost_and_changed_rows(world: World, fresh: str) -> None:
    spec, _template, reference = world
    assert pc.one_pass(fresh, spec, pc.simulator(spec, latency=False)) == "ok"
    assert pc.compare(data_state(fresh), reference) == []
    sql(fresh, "DELETE FROM posts WHERE id = (SELECT min(id) FROM posts)")
    sql(fresh, "UPDATE follower_snapshots SET followers = followers + 1 "
               "WHERE id = (SELECT min(id) FROM follower_snapshots)")  # fmt: skip
    problems = pc.compare(data_state(fresh), reference)
    assert [p.split(":")[0] for p in problems] == ["posts", "values"]
    assert problems[0].startswith("posts: 1 missing, 0 unexpected")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("offset", [4096, 0])  # the table's root page; the file header
def test_the_integrity_check_finds_a_damaged_file(tmp_path: Path, offset: int) -> None:
    path = tmp_path / "damaged.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5000)])
        conn.commit()
    assert integrity_problems(f"sqlite:///{path}") == []
    data = bytearray(path.read_bytes())
    data[offset : offset + 16] = b"\x0d" * 16
    path.write_bytes(bytes(data))
    assert integrity_problems(f"sqlite:///{path}") != []


@pytest.mark.sqlite_only
def test_the_integrity_check_finds_a_dangling_reference(tmp_path: Path) -> None:
    path = tmp_path / "dangling.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x INTEGER PRIMARY KEY, y INTEGER REFERENCES t (x))")
        conn.execute("INSERT INTO t VALUES (1, 2)")  # foreign keys are off in plain sqlite3
        conn.commit()
    problems = integrity_problems(f"sqlite:///{path}")
    assert len(problems) == 1 and "foreign key ('t', 1, 't', 0)" in problems[0]


def test_the_integrity_check_finds_a_row_without_its_parent(world: World, fresh: str) -> None:
    assert integrity_problems(fresh) == []
    orphan = "UPDATE accounts SET opd_id = 99999 WHERE id = (SELECT min(id) FROM accounts)"
    if ON_POSTGRES:  # replica mode skips the foreign-key triggers, as a bypass would
        sql(fresh, f"SET session_replication_role = replica; {orphan}")
    else:  # SQLAlchemy's engine turns foreign keys on; plain sqlite3 leaves them off
        with closing(sqlite3.connect(fresh.removeprefix("sqlite:///"))) as conn:
            conn.execute(orphan)
            conn.commit()
    problems = integrity_problems(fresh)
    # SQLite: "foreign key ('accounts', 1, 'opds', 0)"; PostgreSQL: "1 rows of accounts …"
    assert len(problems) == 1 and "accounts" in problems[0] and "opds" in problems[0], problems


def test_a_run_left_running_does_not_break_the_next_pass(world: World, fresh: str) -> None:
    with session_at(fresh) as session:
        stale = repo.start_run(session, "collect", "all").id
        session.commit()
    assert pc.recover(fresh, world[0], world[2]) == []  # the health reader, then a pass
    rows = sql(fresh, "SELECT id, status FROM collection_runs ORDER BY id")
    assert rows == [(stale, "running"), (stale + 1, "ok")]


def test_a_youtube_account_without_its_channel_id_is_collected(world: World, fresh: str) -> None:
    """Regression: once one YouTube account had its channel id stored, pandas gave the others
    NaN instead of None, and their collection failed on every pass ("TypeError")."""
    spec, _template, reference = world
    sim = pc.simulator(spec, latency=False)
    [(handle,)] = sql(fresh, "SELECT min(handle) FROM accounts WHERE platform = 'youtube'")
    found = sim.world.find("youtube", handle)
    assert found is not None
    sql(fresh, "UPDATE accounts SET platform_id = :id WHERE handle = :handle",
        id=found.platform_id, handle=found.handle)  # fmt: skip
    assert pc.one_pass(fresh, spec, sim) == "ok"
    assert pc.compare(data_state(fresh), reference) == []


def test_kill_9_at_20_random_points_of_a_collection_pass(request: pytest.FixtureRequest) -> None:
    lines: list[str] = []
    cluster = request.getfixturevalue("pg_cluster") if ON_POSTGRES else None
    result = pc.run(kills=20, spec=CI, seed=7, log=lines.append, cluster=cluster)
    print("\n".join([*lines, result.line()]))
    assert result.problems == []
    assert sum(result.phases.values()) == 20
    assert result.mid_pass >= 5, result.phases  # most kills land between two batch commits
