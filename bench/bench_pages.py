"""P2: the Peringkat page at province scale vs an empty page; P5: the dashboard's peak memory.

Issue #5 "Done when" / issue #8 P2, P5. ``AppTest`` from ``app.py`` as in tests/test_pages.py:
``DATABASE_URL`` set, caches cleared, an admin signed in (``bench.signin``), ``run()`` (the
default page, Ringkasan, not timed), ``switch_page("pages/peringkat.py")``, then the timed
``run()``; on a freshly migrated empty database and on the province world of ``bench.scale``.

Per sample: a cold render (caches cleared before the app starts) and then a warm render (a
rerun: cache hit). Samples alternate empty/province; medians of ``repeats``. The goal (<= 2)
is judged on the cold renders. When it is missed, or with ``--profile``, a cold province
render is profiled (cProfile in the script thread) and a detail line says where time goes.

P5 (``--memory``): a fresh child process serves Ringkasan and Peringkat at province scale
through ``AppTest``; its peak RSS is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` once it exits.

Run: ``python -m bench.bench_pages [--preset province] [--repeats 3] [--memory] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench import report
from bench.scale import (
    PRESETS,
    ScaleInfo,
    ScaleParams,
    default_path,
    ensure_scale_db,
    reuse,
)
from bench.signin import ensure_bench_user, signed_in
from db.engine import make_engine
from db.migrate import upgrade

NAME = "P2 peringkat_vs_empty_page"
GOAL = 2.0
NAME_MEMORY = "P5 dashboard_peak_memory"
GOAL_MB = 500.0
DEFAULT_PRESET = "province"
REPEATS = 3
ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGE = "pages/peringkat.py"
TIMEOUT = 600  # seconds: AppTest's per-run limit, generous for a loaded machine
# (module file suffix, function) whose cumulative time the profile line reports
PROFILED = (
    ("ui/loaders.py", "get_settings"), ("ui/loaders.py", "load_ranking"),
    ("services/ranking.py", "ranking"), ("refresh/months.py", "load_months"),
    ("db/queries.py", "accounts_frame"), ("db/queries.py", "month_aggregates"),
    ("db/queries.py", "aggregate_history"), ("db/queries.py", "accounts_with_results"),
    ("metrics/month_scores.py", "score_month"), ("metrics/monthly.py", "month_figures"),
    ("metrics/activity.py", "account_status"), ("metrics/ranking.py", "index_components"),
    ("metrics/ranking.py", "activity_index"), ("metrics/ranking.py", "movers"),
    ("services/ranking.py", "filter_options"), ("services/ranking.py", "filter_ranking"),
    ("present/tables.py", "display_table"), ("present/charts.py", "ranking_chart"),
    ("ui/components.py", "table"), ("ui/components.py", "chart"),
)  # fmt: skip


@dataclass(frozen=True)
class PageTimes:
    cold: list[float] = field(default_factory=list)  # seconds per cold render
    warm: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)  # process CPU seconds per cold render
    month: str = ""
    rows: int = 0  # rows in the page's table (0: empty state)

    def cold_median(self) -> float:
        return statistics.median(self.cold)

    def warm_median(self) -> float:
        return statistics.median(self.warm)

    def cpu_median(self) -> float:
        return statistics.median(self.cold_cpu)


@dataclass(frozen=True)
class BenchResult:
    """P2's timings; ``line()`` is the issue #8 summary line."""

    scale: ScaleInfo
    empty: PageTimes
    province: PageTimes
    profile: dict[str, float] = field(default_factory=dict)  # function -> cumulative seconds
    profile_total: float = 0.0
    goal: float = GOAL

    @property
    def ratio(self) -> float:
        return self.province.cold_median() / self.empty.cold_median()

    @property
    def warm_ratio(self) -> float:
        return self.province.warm_median() / self.empty.warm_median()

    @property
    def passed(self) -> bool:
        return self.ratio <= self.goal

    def details(self) -> list[str]:
        s, e, p = self.scale, self.empty, self.province
        lines = [
            f"  world: {s.accounts} accounts in {s.opds} OPDs, {s.posts} posts, "
            f"{s.start:%Y-%m-%d}..{s.end:%Y-%m-%d} ({'reused' if s.reused else 'built'}: "
            f"{s.path})",
            f"  month shown (page default) = {p.month}; province table rows={p.rows}, "
            f"empty table rows={e.rows}",
            f"  empty page: cold median={_ms1(e.cold_median())} runs={_ms(e.cold)}; "
            f"warm median={_ms1(e.warm_median())} runs={_ms(e.warm)}",
            f"  province:   cold median={_ms1(p.cold_median())} runs={_ms(p.cold)}; "
            f"warm median={_ms1(p.warm_median())} runs={_ms(p.warm)}",
            f"  warm ratio (cache hit, detail only) = {self.warm_ratio:.2f}",
            f"  cold CPU (process time, less sensitive to a loaded machine): empty "
            f"median={_ms1(e.cpu_median())} runs={_ms(e.cold_cpu)}, province "
            f"median={_ms1(p.cpu_median())} runs={_ms(p.cold_cpu)}, "
            f"ratio={p.cpu_median() / e.cpu_median():.2f}",
        ]
        if self.profile:
            top = sorted(self.profile.items(), key=lambda kv: -kv[1])
            lines.append(
                f"  profile of one cold province render (cProfile in the script thread, "
                f"total {self.profile_total * 1000:.0f}ms; cumulative, nested calls overlap): "
                + ", ".join(f"{k}={v * 1000:.0f}ms" for k, v in top)
            )
        return lines

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return f"{NAME} ratio={self.ratio:.2f} goal<={self.goal:g} {verdict}"


