"""Derived data's one home: what the writers' data implies, brought up to date after writes.

Collectors, importers and the dashboard's admin actions only write (and mark the account
months they touched). Whoever ran the pass of writes then calls :func:`after_write` once,
and commits. It does, in order:

1. score the captions that have no score yet (``refresh.captions``);
2. rebuild the dirty monthly aggregates (``refresh.aggregates``, SQL in ``db.aggregates``);
3. store the kept months' rankings (``refresh.scores``; read back by ``services.ranking``).

Each step only does what the writes left to do, so a second call finds no caption and no
month to redo and stores the same rankings again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.settings import Settings
from refresh.aggregates import rebuild_months
from refresh.captions import score_new_captions
from refresh.scores import store_month_scores

__all__ = ["RefreshReport", "after_write"]


@dataclass(frozen=True)
class RefreshReport:
    """What one :func:`after_write` did."""

    captions_scored: int  # captions checked (new posts, changed captions)
    month_rows: int  # monthly aggregate rows rewritten
    month_scores: int  # stored ranking rows (every watched account, for each kept month)


def after_write(session: Session, settings: Settings) -> RefreshReport:
    """Bring the derived data up to date after a pass of writes. Caller commits."""
    scored = score_new_captions(session)
    rewritten = rebuild_months(session, settings.tz)
    stored = store_month_scores(session, settings)
    return RefreshReport(scored, rewritten, stored)
