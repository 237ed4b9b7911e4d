"""P3: a collection pass over N simulated accounts vs the lower bound set by latency.

Issue #3 item 6 / issue #8 P3. Setup (not timed): a fresh migrated SQLite database in a temp
dir, a synthetic simulator world of ``accounts`` accounts (spread evenly over the six
platforms, ``POSTS_PER_ACCOUNT`` posts each) registered through the real registry import,
TikTok tokens sealed with a throw-away Fernet key, and a permanent latency fault on every
platform. Timed: one ``run_collection`` pass through the real collectors, real sleeps.

Lower bound: the collector runs one thread pool per platform, all platforms at once, so a pass
cannot be shorter than ``max_p(requests_p * latency / concurrency_p)``, with ``requests_p`` the
requests the simulator served for platform ``p``. CPU work (parsing, and the database writes
on the single writer thread) is not in the bound; it is what the ratio measures.

Run: ``python -m bench.bench_collect [--accounts N] [--concurrency C] [--latency S]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

import collectors.run as collect_run
from bench import report
from collectors.base import AccountRef
from collectors.http import HttpOptions
from collectors.run import AccountOutcome, PassReport, PlatformPass
from collectors.service import pass_options, run_collection
from core.settings import Settings, load_settings
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import Post
from demo.collect import store_demo_tokens
from ingest.registry import import_registry_records
from refresh import after_write
from simulator import Fault, Simulator, SimWorld, sim_settings_env
from simulator.builders import synthetic_world

NAME = "P3 collect_vs_latency_bound"
GOAL = 1.2
DEFAULT_ACCOUNTS = 3000
DEFAULT_CONCURRENCY = "4"  # the product's own default for PANTAU_CONCURRENCY
DEFAULT_LATENCY = 0.05
POSTS_PER_ACCOUNT = 20  # small, so the pass is about requests rather than bulk row writes
OPD_COUNT = 100
SEED = 2026


@dataclass(frozen=True)
class BenchResult:
    """One measured pass and its lower bound; ``line()`` is the issue #8 summary line."""

    accounts: int
    posts_per_account: int
    latency: float
    concurrency: Mapping[str, int]  # platform -> workers used
    concurrency_source: str
    requests: Mapping[str, int]  # platform -> requests the simulator served
    bound: float  # seconds
    measured: float  # seconds: wall time of run_collection
    writer_wall: float  # seconds the writer thread spent inside save_outcomes (GIL waits too)
    head: float  # seconds from the start of the pass to the first save (account query, pools)
    tail: float  # seconds from the last save to the end of the pass (finishing the run)
    accounts_ok: int
    posts_stored: int
    cpu: Mapping[str, float] = field(default_factory=dict)  # part -> thread CPU seconds
    enrich_seconds: float = 0.0  # the step after the pass: refresh.after_write
    captions_scored: int = 0
    goal: float = GOAL

    @property
    def ratio(self) -> float:
        return self.measured / self.bound if self.bound > 0 else float("inf")

    @property
    def passed(self) -> bool:
        return self.ratio <= self.goal

    @property
    def limiting_platform(self) -> str:
        return max(self.requests, key=lambda p: self.platform_bound(p))

    def platform_bound(self, platform: str) -> float:
        return self.requests[platform] * self.latency / self.concurrency[platform]

    def details(self) -> list[str]:
        per_platform = ", ".join(
            f"{p}={n} (c={self.concurrency[p]}, {self.platform_bound(p):.2f}s)"
            for p, n in sorted(self.requests.items())
        )
        return [
            f"  accounts={self.accounts} posts_per_account={self.posts_per_account} "
            f"latency={self.latency * 1000:.0f}ms concurrency={self.concurrency_source}",
            f"  requests={sum(self.requests.values())}: {per_platform}",
            f"  bound={self.bound:.2f}s (max over platforms of requests*latency/concurrency; "
            f"limited by {self.limiting_platform}); CPU work (parsing, DB writes on the one "
            "writer thread) is not in the bound",
            f"  measured={self.measured:.2f}s (wall time of run_collection); the writer "
            f"thread was inside save_outcomes for {self.writer_wall:.2f}s "
            f"({self.writer_wall / self.measured:.0%} of it); before the first save "
            f"{self.head:.2f}s, after the last save {self.tail:.2f}s",
            "  thread CPU: "
            + ", ".join(f"{k}={v:.2f}s" for k, v in self.cpu.items())
            + f"; sum={sum(self.cpu.values()):.2f}s vs wall {self.measured:.2f}s "
            "(one GIL: a sum near the wall time means the pass is CPU-bound, not latency-bound)",
            f"  accounts_ok={self.accounts_ok}/{self.accounts} posts_stored={self.posts_stored}",
            f"  after the pass (not in P3): {self.captions_scored} new captions scored, "
            f"monthly aggregates and rankings refreshed in {self.enrich_seconds:.2f}s",
        ]

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return f"{NAME} ratio={self.ratio:.2f} goal<={self.goal:g} {verdict}"


