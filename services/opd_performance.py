"""The Kinerja OPD Saya use case: one OPD's month as its admin and its head read it.

One call returns everything the page and the one-page PDF show: the OPD's place among OPDs,
each account's place among accounts of its platform, status and six-month trend, the month
against the last, the reminders the OPD received and its posts to fix. Ranks and statuses
are those of Peringkat for the same month (``metrics.month_scores``), so the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from core.period import comparison_label, comparison_period, month_period
from core.settings import Settings
from db import queries
from metrics.compliance import compliance_from_months
from metrics.month_scores import MonthData, score_month
from metrics.ranking import movers, rank_known
from refresh.months import load_months
from services.post_review import post_review, posts_to_fix
from services.ranking import by_opd

TREND_MONTHS = 6
FIXES_KEPT = 20  # the page and the PDF show the first ones; Tinjauan Unggahan has them all
ACCOUNT_COLUMNS = [
    "account_id", "platform", "handle", "status", "status_reason", "days_since_last_post",
    "last_posted_at", "posts", "followers", "engagement_rate", "caption_score", "score", "rank",
    "platform_rank", "platform_ranked", "posts_trend", "score_trend",
]  # fmt: skip
REMINDER_COLUMNS = ["received_at", "account_id", "platform", "handle", "channel", "status"]
SHOWN_REMINDERS = ("sent", "queued", "sending", "failed")  # a cancelled one never went out


@dataclass(frozen=True)
class MonthFigures:
    """One month of one OPD: totals over its accounts and its place among OPDs."""

    month: str
    posts: int
    interactions: int | None  # None when no account shows its interactions (websites only)
    followers: int | None  # at the month's end; None when no count is known
    caption_score: float | None  # mean over the month's scored captions
    complete_pct: float | None  # share of posts naming all five elements
    within_rule_pct: float | None  # share of posts featuring an official the rule allows
    score: float | None  # the OPD's activity index (mean of its accounts')
    rank: int | None  # among OPDs; None when none of its accounts could be ranked


@dataclass(frozen=True)
class OpdPerformance:
    opd_id: int
    opd_code: str
    opd_name: str
    month: str
    as_of: datetime  # UTC: the month's end, or now while it runs
    tz: ZoneInfo  # the zone (settings.tz) every time on the page and the PDF is shown in
    is_demo: bool
    opds_ranked: int  # OPDs with a place this month
    rank_change: float | None  # places gained since last month; None when unranked in either
    current: MonthFigures
    previous: MonthFigures  # a running month's: the same days of the month before
    compared_with: str  # the previous figures' name: 'Oktober 2026' or '1–6 November 2026'
    accounts: pd.DataFrame  # ACCOUNT_COLUMNS, one row per watched account of the OPD
    trend: pd.DataFrame  # one row per month, oldest first: MonthFigures' fields
    reminders: pd.DataFrame  # REMINDER_COLUMNS, newest first, up to as_of
    fixes: pd.DataFrame  # the first FIXES_KEPT posts to fix (services.post_review's columns)
    fixes_total: int  # all the month's posts to fix

    @property
    def comparison(self) -> pd.DataFrame:
        """The month and what it is compared with, as two rows (oldest first) of ``trend``'s
        columns: what the comparison table shows."""
        return trend_frame([self.previous, self.current])

    @property
    def has_accounts(self) -> bool:
        return not self.accounts.empty

    @property
    def readable_accounts(self) -> int:
        """Accounts with a place in the ranking (neither unreadable nor without data)."""
        return int(self.accounts["rank"].notna().sum())


def trend_months(month: str, count: int = TREND_MONTHS) -> list[str]:
    """The ``count`` months ending with ``month``, oldest first."""
    last = pd.Period(month, freq="M")
    return [str(last - i) for i in range(count - 1, -1, -1)]


def with_platform_ranks(scored: pd.DataFrame) -> pd.DataFrame:
    """Adds each account's place among the ranked accounts of its own platform
    (``platform_rank``) and how many accounts of that platform have a place."""
    out = scored.copy()
    out["platform_rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out["platform_ranked"] = 0
    for _platform, rows in out.groupby("platform"):
        known = rows["rank"].notna()
        out.loc[rows.index, "platform_rank"] = rank_known(rows["score"], known)
        out.loc[rows.index, "platform_ranked"] = int(known.sum())
    return out


def _optional_int(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _optional_float(value: object) -> float | None:
    return None if pd.isna(value) else float(value)  # type: ignore[call-overload,arg-type]


def opd_table(scored: pd.DataFrame) -> pd.DataFrame:
    """The month's OPD ranking (as Peringkat per OPD), empty when nothing is watched."""
    return by_opd(scored) if len(scored) else pd.DataFrame(columns=["opd_id", "score", "rank"])


