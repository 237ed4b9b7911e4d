"""Manual import of posts and follower counts: parsing, reporting, idempotence and speed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Account, Base, CollectionRun, FollowerSnapshot, Post
from ingest.data_import import (
    FOLLOWER_COLUMNS,
    POST_COLUMNS,
    ImportReport,
    import_file,
    import_records,
)
from ingest.issues import IssueError
from ingest.registry import import_registry
from ingest.values import parse_count, parse_datetime

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
POSTS_HEADER = ",".join(POST_COLUMNS)
FOLLOWERS_HEADER = ",".join(FOLLOWER_COLUMNS)
WIB = ZoneInfo("Asia/Pontianak")


@pytest.fixture
def registered(session: Session) -> Session:
    """Five accounts: instagram dinkes.sintang, facebook dinkessintang, youtube, website…"""
    report = import_registry(session, FIXTURES / "registry.csv")
    assert report.accounts_created == 5
    session.commit()
    return session


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, sec, tzinfo=UTC)


def _posts(session: Session) -> dict[str, Post]:
    return {p.platform_post_id: p for p in session.scalars(select(Post))}


def _snapshots(session: Session) -> list[tuple[str, datetime, int | None]]:
    stmt = select(Account.handle, FollowerSnapshot.observed_at, FollowerSnapshot.followers).join(
        Account, Account.id == FollowerSnapshot.account_id
    )
    return sorted((row[0], row[1], row[2]) for row in session.execute(stmt).all())


def _dump(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except the run log, which records each import by design."""
    return {
        table.name: sorted((tuple(r) for r in session.execute(select(table)).all()), key=repr)
        for table in Base.metadata.sorted_tables
        if table.name != CollectionRun.__tablename__
    }


def _runs(session: Session) -> list[CollectionRun]:
    return list(session.scalars(select(CollectionRun).order_by(CollectionRun.id)))


def _issues(report: ImportReport) -> list[tuple[int, str | None, str]]:
    return [(i.line, i.column, i.code) for i in report.issues]


# --- the posts fixture ---------------------------------------------------------------------


def test_posts_file_stores_good_rows_and_reports_bad_ones(registered: Session) -> None:
    report = import_file(registered, FIXTURES / "posts.csv")
    registered.commit()

    assert report.kind == "posts"
    assert report.source == "posts.csv"
    assert _issues(report) == [
        (5, "posted_at", "bad_date"),
        (6, "comments", "negative_count"),
        (7, "likes", "fractional_count"),
        (8, "posted_at", "bad_date"),
        (8, "likes", "bad_count"),
        (9, "handle", "unknown_handle"),
        (12, "posted_at", "future_date"),
        (13, "post_id", "duplicate_row"),
    ]
    assert (report.rows_read, report.rows_stored, report.new_rows) == (11, 3, 3)
    assert set(_posts(registered)) == {"P1", "P2", "P6"}
    assert report.status == "partial"


def test_posts_values_times_and_null_counts(registered: Session) -> None:
    import_file(registered, FIXTURES / "posts.csv")
    posts = _posts(registered)

    p2 = posts["P2"]  # the record spanning lines 3-4
    assert p2.caption == "Baris satu\nbaris dua, dengan koma"
    assert p2.posted_at == _utc(2026, 11, 20, 3, 0)
    assert (p2.likes, p2.comments, p2.shares, p2.views) == (12345, 12345, 0, None)
    assert p2.url is None

    p6 = posts["P6"]  # 26-11-2026 is local midnight, WIB = UTC+7
    assert p6.posted_at == _utc(2026, 11, 25, 17, 0)
    assert (p6.likes, p6.comments, p6.shares, p6.views, p6.caption) == (None,) * 5