class CpuMeter:
    """Thread CPU seconds (``time.thread_time``: GIL waits and sleeps excluded) per part.

    Installed for one pass by wrapping, not changing, three functions: the simulator's request
    handler (it runs in the fetching thread, in-process), ``PlatformPass.fetch`` (collector work
    plus the simulator) and ``save_outcomes`` (the single writer thread, also timed in wall time).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cpu: dict[str, float] = {"simulator": 0.0, "fetch": 0.0, "writer": 0.0}
        self.writer_wall = 0.0
        self.first_save: float | None = None  # perf_counter at the first save_outcomes call
        self.last_save = 0.0  # perf_counter when the last save_outcomes returned
        self.started = self.finished = 0.0  # perf_counter around run_collection

    def _add(self, part: str, seconds: float) -> None:
        with self._lock:
            self.cpu[part] += seconds

    @property
    def collectors(self) -> float:
        """Fetching threads' CPU minus the simulator's: httpx, parsing, paging, tokens."""
        return self.cpu["fetch"] - self.cpu["simulator"]

    @contextmanager
    def installed(self, sim: Simulator) -> Iterator[None]:
        save, fetch, handle = collect_run.save_outcomes, PlatformPass.fetch, sim.handle

        def timed_save(session: Session, run_id: int, outcomes: Sequence[AccountOutcome]) -> None:
            wall, cpu = time.perf_counter(), time.thread_time()
            if self.first_save is None:
                self.first_save = wall
            try:
                save(session, run_id, outcomes)
            finally:
                self.last_save = time.perf_counter()
                self.writer_wall += self.last_save - wall
                self._add("writer", time.thread_time() - cpu)

        def timed_fetch(
            self_: PlatformPass, account: AccountRef, since: datetime
        ) -> AccountOutcome:
            cpu = time.thread_time()
            try:
                return fetch(self_, account, since)
            finally:
                self._add("fetch", time.thread_time() - cpu)

        def timed_handle(request: httpx.Request) -> httpx.Response:
            cpu = time.thread_time()
            try:
                return handle(request)
            finally:
                self._add("simulator", time.thread_time() - cpu)

        collect_run.save_outcomes = timed_save
        PlatformPass.fetch = timed_fetch  # type: ignore[method-assign, assignment]
        sim.handle = timed_handle  # type: ignore[method-assign]
        try:
            yield
        finally:
            collect_run.save_outcomes = save
            PlatformPass.fetch = fetch  # type: ignore[method-assign]
            del sim.handle


def resolve_concurrency(flag: str | int | None) -> tuple[str, str]:
    """The ``PANTAU_CONCURRENCY`` value to use and where it came from."""
    if flag is not None:
        return str(flag), f"{flag} (from --concurrency)"
    from_env = os.environ.get("PANTAU_CONCURRENCY", "")
    if from_env:
        return from_env, f"{from_env} (from PANTAU_CONCURRENCY)"
    return DEFAULT_CONCURRENCY, f"{DEFAULT_CONCURRENCY} (benchmark default)"


def registry_records(world: SimWorld) -> list[tuple[int, dict[str, object]]]:
    """One registry row per simulated account, spread over ``OPD_COUNT`` made-up OPDs."""
    records: list[tuple[int, dict[str, object]]] = []
    for index, account in enumerate(world.accounts()):
        opd = index % OPD_COUNT
        row: dict[str, object] = {
            "opd_code": f"BENCH{opd:03d}",
            "opd_name": f"OPD Sintetis {opd:03d}",
            "category": "dinas",
            "platform": account.platform,
            "handle": account.handle,
            "admin_name": "",
            "admin_phone": "",
            "admin_email": "",
        }
        records.append((index + 2, row))  # line numbers as in a CSV with a header
    return records


def prepare_database(workdir: Path, world: SimWorld, sim: Simulator, secret_key: str) -> Engine:
    engine = make_engine(f"sqlite:///{workdir / 'bench.db'}")
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        report = import_registry_records(session, registry_records(world))
        if report.errors:
            raise RuntimeError(f"registry import failed: {report.errors[:3]}")
        session.commit()
        store_demo_tokens(session, sim, secret_key)
    return engine


def bench_settings(sim: Simulator, workdir: Path, concurrency: str, secret_key: str) -> Settings:
    env = sim_settings_env(sim) | {
        "PANTAU_SECRET_KEY": secret_key,
        "PANTAU_CONCURRENCY": concurrency,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
    }
    return load_settings(environ=env, root=workdir)  # root: ignore the project's .env


def stored_posts(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Post)) or 0)


def workers_by_platform(settings: Settings, platforms: Sequence[str]) -> dict[str, int]:
    options = pass_options(settings)
    return {p: options.concurrency.get(p, options.default_concurrency) for p in platforms}


def timed_pass(
    factory: sessionmaker[Session], settings: Settings, sim: Simulator, profile: bool
) -> tuple[PassReport, float, CpuMeter]:
    meter = CpuMeter()
    profiler = cProfile.Profile() if profile else None
    with meter.installed(sim):
        start = meter.started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report, _count = run_collection(
            factory, settings, pass_options(settings), sim.transport(), HttpOptions()
        )
        if profiler is not None:
            profiler.disable()
        meter.finished = end = time.perf_counter()
        elapsed = end - start
    if profiler is not None:
        print_profile(profiler)
    return report, elapsed, meter


def print_profile(profiler: cProfile.Profile) -> None:
    """The writer (calling) thread's profile: where its wall time went, by cumulative time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(25)
    print("--- cProfile of the writer thread (cumulative) ---", file=sys.stderr)
    print(out.getvalue(), file=sys.stderr)


