"""Proof (issue #7 item 5): a writer and 4 dashboard readers at once; nobody sees "locked".

On a copy of the demo world's database (SQLite, WAL, as deployed):

- **writer**: a child process (``--writer URL --seconds S``) doing what the worker and the
  importer do, over and over: a collection pass through the demo simulator and the real
  collectors followed by ``refresh.after_write`` (the worker's collection job), alternating
  with an import of a posts file (3,000 known posts with new counts) and of a follower-count
  file (one new count per account) through ``ingest.data_import.import_file``, each followed
  by ``refresh.after_write`` and a commit, as ``cli.py import`` does;
- **readers**: 4 threads of this process sharing one engine, as the dashboard's sessions share
  ``ui.loaders.get_engine()``, each opening a fresh session per page view and calling what the
  pages' loaders call (uncached): ``effective_settings``, then one of ``overview``, ``ranking``
  (by account or OPD), ``collection_health``, ``dormant_accounts``, ``account_detail``,
  ``month_review`` or the schema check ``current_revision``.

Any exception in a reader or in the writer is counted with its message; the proof passes with
none, and prints one line: reads done, writes done, errors.

Run: ``PYTHONPATH=. .venv/bin/python -m bench.proof_concurrency [--minutes 10] [--db PATH]``
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from collectors.service import pass_options
from core.period import current_month
from core.settings import Settings, load_settings
from core.timeutil import local_today
from db import repository as repo
from db.engine import make_engine, make_session_factory
from db.migrate import current_revision, upgrade
from db.models import Account, Post
from demo.collect import DemoSource
from demo.load import load_demo
from demo.world import build_world
from ingest.data_import import import_file
from ingest.registry import load_default_registry
from present.labels import PLATFORM_LABELS
from refresh import after_write
from services.account_detail import account_detail
from services.collection_health import collection_health
from services.config import effective_settings
from services.overview import overview
from services.ranking import ranking
from services.reminders import dormant_accounts
from services.review import month_review

ROOT = Path(__file__).resolve().parent.parent
READERS = 4
IMPORT_POSTS = 3000  # posts re-imported with new counts in each posts import
Page = Callable[[Session, Settings, "ReadContext", random.Random], object]


def base_settings(url: str) -> Settings:
    """Default settings pointed at ``url`` (no project .env, no secrets file), with a YouTube
    quota that dozens of passes a day over the demo world do not spend."""
    folder = Path(make_url(url).database or ".").resolve().parent
    env = {"DATABASE_URL": url, "PANTAU_YOUTUBE_DAILY_QUOTA": "1000000000"}
    return load_settings(environ=env, root=folder)


# --- the writer (a child process) ------------------------------------------------------------


def import_material(session: Session) -> tuple[list[tuple[Any, ...]], list[tuple[str, str]]]:
    """The newest posts (to re-import with new counts) and every account (for new counts)."""
    posts = session.execute(
        select(
            Account.platform,
            Account.handle,
            Post.platform_post_id,
            Post.posted_at,
            Post.likes,
            Post.comments,
        )
        .join(Account, Account.id == Post.account_id)
        .order_by(Post.posted_at.desc())
        .limit(IMPORT_POSTS)
    ).all()
    accounts = session.execute(select(Account.platform, Account.handle)).all()
    return [tuple(p) for p in posts], [(str(a), str(h)) for a, h in accounts]


def csv_bytes(header: str, rows: Sequence[Sequence[object]]) -> bytes:
    lines = [header, *(",".join("" if v is None else str(v) for v in row) for row in rows)]
    return "\n".join(lines).encode()


def import_round(
    session: Session, settings: Settings, material: tuple[list[tuple[Any, ...]], Any], n: int
) -> None:
    """One posts file and one follower file through the importer, as ``cli.py import``."""
    posts, accounts = material
    bumped = [(p, h, i, t.isoformat(), (likes or 0) + n, comments) for p, h, i, t, likes,
              comments in posts]  # fmt: skip
    now = datetime.now(UTC).isoformat()
    counts = [(p, h, now, 1000 + n) for p, h in accounts]
    files = (
        csv_bytes("platform,handle,post_id,posted_at,likes,comments", bumped),
        csv_bytes("platform,handle,observed_at,followers", counts),
    )
    for number, data in enumerate(files):
        report = import_file(session, data, f"round-{n}-{number}.csv", tz=settings.tz)
        after_write(session, settings)
        session.commit()
        if report.errors:
            raise RuntimeError(f"import rejected rows: {report.errors[0].message()}")


def writer_main(url: str, seconds: float) -> int:
    """Passes and imports until ``seconds`` are over; prints ``ready``, then a JSON summary."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        settings = effective_settings(session, base_settings(url))
        as_of = repo.get_meta(session, "demo_as_of")
        material = import_material(session)
    if as_of is None:
        raise SystemExit("not a demo database: no demo_as_of")
    source = DemoSource(build_world(date.fromisoformat(as_of)), settings)
    done: Counter[str] = Counter()
    errors: list[str] = []
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kind = "passes" if done.total() % 2 == 0 else "imports"
        try:
            if kind == "passes":
                report = source.collect(factory, pass_options(source.settings))
                with factory() as session:
                    after_write(session, source.settings)
                    session.commit()
                if failed := source.unexpected_failures(report):  # the quirks fail on purpose
                    raise RuntimeError(f"pass failed for {failed}: {report.message()}")
            else:
                with factory() as session:
                    import_round(session, settings, material, done[kind] + 1)
            done[kind] += 1
        except Exception as exc:  # counted and shown: the proof fails on any
            errors.append(f"writer {kind}: {type(exc).__name__}: {exc}")
            traceback.print_exc()
    engine.dispose()
    print(json.dumps({"done": dict(done), "errors": errors}), flush=True)
    return 0


