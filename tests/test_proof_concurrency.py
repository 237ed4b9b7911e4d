"""Issue #7 item 5, second proof: a writer and 4 dashboard readers at once on the demo world
(``bench/proof_concurrency.py``); nobody ever sees "database is locked" or any other error."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

import db.engine
from bench import proof_concurrency as pc


@pytest.mark.wall_clock  # the writer is a child process, on the real clock
def test_a_writer_and_four_readers_never_see_a_locked_database(demo_db_url: str) -> None:
    """On PostgreSQL too: readers never wait for the writer there, but any other error (a
    deadlock, a half-seen write) would show the same way."""
    result = pc.run(demo_db_url, seconds=20)
    print("\n".join([*result.details(), result.line()]))
    assert result.errors == []
    assert result.writes["passes"] >= 2 and result.writes["imports"] >= 2
    assert set(result.reads) == set(pc.PAGES)  # every page was read while the writer wrote
    assert result.reads.total() >= 4 * len(pc.PAGES)
    assert result.line().endswith("PASS") and "errors=0" in result.line()


@pytest.mark.sqlite_only  # "database is locked" is SQLite's lock
def test_the_readers_report_a_locked_database(
    demo_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The harness would see the error: a connection holding an exclusive lock (which the
    product never takes) and a short busy timeout make every reader fail, and say why."""
    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 100)
    context = pc.ReadContext("2026-11", "2026-10", date(2026, 11, 26), [1])
    monkeypatch.setattr(pc, "read_context", lambda _engine, _settings: context)
    path = make_url(demo_db_url).database
    assert path is not None
    with closing(sqlite3.connect(path, isolation_level=None)) as hog:
        hog.execute("PRAGMA locking_mode=EXCLUSIVE")
        hog.execute("BEGIN EXCLUSIVE")
        hog.execute("UPDATE app_meta SET value = value")
        tally = pc.read_for(demo_db_url, seconds=1.0, count=2)
        hog.execute("ROLLBACK")
    assert len(tally.errors) >= 2
    assert all("OperationalError: (sqlite3.OperationalError) database is locked" in e
               for e in tally.errors), tally.errors[:3]  # fmt: skip
    result = pc.ProofResult(1.0, tally.reads, {}, tally.errors)
    assert result.line().endswith("FAIL") and f"(locked={len(tally.errors)})" in result.line()


def test_a_writer_that_cannot_start_is_reported(engine: Engine, db_url: str) -> None:
    """A migrated database without the demo world: the writer stops before it is ready."""
    with pytest.raises(RuntimeError, match=r"the writer did not start \(exit 1\)"):
        pc.run(db_url, seconds=1)