def test_duplicate_rows_keep_the_last_and_warn_with_both_lines(registered: Session) -> None:
    report = import_file(registered, FIXTURES / "posts.csv")
    warning = next(i for i in report.issues if i.code == "duplicate_row")

    assert warning.severity == "warning"
    assert warning.params["first_line"] == 2
    assert warning.message("en").startswith("Line 13: same entry as line 2 (")
    assert warning.message("id").startswith("Baris 13: data sama dengan baris 2 (")
    p1 = _posts(registered)["P1"]
    assert (p1.caption, p1.likes, p1.comments, p1.url) == ("Halo warga (ralat)", 20, None, None)
    assert p1.posted_at == _utc(2026, 11, 20, 1, 30)


def test_unknown_handles_are_reported_and_never_created(registered: Session) -> None:
    accounts_before = registered.scalar(select(func.count()).select_from(Account))
    report = import_file(registered, FIXTURES / "posts.csv")

    assert report.unknown_handles == {("tiktok", "unknown.one"): [9, 11]}
    assert registered.scalar(select(func.count()).select_from(Account)) == accounts_before
    assert registered.scalars(select(Account).where(Account.platform == "tiktok")).all() == []
    issue = next(i for i in report.issues if i.code == "unknown_handle")
    assert "lines 9, 11" in issue.message("en")
    assert "belum terdaftar (2 baris: baris 9, 11)" in issue.message("id")


def test_every_issue_has_english_and_indonesian_text(registered: Session) -> None:
    report = import_file(registered, FIXTURES / "posts.csv")
    for issue in report.issues:
        english, indonesian = issue.message("en"), issue.message("id")
        assert english.startswith(f"Line {issue.line}: ")
        assert indonesian.startswith(f"Baris {issue.line}: ")
        assert "{" not in english + indonesian  # every placeholder was filled
    bad = next(i for i in report.issues if i.line == 5)
    assert bad.message("id") == (
        "Baris 5: tanggal '31/02/2026 08:30' pada kolom posted_at tidak valid. "
        "Gunakan format 2026-11-26 08:30 atau 26/11/2026 08:30."
    )
    negative = next(i for i in report.issues if i.line == 6)
    assert negative.message("en") == (
        "Line 6: '-2' in column comments is negative; counts cannot be below zero."
    )


def test_reimport_changes_nothing(registered: Session) -> None:
    first = import_file(registered, FIXTURES / "posts.csv")
    import_file(registered, FIXTURES / "followers_semicolon_bom.csv")
    registered.commit()
    before = _dump(registered)
    runs_before = len(_runs(registered))

    again = import_file(registered, FIXTURES / "posts.csv")
    import_file(registered, FIXTURES / "followers_semicolon_bom.csv")
    registered.commit()

    assert _dump(registered) == before
    assert len(_runs(registered)) == runs_before + 2
    assert (again.rows_stored, again.new_rows) == (first.rows_stored, 0)
    assert sum(len(rows) for rows in before.values()) > 0  # the comparison is not vacuous


def test_each_import_is_recorded_as_a_run(registered: Session) -> None:
    import_file(registered, FIXTURES / "posts.csv")
    clean = f"{POSTS_HEADER}\ninstagram,dinkes.sintang,Q1,2026-11-01 10:00,,,,,,\n".encode()
    import_file(registered, clean, "bersih.csv")
    import_file(registered, b"foo,bar\n1,2\n", "salah.csv")

    runs = [(r.kind, r.source, r.status) for r in _runs(registered)]
    assert runs == [
        ("import", "posts.csv", "partial"),
        ("import", "bersih.csv", "ok"),
        ("import", "salah.csv", "failed"),
    ]
    partial = _runs(registered)[0]
    assert partial.finished_at is not None
    assert partial.message is not None and "11 baris dibaca, 3 disimpan" in partial.message