@dataclass(frozen=True)
class MemoryResult:
    peak_mb: float
    pages: Sequence[str]
    goal: float = GOAL_MB

    @property
    def passed(self) -> bool:
        return self.peak_mb <= self.goal

    def details(self) -> list[str]:
        pages = ", ".join(self.pages)
        return [f"  a child process served {pages}; peak RSS: getrusage(RUSAGE_CHILDREN)"]

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return f"{NAME_MEMORY} mb={self.peak_mb:.0f} goal<={self.goal:g} {verdict}"


def _ms1(value: float) -> str:
    return f"{value * 1000:.0f}ms"


def _ms(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v * 1000:.0f}" for v in values) + "]ms"


# --- rendering ------------------------------------------------------------------------------


@contextmanager
def serving(url: str, tz: str) -> Iterator[None]:
    """Point the app at ``url`` (as tests/test_pages.py does) and restore the environment."""
    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "PANTAU_TIMEZONE")}
    os.environ["DATABASE_URL"] = url
    os.environ["PANTAU_TIMEZONE"] = tz
    try:
        yield
    finally:
        os.environ.update({k: v for k, v in saved.items() if v is not None})
        for key in (k for k, v in saved.items() if v is None):
            del os.environ[key]
        clear_caches()


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def checked(at: AppTest, where: str) -> AppTest:
    if at.exception:
        raise RuntimeError(f"{where}: {[e.message for e in at.exception]}")
    if at.error:
        raise RuntimeError(f"{where}: {[e.value for e in at.error]}")
    return at


def start_app() -> AppTest:
    """A fresh app with empty caches, on its default page (not timed), switched to Peringkat."""
    clear_caches()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at = checked(signed_in(at).run(), "default page")
    return at.switch_page(PAGE)


def timed_run(at: AppTest, where: str, cpu: list[float] | None = None) -> float:
    start, start_cpu = time.perf_counter(), time.process_time()
    at.run()
    elapsed = time.perf_counter() - start
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    checked(at, where)
    if not at.title or at.title[0].value != "Peringkat":
        raise RuntimeError(f"{where}: the Peringkat page did not render")
    return elapsed


def sample(url: str, tz: str, times: PageTimes, where: str) -> AppTest:
    """One cold and one warm render of Peringkat, appended to ``times``."""
    with serving(url, tz):
        at = start_app()
        times.cold.append(timed_run(at, f"{where} cold", times.cold_cpu))
        times.warm.append(timed_run(at, f"{where} warm"))
    return at


def page_facts(at: AppTest) -> tuple[str, int]:
    month = str(at.selectbox(key="peringkat_month").value)
    rows = len(at.dataframe[0].value) if at.dataframe else 0
    return month, rows


def profile_cold(url: str, tz: str, dump: bool = False) -> tuple[dict[str, float], float]:
    """Cumulative seconds of PROFILED functions in one cold render, profiled in the script
    thread (AppTest runs the page in its own thread, which a plain cProfile would miss)."""
    profiler = cProfile.Profile()
    started: list[int] = []

    def bootstrap(frame: FrameType, event: str, arg: Any) -> None:
        sys.setprofile(None)
        if not started:
            started.append(threading.get_ident())
            profiler.enable()

    with serving(url, tz):
        at = start_app()
        threading.setprofile(bootstrap)
        try:
            total = timed_run(at, "profiled cold")
        finally:
            threading.setprofile(None)
            profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    found: dict[str, float] = {}
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        for suffix, wanted in PROFILED:
            if name == wanted and filename.endswith(suffix):
                key = f"{Path(suffix).stem}.{name}"
                found[key] = found.get(key, 0.0) + float(row[3])
    if dump:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print("--- cProfile of a cold province render (cumulative) ---", file=sys.stderr)
        print(out.getvalue(), file=sys.stderr)
    return found, total