# --- the readers (threads of this process) ---------------------------------------------------


@dataclass(frozen=True)
class ReadContext:
    month: str
    previous: str
    today: date
    account_ids: list[int]


PAGES: dict[str, Page] = {
    "ringkasan": lambda s, cfg, c, rng: overview(s, c.month, cfg),
    "peringkat": lambda s, cfg, c, rng: ranking(
        s, rng.choice([c.month, c.previous]), cfg, by=rng.choice(["account", "opd"])
    ),
    "kesehatan": lambda s, cfg, c, rng: collection_health(s),
    "akun_dorman": lambda s, cfg, c, rng: dormant_accounts(s, c.today, cfg, PLATFORM_LABELS),
    "detail_akun": lambda s, cfg, c, rng: account_detail(s, rng.choice(c.account_ids), 6, cfg),
    "tinjauan": lambda s, cfg, c, rng: month_review(s, c.previous, cfg),
    "skema": lambda s, cfg, c, rng: current_revision(s.get_bind()),  # type: ignore[arg-type]
}


@dataclass
class Tally:
    """What the readers did; shared by the threads."""

    reads: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, page: str) -> None:
        with self.lock:
            self.reads[page] += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def read_context(engine: Engine, settings: Settings) -> ReadContext:
    month = current_month(settings.tz)
    year, number = (int(x) for x in month.split("-"))
    previous = f"{year - (number == 1):04d}-{(number - 2) % 12 + 1:02d}"
    with make_session_factory(engine)() as session:
        ids = [int(i) for i in session.scalars(select(Account.id).where(Account.active))]
    return ReadContext(month, previous, local_today(settings.tz), ids)


def reader(index: int, engine: Engine, base: Settings, stop: threading.Event, tally: Tally,
           context: ReadContext) -> None:  # fmt: skip
    """Page views one after the other until ``stop``, each in a fresh session; random
    arguments (month, ranking by, account) from a generator of its own."""
    rng = random.Random(index)
    factory = make_session_factory(engine)
    names, views = sorted(PAGES), index  # every reader goes round every page, from its own
    while not stop.is_set():
        page, views = names[views % len(names)], views + 1
        try:
            with factory() as session:
                PAGES[page](session, effective_settings(session, base), context, rng)
            tally.read(page)
        except Exception as exc:  # counted and shown: the proof fails on any
            tally.error(f"reader {index} {page}: {type(exc).__name__}: {exc}")