def test_new_rows_counts_only_rows_that_did_not_exist(registered: Session) -> None:
    import_file(registered, f"{POSTS_HEADER}\nig,dinkes.sintang,A,2026-11-01,,7,,,,\n".encode())
    data = f"{POSTS_HEADER}\nig,dinkes.sintang,A,2026-11-01,,,3,,,\n"
    data += "ig,dinkes.sintang,B,2026-11-02,,,,,,\n"
    report = import_file(registered, data.encode(), "more.csv")

    assert (report.rows_stored, report.new_rows) == (2, 1)
    a = _posts(registered)["A"]
    assert (a.likes, a.comments) == (7, 3)  # an empty cell never erases a known count


# --- follower snapshots --------------------------------------------------------------------


def test_followers_semicolon_bom_crlf(registered: Session) -> None:
    report = import_file(registered, FIXTURES / "followers_semicolon_bom.csv")

    assert report.kind == "followers"
    assert _issues(report) == [(5, "followers", "fractional_count")]
    assert "'12,5'" in report.issues[0].message("en")
    assert (report.rows_read, report.rows_stored, report.new_rows) == (4, 3, 3)
    assert _snapshots(registered) == [
        ("dinkes.sintang", _utc(2026, 10, 31, 17, 0), 1234),
        ("dinkes.sintang", _utc(2026, 11, 1, 5, 0), 1250),
        ("diskominfosintang", _utc(2026, 11, 1, 1, 0), None),
    ]


def test_duplicate_snapshot_time_keeps_last(registered: Session) -> None:
    data = (
        f"{FOLLOWERS_HEADER}\n"
        "instagram,dinkes.sintang,2026-11-01 08:00,100\n"
        "IG,https://instagram.com/dinkes.sintang,01/11/2026 08:00,120\n"
    )
    report = import_file(registered, data.encode(), "f.csv")
    assert _issues(report) == [(3, "observed_at", "duplicate_row")]
    assert report.issues[0].params["first_line"] == 2
    assert _snapshots(registered) == [("dinkes.sintang", _utc(2026, 11, 1, 1, 0), 120)]


def test_followers_file_may_carry_the_following_count(registered: Session) -> None:
    data = (
        f"{FOLLOWERS_HEADER},following\n"
        "instagram,dinkes.sintang,2026-11-01 08:00,100,57\n"
        "instagram,dinkes.sintang,2026-11-02 08:00,101,\n"
        "instagram,dinkes.sintang,2026-11-03 08:00,102,banyak\n"
    )
    report = import_file(registered, data.encode(), "f.csv")

    assert _issues(report) == [(4, "following", "bad_count")]  # not an unused column
    stmt = select(FollowerSnapshot.followers, FollowerSnapshot.following).order_by(
        FollowerSnapshot.observed_at
    )
    assert registered.execute(stmt).all() == [(100, 57), (101, None)]  # empty: unknown, not 0


# --- Excel ---------------------------------------------------------------------------------


def test_posts_xlsx_with_native_values(registered: Session, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Post_ID", "Platform", "Handle", "Posted_At", "Likes", "Views"])  # any order
    sheet.append([1789, "instagram", "dinkes.sintang", datetime(2026, 11, 20, 8, 30), 1500.0, 7])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["X2", "instagram", "dinkes.sintang", "31/02/2026", 1, None])
    sheet.append(["X3", "facebook", "dinkessintang", "20/11/2026 19.45", "2.500", 2.5])
    path = tmp_path / "unggahan.xlsx"
    book.save(path)

    report = import_file(registered, path)

    assert _issues(report) == [(4, "posted_at", "bad_date"), (5, "views", "fractional_count")]
    posts = _posts(registered)
    assert set(posts) == {"1789"}
    assert posts["1789"].posted_at == _utc(2026, 11, 20, 1, 30)
    assert (posts["1789"].likes, posts["1789"].views, posts["1789"].comments) == (1500, 7, None)


def test_xlsx_detected_without_suffix(registered: Session, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(FOLLOWER_COLUMNS))
    sheet.append(["fb", "dinkessintang", datetime(2026, 11, 2), 321])
    path = tmp_path / "upload.bin"
    book.save(path)

    report = import_file(registered, path.read_bytes())
    assert report.issues == []
    assert report.source == "upload"
    assert _snapshots(registered) == [("dinkessintang", _utc(2026, 11, 1, 17, 0), 321)]