# --- the benchmarks -------------------------------------------------------------------------


def scale_world(
    preset: str, db: Path | None, build: bool, log: Callable[[str], Any] | None
) -> ScaleInfo:
    """Built or reused (``build``), else an existing file only (``bench.scale.reuse``: it is
    migrated in place when the code has newer migrations, as a deployment would be)."""
    path = db or default_path(preset)
    if build:
        return ensure_scale_db(path, PRESETS[preset], log=log)
    found = reuse(path, ScaleParams(**PRESETS[preset]))
    if found is None:
        raise SystemExit(f"{path}: not a {preset} world (build it: python -m bench.scale)")
    return found


def run(
    db: Path | None = None,
    preset: str = DEFAULT_PRESET,
    repeats: int = REPEATS,
    profile: bool = False,
    build: bool = True,
    log: Callable[[str], Any] | None = None,
) -> BenchResult:
    """Render Peringkat on an empty and a province database, alternating, ``repeats`` each."""
    scale = scale_world(preset, db, build, log)
    tz = scale.params.tz
    province_url = f"sqlite:///{scale.path}"
    ensure_bench_user(province_url)
    e, p = PageTimes(), PageTimes()
    with tempfile.TemporaryDirectory(prefix="pantau-bench-pages-") as tmp:
        empty_url = f"sqlite:///{Path(tmp) / 'empty.db'}"
        engine = make_engine(empty_url)
        upgrade(engine)
        engine.dispose()
        ensure_bench_user(empty_url)
        for i in range(repeats):
            empty_at = sample(empty_url, tz, e, f"empty #{i + 1}")
            province_at = sample(province_url, tz, p, f"province #{i + 1}")
        empty = PageTimes(e.cold, e.warm, e.cold_cpu, *page_facts(empty_at))
        province = PageTimes(p.cold, p.warm, p.cold_cpu, *page_facts(province_at))
    found: dict[str, float] = {}
    total = 0.0
    if profile or province.cold_median() > GOAL * empty.cold_median():
        found, total = profile_cold(province_url, tz, dump=profile)
    return BenchResult(scale, empty, province, found, total)


def serve_pages(url: str, tz: str) -> None:
    """In the child of ``run_memory``: serve Ringkasan (default page), then Peringkat."""
    with serving(url, tz):
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at = checked(signed_in(at).run(), "Ringkasan")
        checked(at.switch_page(PAGE).run(), "Peringkat")


def run_memory(
    db: Path | None = None,
    preset: str = DEFAULT_PRESET,
    build: bool = True,
    log: Callable[[str], Any] | None = None,
) -> MemoryResult:
    """Peak RSS of a fresh child process serving Ringkasan and Peringkat at ``preset`` scale."""
    scale = scale_world(preset, db, build, log)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    code = "import sys; from bench.bench_pages import serve_pages; serve_pages(*sys.argv[1:])"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    url = f"sqlite:///{scale.path}"
    ensure_bench_user(url)
    argv = [sys.executable, "-c", code, url, scale.params.tz]
    subprocess.run(argv, check=True, env=env)  # noqa: S603 -- our own interpreter and code
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    if peak_kb <= before:
        raise RuntimeError("an earlier child used more memory: run P5 in a fresh process")
    return MemoryResult(peak_mb=peak_kb / 1024, pages=("Ringkasan", "Peringkat"))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pages", description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="default $TMPDIR/pantau-<preset>.db")
    parser.add_argument("--preset", choices=sorted(PRESETS), default=DEFAULT_PRESET)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--profile", action="store_true", help="profile a cold province render")
    parser.add_argument("--memory", action="store_true", help="also measure P5 (peak RSS)")
    parser.add_argument(
        "--no-build", action="store_true", help="fail instead of building the scale world"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, emit: Callable[[str], Any] = print) -> int:
    args = parse_args(argv)
    build = not args.no_build
    status = 0
    if args.memory:  # first: getrusage(RUSAGE_CHILDREN) keeps the largest child's peak
        status = report(run_memory(args.db, args.preset, build, log=emit), emit)
    result = run(args.db, args.preset, args.repeats, args.profile, build, log=emit)
    return report(result, emit) or status


if __name__ == "__main__":
    sys.exit(main())
