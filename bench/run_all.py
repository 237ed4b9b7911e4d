"""Every benchmark of issue #8 in one go (``make bench``): P1 to P5, S1 and the hostile-imports
proof of issue #18, then R1 if time allows.

First the province world of ``bench.scale`` (3,000 accounts, 2 years, about 2 million posts)
is reused, migrated in place when the code has newer migrations, or built through the real
ingest path (about 3 minutes on 2 cores), unless only S1 or the proof is asked for (they
make their own small databases). Then each benchmark module runs in a fresh child process,
one after the other (never two at once: each one measures the machine), so no run inherits
another's heap, caches or child-process memory peak (P5 reads the largest child's peak RSS).
A child's detail lines are passed through as they come; its stderr (Streamlit's bare-mode
warnings and such) goes to a log file. The closing block repeats the result lines,
P1 to P5, S1, the proof, then R1, in the form

    P1 ingest_vs_raw_sqlite_upsert ratio=1.13 goal<=1.2 PASS
    proof_hostile_imports files=14 failures=0 PASS

and ends with ``bench: 8/8 PASS in 5m12s``. Exit status 1 if any benchmark fails, errors or
does not print its line. R1 (an extra of issue #4) runs only while the whole stays inside the
10-minute budget.

Run: ``python -m bench.run_all [--only P1,S1,H1] [--log PATH]``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bench.scale import PRESETS, default_path, ensure_scale_db

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 600.0  # seconds: issue #8's "at most 10 minutes" for the whole of ``make bench``
SETUP_ALLOWANCE = 120.0  # what make may spend first on a fresh clone (virtualenv: about 60 s)
# "P1 name ratio=1.13 goal<=1.2 PASS", or a proof's "proof_name files=14 failures=0 PASS"
RESULT = re.compile(r"^(?P<name>[PRS]\d \w+|proof_\w+)(?: \S+=\S+)+ (?P<verdict>PASS|FAIL)$")


@dataclass(frozen=True)
class Step:
    """One child process: a benchmark module and the result lines it must print."""

    key: str
    module: str
    names: tuple[str, ...]  # as the module prints them (its NAME constants)
    args: tuple[str, ...] = ()
    timeout: float = 360.0
    estimate: float = 60.0  # seconds it usually takes here, to decide whether it still fits
    optional: bool = False  # run only when the budget allows (R1)
    world: bool = True  # reads the province world (S1 and the proof build their own databases)


STEPS = (
    Step("P1", "bench.bench_ingest", ("P1 ingest_vs_raw_sqlite_upsert",), estimate=70),
    Step(
        "P2",
        "bench.bench_pages",
        ("P5 dashboard_peak_memory", "P2 peringkat_vs_empty_page"),
        ("--no-build", "--memory", "--repeats", "5"),
        estimate=25,
    ),
    Step("P3", "bench.bench_collect", ("P3 collect_vs_latency_bound",), estimate=50),
    Step("P4", "bench.bench_report", ("P4 pptx_vs_batched_export",), estimate=40),
    Step("S1", "bench.signin", ("S1 signin_storm_peak_memory",), estimate=15, world=False),
    Step(
        "H1",
        "bench.proof_hostile_imports",
        ("proof_hostile_imports",),
        timeout=300,
        estimate=60,
        world=False,
    ),
    Step("R1", "bench.bench_ranking", ("R1 ranking_vs_duckdb",), estimate=25, optional=True),
)
# how the closing block lists the lines (by the start of each name)
ORDER = ("P1", "P2", "P3", "P4", "P5", "S1", "proof_hostile_imports", "R1")


@dataclass
class Outcome:
    name: str
    line: str
    passed: bool
    skipped: bool = False


def clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def place(name: str) -> int:
    """Where a result line goes in the closing block."""
    return next(i for i, start in enumerate(ORDER) if name.startswith(start))


def prepare_world(emit: Callable[[str], Any]) -> str:
    """Reuse, migrate or build the province world; returns a one-line description."""
    start = time.perf_counter()
    info = ensure_scale_db(default_path("province"), PRESETS["province"], log=emit)
    took = time.perf_counter() - start
    how = "reused" if info.reused else f"built in {clock(took)}"
    return (
        f"  province world: {info.path} ({how}): {info.accounts} accounts, {info.posts:,} "
        f"posts, {info.snapshots:,} follower snapshots, {info.start:%Y-%m-%d}..{info.end:%Y-%m-%d}"
    )


def run_step(step: Step, log: IO[str], emit: Callable[[str], Any]) -> list[Outcome]:
    """Run one module in a child process; its result lines, or FAIL lines if it broke."""
    argv = [sys.executable, "-m", step.module, *step.args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log.write(f"\n=== {' '.join(argv[1:])}\n")
    log.flush()
    found: dict[str, Outcome] = {}
    with subprocess.Popen(  # noqa: S603 -- our own interpreter and modules
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True
    ) as child:
        watchdog = threading.Timer(step.timeout, child.kill)
        watchdog.start()
        try:
            assert child.stdout is not None
            for raw in child.stdout:
                text = raw.rstrip("\n")
                log.write(text + "\n")
                match = RESULT.match(text)
                if match and match["name"] in step.names:
                    passed = match["verdict"] == "PASS"
                    found[match["name"]] = Outcome(match["name"], text, passed)
                emit(text)
            code = child.wait()
        finally:
            watchdog.cancel()
    outcomes = []
    for name in step.names:
        if name not in found:
            why = "killed after " + clock(step.timeout) if code == -9 else f"exit status {code}"
            found[name] = Outcome(name, f"{name} error ({why}, no result line) FAIL", False)
            emit(f"  {name}: no result line ({why}); see {log.name}")
        outcomes.append(found[name])
    return outcomes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__)
    parser.add_argument(
        "--only", default="",
        help="comma-separated steps to run (P1,P2,P3,P4,S1,H1,R1; P2 is P2+P5, H1 the proof)",
    )  # fmt: skip
    parser.add_argument(
        "--log", type=Path, default=Path(tempfile.gettempdir()) / "pantau-bench.log",
        help="where the children's stderr and output go (default $TMPDIR/pantau-bench.log)",
    )  # fmt: skip
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, emit: Callable[[str], Any] = print) -> int:
    args = parse_args(argv)
    wanted = {k.strip().upper() for k in args.only.split(",") if k.strip()}
    steps = [s for s in STEPS if not wanted or s.key in wanted]
    began = time.perf_counter()
    budget = BUDGET - SETUP_ALLOWANCE  # this process's share
    results: list[Outcome] = []
    with args.log.open("w", encoding="utf-8") as log:
        emit(
            f"bench: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
            f"{os.getloadavg()[0]:.2f} (others' work on the machine skews ratios), log {args.log}"
        )
        if any(step.world for step in steps):
            emit(prepare_world(emit))
        for step in steps:
            elapsed = time.perf_counter() - began
            if step.optional and not wanted and elapsed + step.estimate > budget:
                results += [
                    Outcome(
                        n, f"{n} skipped: {clock(elapsed)} of {clock(budget)} spent", True, True
                    )
                    for n in step.names
                ]
                emit(results[-1].line)
                continue
            results += run_step(step, log, emit)
    total = time.perf_counter() - began
    ran = [r for r in results if not r.skipped]
    passed = sum(r.passed for r in ran)
    emit("")
    for outcome in sorted(results, key=lambda r: place(r.name)):
        emit(outcome.line)
    verdict = "PASS" if passed == len(ran) else "FAIL"
    emit(f"  load average at the end: {os.getloadavg()[0]:.2f}")
    emit(f"bench: {passed}/{len(ran)} {verdict} in {clock(total)}")
    return 0 if passed == len(ran) and ran else 1


if __name__ == "__main__":
    sys.exit(main())
