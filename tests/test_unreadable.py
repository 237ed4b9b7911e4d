"""Accounts Pantau cannot read: their own status with the reason, never dormant, not ranked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from collectors import messages
from db.models import Account, AccountResult, CollectionRun, Opd
from db.queries import latest_reads
from metrics.activity import (
    ACTIVE,
    DORMANT,
    NO_DATA,
    UNREADABLE,
    account_status,
    opd_status,
    unreadable_reasons,
)
from metrics.month_scores import leave_out_unranked
from metrics.ranking import movers, rank_known
from services.ranking import split_unranked

AS_OF = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # midnight WIB, 1 December
REASON = "Akun Instagram ini bukan akun profesional."


def reads(*rows: tuple[int, str, str | None, bool]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["account_id", "last_status", "error_class", "ever_ok"])
    frame["message"] = [REASON if c else None for c in frame["error_class"]]
    return frame


@pytest.mark.parametrize(
    ("last_status", "error_class", "ever_ok", "unreadable"),
    [
        ("ok", None, True, False),  # read fine
        ("failed", "not_found", True, True),  # turned personal / deleted since
        ("failed", "auth", True, True),  # a token revoked: lasts until someone acts
        ("failed", "config", False, True),  # no credential yet
        ("failed", "transient", True, False),  # a hiccup after good reads: posts still tell
        ("failed", "rate_limited", True, False),
        ("failed", "transient", False, True),  # never read at all: nothing is known
        ("skipped", "quota", False, True),  # skipped because the platform's quota ran out
        ("skipped", None, False, False),  # the worker stopped: says nothing
    ],
)
def test_which_accounts_cannot_be_read(
    last_status: str, error_class: str | None, ever_ok: bool, unreadable: bool
) -> None:
    reasons = unreadable_reasons(reads((7, last_status, error_class, ever_ok)))
    assert (7 in reasons.index) is unreadable
    if unreadable:
        assert reasons[7] == REASON


def test_an_unreadable_account_is_not_dormant_even_with_old_posts() -> None:
    accounts = pd.DataFrame({"account_id": [1, 2, 3], "platform": ["instagram"] * 3})
    history = pd.DataFrame({
        "account_id": [1, 2], "posts_total": [5, 5],
        "last_posted_at": [pd.Timestamp(AS_OF - timedelta(days=90))] * 2,
    })  # fmt: skip
    reasons = unreadable_reasons(reads((1, "failed", "not_found", True)))
    out = account_status(accounts, history, {1, 2}, AS_OF, unreadable=reasons)
    assert out["status"].tolist() == [UNREADABLE, DORMANT, NO_DATA]
    assert out["status_reason"].tolist() == [REASON, "", ""]
    # an OPD with a dormant and an unreadable account is dormant; with only unreadable, unreadable
    both = out.assign(opd_id=[1, 1, 2])
    assert opd_status(both)["status"].tolist() == [DORMANT, NO_DATA]
    alone = out.assign(opd_id=[1, 2, 2]).iloc[[0]]
    assert opd_status(alone)["status"].tolist() == [UNREADABLE]


def test_unranked_accounts_get_no_score_and_no_place() -> None:
    frame = pd.DataFrame({
        "account_id": [1, 2, 3, 4], "opd_code": ["A", "B", "C", "D"], "platform": ["x"] * 4,
        "score": [0.0, 55.0, 0.0, 20.0], "status": [UNREADABLE, ACTIVE, NO_DATA, DORMANT],
    })  # fmt: skip
    ranked = leave_out_unranked(frame)
    placed, left_out = split_unranked(ranked)
    assert placed["account_id"].tolist() == [2, 4] and placed["rank"].tolist() == [1, 2]
    assert set(left_out["account_id"]) == {1, 3} and left_out["score"].isna().all()


def test_the_first_month_shows_no_movement() -> None:
    """Before the first month nothing was ranked: nobody 'drops a place' (was ▼1 for all)."""
    current = pd.DataFrame({"account_id": [1, 2], "rank": pd.array([1, 2], dtype="Int64")})
    before = pd.DataFrame({"account_id": [1, 2], "rank": pd.array([pd.NA, pd.NA], dtype="Int64")})
    assert movers(current, before).isna().all()
    moved = movers(current, before.assign(rank=pd.array([2, 1], dtype="Int64")))
    assert moved.tolist() == [1.0, -1.0]
    assert rank_known(pd.Series([3.0, 9.0]), pd.Series([False, False])).isna().all()


def test_latest_reads_takes_the_newest_meaningful_attempt(session: Session) -> None:
    opd = Opd(code="DINKES", name="Dinas Kesehatan")
    session.add(opd)
    session.flush()
    ig = Account(opd_id=opd.id, platform="instagram", handle="dinkes")
    yt = Account(opd_id=opd.id, platform="youtube", handle="dinkestv")
    session.add_all([ig, yt])
    session.flush()

    def result(account: Account, hours: int, status: str, error: str | None) -> AccountResult:
        run = CollectionRun(kind="collect", started_at=AS_OF - timedelta(hours=hours))
        session.add(run)
        session.flush()
        return AccountResult(
            run_id=run.id, account_id=account.id, started_at=AS_OF - timedelta(hours=hours),
            status=status, error_class=error, message=REASON if error else None,
        )  # fmt: skip

    session.add_all([
        result(ig, 30, "ok", None), result(ig, 20, "failed", "not_found"),
        result(ig, 10, "skipped", None),  # a stopped pass: ignored
        result(yt, 5, "failed", "transient"), result(yt, 1, "ok", None),
    ])  # fmt: skip
    session.flush()
    frame = latest_reads(session, AS_OF).set_index("account_id")
    assert frame.loc[ig.id, "last_status"] == "failed" and bool(frame.loc[ig.id, "ever_ok"])
    assert frame.loc[yt.id, "last_status"] == "ok"
    before = latest_reads(session, AS_OF - timedelta(hours=25)).set_index("account_id")
    assert before.loc[ig.id, "last_status"] == "ok" and yt.id not in before.index
    assert list(unreadable_reasons(latest_reads(session, AS_OF)).index) == [ig.id]


def test_no_message_sends_the_office_to_the_developer() -> None:
    every = [messages.message(p, k) for p in messages.NAMES for k in (
        "rate_limited", "transient", "malformed", "not_found", "auth", "config", "quota",
        "permission", "account_auth")]  # fmt: skip
    assert every and not [m for m in every if "pengembang" in m.lower()]
    assert all(len(m) > 40 for m in every)
