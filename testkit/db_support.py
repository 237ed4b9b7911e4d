"""Test databases on either backend: what they hold as bytes (to prove a secret is not stored
in clear), and quick fresh copies of a template for tests that need one per example."""

from __future__ import annotations

import os
import sqlite3

# pg_dump with fixed argv, no shell
import subprocess  # nosec B404
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from db.backup import copy_sqlite
from testkit.pg_cluster import PG_BIN, PrivateCluster

# `PANTAU_TEST_DB=postgresql`: the suite runs on a private PostgreSQL 15 cluster
ON_POSTGRES = os.environ.get("PANTAU_TEST_DB", "sqlite") == "postgresql"

# conftest's ``new_db_url``: new_db_url("name", template=None) -> the URL of a new database
NewDatabase = Callable[..., str]


def stored_bytes(db_url: str) -> bytes:
    """The SQLite file with its WAL folded in, or a plain-text pg_dump of the database."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        parts = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")]
        return b"".join(p.read_bytes() for p in parts if p.exists())
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(  # nosec B603
        [str(PG_BIN / "pg_dump"), "--no-owner", "--dbname", plain],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    assert b"COPY public.posts" in done.stdout, "pg_dump printed no table data"
    return done.stdout


class TemplateCopies:
    """A template database and fresh copies of it, one at a time: a SQLite online backup into
    ``folder``, or ``CREATE DATABASE … TEMPLATE`` on ``cluster``."""

    def __init__(self, folder: Path, cluster: PrivateCluster | None = None) -> None:
        self.folder, self.cluster = folder, cluster
        if cluster is None:
            self.template_url = f"sqlite:///{folder / 'template.db'}"
        else:
            cluster.drop_database("copies_template")
            self.template_url = cluster.create_database("copies_template")

    def fresh(self) -> str:
        """The URL of a new copy of the template (the previous copy is replaced)."""
        if self.cluster is not None:
            self.cluster.drop_database("copies_case")
            return self.cluster.create_database("copies_case", template="copies_template")
        path = self.folder / "case.db"
        path.unlink(missing_ok=True)
        copy_sqlite(self.folder / "template.db", path)
        return f"sqlite:///{path}"
