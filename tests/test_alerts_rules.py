"""The alert rules (metrics/alerts.py) on hand-made frames: each trigger, and the case just
below it. No database; "now" is tests/clock.py's FIXED_NOW (26 November 2026, 13.00 WIB)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from metrics import alerts as rules
from metrics.alerts import AlertRules
from present.alerts import KIND_LABELS, alert_items
from present.labels import PLATFORM_LABELS
from tests.clock import FIXED_NOW, WIB

TODAY = date(2026, 11, 26)
ACCOUNTS = pd.DataFrame(
    {
        "account_id": [1, 2, 3],
        "opd_name": ["Dinas Kesehatan", "Dinas Perhubungan", "Kecamatan Dedai"],
        "platform": ["instagram", "instagram", "youtube"],
        "handle": ["dinkes.sintang", "dishub.sintang", "UCabcdefghijklmnopqrstuv"],
    }
)
RULES = AlertRules(follower_drop_pct=10, follower_drop_min=50, breakout_z=10)
# eleven ordinary posts (rates around 1%: median 1,0, MAD 0,1 once a twelfth is added)
ORDINARY = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 10]


def test_every_kind_has_a_name_for_people() -> None:
    assert set(KIND_LABELS) == set(rules.KINDS)


def test_handles_read_as_people_write_them() -> None:
    assert rules.handle_text("instagram", "dinkes.sintang") == "@dinkes.sintang"
    assert rules.handle_text("website", "dinkes.sintangkab.go.id") == "dinkes.sintangkab.go.id"
    assert rules.handle_text("youtube", "UCabcdefghijklmnopqrstuv") == "UCabcdefghijklmnopqrstuv"
    assert rules.handle_text("youtube", "dinkessintang") == "@dinkessintang"


# --- breakout posts ---------------------------------------------------------------------------


def _landscape(star: int | None, star_age_days: float = 1, hidden: bool = False) -> pd.DataFrame:
    """Account 2's ordinary posts (1 000 followers) over the last 20 days and, when ``star`` is
    given, account 1's post with that many interactions (its likes hidden with ``hidden``)."""
    rows = [
        (100 + n, 2, "instagram", FIXED_NOW - timedelta(days=2 + n), float(count))
        for n, count in enumerate(ORDINARY)
    ]
    if star is not None:
        value = float("nan") if hidden else float(star)
        rows.append((99, 1, "instagram", FIXED_NOW - timedelta(days=star_age_days), value))
    frame = pd.DataFrame(
        rows, columns=["post_id", "account_id", "platform", "posted_at", "interactions"]
    )
    frame["interactions"] = frame["interactions"].astype("Float64")
    return frame


SNAPSHOTS = pd.DataFrame(
    {
        "account_id": [1, 2],
        "observed_at": [FIXED_NOW - timedelta(days=40)] * 2,
        "followers": pd.array([1000, 1000], dtype="Int64"),
    }
)


def _breakouts(posts: pd.DataFrame, snapshots: pd.DataFrame = SNAPSHOTS) -> pd.DataFrame:
    return rules.breakout_alerts(posts, snapshots, ACCOUNTS, FIXED_NOW, RULES, PLATFORM_LABELS, WIB)


def test_a_post_far_above_its_platform_is_a_breakout_and_says_why() -> None:
    # 25 interactions on 1 000 followers = 2,5%: z = 0,6745 × (2,5 − 1,0) / 0,1 = 10,1
    found = _breakouts(_landscape(25))
    assert list(found["key"]) == ["breakout:99"]
    row = found.iloc[0]
    assert (row["kind"], row["account_id"], row["post_id"]) == ("breakout", 1, 99)
    assert row["reason"] == (
        "Unggahan @dinkes.sintang (Instagram, Dinas Kesehatan) pada 25 November 2026 13.00 WIB "
        "menonjol: tingkat interaksinya 2,5% dari jumlah pengikut, jauh di atas median "
        "Instagram 30 hari terakhir (1,0%); skor z 10,1."
    )


def test_just_below_the_cut_off_is_no_breakout() -> None:
    # 24 interactions = 2,4%: z = 9,4 < 10
    assert _breakouts(_landscape(24)).empty


def test_the_documented_cut_off_can_be_chosen() -> None:
    strict = AlertRules(breakout_z=3.5)
    found = rules.breakout_alerts(
        _landscape(24), SNAPSHOTS, ACCOUNTS, FIXED_NOW, strict, PLATFORM_LABELS, WIB
    )
    assert list(found["key"]) == ["breakout:99"]


def test_a_breakout_is_a_post_of_the_last_seven_days() -> None:
    # judged against the 30-day landscape, but news only while it is a week old at most
    assert list(_breakouts(_landscape(400, star_age_days=6.9))["key"]) == ["breakout:99"]
    assert _breakouts(_landscape(400, star_age_days=7.1)).empty
    assert _breakouts(_landscape(400, star_age_days=20)).empty


