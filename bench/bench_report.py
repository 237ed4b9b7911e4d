"""P4: the monthly PPTX briefing vs a batched kaleido export of the same figures.

Issue #5 "Done when" / issue #8 P4. Setup (not timed): a scale database (``bench.scale``,
province preset by default: 3,000 accounts over 2 years; or any migrated database with
``--db``), and the briefing's figures for the month, computed once.
Timed, ``repeat`` times each, best kept:

* **batched export:** one kaleido session (one Chromium) started, every figure rendered to
  PNG at the briefing's size, the browser closed; this is the floor for any deck with charts;
* **pptx:** ``reports.build_report(..., "pptx")``: reading the month, the same export (the
  browser starts while the month is read) and writing the deck.

Run: ``python -m bench.bench_report [--preset province|regency] [--db PATH --month YYYY-MM]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import report
from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from present.export import BrowserSession
from reports import BRIEFING_FORMATS, build_report
from reports.chart_slots import render
from reports.content import briefing_content

NAME = "P4 pptx_vs_batched_export"
GOAL = 1.5
DEFAULT_PRESET = "province"
DEFAULT_REPEAT = 2


@dataclass(frozen=True)
class BenchResult:
    database: str
    month: str
    figures: int
    export_runs: list[float]  # seconds, each a whole batched export (browser start to close)
    pptx_runs: list[float]  # seconds, each a whole build_report(pptx)
    content_seconds: float  # reading the month alone (inside the pptx time, overlapped)
    pptx_bytes: int
    goal: float = GOAL

    @property
    def export_seconds(self) -> float:
        return min(self.export_runs)

    @property
    def pptx_seconds(self) -> float:
        return min(self.pptx_runs)

    @property
    def ratio(self) -> float:
        return self.pptx_seconds / self.export_seconds

    @property
    def passed(self) -> bool:
        return self.ratio <= self.goal

    def details(self) -> list[str]:
        runs = ", ".join(f"{s:.2f}" for s in self.export_runs)
        pptx = ", ".join(f"{s:.2f}" for s in self.pptx_runs)
        return [
            f"  database={self.database} month={self.month} figures={self.figures}",
            f"  batched export: {self.export_seconds:.2f}s best of [{runs}] "
            "(one Chromium: start, render every figure as PNG, close)",
            f"  pptx: {self.pptx_seconds:.2f}s best of [{pptx}] ({self.pptx_bytes:,} bytes); "
            f"reading the month alone takes {self.content_seconds:.2f}s and overlaps the "
            "browser start",
        ]

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return f"{NAME} ratio={self.ratio:.2f} goal<={self.goal:g} {verdict}"


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def resolve_database(preset: str, db: Path | None, month: str | None) -> tuple[Path, str]:
    if db is not None:
        if month is None:
            raise SystemExit("--month is required with --db")
        return db, month
    from bench.scale import PRESETS, ensure_scale_db

    where = Path(tempfile.gettempdir()) / f"pantau-{preset}.db"  # where bench.scale builds
    info = ensure_scale_db(where, PRESETS[preset], log=print)
    return info.path, month or info.last_complete_month


def run(
    preset: str = DEFAULT_PRESET,
    db: Path | None = None,
    month: str | None = None,
    repeat: int = DEFAULT_REPEAT,
) -> BenchResult:
    path, month = resolve_database(preset, db, month)
    settings = load_settings({"DATABASE_URL": f"sqlite:///{path}"})
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        content_seconds, briefing = _timed(lambda: briefing_content(session, month, settings))
    figures = [c.figure for c in briefing.charts]

    def batched() -> list[bytes]:
        with BrowserSession() as browser:
            return render(browser, briefing.charts, BRIEFING_FORMATS["pptx"].chart_slots)

    export_runs: list[float] = []
    pptx_runs: list[float] = []
    size = 0
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp:
        out = Path(tmp) / "briefing.pptx"
        for _ in range(repeat):  # interleaved, so drift on a shared machine hits both
            export_runs.append(_timed(batched)[0])
            with factory() as session:
                start = time.perf_counter()
                written = build_report(session, month, "pptx", out, settings)
                seconds = time.perf_counter() - start
            pptx_runs.append(seconds)
            size = written.stat().st_size
    return BenchResult(
        str(path), month, len(figures), export_runs, pptx_runs, content_seconds, size
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--preset", choices=["province", "regency"], default=DEFAULT_PRESET)
    parser.add_argument("--db", type=Path, default=None, help="use this migrated database")
    parser.add_argument("--month", default=None, help="YYYY-MM; default the last complete one")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, emit: Callable[[str], Any] = print) -> int:
    args = parse_args(argv)
    result = run(args.preset, args.db, args.month, args.repeat)
    return report(result, emit)


if __name__ == "__main__":
    sys.exit(main())
