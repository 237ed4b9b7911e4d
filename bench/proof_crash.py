"""Proof (issue #7 item 5): ``kill -9`` of a collection pass never leaves a half-written account.

A child process runs a collection job as the worker does (``run_collection``, then ``after_write``)
over a synthetic simulator world with a latency fault and real sleeps, and is killed with SIGKILL
at a random moment within the pass (stratified over its measured duration). After each kill the
database must pass its integrity check and hold no half-written account (``inspect_kill``: the
snapshots, posts and results of a ``save_outcomes`` batch are all there or none are); the health
reader must work, the next pass must end ``ok``, and the data must equal a clean reference pass
(``compare``). Even kills start from a freshly registered database, odd kills continue on the
one the previous kill left and the next pass repaired. Details: ``bench/README.md``.

Run: ``PYTHONPATH=. .venv/bin/python -m bench.proof_crash [--kills 100] [--accounts 230] ...``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.bench_collect import registry_records
from bench.proof_db import (
    ProofDatabases,
    State,
    data_state,
    integrity_problems,
    session_at,
    settle,
)
from collectors.http import HttpOptions
from collectors.run import SAVE_BATCH, hour_floor
from collectors.service import pass_options, run_collection
from core.settings import Settings, load_settings
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import AccountResult, CollectionRun, FollowerSnapshot, Post
from demo.collect import store_demo_tokens
from ingest.registry import import_registry_records
from refresh import after_write
from services.collection_health import collection_health
from simulator import Fault, Simulator, sim_settings_env
from simulator.builders import synthetic_world
from testkit.pg_cluster import PrivateCluster

ROOT = Path(__file__).resolve().parent.parent
NO_SETTINGS_FILES = ROOT / "bench" / "no-settings"  # a folder without .env or secrets.toml
TEMPLATE = "proof_template"


@dataclass(frozen=True)
class WorldSpec:  # what parent and child must agree on to serve the same synthetic world
    accounts: int = 230  # 4 full batches of SAVE_BATCH and a last one of 30
    posts: int = 5
    latency: float = 0.02  # seconds per request, every platform
    concurrency: str = "2"  # PANTAU_CONCURRENCY: fewer workers, a longer pass
    seed: int = 7
    now: str = ""  # the world's clock (ISO): posts are days old, so every pass re-reads them
    secret_key: str = ""  # a throw-away Fernet key for the TikTok tokens


def simulator(spec: WorldSpec, latency: bool) -> Simulator:
    world = synthetic_world(spec.accounts, spec.posts, spec.seed, datetime.fromisoformat(spec.now))
    sim = Simulator(world, sleep=time.sleep if latency else lambda _seconds: None)
    if latency:
        sim.faults.add(Fault("latency", seconds=spec.latency))
    return sim


def settings_for(sim: Simulator, spec: WorldSpec, url: str) -> Settings:
    env = sim_settings_env(sim) | {
        "PANTAU_SECRET_KEY": spec.secret_key,
        "PANTAU_CONCURRENCY": spec.concurrency,
        "PANTAU_YOUTUBE_DAILY_QUOTA": "1000000000",  # many passes a day on one database
        "DATABASE_URL": url,
    }
    return load_settings(environ=env, root=NO_SETTINGS_FILES)  # not the project's .env


def one_pass(url: str, spec: WorldSpec, sim: Simulator, say: bool = False) -> str:
    """A collection job as the worker runs it; returns the pass's status. ``say``: print
    ``saved SECONDS`` when the pass (without ``after_write``) is over."""
    settings = settings_for(sim, spec, url)
    engine, start = make_engine(settings.database_url), time.perf_counter()
    try:
        factory = make_session_factory(engine)
        options = HttpOptions(sleep=sim.sleep)
        report, _ = run_collection(
            factory, settings, pass_options(settings), sim.transport(), options
        )
        if say:
            print(f"saved {time.perf_counter() - start:.3f}", flush=True)
        with factory() as session:
            after_write(session, settings)
            session.commit()
        return report.status
    finally:
        engine.dispose()


def build_template(url: str, spec: WorldSpec) -> None:
    """A migrated database with the world's accounts registered and TikTok tokens sealed."""
    sim = simulator(spec, latency=False)
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        report = import_registry_records(session, registry_records(sim.world))
        if report.errors:
            raise RuntimeError(f"registry import failed: {report.errors[:3]}")
        session.commit()
        store_demo_tokens(session, sim, spec.secret_key)
    engine.dispose()


@dataclass(frozen=True)
class PreState:  # the database just before the pass starts
    max_run_id: int
    last_seen: datetime  # the newest posts.last_seen_at (epoch when there is none)
    snapshots: frozenset[tuple[int, datetime]]


def snapshot_keys(s: Session) -> list[tuple[int, datetime]]:
    return [(int(a), t) for a, t in s.execute(select(FollowerSnapshot.account_id,
                                                     FollowerSnapshot.observed_at))]  # fmt: skip


