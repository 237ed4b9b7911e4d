"""Engine and session factory. SQLite gets WAL, foreign keys, a busy timeout and the
``synchronous`` level of ``PANTAU_SQLITE_SYNC``: NORMAL keeps every commit through a killed
process; FULL also through a power cut or an OS crash (docs/deploy.md)."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from core.redact import Redactor, url_passwords
from core.settings import PROJECT_ROOT, SQLITE_SYNC

BUSY_TIMEOUT_MS = 30_000


def resolve_database_url(url: str, root: Path = PROJECT_ROOT) -> str:
    """Make a relative SQLite path absolute under the project root and create its folder;
    a plain ``postgresql://`` URL gets the psycopg 3 driver Pantau ships with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return url
    path = Path(parsed.database)
    if not path.is_absolute():
        path = root / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return parsed.set(database=str(path)).render_as_string(hide_password=False)


def sqlite_pragmas(
    dbapi_conn: sqlite3.Connection, _record: Any, sync: str = SQLITE_SYNC[0]
) -> None:
    if sync not in SQLITE_SYNC:  # never pasted into SQL unchecked
        raise ValueError(f"synchronous must be one of {SQLITE_SYNC}, got {sync!r}")
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute(f"PRAGMA synchronous={sync}")
    cur.close()


class DatabaseUrlError(ValueError):
    """``DATABASE_URL`` cannot be used; the message never carries its password."""


def make_engine(url: str, sqlite_sync: str = SQLITE_SYNC[0]) -> Engine:
    """An engine for ``url``; ``sqlite_sync`` is ``Settings.sqlite_sync`` (SQLite only).

    SQLAlchemy's complaints about a URL quote it, a ``?password=`` included: they are
    re-raised with every password of the URL masked, and without the original attached."""
    try:
        return _engine(url, sqlite_sync)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseUrlError(Redactor(url_passwords(url))(str(exc))) from None


def _engine(url: str, sqlite_sync: str) -> Engine:
    url = resolve_database_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", functools.partial(sqlite_pragmas, sync=sqlite_sync))
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