# --- file-level problems -------------------------------------------------------------------


def test_missing_columns_is_a_file_error(registered: Session) -> None:
    data = b"platform,handle,post_id,caption\ninstagram,dinkes.sintang,P1,hai\n"
    report = import_file(registered, data, "posts.csv")

    assert report.failed and report.status == "failed"
    assert _issues(report) == [(0, None, "missing_columns")]
    assert (
        report.issues[0]
        .message("en")
        .startswith(
            "The file lacks the required column(s): posted_at. Expected header: platform,handle,"
        )
    )
    assert "kolom wajib: posted_at" in report.issues[0].message("id")
    assert _posts(registered) == {}
    assert _runs(registered)[-1].status == "failed"


def test_followers_missing_two_columns_lists_both(registered: Session) -> None:
    report = import_file(registered, b"platform,handle,followers\nig,dinkes.sintang,5\n")
    assert "observed_at" in report.issues[0].message("en")
    assert report.issues[0].params["columns"] == "observed_at"
    report = import_file(registered, b"handle,observed_at\ndinkes.sintang,2026-11-01\n")
    assert report.issues[0].params["columns"] == "platform, followers"


def test_unknown_header_shows_both_formats(registered: Session) -> None:
    report = import_file(registered, b"tanggal,jumlah\n2026-11-01,5\n", "data.csv")
    message = report.issues[0].message("en")

    assert report.kind is None and report.failed
    assert POSTS_HEADER in message and FOLLOWERS_HEADER in message
    assert "tanggal,jumlah" in message
    assert POSTS_HEADER in report.issues[0].message("id")


def test_extra_columns_are_a_warning_and_rows_still_stored(registered: Session) -> None:
    data = f"{FOLLOWERS_HEADER},catatan\nig,dinkes.sintang,2026-11-01,10,oke\n".encode()
    report = import_file(registered, data, "f.csv")

    assert [(i.line, i.code, i.severity) for i in report.issues] == [
        (0, "extra_columns", "warning")
    ]
    assert "catatan" in report.issues[0].message("id")
    assert report.rows_stored == 1 and report.status == "ok"


def test_non_utf8_file_is_reported_not_crashing(registered: Session) -> None:
    text = f"{POSTS_HEADER}\nig,dinkes.sintang,P1,2026-11-01,Sosialisasi di Kelam Permai – è,,,,,\n"
    report = import_file(registered, text.encode("cp1252"), "ansi.csv")

    assert _issues(report) == [(0, None, "not_utf8")]
    assert "line 2 is not UTF-8" in report.issues[0].message("en")
    assert "'CSV UTF-8'" in report.issues[0].message("id")
    assert _posts(registered) == {}


def test_unquoted_comma_in_caption_is_reported_and_later_lines_keep_numbers(
    registered: Session,
) -> None:
    data = (
        f"{POSTS_HEADER}\n"
        'ig,dinkes.sintang,A,2026-11-01,"kutip\n\nganda",,,,,\n'
        "ig,dinkes.sintang,B,2026-11-01,halo, semua,,,,,\n"
        "ig,dinkes.sintang,C,bukan tanggal,,,,,,\n"
    )
    report = import_file(registered, data.encode(), "p.csv")

    assert _issues(report) == [(5, None, "too_many_cells"), (6, "posted_at", "bad_date")]
    assert "11 cells but the header has 10" in report.issues[0].message("en")
    assert report.rows_read == 3
    assert _posts(registered)["A"].caption == "kutip\n\nganda"


