"""The monthly review use case (Tinjauan Bulanan and the briefing): a month against the last.

One call reads everything the review page and the briefing exports show: both months'
overviews (KPIs and trends), the ranking with its movers, the dormant accounts, the month's
best posts and caption compliance per OPD.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from core.period import (
    Period,
    comparison_label,
    comparison_period,
    month_period,
    previous_month,
)
from core.settings import Settings
from core.timeutil import utcnow
from db import queries
from metrics.activity import DORMANT, account_status
from metrics.compliance import compliance_from_months
from metrics.engagement import post_interactions
from metrics.month_scores import thresholds_from
from metrics.outliers import overperformance
from metrics.reminder_answers import ANSWER_DAYS, ReminderAnswers, answer_states, count_answers
from refresh.months import load_months
from services.overview import Overview, opds_without_account, overview
from services.ranking import scored_months, with_movers

MOVERS = 10  # accounts listed per direction
BEST_POSTS = 10
HISTORY_DAYS = 180  # enough history for the over-performance benchmark (up to 100 posts)
TREND_MONTHS = 6  # the dormant accounts' trend: the month and the five before it


@dataclass(frozen=True)
class MonthReview:
    month: str
    compared_with: str  # 'Oktober 2026', or for a running month '1–6 November 2026'
    is_demo: bool
    current: Overview
    previous: Overview
    ranking: pd.DataFrame  # per account, RANKING_COLUMNS + rank_change + admin contact
    movers_up: pd.DataFrame  # rank_change > 0, biggest climb first
    movers_down: pd.DataFrame  # rank_change < 0, biggest drop first
    dormant: pd.DataFrame  # dormant accounts, longest silence first
    best_posts: pd.DataFrame  # the month's posts with the most interactions
    compliance: pd.DataFrame  # caption compliance per OPD
    opd_ranking: pd.DataFrame  # per OPD (as Peringkat by OPD), with rank_change
    dormant_trend: pd.DataFrame  # month, dormant: at the end of each of the last 6 months
    no_account: pd.DataFrame  # the OPDs without any watched account, by name (opd_code, opd_name)
    reminders: ReminderAnswers  # reminders sent in the month, answered or not


def split_movers(ranked: pd.DataFrame, limit: int = MOVERS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accounts that climbed and that fell against last month, the largest moves first."""
    change = ranked["rank_change"].astype("Float64")
    up = ranked[change.fillna(0) > 0].assign(_c=change).sort_values("_c", ascending=False)
    down = ranked[change.fillna(0) < 0].assign(_c=change).sort_values("_c")
    return (
        up.head(limit).drop(columns="_c").reset_index(drop=True),
        down.head(limit).drop(columns="_c").reset_index(drop=True),
    )


def dormant_accounts(ranked: pd.DataFrame) -> pd.DataFrame:
    dormant = ranked[ranked["status"] == DORMANT]
    order = dormant["days_since_last_post"].astype("Float64").fillna(np.inf)
    return dormant.assign(_d=order).sort_values(["_d", "opd_code"], ascending=[False, True]).drop(
        columns="_d"
    ).reset_index(drop=True)  # fmt: skip


def _performance(session: Session, top: pd.DataFrame, period: Period) -> pd.Series:
    """Over-performance of the top posts against their own account's recent posts."""
    if top.empty:
        return pd.Series(dtype="float64")
    history = queries.posts_frame(
        session, period.start - timedelta(days=HISTORY_DAYS), period.as_of,
        account_ids=sorted(set(top["account_id"])), with_caption=False,
    )  # fmt: skip
    history = history.merge(top[["account_id", "platform"]].drop_duplicates(), on="account_id")
    history["interactions"] = post_interactions(history).astype("float64")
    scored = overperformance(history, period.as_of)
    key = ["account_id", "platform_post_id"]
    merged = top[key].merge(scored[[*key, "performance"]], on=key, how="left")
    return pd.Series(merged["performance"].to_numpy(), index=top.index, dtype="float64")