def test_breakouts_come_strongest_first() -> None:
    posts = _landscape(30, star_age_days=1)
    second = posts[posts["post_id"] == 99].assign(post_id=98, interactions=50)
    found = _breakouts(pd.concat([posts, second], ignore_index=True))
    assert list(found["key"]) == ["breakout:98", "breakout:99"]  # 5,0% before 3,0%


def test_an_old_post_or_a_hidden_count_or_a_thin_landscape_raises_nothing() -> None:
    assert _breakouts(_landscape(400, star_age_days=31)).empty  # outside the landscape
    assert _breakouts(_landscape(400, hidden=True)).empty  # its rate is unknown
    few = _landscape(400)
    assert _breakouts(few.iloc[-9:]).empty  # 9 rated posts say nothing about what is usual
    no_audience = SNAPSHOTS.assign(followers=pd.array([None, 1000], dtype="Int64"))
    assert _breakouts(_landscape(400), no_audience).empty  # followers of account 1 unknown


def test_the_follower_count_is_the_one_before_the_post() -> None:
    later = pd.concat(
        [SNAPSHOTS, pd.DataFrame({"account_id": [1], "observed_at": [FIXED_NOW],
                                  "followers": pd.array([100_000], dtype="Int64")})],
    )  # fmt: skip
    rated = rules.post_engagement_rates(_landscape(25), later)
    star = rated[rated["post_id"] == 99].iloc[0]
    assert star["followers_at_post"] == 1000  # the count read after the post is not used
    assert star["engagement_rate"] == pytest.approx(2.5)


# --- follower drops ---------------------------------------------------------------------------


def _counts(values: dict[int, int | None], account_id: int = 1) -> pd.DataFrame:
    """Daily counts at 08.00 WIB, ``days back from today → followers`` (None: hidden)."""
    return pd.DataFrame(
        {
            "account_id": [account_id] * len(values),
            "observed_at": [
                pd.Timestamp(datetime(2026, 11, 26, 8, tzinfo=WIB) - timedelta(days=d)).tz_convert(
                    "UTC"
                )
                for d in values
            ],
            "followers": pd.array(list(values.values()), dtype="Int64"),
        }
    )


def _drops(snapshots: pd.DataFrame, last: dict[int, date] | None = None) -> pd.DataFrame:
    return rules.follower_drop_alerts(
        snapshots, ACCOUNTS, TODAY, RULES, last or {}, PLATFORM_LABELS, WIB
    )


def test_a_sharp_drop_over_seven_days_is_raised_with_its_figures() -> None:
    found = _drops(_counts({8: 4100, 7: 4000, 3: 3900, 0: 3500}))
    assert list(found["key"]) == ["follower_drop:1:2026-11-26"]
    assert found.iloc[0]["reason"] == (
        "Pengikut @dinkes.sintang (Instagram, Dinas Kesehatan) turun 12,5% dalam 7 hari: "
        "dari 4.000 menjadi 3.500."
    )


def test_just_below_the_percentage_or_the_number_is_no_drop() -> None:
    assert _drops(_counts({7: 4000, 0: 3601})).empty  # 9,975%
    assert len(_drops(_counts({7: 4000, 0: 3600}))) == 1  # 10% exactly
    assert _drops(_counts({7: 60, 0: 11})).empty  # 82% of a tiny account, but 49 followers
    assert len(_drops(_counts({7: 60, 0: 10}))) == 1  # 50 followers


def test_hidden_counts_and_one_missing_day_are_tolerated() -> None:
    # today's count hidden: yesterday's is the newest; 7 days before it is missing, so 8
    found = _drops(_counts({9: 5000, 8: None, 1: 4000, 0: None}))
    assert list(found["key"]) == ["follower_drop:1:2026-11-25"]
    assert "turun 20,0% dalam 8 hari: dari 5.000 menjadi 4.000." in found.iloc[0]["reason"]
    assert _drops(_counts({10: 5000, 0: 4000})).empty  # two days missing: nothing to compare
    assert _drops(_counts({9: 5000, 2: 4000})).empty  # the newest count is too old
    assert _drops(_counts({7: None, 0: None})).empty  # every count hidden


def test_a_drop_is_raised_once_while_it_stays_in_the_comparison() -> None:
    counts = _counts({7: 4000, 0: 3500})
    assert _drops(counts, {1: date(2026, 11, 20)}).empty  # raised 6 days ago
    assert len(_drops(counts, {1: date(2026, 11, 19)})) == 1  # 7 days ago: a new drop
    assert len(_drops(counts, {2: date(2026, 11, 25)})) == 1  # another account's alert


# --- accounts gone ----------------------------------------------------------------------------

NOT_FOUND_TEXT = "Akun Instagram ini bukan akun profesional (Bisnis/Kreator) atau tidak ditemukan."


def _results(*rows: tuple[int, str, str | None]) -> pd.DataFrame:
    """(hours before now, status, error_class) for account 1, any order."""
    return pd.DataFrame(
        [
            (1, FIXED_NOW - timedelta(hours=h), status, error,
             NOT_FOUND_TEXT if error == "not_found" else None)
            for h, status, error in rows
        ],
        columns=["account_id", "started_at", "status", "error_class", "message"],
    )  # fmt: skip