def pre_state(url: str) -> PreState:
    with session_at(url) as s:
        last = s.scalar(select(func.max(Post.last_seen_at)))
        run_id = int(s.scalar(select(func.max(CollectionRun.id))) or 0)
        return PreState(
            run_id, last or datetime(1970, 1, 1, tzinfo=UTC), frozenset(snapshot_keys(s))
        )


@dataclass
class KillOutcome:  # phase: before the run | N/M batches | all saved, not finished | finished
    phase: str
    problems: list[str] = field(default_factory=list)


def inspect_kill(url: str, pre: PreState, counted: frozenset[int], accounts: int) -> KillOutcome:
    """Check the database a killed pass left (``counted``: accounts that get snapshots)."""
    problems = integrity_problems(url)
    with session_at(url) as s:
        run = s.scalars(select(CollectionRun).where(CollectionRun.id > pre.max_run_id)).first()
        results = list(s.scalars(select(AccountResult).where(
            AccountResult.run_id == (run.id if run else 0))))  # fmt: skip
        rows = s.execute(select(Post.account_id, func.count()).where(
            Post.last_seen_at > pre.last_seen).group_by(Post.account_id))  # fmt: skip
        touched = {int(a): int(n) for a, n in rows}
        snaps = snapshot_keys(s)
    by_account = {r.account_id: r for r in results}
    batches = -(-accounts // SAVE_BATCH)
    if run is None:
        phase = "before the run"
    elif run.status != "running":
        phase = "finished"
        if run.status != "ok" or len(results) != accounts:
            problems.append(f"run {run.id} ended {run.status} with {len(results)} results")
    elif len(results) == accounts:
        phase = "all saved, not finished"
    else:
        phase = f"{len(results) // SAVE_BATCH}/{batches} batches"
    if len(results) % SAVE_BATCH and len(results) != accounts:
        problems.append(f"{len(results)} results: a partial batch of {SAVE_BATCH} was committed")
    for r in results:
        if touched.get(r.account_id, 0) != r.posts_seen:
            problems.append(f"account {r.account_id}: result says {r.posts_seen} posts, "
                            f"{touched.get(r.account_id, 0)} stored by the run")  # fmt: skip
        if r.status == "ok" and r.account_id in counted:
            start, end = hour_floor(r.started_at), r.finished_at or r.started_at
            if not any(a == r.account_id and start <= t <= end for a, t in snaps):
                problems.append(f"account {r.account_id}: ok result without its snapshot")
    problems += [f"account {a}: {n} posts stored without a result"
                 for a, n in sorted(touched.items()) if a not in by_account]  # fmt: skip
    problems += [f"account {a}: snapshot at {t:%H:%M} stored without a result"
                 for a, t in sorted(set(snaps) - pre.snapshots) if a not in by_account]  # fmt: skip
    return KillOutcome(phase, problems)


def compare(state: State, reference: State) -> list[str]:
    problems = []
    for key in reference:
        mine, ref = state[key], reference[key]
        if mine != ref:
            problems.append(f"{key}: {len(ref - mine)} missing, {len(mine - ref)} unexpected, "
                            f"e.g. {sorted(ref - mine)[:1]}/{sorted(mine - ref)[:1]}")  # fmt: skip
    return problems


def recover(url: str, spec: WorldSpec, reference: State) -> list[str]:
    """The health page's reader, then the next pass: must end ok and equal the reference."""
    with session_at(url) as session:
        collection_health(session)
    status = one_pass(url, spec, simulator(spec, latency=False))
    problems = [] if status == "ok" else [f"the next pass ended {status}"]
    return problems + integrity_problems(url) + compare(data_state(url), reference)


class Launcher:
    """A child interpreter (``--child``) that imports the product and builds the world once,
    then forks one fresh process per pass on request, so a kill costs no interpreter start.

    Its stdin takes ``run URL`` (answer ``pid N``; the pass then says ``saved SECONDS`` after
    ``run_collection`` and ``done STATUS`` after ``after_write``) and ``reap`` (answer ``exit N``).
    A pass is reaped only when asked, so its pid cannot go to another process before the kill.
    """

    def __init__(self, spec: WorldSpec) -> None:
        argv = [sys.executable, "-m", "bench.proof_crash", "--child", json.dumps(asdict(spec))]
        self.proc = subprocess.Popen(  # noqa: S603 -- our own interpreter and module  # nosec B603
            argv, cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.ask("", "ready")

    def ask(self, line: str, word: str) -> list[str]:
        """Send a line; the words of the next answer starting with ``word`` (others skipped)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if line:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        while not (answer := self.proc.stdout.readline()).startswith(word):
            if not answer:
                raise RuntimeError(f"the launcher ended (exit {self.proc.wait()})")
        return answer.split()


@dataclass
class ProofResult:
    kills: int
    duration: float  # seconds of one pass (without after_write) in a child: the kill window's base
    phases: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def mid_pass(self) -> int:
        """Kills that left some batches of the pass committed and others not."""
        return sum(n for p, n in self.phases.items() if "batches" in p and not p.startswith("0/"))

    def line(self) -> str:
        verdict = "FAIL" if self.problems else "PASS"
        return (f"proof_crash kills={self.kills} mid_pass={self.mid_pass} "
                f"problems={len(self.problems)} in {self.elapsed:.0f}s {verdict}")  # fmt: skip


def run(kills: int = 100, spec: WorldSpec | None = None, seed: int = 1,
        log: Callable[[str], Any] = print,
        cluster: PrivateCluster | None = None) -> ProofResult:  # fmt: skip
    """Reference pass, one calibration pass in a child, then ``kills`` killed passes; on SQLite
    files, or on databases of ``cluster``."""
    started = time.perf_counter()
    now = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    spec = WorldSpec(**(asdict(spec or WorldSpec()) | {"now": now,
                     "secret_key": Fernet.generate_key().decode()}))  # fmt: skip
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="pantau-crash-") as tmp:
        dbs = ProofDatabases(Path(tmp), cluster)
        build_template(dbs.create(TEMPLATE), spec)
        launcher = Launcher(spec)  # its interpreter starts while the reference pass runs
        ref_url, calibration = dbs.copy(TEMPLATE, "proof_ref"), dbs.copy(TEMPLATE, "proof_cal")
        if (status := one_pass(ref_url, spec, simulator(spec, latency=False))) != "ok":
            raise RuntimeError(f"the reference pass ended {status}")
        reference = data_state(ref_url)
        counted = frozenset(a for a, *_ in reference["values"])
        duration = float(launcher.ask(f"run {calibration}", "saved")[1])
        launcher.ask("reap", "exit")
        result = ProofResult(kills, duration)
        result.problems += [f"calibration: {p}" for p in compare(data_state(calibration),
                                                                  reference)]  # fmt: skip
        log(f"  world: {spec.accounts} accounts x {spec.posts} posts, latency "
            f"{spec.latency * 1000:.0f} ms, concurrency {spec.concurrency}; one pass in a child: "
            f"{duration:.2f}s (then refresh); kills spread over {duration * 1.2:.2f}s")  # fmt: skip
        slots = list(range(kills))
        rng.shuffle(slots)
        for i in range(kills):
            name = f"proof_kill_{i - i % 2:03d}"  # odd kills continue on the even one's
            url = dbs.copy(TEMPLATE, name) if i % 2 == 0 else dbs.url(name)
            pre = pre_state(url)
            delay = duration * 1.2 * (slots[i] + rng.random()) / kills
            pid = int(launcher.ask(f"run {url}", "pid")[1])
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            launcher.ask("reap", "exit")
            settle(url)
            outcome = inspect_kill(url, pre, counted, spec.accounts)
            problems = outcome.problems + recover(url, spec, reference)
            result.phases[outcome.phase] = result.phases.get(outcome.phase, 0) + 1
            result.problems += [f"kill {i} at {delay:.2f}s ({outcome.phase}): {p}"
                                for p in problems]  # fmt: skip
            log(f"  kill {i:3d} at {delay:5.2f}s: {outcome.phase:24s} "
                f"{'ok' if not problems else problems[0]}")  # fmt: skip
            if i % 2:
                dbs.drop(name)
        launcher.proc.communicate(timeout=30)  # the launcher ends with its input
    result.elapsed = time.perf_counter() - started
    return result


def child_main(spec_json: str) -> int:
    """The launcher: world built once, then one forked process per ``run`` (see Launcher)."""
    spec = WorldSpec(**json.loads(spec_json))
    sim = simulator(spec, latency=True)
    print("ready", flush=True)
    pid = 0
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "run":
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:  # the pass: no thread, engine or connection existed before the fork
                status = "error"
                try:
                    status = one_pass(arg, spec, sim, say=True)
                except BaseException:  # shown on stderr; the parent sees status "error"
                    traceback.print_exc()
                finally:
                    print(f"done {status}", flush=True)
                    os._exit(0)
            print(f"pid {pid}", flush=True)
        elif command == "reap" and pid:
            print(f"exit {os.waitpid(pid, 0)[1]}", flush=True)
            pid = 0
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proof_crash", description=__doc__)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--accounts", type=int, default=WorldSpec.accounts)
    parser.add_argument("--posts", type=int, default=WorldSpec.posts)
    parser.add_argument("--latency", type=float, default=WorldSpec.latency, help="seconds")
    parser.add_argument("--concurrency", default=WorldSpec.concurrency)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgresql", action="store_true", help="on a private PostgreSQL 15 cluster"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a WorldSpec as JSON
    args = parser.parse_args(argv)
    if args.child is not None:
        return child_main(args.child)
    spec = WorldSpec(args.accounts, args.posts, args.latency, args.concurrency)
    cluster = None
    if args.postgresql:
        cluster = PrivateCluster(Path(tempfile.mkdtemp(prefix="pantau-crash-pg-"))).start()
    try:
        result = run(args.kills, spec, args.seed, cluster=cluster)
    finally:
        if cluster is not None:
            cluster.stop()
    shown = "".join(f"  PROBLEM {problem}\n" for problem in result.problems[:20])
    print(f"{shown}  phases: {json.dumps(result.phases, sort_keys=True)}")
    print(result.line())
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
