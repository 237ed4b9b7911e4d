"""Online backup of the SQLite database: SQLite's own backup API copies a consistent snapshot
while the worker and the dashboard keep running (WAL included); the copy is then checked.

The copy holds every password hash and encrypted token, so it is readable by its owner only
(mode 0600, a folder made for it 0700), from the first byte on. PostgreSQL deployments use
``pg_dump`` instead (docs/deploy.md).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from db.engine import resolve_database_url

PAGES_PER_STEP = 1024  # copy in steps so writers are never blocked for long
FILE_MODE = 0o600
FOLDER_MODE = 0o700


class BackupError(RuntimeError):
    """The backup could not be made; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    posts: int


def copy_sqlite(source: Path, target: Path) -> None:
    """A plain copy through SQLite's backup API (consistent with a WAL file beside it); the
    benchmarks and tests copy their template databases with it."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def backup_sqlite(database_url: str, dest: Path) -> BackupResult:
    url = make_url(resolve_database_url(database_url))
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError("`backup` copies SQLite databases; for PostgreSQL use pg_dump.")
    source_path = Path(url.database)
    if not source_path.is_file():
        raise BackupError(f"no database file at {source_path}")
    dest = dest.resolve()
    if dest == source_path.resolve():
        raise BackupError("the backup file must not be the database itself")
    _make_folder(dest.parent)
    partial = dest.with_name(f".{dest.name}.partial")
    _create_private(partial)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(partial)
    try:
        source.backup(target, pages=PAGES_PER_STEP)
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        check = target.execute("PRAGMA integrity_check").fetchone()
        posts = int(target.execute("SELECT count(*) FROM posts").fetchone()[0])
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {exc}") from exc
    finally:
        target.close()
        source.close()
    if not check or check[0] != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {check}")
    partial.replace(dest)
    return BackupResult(dest, dest.stat().st_size, posts)


def _make_folder(folder: Path) -> None:
    """Create the missing folders owner-only; an existing folder keeps its mode."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir(mode=FOLDER_MODE)
        path.chmod(FOLDER_MODE)  # mkdir's mode is filtered by the umask


def _create_private(path: Path) -> None:
    """An empty file only its owner can read, made before SQLite writes a byte into it."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    path.chmod(FILE_MODE)