def start_readers(url: str, count: int, tally: Tally) -> tuple[threading.Event, list[Any]]:
    engine = make_engine(url)  # one engine for all readers, like the dashboard's
    base = base_settings(url)
    context = read_context(engine, base)
    stop = threading.Event()
    threads = [threading.Thread(target=reader, args=(i, engine, base, stop, tally, context),
                                name=f"reader-{i}", daemon=True) for i in range(count)]  # fmt: skip
    for thread in threads:
        thread.start()
    return stop, [engine, *threads]


def stop_readers(stop: threading.Event, parts: list[Any]) -> None:
    stop.set()
    engine, *threads = parts
    for thread in threads:
        thread.join(timeout=120)
    engine.dispose()


def read_for(url: str, seconds: float, count: int = READERS) -> Tally:
    """Only readers, for ``seconds`` (the harness's own test)."""
    tally = Tally()
    stop, parts = start_readers(url, count, tally)
    time.sleep(seconds)
    stop_readers(stop, parts)
    return tally


# --- the proof -------------------------------------------------------------------------------


@dataclass
class ProofResult:
    seconds: float
    reads: Counter[str]
    writes: dict[str, int]
    errors: list[str]

    def line(self) -> str:
        locked = sum("database is locked" in e for e in self.errors)
        verdict = "FAIL" if self.errors else "PASS"
        return (f"proof_concurrency readers={READERS} reads={self.reads.total()} "
                f"writes={sum(self.writes.values())} errors={len(self.errors)} "
                f"(locked={locked}) in {self.seconds:.0f}s {verdict}")  # fmt: skip

    def details(self) -> list[str]:
        reads = ", ".join(f"{k}={v}" for k, v in sorted(self.reads.items()))
        writes = ", ".join(f"{k}={v}" for k, v in sorted(self.writes.items()))
        return [f"  reads: {reads}", f"  writes: {writes} (a pass is a collection pass + "
                "after_write; an import is a posts file and a follower file, each + "
                "after_write)",
                *(f"  ERROR {e}" for e in self.errors[:20])]  # fmt: skip


def run(url: str, seconds: float, readers: int = READERS) -> ProofResult:
    """The writer child and ``readers`` reader threads on the database at ``url``."""
    argv = [sys.executable, "-m", "bench.proof_concurrency", "--writer", url,
            "--seconds", str(seconds)]  # fmt: skip
    child = subprocess.Popen(  # noqa: S603 -- our own interpreter and module  # nosec B603
        argv, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    if child.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the writer did not start (exit {child.wait()})")
    tally = Tally()
    started = time.perf_counter()
    stop, parts = start_readers(url, readers, tally)
    summary = child.stdout.readline()
    stop_readers(stop, parts)
    elapsed = time.perf_counter() - started
    status = child.wait(timeout=60)
    try:
        written = json.loads(summary)
    except json.JSONDecodeError:
        written = {"done": {}, "errors": [f"writer ended (exit {status}) without a summary"]}
    if status:
        written["errors"].append(f"writer exit status {status}")
    return ProofResult(elapsed, tally.reads, written["done"], tally.errors + written["errors"])


def demo_database(path: Path) -> str:
    """``cli.py init`` + ``cli.py demo`` into a new file; returns its URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        load_default_registry(session)
        session.commit()
        load_demo(session, local_today())
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proof_concurrency", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--db", type=Path, help="a demo database to copy (default: build one)")
    parser.add_argument("--writer", help=argparse.SUPPRESS)  # the child: a database URL
    parser.add_argument("--seconds", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.writer:
        return writer_main(args.writer, args.seconds)
    with tempfile.TemporaryDirectory(prefix="pantau-concurrency-") as tmp:
        path = Path(tmp) / "demo.db"
        if args.db is not None:
            shutil.copyfile(args.db, path)
            url = f"sqlite:///{path}"
        else:
            print("  building the demo world (cli.py init + demo)...", flush=True)
            url = demo_database(path)
        result = run(url, args.minutes * 60)
    print("\n".join(result.details()))
    print(result.line())
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