def test_missing_required_value_in_a_row(registered: Session) -> None:
    data = f"{POSTS_HEADER}\n,dinkes.sintang,A,2026-11-01,,,,,,\nig,,B,2026-11-01,,,,,,\n"
    data += "ig,dinkes.sintang,,2026-11-01,,,,,,\nig,dinkes.sintang,D,,,,,,,\n"
    report = import_file(registered, data.encode(), "p.csv")
    assert _issues(report) == [
        (2, "platform", "missing_value"),
        (3, "handle", "handle_empty"),
        (4, "post_id", "missing_value"),
        (5, "posted_at", "missing_value"),
    ]
    assert report.rows_stored == 0


def test_summary_in_both_languages(registered: Session) -> None:
    report = import_file(registered, FIXTURES / "posts.csv")
    assert report.summary("en") == (
        "posts.csv: 11 rows read, 3 stored (3 new); 7 error(s), 1 warning(s), 1 unknown account(s)."
    )
    assert report.summary("id") == (
        "posts.csv: 11 baris dibaca, 3 disimpan (3 baru); 7 kesalahan, 1 peringatan, "
        "1 akun belum terdaftar."
    )


# --- in-memory records (the demo world) ----------------------------------------------------


def test_import_records_native_values(registered: Session) -> None:
    records = [
        (1, {"platform": "instagram", "handle": "dinkes.sintang", "post_id": "N1",
             "posted_at": datetime(2026, 11, 1, 9, 0), "likes": 5, "comments": None}),
        (2, {"platform": "instagram", "handle": "dinkes.sintang", "post_id": "N2",
             "posted_at": datetime(2026, 11, 1, 9, 0, tzinfo=UTC), "views": 10.0}),
        (3, {"platform": "instagram", "handle": "dinkes.sintang", "post_id": "N3",
             "posted_at": datetime(2026, 11, 1, 9, 0), "likes": True}),
    ]  # fmt: skip
    report = import_records(registered, "posts", records, "demo")

    assert _issues(report) == [(3, "likes", "bad_count")]
    posts = _posts(registered)
    assert posts["N1"].posted_at == _utc(2026, 11, 1, 2, 0)  # naive = WIB
    assert (posts["N1"].likes, posts["N1"].comments) == (5, None)
    assert posts["N2"].posted_at == _utc(2026, 11, 1, 9, 0)  # aware kept
    assert posts["N2"].views == 10
    assert _runs(registered)[-1].source == "demo"


def test_import_records_respects_the_configured_zone(registered: Session) -> None:
    records = [(1, {"platform": "ig", "handle": "dinkes.sintang",
                    "observed_at": "2026-11-01 09:00", "followers": "1.000"})]  # fmt: skip
    import_records(registered, "followers", records, "t", tz=ZoneInfo("Asia/Jayapura"))
    assert _snapshots(registered) == [("dinkes.sintang", _utc(2026, 11, 1, 0, 0), 1000)]


def test_import_records_is_fast_for_the_demo_world(registered: Session) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    handles = [("instagram", "dinkes.sintang"), ("facebook", "dinkessintang"),
               ("youtube", "diskominfosintang")]  # fmt: skip
    snapshots = [
        (n, {"platform": handles[n % 3][0], "handle": handles[n % 3][1],
             "observed_at": start + timedelta(minutes=10 * n), "followers": n})
        for n in range(60_000)
    ]  # fmt: skip
    posts = [
        (n, {"platform": handles[n % 3][0], "handle": handles[n % 3][1], "post_id": f"p{n}",
             "posted_at": start + timedelta(minutes=n), "caption": "Halo", "likes": n,
             "comments": None, "shares": None, "views": None, "url": None})
        for n in range(30_000)
    ]  # fmt: skip

    began = time.perf_counter()
    followers = import_records(registered, "followers", snapshots, "demo")
    stored = import_records(registered, "posts", posts, "demo")
    elapsed = time.perf_counter() - began

    assert (followers.rows_stored, followers.new_rows, followers.issues) == (60_000, 60_000, [])
    assert (stored.rows_stored, stored.new_rows, stored.issues) == (30_000, 30_000, [])
    assert elapsed < 20, f"90k records took {elapsed:.1f}s"


