"""Shared fixtures: throw-away databases per test (SQLite, or PostgreSQL on its run), and a
clean environment."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from testkit.db_support import ON_POSTGRES, NewDatabase
from testkit.pg_cluster import PrivateCluster
from tests.clock import FIXED_NOW, SET_UP_AT, fixed_clock

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a real credential, proxy or database URL from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("PANTAU_") or name in ("DATABASE_URL", "HTTP_PROXY", "HTTPS_PROXY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PANTAU_ENV_FILE", "")  # nor a server's /etc/pantau/pantau.env


# ON_POSTGRES (`PANTAU_TEST_DB=postgresql`): the whole suite again, every database a test makes
# on a private PostgreSQL 15 cluster (testkit/pg_cluster.py) instead of a SQLite file
DEMO_TEMPLATE = "pantau_demo_template"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "wall_clock: runs on the real clock, not at FIXED_NOW, and its demo_db_url is the demo "
        "world as of today (a test whose child process reads the demo database; it must not "
        "depend on the date)",
    )


@pytest.fixture
def fixed_now() -> Iterator[datetime]:
    """The test runs at tests/clock.py's FIXED_NOW (the clock ticking from there); the value
    is that instant (UTC), for the product's own ``now=`` parameters."""
    with fixed_clock():
        yield FIXED_NOW


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, tests about SQLite itself (pragmas, files, its lock) do not apply."""
    if not ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="SQLite-specific; this run is on PostgreSQL")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def no_sqlite_on_postgres_run(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """On the PostgreSQL run a test that opened a SQLite database would pass without testing
    PostgreSQL at all: any sqlite3 connection (through SQLAlchemy or not) made while the test
    runs fails it, unless it is marked ``sqlite_only``. Child processes are not watched."""
    if not ON_POSTGRES or request.node.get_closest_marker("sqlite_only"):
        yield
        return
    opened: list[str] = []
    original = sqlite3.dbapi2.connect

    def watched(database: object, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(str(database))
        return original(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", watched)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", watched)  # what SQLAlchemy's dialect calls
    yield
    assert not opened, f"SQLite opened on the PostgreSQL run ({opened[:2]}); use new_db_url"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PrivateCluster]:
    import tempfile

    # not under pytest's own temp folder: the server user must be able to reach it
    cluster = PrivateCluster(Path(tempfile.mkdtemp(prefix="pantau-pg-"))).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def new_db_url(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[NewDatabase]:
    """Make empty databases for one test: ``new_db_url("name")`` is a new SQLite file, or a
    new PostgreSQL database; ``template=`` copies a PostgreSQL template. All dropped after."""
    made: list[str] = []
    cluster: PrivateCluster | None = request.getfixturevalue("pg_cluster") if ON_POSTGRES else None

    def make(name: str = "pantau", template: str | None = None) -> str:
        if cluster is None:
            if template is not None:
                raise ValueError("template= copies a PostgreSQL database; SQLite tests copy files")
            return f"sqlite:///{tmp_path / name}.db"
        database = f"t{len(made)}_{abs(hash(request.node.nodeid)) % 10**12}"
        made.append(database)
        return cluster.create_database(database, template=template)

    yield make
    if made:
        # engines the test let go may still hold connections: close them now, before the drop,
        # not later in a finaliser (one inside ast.parse trips a CPython 3.11 bug, gh-106905)
        gc.collect()
    for database in made:
        assert cluster is not None
        cluster.drop_database(database)


@pytest.fixture
def db_url(new_db_url: NewDatabase) -> str:
    """A fresh database per test: a SQLite file, or a new PostgreSQL database."""
    return new_db_url()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    factory = make_session_factory(engine)
    with factory() as sess:
        yield sess


def _init_demo(url: str, at: datetime | None) -> None:
    """Build the demo world the way a user does: `cli.py init`, then `cli.py demo`; at ``at``
    whatever the clock (its history ends that day, today's counts are read then), or, with
    None, today on the real clock."""
    from typer.testing import CliRunner

    from cli import app

    with fixed_clock(at) if at is not None else contextlib.nullcontext():
        for args in (["init"], ["demo"]):
            result = CliRunner().invoke(app, args, env={"DATABASE_URL": url})
            assert result.exit_code == 0, result.output


def _demo_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str,
    at: datetime | None,
) -> str:  # fmt: skip
    if not ON_POSTGRES:
        path = tmp_path_factory.mktemp(name) / f"{name}.db"
        _init_demo(f"sqlite:///{path}", at)
        return str(path)
    cluster: PrivateCluster = request.getfixturevalue("pg_cluster")
    _init_demo(cluster.create_database(name), at)
    return name


@pytest.fixture(scope="session")
def demo_template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo world built once per run, at SET_UP_AT: an hour before the now (FIXED_NOW) of
    the tests that use it. A SQLite file, or a PostgreSQL template database."""
    return _demo_template(request, tmp_path_factory, DEMO_TEMPLATE, SET_UP_AT)


@pytest.fixture(scope="session")
def todays_demo_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The demo world as of today on the real clock, as `make run` loads it; built once, when a
    test first needs it: one whose child processes (the worker, the dashboard) read it on the
    real clock, which a freezing library does not reach."""
    return _demo_template(request, tmp_path_factory, f"{DEMO_TEMPLATE}_today", None)


def _copies(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, template: str
) -> Iterator[Callable[[str], str]]:
    made: list[str] = []
    cluster: PrivateCluster | None = request.getfixturevalue("pg_cluster") if ON_POSTGRES else None

    def make(name: str) -> str:
        if cluster is None:
            copy = tmp_path_factory.mktemp("demo-copy") / f"{name}.db"
            shutil.copyfile(template, copy)
            return f"sqlite:///{copy}"
        made.append(f"demo_{name}_{len(made)}")
        return cluster.create_database(made[-1], template=template)

    yield make
    gc.collect()  # as in new_db_url
    for database in made:
        assert cluster is not None
        cluster.drop_database(database)


@pytest.fixture(scope="session")
def demo_copy(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo_template: str
) -> Iterator[Callable[[str], str]]:
    """Copies of the demo world that outlive one test (for module-scoped fixtures):
    ``demo_copy("name")`` is the URL of a new copy; all removed at the end of the run. What
    reads them runs at FIXED_NOW (``fixed_clock()``)."""
    yield from _copies(request, tmp_path_factory, demo_template)


@pytest.fixture(scope="session")
def todays_demo_copy(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
    todays_demo_template: str,
) -> Iterator[Callable[[str], str]]:  # fmt: skip
    """As ``demo_copy``, of the demo world as of today on the real clock."""
    yield from _copies(request, tmp_path_factory, todays_demo_template)


@pytest.fixture
def demo_db_url(
    request: pytest.FixtureRequest, tmp_path: Path, new_db_url: NewDatabase
) -> Iterator[str]:
    """A private copy of the demo database for one test (a file copy, or a PostgreSQL
    database made from the demo template). The test runs at FIXED_NOW (the clock ticking from
    there), so "today" and "this month" are the demo world's; one marked ``wall_clock`` runs on
    the real clock, on the demo world as of today (``todays_demo_template``)."""
    wall_clock = request.node.get_closest_marker("wall_clock") is not None
    template = request.getfixturevalue("todays_demo_template" if wall_clock else "demo_template")
    if not ON_POSTGRES:
        copy = tmp_path / "demo-copy.db"
        shutil.copyfile(template, copy)
        url = f"sqlite:///{copy}"
    else:
        url = new_db_url("demo", template=template)
    with contextlib.nullcontext() if wall_clock else fixed_clock():
        yield url


@pytest.fixture
def app_db(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at a new, not yet migrated database."""
    from tests.app_support import serve_from

    yield from serve_from(new_db_url("app"), monkeypatch)


@pytest.fixture
def empty_app(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at a migrated, empty database."""
    from tests.app_support import migrated, serve_from

    url = new_db_url("empty-app")
    migrated(url)
    yield from serve_from(url, monkeypatch)


@pytest.fixture
def demo_app(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at a private copy of the demo world."""
    from tests.app_support import serve_from

    yield from serve_from(demo_db_url, monkeypatch)
