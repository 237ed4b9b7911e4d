"""The monthly pre-aggregates: the dirty account-months rebuilt, counting captions by the
caption checker's rule (the SQL is ``db.aggregates``; the rule comes from metrics.captions)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from db.aggregates import CaptionRule, rebuild_dirty_months
from metrics.captions import CLEAN_MASK, COMPLETE_MASK, LEVELS_WITHIN_RULE

CAPTION_RULE = CaptionRule(COMPLETE_MASK, CLEAN_MASK, LEVELS_WITHIN_RULE)


def rebuild_months(session: Session, tz: ZoneInfo) -> int:
    """Bring every dirty account-month up to date (every month when ``tz`` changed);
    returns rows rewritten. Caller commits."""
    return rebuild_dirty_months(session, tz, CAPTION_RULE)
