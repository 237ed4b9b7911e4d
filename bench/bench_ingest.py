"""P1: upserting 1 million posts through Pantau's write path vs a raw ``sqlite3`` upsert.

Issue #8 P1. Setup (not timed): one freshly migrated SQLite file with ``accounts`` accounts
registered through ``ingest.registry.import_registry_records`` (the province registry of
``bench.scale``), copied twice: one file per side, so both start from the same bytes. The posts
are generated deterministically, whole accounts per batch (``posts / accounts`` each, spread
over two years, counts ``None`` where the platform hides them, captions from the scale world's
pool), as the ``db.repository.PostRow`` objects a collector or an import hands to the store.

Timed, batch by batch (the side that goes first alternates), each batch then committed:

* **pantau:** ``db.repository.upsert_posts(session, rows, seen_at=...)`` in a fresh session,
  then ``session.commit()``: the function every collection pass (``collectors.run
  .save_outcomes``) and every file import (``ingest.data_import``) stores posts with. It also
  keeps each post's ``interactions`` in step with its counts and queues the touched
  (account, month) aggregates in ``aggregate_dirty``; both are included in its time.
* **raw:** ``sqlite3`` ``executemany`` of ``INSERT ... ON CONFLICT(account_id,
  platform_post_id) DO UPDATE`` (the same columns and the same "a NULL count never erases a
  known one" update), one parameter tuple per row built from the same objects (timestamps as
  the same UTC text), then ``commit()``; the product's PRAGMAs (WAL, ``synchronous=NORMAL``,
  foreign keys, busy timeout, as ``db.engine``).

Before each side's batch the garbage collector runs, untimed, so neither side pays for the
harness's objects. Afterwards both files are counted and checksummed column by column: equal
work or an error. **Goal: pantau / raw <= 1.2** (wall time; the CPU-time ratio is a detail).

Run: ``python -m bench.bench_ingest [--posts N] [--accounts N] [--batch-accounts N] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench import report
from bench.scale_world import (
    SECONDS_PER_DAY,
    AccountPlan,
    caption_pool,
    plan_accounts,
    post_counts,
    registry_records,
)
from db.backup import copy_sqlite
from db.engine import BUSY_TIMEOUT_MS, make_engine, make_session_factory, sqlite_pragmas
from db.migrate import upgrade
from db.repository import PostRow, account_ids_by_handle, upsert_posts, utc_text
from ingest.registry import import_registry_records

NAME = "P1 ingest_vs_raw_sqlite_upsert"
GOAL = 1.2
DEFAULT_POSTS = 1_000_000
DEFAULT_ACCOUNTS = 3000  # the province registry
DEFAULT_BATCH_ACCOUNTS = 300  # whole accounts per upsert call and commit: ~100,000 posts
SEED = 2026
END = datetime(2026, 11, 26, tzinfo=UTC)  # fixed, so the rows never depend on the clock
YEARS = 2
SEEN_AT = END
MEDIA = ("image", "video", "carousel", "text")

RAW_UPSERT = """
INSERT INTO posts (account_id, platform_post_id, posted_at, caption, url, media_type, likes,
                   comments, shares, views, comments_sampled, comments_answered,
                   first_seen_at, last_seen_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (account_id, platform_post_id) DO UPDATE SET
    posted_at = excluded.posted_at,
    caption = coalesce(excluded.caption, posts.caption),
    url = coalesce(excluded.url, posts.url),
    media_type = coalesce(excluded.media_type, posts.media_type),
    likes = coalesce(excluded.likes, posts.likes),
    comments = coalesce(excluded.comments, posts.comments),
    shares = coalesce(excluded.shares, posts.shares),
    views = coalesce(excluded.views, posts.views),
    comments_sampled = coalesce(excluded.comments_sampled, posts.comments_sampled),
    comments_answered = coalesce(excluded.comments_answered, posts.comments_answered),
    last_seen_at = excluded.last_seen_at
"""
# what both files must agree on afterwards: every column both sides write
CHECKSUM = (
    "SELECT count(*), count(DISTINCT account_id), sum(account_id), "
    "sum(length(platform_post_id)), min(posted_at), max(posted_at), "
    "sum(CAST(strftime('%s', posted_at) AS INTEGER) % 100003), count(caption), "
    "sum(length(caption)), count(url), sum(length(url)), count(media_type), "
    "sum(likes), count(likes), sum(comments), count(comments), sum(shares), count(shares), "
    "sum(views), count(views), count(comments_sampled), min(first_seen_at), "
    "max(last_seen_at) FROM posts"
)


@dataclass(frozen=True)
class BenchResult:
    """Both sides' batch times and what each file holds; ``line()`` is the issue #8 line."""

    posts: int
    accounts: int
    pantau: list[float]  # seconds per batch: upsert_posts + commit
    raw: list[float]  # seconds per batch: executemany + commit
    pantau_cpu: list[float]  # process CPU seconds per batch (less sensitive to a shared box)
    raw_cpu: list[float]
    checksum: tuple[Any, ...]  # equal on both files (checked)
    interactions: int  # posts whose interactions Pantau stored (not NULL)
    dirty: int  # (account, month) pairs Pantau queued for the aggregates
    setup_seconds: float
    profile: str = ""
    goal: float = GOAL

    @property
    def ratio(self) -> float:
        return sum(self.pantau) / sum(self.raw)

    @property
    def passed(self) -> bool:
        return self.ratio <= self.goal

    def details(self) -> list[str]:
        p, r, n = sum(self.pantau), sum(self.raw), self.posts
        return [
            f"  {n:,} posts of {self.accounts:,} accounts in {len(self.pantau)} batches "
            f"(one upsert + commit each), fresh migrated file per side; setup "
            f"{self.setup_seconds:.1f}s untimed",
            f"  pantau upsert_posts: {p:.2f}s ({p / n * 1e6:.2f} us/post), batches "
            + _secs(self.pantau),
            f"  raw sqlite3 executemany: {r:.2f}s ({r / n * 1e6:.2f} us/post), batches "
            + _secs(self.raw),
            f"  CPU time (process, detail only): pantau {sum(self.pantau_cpu):.2f}s, raw "
            f"{sum(self.raw_cpu):.2f}s, ratio {sum(self.pantau_cpu) / sum(self.raw_cpu):.2f}",
            f"  both files: {self.checksum[0]:,} posts, equal checksums over every shared "
            f"column; pantau also stored {self.interactions:,} interaction counts and queued "
            f"{self.dirty:,} account-months for the aggregates",
        ]

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return f"{NAME} ratio={self.ratio:.2f} goal<={self.goal:g} {verdict}"


def _secs(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]s"


# --- setup (not timed) ----------------------------------------------------------------------


def prepare_template(path: Path, plans: Sequence[AccountPlan]) -> dict[int, int]:
    """A migrated file with the registry imported; returns plan index -> account id."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        with make_session_factory(engine)() as session:
            report = import_registry_records(session, registry_records(plans))
            if report.errors:
                raise RuntimeError(f"registry import failed: {report.errors[:3]}")
            session.commit()
            ids = account_ids_by_handle(session)
    finally:
        engine.dispose()
    return {p.index: ids[(p.platform, p.handle)] for p in plans}


def raw_connection(path: Path) -> sqlite3.Connection:
    """A plain ``sqlite3`` connection with the product's settings (see ``db.engine``)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    sqlite_pragmas(conn, None)  # the same pragmas, so the comparison stays fair
    return conn


def post_batches(
    plans: Sequence[AccountPlan], ids: dict[int, int], posts: int, batch_accounts: int
) -> Iterator[list[PostRow]]:
    """Deterministic rows, whole accounts per batch, ``posts`` in all."""
    rng = np.random.default_rng(SEED)
    pool = caption_pool(SEED)
    span = int(YEARS * 365.25 * SECONDS_PER_DAY) - 3600
    start = END - timedelta(seconds=span + 3600)
    base, extra = divmod(posts, len(plans))
    for first in range(0, len(plans), batch_accounts):
        batch: list[PostRow] = []
        for plan in plans[first : first + batch_accounts]:
            n = base + (plan.index < extra)
            offsets = np.sort(rng.integers(0, span, n))
            counts = post_counts(plan, offsets, rng)
            caption_at = (plan.opd_index * 12 + rng.integers(0, 12, n)) % len(pool)
            blank = rng.random(n) < 0.03
            media = rng.integers(0, len(MEDIA), n)
            account_id, handle = ids[plan.index], plan.handle
            for k, second in enumerate(offsets.tolist()):
                batch.append(
                    PostRow(
                        account_id, f"{plan.index:05d}-{k:07d}", start + timedelta(seconds=second),
                        caption=None if blank[k] else pool[int(caption_at[k])],
                        url=f"https://{plan.platform}.example/{handle}/{k}",
                        media_type=MEDIA[int(media[k])], likes=counts["likes"][k],
                        comments=counts["comments"][k], shares=counts["shares"][k],
                        views=counts["views"][k],
                    )
                )  # fmt: skip
        yield batch


# --- the two sides --------------------------------------------------------------------------


def raw_upsert(conn: sqlite3.Connection, rows: Sequence[PostRow], seen_at: datetime) -> None:
    """The plain way, as fast as Python allows: the rows are known to be UTC, so each time is
    ``isoformat`` less its ``+00:00`` (what ``utc_text`` returns, without a call per row)."""
    seen = utc_text(seen_at)
    conn.executemany(
        RAW_UPSERT,
        (
            (r.account_id, r.platform_post_id,
             r.posted_at.isoformat(" ", "microseconds")[:26], r.caption, r.url,
             r.media_type, r.likes, r.comments, r.shares, r.views, r.comments_sampled,
             r.comments_answered, seen, seen)
            for r in rows
        ),
    )  # fmt: skip
    conn.commit()


def checksum(path: Path) -> tuple[tuple[Any, ...], int, int]:
    """(column checksums, posts with interactions, dirty account-months) of one file."""
    with closing(sqlite3.connect(path)) as conn:
        sums = tuple(conn.execute(CHECKSUM).fetchone())
        interactions = conn.execute("SELECT count(interactions) FROM posts").fetchone()[0]
        dirty = conn.execute("SELECT count(*) FROM aggregate_dirty").fetchone()[0]
    return sums, int(interactions), int(dirty)


def run(
    posts: int = DEFAULT_POSTS,
    accounts: int = DEFAULT_ACCOUNTS,
    batch_accounts: int = DEFAULT_BATCH_ACCOUNTS,
    profile: bool = False,
) -> BenchResult:
    """Register the accounts, then upsert the same rows on both sides, batch by batch."""
    began = time.perf_counter()
    plans = plan_accounts(accounts, YEARS * 365.25, 6.85, np.random.default_rng(SEED))
    profiler = cProfile.Profile() if profile else None
    times: dict[str, tuple[list[float], list[float]]] = {"pantau": ([], []), "raw": ([], [])}
    with tempfile.TemporaryDirectory(prefix="pantau-bench-ingest-") as tmp:
        template, pantau_path, raw_path = (Path(tmp) / n for n in ("t.db", "pantau.db", "raw.db"))
        ids = prepare_template(template, plans)
        copy_sqlite(template, pantau_path)
        copy_sqlite(template, raw_path)
        engine = make_engine(f"sqlite:///{pantau_path}")
        factory = make_session_factory(engine)
        engine.connect().close()  # both sides start with an open, configured connection
        raw = raw_connection(raw_path)
        setup = time.perf_counter() - began
        try:
            for number, rows in enumerate(post_batches(plans, ids, posts, batch_accounts)):

                def pantau(rows: list[PostRow] = rows) -> None:
                    with factory() as session:
                        upsert_posts(session, rows, seen_at=SEEN_AT)
                        session.commit()

                def plain(rows: list[PostRow] = rows) -> None:
                    raw_upsert(raw, rows, SEEN_AT)

                sides = [(pantau, times["pantau"], profiler), (plain, times["raw"], None)]
                for action, (wall, cpu), prof in sides if number % 2 == 0 else sides[::-1]:
                    spent, used = timed(action, prof)
                    wall.append(spent)
                    cpu.append(used)
        finally:
            raw.close()
            engine.dispose()
        (sums, interactions, dirty), (raw_sums, _, _) = checksum(pantau_path), checksum(raw_path)
    if sums != raw_sums or sums[0] != posts:
        raise RuntimeError(f"unequal work: pantau {sums} vs raw {raw_sums} (wanted {posts})")
    text = ""
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        text = out.getvalue()
    (pantau_wall, pantau_cpu), (raw_wall, raw_cpu) = times["pantau"], times["raw"]
    return BenchResult(
        posts, accounts, pantau_wall, raw_wall, pantau_cpu, raw_cpu, sums, interactions, dirty,
        setup, text,
    )  # fmt: skip


def timed(action: Callable[[], None], profiler: cProfile.Profile | None) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) of one side's batch.

    The collector runs first, untimed: the garbage collector's work for objects the harness
    made (the batch's rows) must not land on whichever side happens to allocate next. Each
    side still pays for the collections its own allocations cause.
    """
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    if profiler is None:
        action()
    else:
        profiler.runcall(action)
    return time.perf_counter() - start, time.process_time() - start_cpu


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ingest", description=__doc__)
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS)
    parser.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS)
    parser.add_argument("--batch-accounts", type=int, default=DEFAULT_BATCH_ACCOUNTS)
    parser.add_argument("--profile", action="store_true", help="cProfile Pantau's side")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, emit: Callable[[str], Any] = print) -> int:
    args = parse_args(argv)
    result = run(args.posts, args.accounts, args.batch_accounts, args.profile)
    if result.profile:
        print("--- cProfile of Pantau's side (cumulative) ---", file=sys.stderr)
        print(result.profile, file=sys.stderr)
    return report(result, emit)


if __name__ == "__main__":
    sys.exit(main())
