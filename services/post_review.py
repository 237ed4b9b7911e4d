"""The post-by-post review (Tinjauan Unggahan, ``cli.py review``, the recap's and Kinerja OPD
Saya's posts to fix): every post of a month with its caption checklist and its mark.

A post is a *problem* when an element is missing, it is outside the office's rule, or it has
a typo or a jargon term (docs/metrics.md). Diskominfo's staff (admin, reviewer) who followed
it up with the OPD mark it ("Tandai ditindaklanjuti"); a marked post leaves the list of posts
to fix. An OPD's own admin never marks: the OPD would certify itself.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from core.period import month_period
from core.settings import Settings
from db import audit, post_marks
from metrics.captions import caption_reports
from metrics.compliance import fix_first, post_checklist
from services.users import Principal

REVIEW_COLUMNS = [
    "opd_code", "platform", "handle", "post_id", "posted_at", "url", "official", "activity",
    "location", "time", "attendees", "official_level", "outside_rule", "typos", "jargon",
    "score",
]  # fmt: skip
EXTRA_COLUMNS = [
    "db_post_id", "account_id", "opd_id", "opd_name", "caption", "length", "missing",
    "problem", "marked_by", "marked_at", "note",
]  # fmt: skip
BOOLEAN_COLUMNS = ["official", "activity", "location", "time", "attendees", "outside_rule"]
NOTE_MAX = 1000  # characters of a mark's note kept


STAFF_ONLY = "Tanda ditindaklanjuti hanya dibuat oleh Bidang Komunikasi Publik Diskominfo."


class ReviewError(Exception):
    """A mark that cannot be made or removed: no such post, or not a staff member's doing."""


def post_review(
    session: Session, month: str, settings: Settings, *, opd_id: int | None = None
) -> pd.DataFrame:
    """Every post of the month (local month) of active accounts, of one OPD when ``opd_id``
    is given, newest first: REVIEW_COLUMNS then EXTRA_COLUMNS.

    ``posted_at`` and ``marked_at`` are UTC timestamps; ``score`` is NaN for a post without
    text (which misses every element, features nobody and so is outside the rule)."""
    period = month_period(month, settings.tz)
    posts = post_marks.review_posts_frame(session, period.start, period.end, opd_id)
    posts = posts.reset_index(drop=True)
    reports = caption_reports(posts["caption"]).rename(columns={"caption_score": "score"})
    review = pd.concat([posts, reports], axis=1)
    review = pd.concat([review, post_checklist(review)], axis=1)
    for col in ("typos", "jargon", "length"):
        review[col] = review[col].astype("int64")
    review["score"] = review["score"].astype("float64")
    return review[REVIEW_COLUMNS + EXTRA_COLUMNS]


def posts_to_fix(review: pd.DataFrame) -> pd.DataFrame:
    """The problem posts not yet marked, lowest score first (posts without text first), then
    the newest."""
    return fix_first(review)


def cli_table(review: pd.DataFrame, tz: ZoneInfo, fmt: str) -> pd.DataFrame:
    """REVIEW_COLUMNS as ``cli.py review`` prints them: posted_at local in ISO 8601 with its
    offset, the score a whole number (empty without text), booleans true/false (JSON's own
    booleans in json)."""
    out = review[REVIEW_COLUMNS].copy()
    out["posted_at"] = [stamp.tz_convert(tz).isoformat() for stamp in out["posted_at"]]
    out["score"] = out["score"].round().astype("Int64")
    if fmt != "json":
        for col in BOOLEAN_COLUMNS:
            out[col] = out[col].map({True: "true", False: "false"})
    return out


def _check_allowed(session: Session, post_db_id: int, by: Principal) -> None:
    if not by.sees_everything:  # an OPD's admin would certify its own follow-up
        raise ReviewError(STAFF_ONLY)
    if post_marks.post_opd_id(session, post_db_id) is None:
        raise ReviewError("Unggahan tidak ditemukan.")


def mark_followed_up(
    session: Session, post_db_id: int, by: Principal, note: str | None, now: datetime
) -> None:
    """Mark a post (``posts.id``) as followed up by ``by`` at ``now`` with ``note``; marking
    again replaces the mark. Only staff (admin, reviewer) mark: anyone else, or an unknown
    post, raises :class:`ReviewError`."""
    _check_allowed(session, post_db_id, by)
    text = (note or "").strip()[:NOTE_MAX] or None
    before = audit.mark_state(session, post_db_id)
    post_marks.upsert_mark(session, post_db_id, by.username, text, now)
    after = {"oleh": by.username, "catatan": text}
    audit.record(session, by.username, "mark.marked", _post_name(session, post_db_id), before,
                 after, now)  # fmt: skip
    session.commit()


def unmark(session: Session, post_db_id: int, by: Principal) -> bool:
    """Remove a post's mark; False when it had none. Same rule as marking."""
    _check_allowed(session, post_db_id, by)
    before = audit.mark_state(session, post_db_id)
    removed = post_marks.delete_mark(session, post_db_id)
    if removed:
        audit.record(session, by.username, "mark.unmarked", _post_name(session, post_db_id),
                     before, None)  # fmt: skip
    session.commit()
    return removed


def _post_name(session: Session, post_db_id: int) -> str:
    """How the audit trail names a post: its account and the platform's post id."""
    return audit.post_label(session, post_db_id) or f"unggahan {post_db_id}"
