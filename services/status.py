"""The status use case: what is in the database and how it is configured (secrets hidden)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import fmt
from core.settings import Settings
from db import queries
from db.migrate import current_revision
from db.models import Account, FollowerSnapshot, Opd, Post


def opd_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Opd)) or 0)


def status_summary(session: Session, settings: Settings) -> pd.DataFrame:
    """Key/value rows: schema revision, data source, row counts, last runs, settings."""

    def count(model: type[Opd] | type[Account] | type[Post] | type[FollowerSnapshot]) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    bind = session.get_bind()
    rows: list[tuple[str, str]] = [
        ("schema_revision", str(current_revision(bind.engine))),
        ("data_source", "demo" if queries.is_demo(session) else "real"),
        ("opds", str(count(Opd))),
        ("accounts", str(count(Account))),
        ("posts", str(count(Post))),
        ("follower_snapshots", str(count(FollowerSnapshot))),
    ]
    for run in queries.runs_frame(session, limit=5).to_dict(orient="records"):
        when = fmt.date_time(pd.Timestamp(run["started_at"]).to_pydatetime(), settings.tz)
        text = f"{run['kind']} {run['status']} {when} {run['source'] or ''}".strip()
        rows.append((f"run_{run['run_id']}", text))
    rows.extend(settings.redacted().items())
    return pd.DataFrame(rows, columns=["key", "value"])
