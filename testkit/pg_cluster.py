"""A private PostgreSQL 15 cluster for the test run: created in a temp folder, listening on
127.0.0.1 only, removed at the end. Debian's server binaries; no system service is touched.

As root (CI), the server runs as the ``postgres`` system user, since PostgreSQL refuses root.
"""

from __future__ import annotations

import os
import shutil
import socket

# the test run starts its own PostgreSQL with fixed argv, no shell
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PANTAU_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "pantau_test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    command = _as_server_user(argv)
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:2])} failed: {done.stderr or done.stdout}")


@dataclass
class PrivateCluster:
    root: Path
    port: int = 0

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> PrivateCluster:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL server binaries not found in {PG_BIN}")
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.port = _free_port()
        _run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
              "-E", "UTF8", "--no-sync"])  # fmt: skip
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")  # fmt: skip
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
              "-l", str(self.root / "server.log"), "start"])  # fmt: skip
        return self

    def stop(self) -> None:
        if self.data.exists():
            _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str, template: str | None = None) -> str:
        import psycopg

        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as conn:
            if template:  # a template may have no other session (the CLI's pool keeps some)
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (template,),
                )
            conn.execute(f'CREATE DATABASE "{name}"{copy}')  # names are the tests' own
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
