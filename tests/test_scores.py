"""Stored month rankings: the same as computing them, and never used when out of date."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.period import comparison_period, month_period
from core.settings import load_settings
from db import repository as repo
from db.engine import make_engine, make_session_factory
from db.models import MonthScore
from metrics.month_scores import score_month
from refresh.aggregates import rebuild_months
from refresh.captions import score_new_captions
from refresh.months import load_months
from refresh.scores import store_month_scores
from services.ranking import from_stored, scored_months

COLUMNS = ["account_id", "score", "rank", "status", "days_since_last_post", "followers",
           "engagement_rate", "growth_weekly", "caption_score", "posts"]  # fmt: skip


def live(session: Session, month: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    settings = load_settings(environ={})
    period = month_period(month, settings.tz)
    # what the month is compared with: the month before, or the same days of it (running)
    now, before = load_months(
        session, [period, comparison_period(period, settings.tz)], settings.tz
    )
    return score_month(now, settings), score_month(before, settings)


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a[COLUMNS].sort_values("account_id").reset_index(drop=True)
    b = b[COLUMNS].sort_values("account_id").reset_index(drop=True)
    for col in COLUMNS:
        left, right = a[col].astype(object), b[col].astype(object)
        if col in ("status",):
            assert left.tolist() == right.tolist(), col
        else:
            np.testing.assert_allclose(
                pd.to_numeric(left, errors="coerce"), pd.to_numeric(right, errors="coerce"),
                rtol=1e-9, err_msg=col,
            )  # fmt: skip


def test_stored_scores_equal_computed_ones(demo_db_url: str) -> None:
    settings = load_settings(environ={})
    month = datetime.now(UTC).astimezone(settings.tz).strftime("%Y-%m")
    with make_session_factory(make_engine(demo_db_url))() as session:
        assert session.scalar(select(MonthScore.account_id).limit(1)) is not None  # demo stored
        period = month_period(month, settings.tz)
        stored = from_stored(session, period, settings, *_accounts(session))
        assert stored is not None
        fast_now, fast_before = scored_months(session, month, settings)
        slow_now, slow_before = live(session, month)
        same(fast_now, slow_now)
        same(fast_before, slow_before)


def _accounts(session: Session) -> tuple[pd.DataFrame, set[int]]:
    from db import queries

    accounts = queries.accounts_frame(session, active_only=True)
    return accounts, set(accounts["account_id"])


def test_out_of_date_scores_are_not_used(demo_db_url: str) -> None:
    settings = load_settings(environ={})
    period = month_period(datetime.now(UTC).astimezone(settings.tz).strftime("%Y-%m"), settings.tz)
    with make_session_factory(make_engine(demo_db_url))() as session:
        other = replace(settings, index_weights="consistency=1,engagement=0,growth=0,caption=0")
        assert from_stored(session, period, other, *_accounts(session)) is None  # other weights
        store_month_scores(session, other)
        session.commit()
        assert from_stored(session, period, other, *_accounts(session)) is not None
        opd = repo.upsert_opd(session, "BARU", "OPD Baru", "dinas")
        repo.upsert_account(session, opd, "instagram", "demo.baru")
        session.commit()
        assert from_stored(session, period, other, *_accounts(session)) is None  # new account
        when = datetime.now(UTC)
        account_id = repo.account_ids_by_handle(session)[("instagram", "demo.dinkes")]
        store_month_scores(session, other)
        repo.upsert_posts(
            session, [repo.PostRow(account_id, "new-post", when, likes=1, comments=1)]
        )
        score_new_captions(session)
        rebuild_months(session, settings.tz)
        session.commit()
        assert from_stored(session, period, other, *_accounts(session)) is None  # newer data
