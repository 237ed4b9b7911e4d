"""Wire a collection pass together: client, collectors, shared retry policy and quotas.

The YouTube quota is per day (Google resets it at midnight Pacific time), so the units spent
are remembered in the database between passes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import httpx
from sqlalchemy.orm import Session, sessionmaker

from collectors import REGISTRY, collector_for
from collectors.base import Collector
from collectors.http import HttpOptions, build_client
from collectors.run import AccountOutcome, PassOptions, PassReport, collect_pass
from collectors.youtube import QuotaBudget
from core.settings import Settings
from core.timeutil import utcnow
from db import repository as repo

PACIFIC = timezone(timedelta(hours=-8))  # YouTube's quota day; close enough across DST


def quota_key(now: datetime | None = None) -> str:
    return f"youtube_quota_used:{(now or utcnow()).astimezone(PACIFIC).date().isoformat()}"


def load_youtube_budget(session: Session, settings: Settings) -> QuotaBudget:
    used = int(repo.get_meta(session, quota_key()) or 0)
    return QuotaBudget(daily_limit=int(settings.youtube_daily_quota), used=used)


def pass_options(
    settings: Settings, platforms: frozenset[str] | None = None, opd_code: str | None = None
) -> PassOptions:
    conc = settings.concurrency_map()
    default = conc.pop("default")
    return PassOptions(platforms, opd_code, int(settings.refresh_days), conc, default)


def run_collection(
    factory: sessionmaker[Session],
    settings: Settings,
    options: PassOptions,
    transport: httpx.BaseTransport | None = None,
    http_options: HttpOptions | None = None,
    on_outcome: Callable[[AccountOutcome], None] | None = None,
) -> tuple[PassReport, int]:
    """One pass; returns its report and the number of HTTP requests it made."""
    http_options = http_options or HttpOptions()
    with factory() as session:
        budget = load_youtube_budget(session, settings)

    def make(platform: str) -> Callable[[httpx.Client, Settings], Collector]:
        def build(client: httpx.Client, cfg: Settings) -> Collector:
            return collector_for(platform, client, cfg, options=http_options, youtube_budget=budget)

        return build

    registry = {platform: make(platform) for platform in REGISTRY}
    with build_client(settings, transport) as client:
        report = collect_pass(factory, client, settings, registry, options, on_outcome)
    with factory() as session:
        repo.set_meta(session, quota_key(), str(budget.used))
        session.commit()
    return report, http_options.counter.count
