"""The caption-compliance use case: a month's posts checked against the office's guidance."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from core.period import month_period
from core.settings import Settings
from db import queries
from metrics.captions import caption_reports


def caption_review(session: Session, month: str, settings: Settings) -> pd.DataFrame:
    """One row per post of the month: account, time, link, caption and its checklist."""
    period = month_period(month, settings.tz)
    posts = queries.posts_frame(session, period.start, period.as_of)
    accounts = queries.accounts_frame(session, active_only=True)
    posts = posts.merge(
        accounts[["account_id", "opd_code", "opd_name", "platform", "handle"]], on="account_id"
    )
    return pd.concat([posts, caption_reports(posts["caption"])], axis=1)