def month_figures(
    data: MonthData, scored: pd.DataFrame, opds: pd.DataFrame, opd_id: int
) -> MonthFigures:
    """The OPD's totals in one month: ``scored`` is score_month of ``data``, ``opds`` the
    month's OPD ranking."""
    mine = scored[scored["opd_id"] == opd_id]
    rows = data.current[data.current["account_id"].isin(mine["account_id"])]
    interactions = pd.to_numeric(rows["interactions"], errors="coerce")
    followers = pd.to_numeric(mine["followers"], errors="coerce")
    compliance = compliance_from_months(rows.assign(opd_id=opd_id), key="opd_id")
    caption = compliance.iloc[0] if len(compliance) else pd.Series(dtype="float64")
    own = opds[opds["opd_id"] == opd_id]
    return MonthFigures(
        month=data.period.month,
        posts=int(mine["posts"].sum()),
        interactions=int(interactions.sum()) if interactions.notna().any() else None,
        followers=int(followers.sum()) if followers.notna().any() else None,
        caption_score=_optional_float(caption.get("caption_score")),
        complete_pct=_optional_float(caption.get("complete_pct")),
        within_rule_pct=_optional_float(caption.get("within_rule_pct")),
        score=_optional_float(own["score"].iloc[0]) if len(own) else None,
        rank=_optional_int(own["rank"].iloc[0]) if len(own) else None,
    )


def opd_rank_change(now: pd.DataFrame, before: pd.DataFrame, opd_id: int) -> float | None:
    """Places the OPD gained among OPDs since the previous month (as Peringkat shows it);
    ``now`` and ``before`` are the two months' OPD rankings."""
    own = now[now["opd_id"] == opd_id]
    if own.empty or before.empty:
        return None
    return _optional_float(movers(own, before, key="opd_id").iloc[0])


def account_rows(scored: list[pd.DataFrame], opd_id: int) -> pd.DataFrame:
    """The OPD's accounts in the last month of ``scored``, with their platform place and the
    posts and index of each month (oldest first) for a small trend."""
    current = with_platform_ranks(scored[-1])
    mine = current[current["opd_id"] == opd_id].sort_values(["platform", "handle"])
    by_month = [s.set_index("account_id") for s in scored]
    ids = mine["account_id"]
    posts = [[int(m["posts"].get(a, 0)) for m in by_month] for a in ids]
    scores = [[_optional_float(m["score"].get(a)) for m in by_month] for a in ids]
    mine = mine.assign(
        posts_trend=pd.Series(posts, index=mine.index, dtype=object),
        score_trend=pd.Series(scores, index=mine.index, dtype=object),
    )
    return mine[ACCOUNT_COLUMNS].reset_index(drop=True)


def received_reminders(session: Session, opd_id: int, as_of: datetime) -> pd.DataFrame:
    """Reminders about the OPD's accounts up to ``as_of``, newest first; a sent one dated when
    it went out, one still waiting when it was queued."""
    accounts = queries.accounts_frame(session)
    accounts = accounts.loc[accounts["opd_id"] == opd_id, ["account_id", "platform", "handle"]]
    frame = queries.reminders_frame(session).merge(accounts, on="account_id")
    frame = frame[frame["status"].isin(SHOWN_REMINDERS)].copy()
    sent = frame["sent_at"].dt.as_unit("us")  # one precision on both sides for fillna
    frame["received_at"] = sent.fillna(frame["created_at"].dt.as_unit("us"))
    frame = frame[frame["received_at"] < pd.Timestamp(as_of)]
    frame = frame.sort_values("received_at", ascending=False, kind="stable")
    return frame[REMINDER_COLUMNS].reset_index(drop=True)


def trend_frame(figures: list[MonthFigures]) -> pd.DataFrame:
    return pd.DataFrame([vars(f) for f in figures])


def opd_performance(
    session: Session, opd_id: int, month: str, settings: Settings
) -> OpdPerformance | None:
    """Everything Kinerja OPD Saya shows for one OPD and month; None when the OPD is unknown."""
    opds = queries.opds_frame(session)
    found = opds[opds["opd_id"] == opd_id]
    if found.empty:
        return None
    periods = [month_period(m, settings.tz) for m in trend_months(month)]
    compared = comparison_period(periods[-1], settings.tz)
    # a running month is compared with the same days of the month before, read after the
    # trend's months (the trend itself keeps whole months)
    cut = [compared] if compared.running else []
    data = load_months(session, periods + cut, settings.tz)
    scored = [score_month(d, settings) for d in data]
    opds_by_month = [opd_table(s) for s in scored]
    figures = [
        month_figures(d, s, o, opd_id) for d, s, o in zip(data, scored, opds_by_month, strict=True)
    ]
    now = len(periods) - 1
    before = now + 1 if cut else now - 1
    fixes = posts_to_fix(post_review(session, month, settings, opd_id=opd_id))
    return OpdPerformance(
        opd_id=opd_id,
        opd_code=str(found["opd_code"].iloc[0]),
        opd_name=str(found["opd_name"].iloc[0]),
        month=month,
        as_of=periods[-1].as_of,
        tz=settings.tz,
        is_demo=queries.is_demo(session),
        opds_ranked=int(opds_by_month[now]["rank"].notna().sum()),
        rank_change=opd_rank_change(opds_by_month[now], opds_by_month[before], opd_id),
        current=figures[now],
        previous=figures[before],
        compared_with=comparison_label(compared, settings.tz),
        accounts=account_rows(scored[: now + 1], opd_id),
        trend=trend_frame(figures[: now + 1]),
        reminders=received_reminders(session, opd_id, periods[-1].as_of),
        fixes=fixes.head(FIXES_KEPT).reset_index(drop=True),
        fixes_total=len(fixes),
    )
