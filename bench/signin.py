"""Signing the benchmarks' ``AppTest`` sessions in, as tests/app_support.py does for the tests.

The dashboard shows nothing but its sign-in page to nobody, so P2 and P5 open the app as an
admin: a user ``pantau-bench`` is added to the database once (a random password nobody
knows: it never signs in through the form), and each ``AppTest`` gets it in its session state
before the first run, as if it had just signed in. What a signed-in admin sees is then what
is measured; the user row is the only thing added to the world.

S1 (``python -m bench.signin``, issue #18 item 2): 50 sign-in attempts at once in a child
process that has the dashboard's modules loaded; its peak RSS must stay under 500 MB. Argon2id
takes 64 MiB per verification, so unbounded the 50 would need 3.2 GiB; ``core.passwords`` lets
one per CPU (2 to 4) run at once and tells the rest to try again shortly. Printed as a ratio to
the budget.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess  # nosec B404 - runs this interpreter on this module
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from bench import report
from core.passwords import MAX_AT_ONCE
from core.timeutil import utcnow
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import User
from services.users import ADMIN, Principal, SignInBusy, add_user, authenticate
from services.web_sessions import open_web_session
from ui.auth import AUTH_KEY, SignedIn

BENCH_USER = Principal("pantau-bench", ADMIN)
ROOT = Path(__file__).resolve().parent.parent


def ensure_bench_user(url: str) -> None:
    """Add the benchmark's admin to the database at ``url`` unless it is there already."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            found = session.scalar(select(User).where(User.username == BENCH_USER.username))
            if found is None:
                add_user(session, BENCH_USER.username, secrets.token_urlsafe(24), ADMIN)
                session.commit()
    finally:
        engine.dispose()


def signed_in(at: AppTest) -> AppTest:
    """``at`` with the benchmark's admin signed in (call before its first ``run()``)."""
    with make_session_factory(make_engine(os.environ["DATABASE_URL"]))() as session:
        token = open_web_session(session, BENCH_USER.username, 8, utcnow())
    at.session_state[AUTH_KEY] = SignedIn(BENCH_USER, utcnow() + timedelta(hours=8), token)
    return at


# --- S1: 50 sign-in attempts at once, peak memory (issue #18 item 2) -------------------------

NAME_STORM = "S1 signin_storm_peak_memory"
ATTEMPTS = 50
BUDGET_MB = 500
ARGON2_MIB = 64  # argon2-cffi's default memory_cost, per hash or verification
STORM_USER = "pantau-storm"


@dataclass(frozen=True)
class StormResult:
    """Peak RSS of a child process that took ``attempts`` sign-ins at once, against the budget."""

    attempts: int
    peak_mb: float
    outcomes: Mapping[str, int]  # signed_in / refused / busy
    seconds: float
    budget_mb: int = BUDGET_MB

    @property
    def ratio(self) -> float:
        return self.peak_mb / self.budget_mb

    @property
    def passed(self) -> bool:
        return self.ratio <= 1 and sum(self.outcomes.values()) == self.attempts

    def details(self) -> Iterator[str]:
        told = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        yield f"  {self.attempts} sign-ins at once in {self.seconds:.1f} s: {told}"
        yield (f"  peak RSS {self.peak_mb:.0f} MB of {self.budget_mb} MB; Argon2 at most "
               f"{MAX_AT_ONCE} x {ARGON2_MIB} MiB at once (unbounded: {self.attempts} x "
               f"{ARGON2_MIB} MiB = {self.attempts * ARGON2_MIB} MiB)")  # fmt: skip

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return f"{NAME_STORM} ratio={self.ratio:.2f} goal<=1 {verdict}"


def storm(url: str, attempts: int) -> None:
    """In the child: ``attempts`` threads sign in at once (a third with the right password,
    the rest wrong or unknown names, each from its own address), as the dashboard's sessions
    would; prints the outcomes and this process's peak RSS as JSON."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    password = os.environ["PANTAU_STORM_PASSWORD"]
    start, outcomes, lock = threading.Barrier(attempts), Counter[str](), threading.Lock()

    def attempt(n: int) -> None:
        name, guess = (STORM_USER, password) if n % 3 == 0 else (f"tamu-{n % 7}", f"salah-{n}")
        start.wait()
        try:
            with factory() as session:
                who = authenticate(session, name, guess, client=f"10.0.{n // 250}.{n % 250}")
            outcome = "signed_in" if who else "refused"
        except SignInBusy:
            outcome = "busy"
        with lock:
            outcomes[outcome] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    peak_kb = _peak_kb()
    seconds = time.perf_counter() - began
    print(json.dumps({"outcomes": outcomes, "peak_kb": peak_kb, "seconds": seconds}))


def _peak_kb() -> int:
    """This process's peak RSS in kB. Linux's VmHWM belongs to this program alone; ru_maxrss
    also keeps the peak of the parent it was forked from (a long test run's hundreds of MB)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def run(attempts: int = ATTEMPTS) -> StormResult:
    """A fresh migrated database with one user; the storm in a child process (its own peak
    RSS, from the interpreter's start: imports, the dashboard's modules, Argon2)."""
    with tempfile.TemporaryDirectory(prefix="pantau-bench-signin-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'signin.db'}"
        password = secrets.token_urlsafe(18)
        engine = make_engine(url)
        upgrade(engine)
        with make_session_factory(engine)() as session:
            add_user(session, STORM_USER, password, ADMIN)
            session.commit()
        engine.dispose()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PANTAU_STORM_PASSWORD": password}
        argv = [sys.executable, "-m", "bench.signin", "--storm", url, str(attempts)]
        done = subprocess.run(argv, check=True, env=env, capture_output=True, text=True)  # noqa: S603 -- our own interpreter and code
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return StormResult(attempts, found["peak_kb"] / 1024, found["outcomes"], found["seconds"])


def main(argv: Sequence[str] | None = None, emit: Callable[[str], Any] = print) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.signin", description=__doc__)
    parser.add_argument("--attempts", type=int, default=ATTEMPTS)
    parser.add_argument("--storm", nargs=2, help=argparse.SUPPRESS)  # the child: URL N
    args = parser.parse_args(argv)
    if args.storm:
        storm(args.storm[0], int(args.storm[1]))
        return 0
    return report(run(args.attempts), emit)


if __name__ == "__main__":
    sys.exit(main())
