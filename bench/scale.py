"""Scale worlds for the benchmarks: a regency or a province, built through the real ingest path.

Issue #8 item 1. :func:`build_scale_db` creates a fresh migrated SQLite database with a registry
of ``accounts`` accounts (five platforms per OPD, rotating so all six platforms appear), years
of posts with realistic counts (``None`` where the platform hides them) and one follower
snapshot per account every ``snapshot_every_days`` days (websites get none), all through
``ingest.registry.import_registry_records`` and ``ingest.data_import.import_records`` in
batches; then ``refresh.after_write`` once, as the import command does after an import. So
the pre-aggregates, caption scores and rankings are what the product itself would store.

Captions: a pool of 200 demo-writer texts in real Sintang OPD voices, 12 per OPD. Scoring
deduplicates only within a call of 5,000 captions, so this keeps the build about ingest.
Build-only SQLite settings: ``synchronous=OFF``, a 256 MB page cache (a crash means rebuild).

Run: ``python -m bench.scale --preset province``. A JSON sidecar (``<out>.json``) records the
parameters and the schema revision; a later run with the same parameters reuses the file,
migrating it in place with Alembic (data kept, as on a deployment) when the code has newer
migrations and topping up the stored rankings when they are stale; a file whose revision the
code does not know is rebuilt.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from alembic.script import ScriptDirectory
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from bench.scale_world import (
    BATCH_ROWS,
    FORMAT,
    SECONDS_PER_DAY,
    Record,
    Span,
    batches,
    caption_pool,
    plan_accounts,
    post_records,
    registry_records,
    snapshot_records,
)
from core.settings import Settings, load_settings
from core.timeutil import DEFAULT_TZ, local_day_start_utc, month_bounds
from db.engine import make_engine, make_session_factory
from db.migrate import alembic_config, current_revision, head_revision, upgrade
from db.models import MonthScore
from ingest.data_import import ImportReport, Kind, import_records
from ingest.registry import import_registry_records
from refresh import after_write
from refresh.scores import months_to_store, scores_key


@dataclass(frozen=True)
class ScaleParams:
    accounts: int
    years: float
    posts_per_account_per_week: float
    seed: int
    snapshot_every_days: int = 1
    tz: str = DEFAULT_TZ.key

    def sidecar(self) -> dict[str, Any]:
        """What a reusable build must match: these parameters, the generator and the schema."""
        return {"format": FORMAT, "schema": head_revision(), **asdict(self)}


# 47 OPDs x 5 platforms x 3 years: about 150,000 posts, a few a week as a regency's offices post
REGENCY: dict[str, Any] = {
    "accounts": 235, "years": 3, "posts_per_account_per_week": 4.0, "seed": 2026,
}  # fmt: skip
# 3,000 accounts x 2 years = about 2.0 million posts: 6.4 a week on average, 6.85 while active
# (some accounts joined late, fell quiet or never posted)
PROVINCE: dict[str, Any] = {
    "accounts": 3000, "years": 2, "posts_per_account_per_week": 6.85, "seed": 2026,
    "snapshot_every_days": 7,  # daily (1.8 million snapshots) adds about 3.5 minutes
}  # fmt: skip
PRESETS: dict[str, dict[str, Any]] = {"regency": REGENCY, "province": PROVINCE}


@dataclass(frozen=True)
class ScaleInfo:
    """What was built (or found): counts, the local-time span and the build's timings."""

    path: Path
    params: ScaleParams
    opds: int
    accounts: int
    posts: int
    snapshots: int
    start: datetime  # local time (naive, in params.tz): the first day of data
    end: datetime  # local time: the build moment, the last data point is before it
    seconds: float  # build wall time (0 when reused)
    cpu_seconds: float  # build CPU time of this process: honest when others share the cores
    phases: dict[str, float] = field(default_factory=dict)  # phase -> seconds
    reused: bool = False

    @property
    def last_complete_month(self) -> str:
        """The newest month (YYYY-MM, local) that ended before the data did."""
        return (self.end.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")

    def month_start_utc(self, month: str) -> datetime:
        return local_day_start_utc(month_bounds(month)[0], ZoneInfo(self.params.tz))

    def to_json(self) -> dict[str, Any]:
        return {
            **self.params.sidecar(),
            "opds": self.opds,
            "accounts_built": self.accounts,
            "posts": self.posts,
            "snapshots": self.snapshots,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "build_seconds": round(self.seconds, 2),
            "build_cpu_seconds": round(self.cpu_seconds, 2),
            "phases": {k: round(v, 2) for k, v in self.phases.items()},
        }

    def summary(self) -> str:
        how = (
            "reused"
            if self.reused
            else f"built in {self.seconds:.1f}s wall, {self.cpu_seconds:.1f}s CPU"
        )
        phases = ", ".join(f"{k}={v:.1f}s" for k, v in self.phases.items())
        return (
            f"{self.path}: {self.accounts} accounts in {self.opds} OPDs, {self.posts} posts, "
            f"{self.snapshots} follower snapshots, {self.start:%Y-%m-%d}..{self.end:%Y-%m-%d} "
            f"({how}{'; ' + phases if phases else ''})"
        )


# --- building --------------------------------------------------------------------------------


def default_path(preset: str) -> Path:
    """Where the benchmarks share a preset's build: ``/tmp/pantau-<preset>.db``."""
    return Path(tempfile.gettempdir()) / f"pantau-{preset}.db"


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def reuse(path: Path, params: ScaleParams) -> ScaleInfo | None:
    """The existing build at ``path`` if its sidecar says it was made with ``params``."""
    side = sidecar_path(path)
    if not (path.is_file() and side.is_file()):
        return None
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    wanted = params.sidecar()
    if any(meta.get(k) != v for k, v in wanted.items() if k != "schema"):
        return None
    if meta.get("schema") != wanted["schema"]:
        if not migrate_in_place(path):
            return None
        meta = {**meta, "schema": wanted["schema"], "migrated_from": meta.get("schema")}
        side.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    if not rankings_current(path, params.tz):
        store_rankings(path, params.tz)
    return ScaleInfo(
        path=path,
        params=params,
        opds=int(meta["opds"]),
        accounts=int(meta["accounts_built"]),
        posts=int(meta["posts"]),
        snapshots=int(meta["snapshots"]),
        start=datetime.fromisoformat(meta["start"]),
        end=datetime.fromisoformat(meta["end"]),
        seconds=0.0,
        cpu_seconds=0.0,
        phases={k: float(v) for k, v in meta.get("phases", {}).items()},
        reused=True,
    )


def migrate_in_place(path: Path) -> bool:
    """Bring an older build up to the code's schema with Alembic (data kept), as a deployment
    would; False when the file's revision is not in this code's history (then rebuild)."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        revision = current_revision(engine)
        script = ScriptDirectory.from_config(alembic_config())
        known = {rev.revision for rev in script.walk_revisions()}
        if revision not in known:
            return False
        if revision != head_revision():
            upgrade(engine)
        return current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _settings(path: Path, tz: str) -> Settings:
    return load_settings({**os.environ, "DATABASE_URL": f"sqlite:///{path}", "PANTAU_TIMEZONE": tz})


def store_rankings(path: Path, tz: str) -> int:
    """``refresh.after_write`` as after every import or collection; returns ranking rows."""
    settings = _settings(path, tz)
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            stored = after_write(session, settings).month_scores
            session.commit()
    finally:
        engine.dispose()
    return stored


def rankings_current(path: Path, tz: str) -> bool:
    """True when the stored rankings are the ones the writers would store now (same months,
    data version, weights and zone); a world reused in a later month gets them topped up, as
    a deployment's daily collection would."""
    settings = _settings(path, tz)
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            key = scores_key(session, settings)
            rows = session.execute(select(MonthScore.month, MonthScore.weights_key).distinct())
            stored = {(month, weights) for month, weights in rows}
    finally:
        engine.dispose()
    return all((month, key) in stored for month in months_to_store(settings))


def fresh_database(path: Path) -> sessionmaker[Session]:
    for stale in (
        path,
        sidecar_path(path),
        *(path.with_name(path.name + s) for s in ("-wal", "-shm")),
    ):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _build_pragmas)
    upgrade(engine)
    return make_session_factory(engine)


