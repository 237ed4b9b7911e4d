"""Issue #18 item 9: backups only their owner can read, and the SQLite crash guarantee as a
setting (``PANTAU_SQLITE_SYNC``) that reaches the connection and is documented."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from core.settings import SettingsError, load_settings
from db import repository as repo
from db.backup import backup_sqlite
from db.engine import make_engine, make_session_factory, sqlite_pragmas
from db.migrate import upgrade
from testkit.db_support import NewDatabase

ROOT = Path(__file__).resolve().parent.parent
SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask a server could run under: modes come from Pantau alone."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _seeded(new_db_url: NewDatabase) -> str:
    url = new_db_url("live")
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        repo.upsert_opd(session, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
        session.commit()
    engine.dispose()
    return url


@pytest.mark.sqlite_only  # PostgreSQL is backed up with pg_dump (docs/deploy.md)
def test_backup_file_and_new_folders_are_owner_only(
    new_db_url: NewDatabase, tmp_path: Path, open_umask: None
) -> None:
    url = _seeded(new_db_url)
    dest = tmp_path / "arsip" / "harian" / "pantau.db"
    result = backup_sqlite(url, dest)
    assert result.path == dest.resolve()
    assert _mode(dest) == 0o600
    assert _mode(dest.parent) == 0o700 and _mode(dest.parent.parent) == 0o700
    assert not list(dest.parent.glob(".*partial*"))


@pytest.mark.sqlite_only
def test_backup_into_an_existing_folder_keeps_the_folder_but_not_an_old_mode(
    new_db_url: NewDatabase, tmp_path: Path, open_umask: None
) -> None:
    url = _seeded(new_db_url)
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    old = folder / "pantau.db"
    old.write_bytes(b"")
    old.chmod(0o644)  # yesterday's copy, made before backups were private
    backup_sqlite(url, old)
    assert _mode(old) == 0o600
    assert _mode(folder) == 0o755  # a folder the operator made is theirs to set


def _synchronous(url: str, sync: str | None = None) -> str:
    engine = make_engine(url) if sync is None else make_engine(url, sqlite_sync=sync)
    try:
        with engine.connect() as conn:
            return SYNCHRONOUS[int(conn.execute(text("PRAGMA synchronous")).scalar_one())]
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_sqlite_sync_setting_reaches_the_connection(
    new_db_url: NewDatabase, tmp_path: Path
) -> None:
    url = new_db_url("sync")
    assert load_settings({}, root=tmp_path).sqlite_sync == "NORMAL"
    assert _synchronous(url) == "NORMAL"
    full = load_settings({"PANTAU_SQLITE_SYNC": "FULL", "DATABASE_URL": url}, root=tmp_path)
    assert _synchronous(full.database_url, full.sqlite_sync) == "FULL"


@pytest.mark.parametrize("value", ["OFF", "EXTRA", "full; DROP TABLE users", "2"])
def test_sqlite_sync_refuses_anything_but_normal_or_full(value: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PANTAU_SQLITE_SYNC: use NORMAL or FULL"):
        load_settings({"PANTAU_SQLITE_SYNC": value}, root=tmp_path)
    with pytest.raises(ValueError, match="synchronous"):  # checked before it reaches SQL
        sqlite_pragmas(None, None, sync=value)


def test_deploy_guide_states_the_crash_guarantee() -> None:
    guide = " ".join((ROOT / "docs" / "deploy.md").read_text(encoding="utf-8").split())
    for claim in (
        "`synchronous=NORMAL`",
        "survives a killed process",
        "power cut or an operating-system crash can lose the last commits",
        "`PANTAU_SQLITE_SYNC=FULL`",
        "PostgreSQL follows its own `fsync`",
        "mode 0600",
    ):
        assert claim in guide, claim


@pytest.mark.sqlite_only
def test_the_cli_opens_sqlite_with_the_configured_sync(
    new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The setting reaches the engines the entry points make, not only make_engine's argument."""
    from commands.common import open_session, settings

    url = _seeded(new_db_url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PANTAU_ENV_FILE", "")
    monkeypatch.setenv("PANTAU_SQLITE_SYNC", "FULL")
    with open_session(settings()) as session:
        level = session.execute(text("PRAGMA synchronous")).scalar_one()
    assert SYNCHRONOUS[int(level)] == "FULL"
