"""Hashtag and mention leaderboard from captions."""

from __future__ import annotations

import re

import pandas as pd

from metrics.captions.text import as_text

HASHTAG = re.compile(r"(?<![\w#])#(\w{2,60})")
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9._]{2,30})(?<!\.)")


def extract_tags(caption: object) -> tuple[list[str], list[str]]:
    """Lower-cased hashtags and mentions of one caption, each once, in order of appearance.

    A missing caption (None, NaN, pd.NA, anything but a string) has none."""
    caption = as_text(caption)
    if not caption:
        return [], []
    tags = list(dict.fromkeys(t.lower() for t in HASHTAG.findall(caption)))
    mentions = list(dict.fromkeys(m.lower() for m in MENTION.findall(caption)))
    return tags, mentions


def tag_leaderboard(posts: pd.DataFrame, kind: str = "hashtag", top: int = 20) -> pd.DataFrame:
    """Per tag: posts using it, accounts using it and mean interactions of those posts.

    ``posts`` needs account_id, caption and interactions; ``kind`` is hashtag or mention.
    """
    if kind not in ("hashtag", "mention"):
        raise ValueError("kind must be 'hashtag' or 'mention'")
    index = 0 if kind == "hashtag" else 1
    tags = posts["caption"].map(lambda c: extract_tags(c)[index])
    exploded = posts.assign(tag=tags).explode("tag").dropna(subset=["tag"])
    if exploded.empty:
        return pd.DataFrame(columns=["tag", "posts", "accounts", "mean_interactions"])
    board = exploded.groupby("tag", as_index=False).agg(
        posts=("account_id", "size"),
        accounts=("account_id", "nunique"),
        mean_interactions=("interactions", "mean"),
    )
    return board.sort_values(["posts", "tag"], ascending=[False, True]).head(top)
