"""Hashtag and mention leaderboard from captions."""

from __future__ import annotations

import re

import pandas as pd

from metrics.captions.text import as_text

HASHTAG = re.compile(r"(?<![\w#])#(\w{2,60})")
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9._]{2,30})(?<!\.)")
BOARD_COLUMNS = ["tag", "posts", "accounts", "account_ids", "mean_interactions"]


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
    """Per tag: posts using it, accounts using it, which accounts (``account_ids``, the one
    using it most first, then by id) and mean interactions of those posts.

    ``posts`` needs account_id, caption and interactions; ``kind`` is hashtag or mention.
    Posts with unknown interactions count as posts and are left out of the mean.
    """
    if kind not in ("hashtag", "mention"):
        raise ValueError("kind must be 'hashtag' or 'mention'")
    index = 0 if kind == "hashtag" else 1
    tags = posts["caption"].map(lambda c: extract_tags(c)[index])
    exploded = posts.assign(tag=tags).explode("tag").dropna(subset=["tag"])
    if exploded.empty:
        return pd.DataFrame(columns=BOARD_COLUMNS)
    exploded["interactions"] = pd.to_numeric(exploded["interactions"], errors="coerce")
    board = exploded.groupby("tag", as_index=False).agg(
        posts=("account_id", "size"),
        accounts=("account_id", "nunique"),
        mean_interactions=("interactions", "mean"),
    )
    board["account_ids"] = board["tag"].map(_users_of_each_tag(exploded))
    board = board.sort_values(["posts", "accounts", "tag"], ascending=[False, False, True])
    return board[BOARD_COLUMNS].head(top).reset_index(drop=True)


def _users_of_each_tag(exploded: pd.DataFrame) -> pd.Series:
    """Tag → account ids, the account with most posts of the tag first (ties by id)."""
    uses = exploded.groupby(["tag", "account_id"]).size().rename("uses").reset_index()
    uses = uses.sort_values(["tag", "uses", "account_id"], ascending=[True, False, True])
    return uses.groupby("tag")["account_id"].agg(lambda ids: [int(i) for i in ids])
