"""Use cases over the demo world: caption review and the ranking's public columns."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy.orm import Session

from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from metrics.compliance import compliance_by_account
from services.captions import caption_review
from services.ranking import RANKING_COLUMNS, cli_table, ranking


def last_month() -> str:
    return (pd.Period(datetime.now(UTC).strftime("%Y-%m"), "M") - 1).strftime("%Y-%m")


def open_demo(url: str) -> Session:
    return make_session_factory(make_engine(url))()


def test_caption_review_of_a_demo_month(demo_db_url: str) -> None:
    with open_demo(demo_db_url) as session:
        review = caption_review(session, last_month(), load_settings(environ={}))
    assert len(review) > 500
    assert set(review["official_level"]) >= {"head", "other"}
    summary = compliance_by_account(review)
    assert summary["complete_pct"].between(0, 100).all()
    assert summary["complete_pct"].max() > 50 > summary["complete_pct"].min()


def test_ranking_has_the_public_columns_and_caption_scores(demo_db_url: str) -> None:
    settings = load_settings(environ={})
    with open_demo(demo_db_url) as session:
        table = cli_table(ranking(session, last_month(), settings))
        by_opd = ranking(session, last_month(), settings, by="opd")
    assert list(table.columns) == RANKING_COLUMNS
    assert table["caption_score"].notna().sum() > 80
    assert table["rank"].min() == 1 and table["rank"].is_monotonic_increasing
    assert by_opd["opd_code"].is_unique and len(by_opd) >= 40
    assert by_opd["rank_change"].notna().any()
