"""The regency-wide hashtag and mention leaderboard of one month (Peringkat, "Tagar dan
sebutan"): which tags the watched accounts use, how often, and which accounts use each."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from core.period import month_period
from core.settings import Settings
from db import queries
from metrics.engagement import post_interactions
from metrics.hashtags import tag_leaderboard

TOP_TAGS = 20
ACCOUNT_COLUMNS = ["account_id", "opd_name", "platform", "handle"]


@dataclass(frozen=True)
class MonthTags:
    """One month's leaderboards over the posts of every watched (active) account."""

    month: str
    posts: int  # the month's posts read so far
    captioned: int  # of which with caption text (a post without one has no tags)
    hashtags: pd.DataFrame  # metrics.hashtags.BOARD_COLUMNS
    mentions: pd.DataFrame  # the same columns
    accounts: pd.DataFrame  # ACCOUNT_COLUMNS of the accounts named in either board


def month_tags(session: Session, month: str, settings: Settings, top: int = TOP_TAGS) -> MonthTags:
    """The month's ``top`` hashtags and mentions, from its first day to its end (or now)."""
    period = month_period(month, settings.tz)
    accounts = queries.accounts_frame(session, active_only=True)
    posts = queries.posts_frame(
        session, period.start, period.as_of, account_ids=accounts["account_id"].tolist()
    )
    posts = posts.merge(accounts[["account_id", "platform"]], on="account_id")
    posts["interactions"] = post_interactions(posts)
    hashtags = tag_leaderboard(posts, "hashtag", top=top)
    mentions = tag_leaderboard(posts, "mention", top=top)
    named = {i for board in (hashtags, mentions) for ids in board["account_ids"] for i in ids}
    return MonthTags(
        month=month,
        posts=len(posts),
        captioned=int(posts["caption"].map(_has_text).sum()),
        hashtags=hashtags,
        mentions=mentions,
        accounts=accounts.loc[accounts["account_id"].isin(named), ACCOUNT_COLUMNS],
    )


def _has_text(caption: object) -> bool:
    return isinstance(caption, str) and bool(caption.strip())
