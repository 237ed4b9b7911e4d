"""Reply rate: how often the account's owner answers the public in the comments.

``reply_rate = comments with at least one reply by the owner / comments × 100``, over the
comments of the period's posts (Fanpage Karma's service level, on public data). Only some
platforms expose the owner's replies to a reader: YouTube comment threads with any API key;
Facebook and Instagram only with the page owner's token. Elsewhere the rate is unknown and the
dashboard says "tidak tersedia" rather than showing 0.
"""

from __future__ import annotations

import pandas as pd

REPLY_RATE_PLATFORMS = frozenset({"youtube"})  # plus facebook/instagram with an owner token
NOT_AVAILABLE = "tidak tersedia"


def reply_rate(comments: pd.DataFrame) -> pd.DataFrame:
    """Per account: comments, comments answered by the owner, and the rate in percent.

    ``comments`` has one row per top-level public comment with account_id and
    owner_replied (bool). A comment whose answer is unknown (<NA>) is left out; an account
    without known comments has no rate (NaN), not 0.
    """
    replied = comments["owner_replied"].astype("boolean")
    grouped = comments.assign(owner_replied=replied).groupby("account_id")["owner_replied"]
    out = pd.DataFrame({"comments": grouped.count(), "answered": grouped.sum()})
    out["reply_rate"] = out["answered"] / out["comments"].where(out["comments"] > 0) * 100
    return out.reset_index()


def reply_rate_label(platform: str, rate: float | None) -> str | None:
    """None when a number can be shown; 'tidak tersedia' where the platform hides replies."""
    if platform not in REPLY_RATE_PLATFORMS or rate is None or pd.isna(rate):
        return NOT_AVAILABLE
    return None