def _build_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Scratch-file settings for the build only (after the product's own pragmas).

    A crash mid-build just means building again, so no fsync; a bigger page cache saves
    re-reading index pages. Readers of the finished file get the product's settings.
    """
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA synchronous=OFF")
    cur.execute("PRAGMA cache_size=-262144")  # 256 MB
    cur.close()


def import_batches(
    factory: sessionmaker[Session], kind: Kind, parts: Iterator[list[Record]], tz: ZoneInfo
) -> int:
    stored = 0
    for number, batch in enumerate(parts, start=1):
        with factory() as session:
            report: ImportReport = import_records(
                session, kind, batch, f"scale-{kind}-{number}", tz
            )
            session.commit()
        if report.errors or report.unknown_handles:
            raise RuntimeError(f"{kind} batch {number}: {report.summary()} {report.issues[:3]}")
        stored += report.rows_stored
    return stored


def build_scale_db(
    path: Path,
    accounts: int,
    years: float,
    posts_per_account_per_week: float,
    seed: int,
    snapshot_every_days: int = 1,
    batch_rows: int = BATCH_ROWS,
    log: Callable[[str], Any] | None = None,
) -> ScaleInfo:
    """Build a fresh scale database at ``path`` through the real ingest path (see module doc)."""
    params = ScaleParams(accounts, years, posts_per_account_per_week, seed, snapshot_every_days)
    tz = ZoneInfo(params.tz)
    began, began_cpu = time.perf_counter(), time.process_time()
    phases: dict[str, float] = {}
    rng = np.random.default_rng(seed)
    end = datetime.now(tz).replace(tzinfo=None, microsecond=0)
    start = datetime.combine(
        end.date() - timedelta(days=round(years * 365.25)), datetime.min.time()
    )
    span = Span(np.datetime64(start, "s"), (end - start).total_seconds() / SECONDS_PER_DAY)
    plans = plan_accounts(accounts, span.days, posts_per_account_per_week, rng)
    pool = caption_pool(seed)
    factory = fresh_database(path)

    mark = time.perf_counter()
    with factory() as session:
        report = import_registry_records(session, registry_records(plans))
        if report.errors:
            raise RuntimeError(f"registry import failed: {report.errors[:3]}")
        session.commit()
    phases["registry"] = time.perf_counter() - mark

    mark = time.perf_counter()
    posts = import_batches(
        factory,
        "posts",
        batches(plans, lambda p, line: post_records(p, span, pool, rng, line), batch_rows),
        tz,
    )
    phases["posts"] = time.perf_counter() - mark
    if log:
        log(f"  posts: {posts} in {phases['posts']:.1f}s")

    mark = time.perf_counter()
    snapshots = import_batches(
        factory,
        "followers",
        batches(
            plans,
            lambda p, line: snapshot_records(p, span, snapshot_every_days, rng, line),
            batch_rows,
        ),
        tz,
    )
    phases["snapshots"] = time.perf_counter() - mark
    if log:
        log(f"  snapshots: {snapshots} in {phases['snapshots']:.1f}s")
    bind = factory.kw["bind"]
    bind.dispose()

    mark = time.perf_counter()
    store_rankings(path, params.tz)  # captions, aggregates, rankings: once, after the imports
    phases["refresh"] = time.perf_counter() - mark

    info = ScaleInfo(
        path=path,
        params=params,
        opds=len({p.opd.code for p in plans}),
        accounts=len(plans),
        posts=posts,
        snapshots=snapshots,
        start=start,
        end=end,
        seconds=time.perf_counter() - began,
        cpu_seconds=time.process_time() - began_cpu,
        phases=phases,
    )
    sidecar_path(path).write_text(json.dumps(info.to_json(), indent=2), encoding="utf-8")
    return info


def ensure_scale_db(
    path: Path, params: dict[str, Any], log: Callable[[str], Any] | None = None
) -> ScaleInfo:
    """Reuse the build at ``path`` when its sidecar matches ``params``, else build it."""
    found = reuse(path, ScaleParams(**params))
    return found if found is not None else build_scale_db(path, **params, log=log)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="regency")
    parser.add_argument("--out", type=Path, default=None, help="default $TMPDIR/pantau-<preset>.db")
    parser.add_argument(
        "--snapshot-every-days", type=int, default=None, help="default: the preset's"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the file matches")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, emit: Callable[[str], Any] = print) -> int:
    args = parse_args(argv)
    out: Path = args.out or default_path(args.preset)
    params = dict(PRESETS[args.preset])
    if args.snapshot_every_days is not None:
        params["snapshot_every_days"] = args.snapshot_every_days
    if args.force:
        sidecar_path(out).unlink(missing_ok=True)
    info = ensure_scale_db(out, params, log=emit)
    emit(info.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
