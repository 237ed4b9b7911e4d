"""Collection health: failure streaks, last success and expiring credentials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from db import repository as repo
from db import tokens as token_store
from services.collection_health import (
    NEVER_COLLECTED,
    collection_health,
    consecutive_failures,
    expiring_tokens,
    results_since_last_success,
    token_expiry_frame,
)

NOW = datetime(2026, 11, 26, 6, tzinfo=UTC)
KEY = Fernet.generate_key().decode()
SECRET = "tok.RAHASIA-akses-123"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], 0),
        (["ok"], 0),
        (["failed"], 1),
        (["failed", "failed", "ok"], 2),
        (["failed", "skipped", "failed", "ok", "failed"], 2),  # skipped: not counted, no break
        (["skipped", "skipped"], 0),
        (["ok", "failed", "failed"], 0),  # recovered
        (["skipped", "failed", "ok"], 1),
        (["failed"] * 5, 5),
    ],
)
def test_consecutive_failures(statuses: list[str], expected: int) -> None:
    assert consecutive_failures(statuses) == expected


def plant_results(session: Session) -> dict[str, int]:
    """Three accounts with known histories (oldest first) and one never collected."""
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    ids = {
        name: repo.upsert_account(session, opd, platform, f"demo.{name}").id
        for name, platform in (
            ("streak", "tiktok"), ("never_ok", "facebook"), ("recovered", "instagram"),
            ("fresh", "youtube"),
        )
    }  # fmt: skip
    histories = {
        "streak": [("ok", None), ("failed", "auth"), ("skipped", None), ("failed", "auth")],
        "never_ok": [("failed", "not_found")],
        "recovered": [("failed", "transient"), ("ok", None)],
    }
    for step in range(4):
        run = repo.start_run(session, "collect")
        rows = []
        for name, history in histories.items():
            if step < len(history):
                status, error = history[step]
                message = f"Pesan {name} {step}" if status == "failed" else None
                when = NOW - timedelta(days=4 - step)
                rows.append(repo.ResultRow(ids[name], when, status, error, message))
        repo.record_account_results(session, run.id, rows)
        repo.finish_run(session, run, "partial", f"Langkah {step}")
    session.commit()
    return ids


def test_results_since_last_success_reads_only_the_tail(session: Session) -> None:
    ids = plant_results(session)
    tail = results_since_last_success(session)
    per_account = tail.groupby("account_id")["status"].agg(list).to_dict()
    assert per_account[ids["streak"]] == ["failed", "skipped", "failed", "ok"]
    assert per_account[ids["never_ok"]] == ["failed"]
    assert per_account[ids["recovered"]] == ["ok"]
    assert ids["fresh"] not in per_account


def test_collection_health(session: Session) -> None:
    ids = plant_results(session)
    view = collection_health(session, now=NOW)
    frame = view.accounts.set_index("account_id")
    assert frame.loc[ids["streak"], "consecutive_failures"] == 2
    assert frame.loc[ids["streak"], "error_class"] == "auth"
    assert frame.loc[ids["streak"], "error_message"] == "Pesan streak 3"
    assert frame.loc[ids["streak"], "last_success_at"] == pd.Timestamp(NOW - timedelta(days=4))
    assert frame.loc[ids["never_ok"], "consecutive_failures"] == 1
    assert pd.isna(frame.loc[ids["never_ok"], "last_success_at"])
    assert frame.loc[ids["recovered"], "consecutive_failures"] == 0
    assert pd.isna(frame.loc[ids["recovered"], "error_message"])  # recovered: no current error
    assert frame.loc[ids["fresh"], "last_status"] == NEVER_COLLECTED
    assert view.accounts["handle"].tolist()[:3] == ["demo.streak", "demo.never_ok", "demo.fresh"]
    assert (view.failing, view.never_collected, view.tokens_expiring) == (2, 1, 0)
    assert view.has_collections and len(view.runs) == 4


def test_expiring_tokens_reads_dates_only(session: Session) -> None:
    ids = plant_results(session)
    pairs = {
        "streak": token_store.TokenPair(
            SECRET, "rft.RAHASIA", NOW + timedelta(days=3), NOW + timedelta(days=300)
        ),
        "never_ok": token_store.TokenPair("tok.B", None, NOW - timedelta(hours=1)),
        "recovered": token_store.TokenPair("tok.C", None, NOW + timedelta(days=30)),
        "fresh": token_store.TokenPair("tok.D"),
    }  # fmt: skip
    for name, pair in pairs.items():
        token_store.save_token(session, ids[name], pair, KEY)
    session.commit()
    frame = token_expiry_frame(session)
    assert list(frame.columns) == ["account_id", "access_expires_at", "refresh_expires_at"]
    view = collection_health(session, now=NOW)
    tokens = view.tokens
    assert tokens[["handle", "token", "days_left"]].values.tolist() == [
        ["demo.never_ok", "access", -1],
        ["demo.streak", "access", 3],
    ]
    assert view.tokens_expiring == 2
    assert SECRET not in tokens.to_string()


def test_expiring_tokens_on_empty_frames() -> None:
    tokens = pd.DataFrame(columns=["account_id", "access_expires_at", "refresh_expires_at"])
    accounts = pd.DataFrame(columns=["account_id", "opd_name", "platform", "handle"])
    assert expiring_tokens(tokens, accounts, NOW).empty


def test_empty_database(session: Session) -> None:
    view = collection_health(session, now=NOW)
    assert view.accounts.empty and view.tokens.empty and view.runs.empty
    assert not view.has_collections
    assert (view.failing, view.never_collected, view.tokens_expiring) == (0, 0, 0)


# ---- the tables of Status Pengambilan Data -------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "source", "expected"),
    [
        ("collect", "platform=facebook", "Facebook"),
        ("collect", "platform=website", "Situs web"),
        ("collect", "platform=x,instagram opd=DINKES", "Instagram, X"),
        ("collect", "platform=tiktok,youtube", "TikTok, YouTube"),
        ("collect", "opd=DINKES", "Semua platform"),
        ("collect", "all", "Semua platform"),
        ("collect", None, "–"),  # written before runs named their platforms
        ("import", "unggahan_november.csv", "–"),  # a file may hold any platform
        ("demo", None, "Semua platform"),
    ],
)
def test_run_platforms_in_indonesian(kind: str, source: str | None, expected: str) -> None:
    from ui.loaders_health import run_platforms

    assert run_platforms(kind, source) == expected


def test_runs_table_names_the_platform_of_each_run(
    session: Session, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectors.run import PassOptions, describe
    from tests.app_support import serve_from
    from ui.loaders_health import runs_table

    app = serve_from(db_url, monkeypatch)  # the table's times read the app's settings
    next(app)

    for platforms in ({"instagram"}, {"facebook", "youtube"}, None):
        options = PassOptions(frozenset(platforms) if platforms else None)
        repo.finish_run(session, repo.start_run(session, "collect", describe(options)), "ok", "")
    repo.finish_run(session, repo.start_run(session, "import", "berkas.csv"), "ok", "")
    session.commit()
    table = runs_table(collection_health(session, NOW).runs).frame
    assert table.columns.tolist()[:2] == ["Jenis", "Platform"]
    assert table[["Jenis", "Platform"]].values.tolist() == [
        ["Impor berkas", "–"],
        ["Pengambilan data", "Semua platform"],
        ["Pengambilan data", "Facebook, YouTube"],
        ["Pengambilan data", "Instagram"],
    ]
    next(app, None)  # empty the app's caches again


def _wib(day: int, hour: int, minute: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.mark.parametrize(
    ("expires", "as_of", "expected"),
    [
        (_wib(27, 0, 30), _wib(26, 23, 0), "Kedaluwarsa besok"),  # 1.5 hours, another date
        (_wib(26, 23, 59), _wib(26, 0, 29), "Kedaluwarsa hari ini"),  # almost a day, same date
        (_wib(1, 0, 10, month=12), _wib(30, 23, 59), "Kedaluwarsa besok"),  # month end
        (_wib(29, 9, 0), _wib(26, 23, 0), "Kedaluwarsa dalam 3 hari"),
        (_wib(26, 8, 0), _wib(26, 8, 0), "Sudah kedaluwarsa"),
        (_wib(25, 23, 0), _wib(26, 0, 29), "Sudah kedaluwarsa"),
    ],
)
def test_token_expiry_counts_wib_calendar_days(
    expires: datetime, as_of: datetime, expected: str
) -> None:
    from ui.loaders_health import expiry_state, tokens_table

    assert expiry_state(pd.Timestamp(expires), as_of) == expected
    frame = pd.DataFrame(
        {"opd_name": ["Dinas"], "platform": ["tiktok"], "handle": ["demo.tiktok"],
         "token": ["access"], "expires_at": [pd.Timestamp(expires)], "days_left": [0]}
    )  # fmt: skip
    assert tokens_table(frame, as_of).frame["Keadaan"].tolist() == [expected]
