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

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a real credential, proxy or database URL from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("PANTAU_") or name in ("DATABASE_URL", "HTTP_PROXY", "HTTPS_PROXY"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pantau.db'}"


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


@pytest.fixture
def demo_db_url(demo_db_file: Path, tmp_path: Path) -> str:
    """A private copy of the demo database for one test."""
    copy = tmp_path / "demo-copy.db"
    shutil.copyfile(demo_db_file, copy)
    return f"sqlite:///{copy}"


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
