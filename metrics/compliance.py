"""Caption compliance with the office's guidance, per account (from per-post checklists)."""

from __future__ import annotations

import pandas as pd

from metrics.captions import ELEMENT_NAMES, LEVELS_WITHIN_RULE


def compliance_by_account(review: pd.DataFrame) -> pd.DataFrame:
    """Per account: posts, mean caption score, share (%) with all five elements, share within
    the office's rule on whose activities may be posted, and share with typos or jargon.

    ``review`` has one row per post with account_id and the caption checklist columns.
    """
    frame = review.assign(
        complete=review[list(ELEMENT_NAMES)].all(axis=1),
        within_rule=review["official_level"].isin(LEVELS_WITHIN_RULE),
        clean=(review["typos"] == 0) & (review["jargon"] == 0),
    )
    out = frame.groupby("account_id").agg(
        posts=("complete", "size"),
        caption_score=("caption_score", "mean"),
        complete_pct=("complete", "mean"),
        within_rule_pct=("within_rule", "mean"),
        clean_pct=("clean", "mean"),
    )
    for col in ("complete_pct", "within_rule_pct", "clean_pct"):
        out[col] = out[col] * 100
    return out.reset_index()


def outside_rule(review: pd.DataFrame) -> pd.DataFrame:
    """Posts featuring nobody, or someone outside the ranks the office allows."""
    return review[~review["official_level"].isin(LEVELS_WITHIN_RULE)]


def post_checklist(review: pd.DataFrame) -> pd.DataFrame:
    """Per post (rows of :func:`metrics.captions.caption_reports` or alike): ``missing``, the
    tuple of missing element names in ELEMENT_NAMES order; ``outside_rule``; and ``problem``:
    an element missing, outside the rule, a typo or a jargon term (docs/metrics.md). Same
    index as ``review``, which must be unique."""
    elements = review[list(ELEMENT_NAMES)].astype(bool)
    missing = [
        tuple(name for name, present in zip(ELEMENT_NAMES, row, strict=True) if not present)
        for row in elements.itertuples(index=False)
    ]
    outside = review.index.isin(outside_rule(review).index)
    problem = ~elements.all(axis=1) | outside | (review["typos"] > 0) | (review["jargon"] > 0)
    return pd.DataFrame(
        {"missing": pd.Series(missing, index=review.index, dtype=object),
         "outside_rule": outside, "problem": problem.astype(bool)},
        index=review.index,
    )  # fmt: skip


def fix_first(review: pd.DataFrame) -> pd.DataFrame:
    """The problem posts nobody has marked yet, in the order to fix them: lowest score first
    (a post without text before any score), then the newest. ``review`` has problem,
    marked_at, score and posted_at."""
    todo = review[review["problem"] & review["marked_at"].isna()]
    return todo.sort_values(
        ["score", "posted_at"], ascending=[True, False], na_position="first", kind="mergesort"
    )


def compliance_from_months(rows: pd.DataFrame, key: str = "account_id") -> pd.DataFrame:
    """The same measures from monthly totals (``account_months`` rows), grouped by ``key``.

    Shares are of all the month's posts, a post without caption counting as incomplete and
    outside the rule (it names nobody) but free of typos and jargon, as per post above.
    """
    sums = rows.groupby(key).agg(
        posts=("posts", "sum"), caption_score_sum=("caption_score_sum", "sum"),
        caption_scored=("caption_scored", "sum"), complete=("caption_complete", "sum"),
        within=("caption_within_rule", "sum"), clean=("caption_clean", "sum"),
    )  # fmt: skip
    posts = sums["posts"].where(sums["posts"] > 0)
    scored = sums["caption_scored"].where(sums["caption_scored"] > 0)
    out = pd.DataFrame(
        {
            "posts": sums["posts"],
            "caption_score": sums["caption_score_sum"] / scored,
            "complete_pct": sums["complete"] / posts * 100,
            "within_rule_pct": sums["within"] / posts * 100,
            "clean_pct": sums["clean"] / posts * 100,
        }
    )
    return out[out["posts"] > 0].reset_index()
