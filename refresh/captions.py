"""Caption scores: every caption without a score yet is checked once and the result stored
with its post (a cache the monthly caption totals are summed from)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from db.aggregates import CaptionScore, store_caption_scores, unscored_captions
from metrics.captions import caption_reports, checklist_flags

BATCH = 5_000  # captions per check: identical captions within a batch are checked once


def score_new_captions(session: Session, batch: int = BATCH) -> int:
    """Check every caption that has no score yet (new posts, changed captions): its score,
    the official level it features and its checklist flags are stored with the post, and
    its month marked dirty. Returns how many captions were checked. Caller commits."""
    checked, last_id = 0, 0
    while rows := unscored_captions(session, last_id, batch):
        reports = caption_reports(pd.Series([row.caption for row in rows]))
        flags = checklist_flags(reports)
        store_caption_scores(session, [
            CaptionScore(row, None if pd.isna(score) else float(score), level, int(flag))
            for row, score, level, flag in zip(
                rows, reports["caption_score"], reports["official_level"], flags, strict=True
            )
        ])  # fmt: skip
        checked += len(rows)
        last_id = rows[-1].id
    return checked