def run(
    accounts: int = DEFAULT_ACCOUNTS,
    concurrency: str | int | None = None,
    latency: float = DEFAULT_LATENCY,
    posts_per_account: int = POSTS_PER_ACCOUNT,
    profile: bool = False,
) -> BenchResult:
    """Build the world and database, run one timed pass, and compare it with the bound."""
    conc_value, conc_source = resolve_concurrency(concurrency)
    secret_key = Fernet.generate_key().decode()
    world = synthetic_world(accounts, posts_per_account, seed=SEED)
    sim = Simulator(world, sleep=time.sleep)
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp:
        workdir = Path(tmp)
        engine = prepare_database(workdir, world, sim, secret_key)
        try:
            settings = bench_settings(sim, workdir, conc_value, secret_key)
            factory = make_session_factory(engine)
            sim.faults.add(Fault("latency", seconds=latency))  # every platform, forever
            sim.stats.reset()
            report, elapsed, meter = timed_pass(factory, settings, sim, profile)
            enrich_start = time.perf_counter()
            with factory() as session:
                scored = after_write(session, settings).captions_scored
                session.commit()
            enrich_seconds = time.perf_counter() - enrich_start
            posts = stored_posts(factory)
        finally:
            engine.dispose()
    requests = {p: n for p, n in sim.stats.by_platform().items() if n}
    workers = workers_by_platform(settings, sorted(requests))
    bound = max(n * latency / workers[p] for p, n in requests.items())
    return BenchResult(
        accounts=accounts,
        posts_per_account=posts_per_account,
        latency=latency,
        concurrency=workers,
        concurrency_source=conc_source,
        requests=requests,
        bound=bound,
        measured=elapsed,
        writer_wall=meter.writer_wall,
        head=(meter.first_save or meter.finished) - meter.started,
        tail=meter.finished - max(meter.last_save, meter.started),
        cpu={
            "simulator": meter.cpu["simulator"],
            "collectors": meter.collectors,
            "writer": meter.cpu["writer"],
        },
        accounts_ok=sum(o.ok for o in report.outcomes),
        posts_stored=posts,
        enrich_seconds=enrich_seconds,
        captions_scored=scored,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_collect", description=__doc__)
    parser.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS)
    parser.add_argument(
        "--concurrency",
        default=None,
        help="PANTAU_CONCURRENCY value, e.g. 16 or 16,youtube=8 "
        f"(default: $PANTAU_CONCURRENCY, else {DEFAULT_CONCURRENCY})",
    )
    parser.add_argument("--latency", type=float, default=DEFAULT_LATENCY, help="seconds")
    parser.add_argument("--posts", type=int, default=POSTS_PER_ACCOUNT, help="per account")
    parser.add_argument("--profile", action="store_true", help="cProfile the writer thread")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, emit: Callable[[str], Any] = print) -> int:
    args = parse_args(argv)
    result = run(args.accounts, args.concurrency, args.latency, args.posts, args.profile)
    return report(result, emit)


if __name__ == "__main__":
    threading.current_thread().name = "bench-writer"
    sys.exit(main())