def best_posts(
    session: Session, period: Period, accounts: pd.DataFrame, limit: int = BEST_POSTS
) -> pd.DataFrame:
    """The month's posts with the most interactions, with their over-performance score."""
    posts = queries.posts_frame(session, period.start, period.as_of)
    info = accounts[["account_id", "opd_code", "opd_name", "platform", "handle"]]
    posts = posts.merge(info, on="account_id")
    posts["interactions"] = post_interactions(posts)
    top = posts.dropna(subset=["interactions"]).sort_values(
        ["interactions", "posted_at"], ascending=[False, False]
    )
    top = top.head(limit).reset_index(drop=True)
    top["performance"] = _performance(session, top, period)
    return top


def compliance_by_opd(session: Session, month: str, accounts: pd.DataFrame) -> pd.DataFrame:
    """Caption compliance per OPD, from the month's totals (each caption is checked once,
    when it is stored; see db/aggregates.py)."""
    rows = queries.month_aggregates(session, [month])
    rows = rows.merge(accounts[["account_id", "opd_code", "opd_name"]], on="account_id")
    if rows.empty:
        columns = ["opd_code", "opd_name", "posts", "caption_score", "complete_pct"]
        return pd.DataFrame(columns=[*columns, "within_rule_pct", "clean_pct"])
    by_opd = compliance_from_months(rows, key="opd_code")
    names = rows[["opd_code", "opd_name"]].drop_duplicates("opd_code")
    out = names.merge(by_opd, on="opd_code")
    return out.sort_values(["complete_pct", "opd_code"], ascending=[False, True]).reset_index(
        drop=True
    )


def dormant_trend(
    session: Session, month: str, settings: Settings, months: int = TREND_MONTHS
) -> pd.DataFrame:
    """Dormant accounts at the end of ``month`` and of the months before it (the running
    month: now), from the monthly aggregates; a month with none is a 0, never a gap."""
    wanted = [str(pd.Period(month, freq="M") - i) for i in range(months - 1, -1, -1)]
    periods = [month_period(m, settings.tz) for m in wanted]
    counts = []
    for data in load_months(session, periods, settings.tz):
        status = account_status(
            data.accounts, data.history, data.observed, data.period.as_of,
            thresholds_from(settings), data.unreadable,
        )  # fmt: skip
        counts.append(int((status["status"] == DORMANT).sum()))
    return pd.DataFrame({"month": wanted, "dormant": counts})


def month_reminders(session: Session, period: Period) -> ReminderAnswers:
    """The reminders sent in the month and whether each was answered (metrics.reminder_answers)."""
    sent = queries.reminders_frame(session)
    sent = sent[sent["status"] == "sent"]
    # one unit for both moments: a column of only NULLs reads as seconds, and filling it from
    # microseconds warns now and fails from pandas 4
    sent_at, created_at = (sent[c].dt.as_unit("us") for c in ("sent_at", "created_at"))
    sent = sent.assign(sent_at=sent_at.fillna(created_at))  # no moment kept: when it was made
    sent = sent[(sent["sent_at"] >= period.start) & (sent["sent_at"] < period.as_of)]
    posts = queries.posts_frame(
        session, period.start, period.end + timedelta(days=ANSWER_DAYS),
        account_ids=sorted(set(sent["account_id"])), with_caption=False,
    )  # fmt: skip
    return count_answers(answer_states(sent.reset_index(drop=True), posts, utcnow()))


def month_review(session: Session, month: str, settings: Settings) -> MonthReview:
    before = previous_month(month)
    current, previous = scored_months(session, month, settings)
    ranked = with_movers(current, previous, by="account")
    up, down = split_movers(ranked)
    period = month_period(month, settings.tz)
    compared = comparison_period(period, settings.tz)  # a running month: the same days
    accounts = queries.accounts_frame(session, active_only=True)
    return MonthReview(
        month=month,
        is_demo=queries.is_demo(session),
        current=overview(session, month, settings, scored=current),
        previous=overview(session, before, settings, scored=previous, period=compared),
        compared_with=comparison_label(compared, settings.tz),
        ranking=ranked,
        movers_up=up,
        movers_down=down,
        dormant=dormant_accounts(ranked),
        best_posts=best_posts(session, period, accounts),
        compliance=compliance_by_opd(session, month, accounts),
        opd_ranking=with_movers(current, previous, by="opd"),
        dormant_trend=dormant_trend(session, month, settings),
        no_account=opds_without_account(session),
        reminders=month_reminders(session, period),
    )
