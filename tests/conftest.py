"""Shared fixtures: a migrated throw-away SQLite database per test, and a clean environment."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from tests.pg_cluster import PrivateCluster

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a real credential, proxy or database URL from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("PANTAU_") or name in ("DATABASE_URL", "HTTP_PROXY", "HTTPS_PROXY"):
            monkeypatch.delenv(name, raising=False)


# `PANTAU_TEST_DB=postgresql make test-postgres`: the database tests run on a private
# PostgreSQL 15 cluster (tests/pg_cluster.py) instead of a SQLite file
ON_POSTGRES = os.environ.get("PANTAU_TEST_DB", "sqlite") == "postgresql"
DATABASE_FIXTURES = {"db_url", "demo_db_url"}  # what a test uses to get the test database
DEMO_TEMPLATE = "pantau_demo_template"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run the tests that use the test database (``db_url`` and the ``engine``
    and ``session`` built on it); tests about SQLite itself (pragmas, files) do not apply."""
    if not ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="SQLite-specific; this run is on PostgreSQL")
    keep: list[pytest.Item] = []
    other: list[pytest.Item] = []
    for item in items:
        uses_db = bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        (keep if uses_db else other).append(item)
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)
    config.hook.pytest_deselected(items=other)
    items[:] = keep


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PrivateCluster]:
    import tempfile

    # not under pytest's own temp folder: the server user must be able to reach it
    cluster = PrivateCluster(Path(tempfile.mkdtemp(prefix="pantau-pg-"))).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def db_url(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database per test: a SQLite file, or a new PostgreSQL database."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'pantau.db'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"t_{abs(hash(request.node.nodeid)) % 10**12}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


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


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the demo world, built once through `cli.py init` and `cli.py demo`."""
    from typer.testing import CliRunner

    from cli import app

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    env = {"DATABASE_URL": f"sqlite:///{path}"}
    runner = CliRunner()
    for args in (["init"], ["demo"]):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def demo_pg_template(pg_cluster: PrivateCluster) -> str:
    """The demo world in a PostgreSQL database that each test copies (CREATE … TEMPLATE)."""
    from typer.testing import CliRunner

    from cli import app

    env = {"DATABASE_URL": pg_cluster.create_database(DEMO_TEMPLATE)}
    for args in (["init"], ["demo"]):
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
    return DEMO_TEMPLATE


@pytest.fixture
def demo_db_url(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A private copy of the demo database for one test (a file copy, or a PostgreSQL
    database made from the demo template)."""
    if not ON_POSTGRES:
        copy = tmp_path / "demo-copy.db"
        shutil.copyfile(request.getfixturevalue("demo_db_file"), copy)
        yield f"sqlite:///{copy}"
        return
    cluster: PrivateCluster = request.getfixturevalue("pg_cluster")
    template = request.getfixturevalue("demo_pg_template")
    name = f"d_{abs(hash(request.node.nodeid)) % 10**12}"
    yield cluster.create_database(name, template=template)
    cluster.drop_database(name)


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at a new, not yet migrated database file."""
    from tests.app_support import serve_from

    yield from serve_from(f"sqlite:///{tmp_path / 'app.db'}", monkeypatch)


@pytest.fixture
def empty_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at a migrated, empty database."""
    from tests.app_support import migrated, serve_from

    url = f"sqlite:///{tmp_path / 'empty-app.db'}"
    migrated(url)
    yield from serve_from(url, monkeypatch)


@pytest.fixture
def demo_app(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at a private copy of the demo world."""
    from tests.app_support import serve_from

    yield from serve_from(demo_db_url, monkeypatch)