# --- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None), ("", None), ("   ", None), (0, 0), ("0", 0), (12345, 12345),
        ("12345", 12345), (" 12345 ", 12345), ("12.345", 12345), ("12,345", 12345),
        ("1.234.567", 1234567), ("1,234,567", 1234567), (1500.0, 1500), ("-0", 0),
    ],
)  # fmt: skip
def test_parse_count_accepts(value: object, expected: int | None) -> None:
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (-1, "negative_count"), ("-5", "negative_count"), ("-1.000", "negative_count"),
        ("1.5", "fractional_count"), ("12,5", "fractional_count"), (2.5, "fractional_count"),
        ("12.34", "fractional_count"), ("1.2345", "fractional_count"), ("-1.5", "negative_count"),
        ("abc", "bad_count"), ("1.234,56", "bad_count"), ("1,234.567", "bad_count"),
        ("12 345", "bad_count"), ("1e3", "bad_count"), (True, "bad_count"),
        (float("nan"), "bad_count"), ("sepuluh", "bad_count"), ("1.23.456", "bad_count"),
    ],
)  # fmt: skip
def test_parse_count_rejects(value: object, code: str) -> None:
    with pytest.raises(IssueError) as info:
        parse_count(value)
    assert info.value.code == code


NOW = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20T08:30:00+07:00", _utc(2026, 11, 20, 1, 30)),
        ("2026-11-20T08:30:00Z", _utc(2026, 11, 20, 8, 30)),
        ("2026-11-20T08:30:00+09:00", _utc(2026, 11, 19, 23, 30)),
        ("2026-11-20 08:30", _utc(2026, 11, 20, 1, 30)),
        ("2026-11-20 08:30:15", _utc(2026, 11, 20, 1, 30, 15)),
        ("2026-11-20", _utc(2026, 11, 19, 17, 0)),
        ("20/11/2026 08:30", _utc(2026, 11, 20, 1, 30)),
        ("20/11/2026 08.30", _utc(2026, 11, 20, 1, 30)),
        ("5/1/2026 7.05", _utc(2026, 1, 5, 0, 5)),
        ("20-11-2026", _utc(2026, 11, 19, 17, 0)),
        ("20-11-2026 23:59:59", _utc(2026, 11, 20, 16, 59, 59)),
        (datetime(2026, 11, 20, 8, 30), _utc(2026, 11, 20, 1, 30)),
        (datetime(2026, 11, 20, 8, 30, tzinfo=UTC), _utc(2026, 11, 20, 8, 30)),
        ("2026-11-27 04:00", _utc(2026, 11, 26, 21, 0)),  # ahead, but within a day
    ],
)
def test_parse_datetime_accepts(value: object, expected: datetime) -> None:
    assert parse_datetime(value, WIB, NOW) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("31/02/2026", "bad_date"), ("2026-02-30", "bad_date"), ("kemarin", "bad_date"),
        ("29/02/2026 10:00", "bad_date"), ("20/11/2026 25:00", "bad_date"),
        ("2026/11/20", "bad_date"), ("11-20-2026", "bad_date"), ("20/11/26", "bad_date"),
        ("20/11-2026", "bad_date"), ("", "bad_date"), (46352.5, "bad_date"),
        ("2026-11-28 08:00", "future_date"), ("2099-01-01", "future_date"),
        (datetime(2026, 11, 27, 6, 0, tzinfo=UTC), "future_date"),
    ],
)  # fmt: skip
def test_parse_datetime_rejects(value: object, code: str) -> None:
    with pytest.raises(IssueError) as info:
        parse_datetime(value, WIB, NOW)
    assert info.value.code == code


def test_future_rule_uses_the_real_clock_by_default() -> None:
    soon = datetime.now(UTC) + timedelta(hours=12)
    later = datetime.now(UTC) + timedelta(days=2)
    assert parse_datetime(soon) == soon
    with pytest.raises(IssueError, match="lies in the future"):
        parse_datetime(later)