def test_an_account_not_found_is_gone_from_its_first_failure() -> None:
    found = rules.gone_alerts(
        _results((30, "ok", None), (18, "failed", "not_found"), (12, "failed", "transient"),
                 (6, "skipped", "rate_limited"), (0, "failed", "not_found")),
        ACCOUNTS, PLATFORM_LABELS, WIB,
    )  # fmt: skip
    start = FIXED_NOW - timedelta(hours=18)
    assert list(found["key"]) == [f"gone:1:{start.isoformat(timespec='seconds')}"]
    assert found.iloc[0]["reason"] == (
        "Akun @dinkes.sintang (Instagram, Dinas Kesehatan) tidak dapat dibaca sejak "
        f"25 November 2026 19.00 WIB. {NOT_FOUND_TEXT}"
    )


def test_an_account_read_again_or_failing_otherwise_is_not_gone() -> None:
    for rows in (
        [(6, "failed", "not_found"), (0, "ok", None)],  # read again
        [(6, "failed", "not_found"), (0, "failed", "transient")],  # a passing failure now
        [(0, "failed", "auth")],  # a credential problem, not the account
    ):
        assert rules.gone_alerts(_results(*rows), ACCOUNTS, PLATFORM_LABELS, WIB).empty, rows
    skipped_last = _results((6, "failed", "not_found"), (0, "skipped", None))
    assert len(rules.gone_alerts(skipped_last, ACCOUNTS, PLATFORM_LABELS, WIB)) == 1


# --- tokens and the worker --------------------------------------------------------------------


def _connection(until: datetime) -> pd.DataFrame:
    return ACCOUNTS.iloc[[0]].assign(usable_until=[until])


def test_a_connection_ending_soon_or_ended_is_raised_per_expiry_date() -> None:
    soon = rules.token_alerts(
        _connection(FIXED_NOW + timedelta(days=3)), FIXED_NOW, PLATFORM_LABELS, WIB
    )
    assert list(soon["key"]) == ["token_expiring:1:2026-11-29"]
    assert soon.iloc[0]["reason"].startswith(
        "Sambungan @dinkes.sintang (Instagram, Dinas Kesehatan) dengan Pantau akan berakhir "
        "pada 29 November 2026 13.00 WIB (3 hari lagi). Minta admin OPD menyambungkan ulang"
    )
    ended = rules.token_alerts(
        _connection(FIXED_NOW - timedelta(days=1)), FIXED_NOW, PLATFORM_LABELS, WIB
    )
    assert "sudah berakhir sejak 25 November 2026 13.00 WIB" in ended.iloc[0]["reason"]


def test_the_worker_silent_past_the_limit() -> None:
    limit = timedelta(hours=12)
    beat = FIXED_NOW - timedelta(hours=13)
    silent = rules.worker_silence(beat, beat, FIXED_NOW, limit, WIB)
    assert list(silent["key"]) == [f"worker_silent:{beat.isoformat(timespec='seconds')}"]
    assert silent.iloc[0]["reason"].startswith(
        "Proses otomatis terjadwal tidak berjalan sejak 26 November 2026 00.00 WIB."
    )
    recent = FIXED_NOW - timedelta(hours=11)
    assert rules.worker_silence(recent, recent, FIXED_NOW, limit, WIB).empty
    assert rules.worker_silence(None, None, FIXED_NOW, limit, WIB).empty  # never ran: the banner


def test_a_beating_worker_without_a_finished_pass() -> None:
    limit = timedelta(hours=12)
    last_pass = FIXED_NOW - timedelta(hours=20)
    found = rules.worker_silence(FIXED_NOW, last_pass, FIXED_NOW, limit, WIB)
    assert list(found["key"]) == [
        f"worker_silent:collect:{last_pass.isoformat(timespec='seconds')}"
    ]
    assert (
        "tidak ada putaran pengambilan data yang selesai sejak 25 November 2026 17.00 WIB"
        in (found.iloc[0]["reason"])
    )
    recent = FIXED_NOW - timedelta(hours=2)
    assert rules.worker_silence(FIXED_NOW, recent, FIXED_NOW, limit, WIB).empty


def test_the_guide_names_each_kind_as_the_screen_does() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "panduan_id.md").read_text(encoding="utf-8")
    section = guide.split("### Peringatan", 1)[1].split("\n### ", 1)[0]
    named = re.findall(r"^- \*\*(.+?)\*\*", section, flags=re.MULTILINE)
    assert named == list(KIND_LABELS.values())


def test_only_a_web_address_becomes_a_link() -> None:
    frame = pd.DataFrame({
        "alert_id": [1, 2, 3], "kind": ["breakout", "breakout", "gone"],
        "raised_at": [pd.Timestamp(FIXED_NOW)] * 3, "reason": ["Menonjol.", "Menonjol.", "Hilang."],
        "post_url": ["https://www.instagram.com/p/Cx1/", "javascript:alert(1)", None],
    })  # fmt: skip
    items = alert_items(frame, WIB)
    assert [i.link for i in items] == ["https://www.instagram.com/p/Cx1/", None, None]
    assert items[0].raised == "26 November 2026 13.00 WIB"
