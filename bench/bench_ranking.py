"""R1: a month's ranking from the database vs a DuckDB aggregation of the same rows.

Issue #4 "Done when": the ranking for 3,000 accounts over 2 years (about 2 million posts) is
computed from the database within 2x of a DuckDB aggregation of the same rows.

Setup (not timed): the province world of ``bench.scale`` (built through the real ingest path,
or reused when its sidecar matches), and the same posts and follower snapshots copied into an
in-memory DuckDB database. DuckDB's sqlite scanner extension is downloaded on first use, which
this machine cannot do, so the rows are read with Python's ``sqlite3`` into pandas and stored as
native DuckDB tables first; only DuckDB's aggregation query is timed.

Timed, median of ``repeats`` runs after one warm-up run each:

- Pantau: ``services.ranking.ranking(session, month, settings, by="account")`` for the last
  complete month, a fresh session per run: the month and the month before are scored (the
  rank change needs both), each from the monthly pre-aggregates of its month and the month
  before it plus the account's posting history.
- DuckDB: one query computing, from the raw rows, what that needs: per account for the three
  months involved the posts, rated posts, interactions, views, caption scores, active weeks,
  last post time, follower snapshots, mean, first and last followers; and per account up to
  the end of each of the two ranked months the last post time and the number of posts.

Run: ``python -m bench.bench_ranking [--db PATH] [--preset province] [--repeats 3] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy.orm import Session, sessionmaker

from bench import report
from bench.ranking_duckdb import (
    agreement,
    duckdb_sql,
    load_duckdb,
    ranked_months,
    time_duckdb,
)
from bench.scale import PRESETS, ScaleInfo, default_path, ensure_scale_db
from core.period import month_period
from core.settings import Settings, load_settings
from db.engine import make_engine, make_session_factory
from metrics.month_scores import score_month
from metrics.ranking import movers
from refresh.months import load_month
from services.ranking import ranking

NAME = "R1 ranking_vs_duckdb"
GOAL = 2.0
DEFAULT_PRESET = "province"
REPEATS = 3
WEEK_SECONDS = 7 * 86_400
# Functions whose cumulative time the profile breakdown reports, by (module file, name).
PROFILED = (
    ("db/queries.py", "accounts_frame"),
    ("db/queries.py", "month_aggregates"),
    ("db/queries.py", "aggregate_history"),
    ("db/queries.py", "accounts_with_results"),
    ("metrics/monthly.py", "month_figures"),
    ("metrics/activity.py", "account_status"),
    ("metrics/ranking.py", "index_components"),
    ("metrics/ranking.py", "activity_index"),
    ("metrics/ranking.py", "rank_scores"),
    ("metrics/ranking.py", "movers"),
    ("pandas/core/frame.py", "merge"),
)


@dataclass(frozen=True)
class BenchResult:
    """Both timings with what was measured; ``line()`` is the summary line."""

    scale: ScaleInfo
    month: str
    pantau: Sequence[float]  # seconds per timed run
    duckdb: Sequence[float]
    load_seconds: float  # copying the rows into DuckDB (not timed in the ratio)
    loaded: dict[str, int]  # table -> rows copied into DuckDB
    ranked_accounts: int
    duckdb_rows: int
    duckdb_threads: int
    phases: dict[str, float] = field(default_factory=dict)  # ranking() step -> seconds
    agreement: str = ""
    profile: dict[str, float] = field(default_factory=dict)  # function -> cumulative seconds
    profile_total: float = 0.0
    goal: float = GOAL

    @property
    def pantau_median(self) -> float:
        return statistics.median(self.pantau)

    @property
    def duckdb_median(self) -> float:
        return statistics.median(self.duckdb)

    @property
    def ratio(self) -> float:
        return self.pantau_median / self.duckdb_median if self.duckdb_median > 0 else float("inf")

    @property
    def passed(self) -> bool:
        return self.ratio <= self.goal

    def details(self) -> list[str]:
        s = self.scale
        lines = [
            f"  world: {s.accounts} accounts in {s.opds} OPDs, {s.posts} posts, {s.snapshots} "
            f"follower snapshots, {s.start:%Y-%m-%d}..{s.end:%Y-%m-%d} "
            f"({'reused' if s.reused else f'built in {s.seconds:.1f}s'}: {s.path})",
            f"  month={self.month} ranked_accounts={self.ranked_accounts}",
            f"  pantau: ranking(by='account') median={self.pantau_median * 1000:.1f}ms "
            f"runs={_ms(self.pantau)} (fresh session each, after one warm-up run)",
            "  pantau steps (one run, wall): "
            + ", ".join(f"{k}={v * 1000:.1f}ms" for k, v in self.phases.items()),
            f"  duckdb {duckdb.__version__}: aggregation median={self.duckdb_median * 1000:.1f}ms "
            f"runs={_ms(self.duckdb)} rows_out={self.duckdb_rows} "
            f"(threads={self.duckdb_threads}; in-memory tables, copied from the SQLite file in "
            f"{self.load_seconds:.1f}s, not timed: "
            + ", ".join(f"{k}={v}" for k, v in self.loaded.items())
            + ")",
        ]
        if self.agreement:
            lines.append(f"  check: {self.agreement}")
        if self.profile:
            top = sorted(self.profile.items(), key=lambda kv: -kv[1])
            lines.append(
                f"  profile of ranking() (cProfile, total {self.profile_total * 1000:.0f}ms; "
                "cumulative, nested calls overlap): "
                + ", ".join(f"{k}={v * 1000:.0f}ms" for k, v in top)
            )
        return lines

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return f"{NAME} ratio={self.ratio:.2f} goal<={self.goal:g} {verdict}"


def _ms(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v * 1000:.1f}" for v in values) + "]ms"


def duck_threads(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT current_setting('threads')").fetchone()
    return int(row[0]) if row else 0


# --- Pantau ---------------------------------------------------------------------------------


def bench_settings(path: Path, scale: ScaleInfo) -> Settings:
    env = {"DATABASE_URL": f"sqlite:///{path}", "PANTAU_TIMEZONE": scale.params.tz}
    settings = load_settings(environ=env, root=path.parent)  # root: ignore the project's .env
    if settings.tz.key != scale.params.tz:
        raise RuntimeError(f"settings zone {settings.tz.key} != world zone {scale.params.tz}")
    return settings


def time_pantau(
    factory: sessionmaker[Session], month: str, settings: Settings, repeats: int
) -> tuple[list[float], int]:
    """Wall seconds of ``ranking()`` per run (warm-up excluded) and the rows it returned."""
    rows = 0
    times: list[float] = []
    for attempt in range(repeats + 1):
        with factory() as session:
            start = time.perf_counter()
            frame = ranking(session, month, settings, by="account")
            elapsed = time.perf_counter() - start
        rows = len(frame)
        if attempt:
            times.append(elapsed)
    return times, rows


def ranking_steps(
    factory: sessionmaker[Session], month: str, settings: Settings
) -> dict[str, float]:
    """``ranking()``'s own steps, timed one by one (same calls, same order)."""
    tz = settings.tz
    steps: dict[str, float] = {}

    def timed(name: str, call: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = call()
        steps[name] = time.perf_counter() - start
        return value

    with factory() as session:
        period = month_period(month, tz)
        before = period.previous(tz)
        data = timed("load_month", lambda: load_month(session, period, tz))
        current = timed("score_month", lambda: score_month(data, settings))
        data_prev = timed("load_prev_month", lambda: load_month(session, before, tz))
        previous = timed("score_prev_month", lambda: score_month(data_prev, settings))
        timed("movers", lambda: movers(current, previous))
    steps["total"] = sum(steps.values())
    return steps


def profile_ranking(
    factory: sessionmaker[Session], month: str, settings: Settings
) -> tuple[dict[str, float], float]:
    """Cumulative seconds of the functions in PROFILED during one profiled ``ranking()``."""
    profiler = cProfile.Profile()
    with factory() as session:
        profiler.enable()
        start = time.perf_counter()
        ranking(session, month, settings, by="account")
        total = time.perf_counter() - start
        profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    found: dict[str, float] = {}
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        for suffix, wanted in PROFILED:
            if name == wanted and filename.endswith(suffix):
                found[name] = found.get(name, 0.0) + float(row[3])
    return found, total


def print_profile(factory: sessionmaker[Session], month: str, settings: Settings) -> None:
    profiler = cProfile.Profile()
    with factory() as session:
        profiler.enable()
        ranking(session, month, settings, by="account")
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    print("--- cProfile of ranking() (cumulative) ---", file=sys.stderr)
    print(out.getvalue(), file=sys.stderr)


# --- the benchmark --------------------------------------------------------------------------


def run(
    db: Path | None = None,
    preset: str = DEFAULT_PRESET,
    repeats: int = REPEATS,
    profile: bool = False,
    log: Callable[[str], Any] | None = None,
) -> BenchResult:
    """Build or reuse the world, time both sides, and profile ``ranking()`` if it misses."""
    path = db or default_path(preset)
    scale = ensure_scale_db(path, PRESETS[preset], log=log)
    month = scale.last_complete_month
    engine = make_engine(f"sqlite:///{path}")
    try:
        factory = make_session_factory(engine)
        settings = bench_settings(path, scale)
        pantau, ranked = time_pantau(factory, month, settings, repeats)
        phases = ranking_steps(factory, month, settings)
        con, loaded, load_seconds = load_duckdb(path)
        try:
            duck, frame = time_duckdb(con, duckdb_sql(ranked_months(month, settings)), repeats)
            threads = duck_threads(con)
        finally:
            con.close()
        check = agreement(factory, frame, month)
        missed = statistics.median(pantau) > GOAL * statistics.median(duck)
        found, total = profile_ranking(factory, month, settings) if missed or profile else ({}, 0)
        if profile:
            print_profile(factory, month, settings)
    finally:
        engine.dispose()
    return BenchResult(
        scale=scale,
        month=month,
        pantau=pantau,
        duckdb=duck,
        load_seconds=load_seconds,
        loaded=loaded,
        ranked_accounts=ranked,
        duckdb_rows=len(frame),
        duckdb_threads=threads,
        phases=phases,
        agreement=check,
        profile=found,
        profile_total=total,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ranking", description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="default $TMPDIR/pantau-<preset>.db")
    parser.add_argument("--preset", choices=sorted(PRESETS), default=DEFAULT_PRESET)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--profile", action="store_true", help="print ranking()'s cProfile")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, emit: Callable[[str], Any] = print) -> int:
    args = parse_args(argv)
    result = run(args.db, args.preset, args.repeats, args.profile, log=emit)
    return report(result, emit)


if __name__ == "__main__":
    sys.exit(main())
