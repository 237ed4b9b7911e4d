"""The demo world: deterministic, varied, realistic, and loadable through the importers."""

from __future__ import annotations

import csv
import re
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.settings import PROJECT_ROOT
from db.models import Account, CollectionRun, FollowerSnapshot, Opd, Post
from db.repository import get_meta
from demo import load as demo_load
from demo.activity import months_back
from demo.caption_data import MONTH_NAMES
from demo.load import DemoSummary, demo_needed, load_demo
from demo.world import DemoWorld, build_world

WIB = ZoneInfo("Asia/Pontianak")
AS_OF = date(2025, 12, 1)  # in the past, so the importers' future-date check never trips
END = datetime.combine(AS_OF, time.min, tzinfo=WIB)
OFFICIAL_TITLES = (
    "Bupati", "Sekda", "Kepala Dinas", "Kadis", "Sekretaris", "Kepala Bidang", "Camat",
    "Penyuluh", "Pranata Humas", "Direktur", "Inspektur", "Kepala Badan", "Kepala Bagian",
)  # fmt: skip
INDONESIAN = {
    "di", "dan", "yang", "pada", "oleh", "ini", "hari", "kegiatan", "bersama", "kami", "rapat",
    "pagi", "selamat", "kabupaten", "sintang", "kecamatan", "desa", "masyarakat", "untuk",
    "dengan", "ke", "dalam", "terima", "kasih", "kunjungan", "kerja", "staf", "warga",
}  # fmt: skip
PLATFORM_HOSTS = {
    "instagram": "www.instagram.com",
    "facebook": "www.facebook.com",
    "youtube": "www.youtube.com",
    "tiktok": "www.tiktok.com",
    "x": "x.com",
}


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    return build_world(AS_OF)


Row = dict[str, Any]


def _rows(records: list[tuple[int, dict[str, object]]]) -> list[Row]:
    return [row for _line, row in records]


def _by_account(records: list[tuple[int, dict[str, object]]]) -> dict[tuple[str, str], list[Row]]:
    out: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in _rows(records):
        out[(row["platform"], row["handle"])].append(row)
    return out


def _is_good(caption: str) -> bool:
    lower = caption.lower()
    has_title = any(title in caption for title in OFFICIAL_TITLES)
    return has_title and " di " in caption and ("dihadiri" in lower or "turut hadir" in lower)


# --- determinism and span -----------------------------------------------------------------


def test_same_inputs_give_the_same_world_and_another_seed_differs(world: DemoWorld) -> None:
    assert build_world(AS_OF) == world
    small, other = build_world(AS_OF, months=2), build_world(AS_OF, seed=7, months=2)
    assert small == build_world(AS_OF, months=2)
    assert other.registry != small.registry and other.posts != small.posts


def test_history_spans_sixteen_months_and_stops_before_as_of(world: DemoWorld) -> None:
    posted = [row["posted_at"] for row in _rows(world.posts)]
    observed = [row["observed_at"] for row in _rows(world.followers)]
    for stamps in (posted, observed):
        assert all(isinstance(s, datetime) and s.tzinfo is not None for s in stamps)
        assert max(stamps) < END
        assert min(stamps).date() <= months_back(AS_OF, 15)
    assert min(observed).date() == months_back(AS_OF, 16)


def test_volume_is_moderate(world: DemoWorld) -> None:
    assert 15_000 <= len(world.posts) <= 30_000
    assert len(world.followers) <= 70_000
    assert 100 <= world.account_count <= 160


def test_records_are_numbered_and_typed(world: DemoWorld) -> None:
    for records in (world.registry, world.posts, world.followers):
        lines = [line for line, _row in records]
        assert lines == list(range(2, len(records) + 2))
    for row in _rows(world.posts)[:2000]:
        assert set(row) == {
            "platform", "handle", "post_id", "posted_at", "caption",
            "likes", "comments", "shares", "views", "url",
        }  # fmt: skip
        for key in ("likes", "comments", "shares", "views"):
            assert row[key] is None or type(row[key]) is int


# --- registry -----------------------------------------------------------------------------


def test_every_opd_of_the_csv_is_in_the_registry(world: DemoWorld) -> None:
    with (PROJECT_ROOT / "data" / "opd-sintang.csv").open(encoding="utf-8") as fh:
        codes = {row["opd_code"] for row in csv.DictReader(fh)}
    assert len(codes) == 46
    assert {row["opd_code"] for row in _rows(world.registry)} == codes


def test_platform_mix_and_two_kecamatan_without_accounts(world: DemoWorld) -> None:
    rows = _rows(world.registry)
    empty = [r for r in rows if not r["platform"]]
    assert len(empty) == 2 and all(r["category"] == "kecamatan" and not r["handle"] for r in empty)
    platforms: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["platform"]:
            platforms[r["opd_code"]].add(r["platform"])
    assert len(platforms) == 44
    assert all({"instagram", "facebook"} <= p for p in platforms.values())
    on = Counter(p for ps in platforms.values() for p in ps)
    assert 0.3 * 44 <= on["youtube"] <= 0.7 * 44
    assert 0.2 * 44 <= on["tiktok"] <= 0.5 * 44
    assert 2 <= on["x"] <= 8 and 2 <= on["website"] <= 8


def test_handles_and_contacts_are_obviously_fake(world: DemoWorld) -> None:
    for r in _rows(world.registry):
        if not r["handle"]:
            continue
        assert str(r["handle"]).removeprefix("http://").startswith("demo")
        if r["platform"] == "website":
            assert str(r["handle"]).endswith(".sintang.example")
        assert re.fullmatch(r"\+62 812-0000-\d{4}", str(r["admin_phone"]))
        assert str(r["admin_email"]).endswith("@demo.example")
    assert all(str(r["handle"]).startswith("demo") for r in _rows(world.posts))


# --- posts --------------------------------------------------------------------------------


def test_posting_habits_really_vary(world: DemoWorld) -> None:
    posts = _by_account(world.posts)
    snapshot_accounts = set(_by_account(world.followers))
    quiet_days = {
        key: (AS_OF - max(r["posted_at"] for r in rows).date()).days for key, rows in posts.items()
    }
    assert any(days <= 2 for days in quiet_days.values())
    assert any(days > 60 for days in quiet_days.values())
    assert any(30 < days <= 60 or 3 <= days <= 30 for days in quiet_days.values())
    never_posted = snapshot_accounts - set(posts)
    assert len(never_posted) >= 3
    sizes = sorted(len(rows) for rows in posts.values())
    assert sizes[0] < 100 < 400 < sizes[-1]


def test_post_ids_are_unique_per_account(world: DemoWorld) -> None:
    for rows in _by_account(world.posts).values():
        ids = [r["post_id"] for r in rows]
        assert len(ids) == len(set(ids))


def test_posting_times_look_like_an_office(world: DemoWorld) -> None:
    stamps = [r["posted_at"] for r in _rows(world.posts)]
    assert all(s.tzinfo is not None and s.utcoffset() == END.utcoffset() for s in stamps[:500])
    hours = Counter(s.hour for s in stamps)
    assert sum(hours[h] for h in range(7, 22)) / len(stamps) > 0.9
    assert hours[10] > hours[15] and hours[19] > hours[17]
    weekdays = Counter(s.weekday() for s in stamps)
    assert min(weekdays[d] for d in range(5)) > max(weekdays[5], weekdays[6])


def test_counts_are_none_where_the_platform_hides_them(world: DemoWorld) -> None:
    by_platform: dict[str, list[Row]] = defaultdict(list)
    for r in _rows(world.posts):
        by_platform[str(r["platform"])].append(r)
    fields = ("likes", "comments", "shares", "views")
    assert all(r[f] is None for r in by_platform["website"] for f in fields)
    ig = by_platform["instagram"]
    hidden = sum(r["likes"] is None for r in ig) / len(ig)
    assert 0.05 < hidden < 0.15
    assert all(r["shares"] is None for r in ig + by_platform["youtube"])
    assert all(r["views"] is None for r in by_platform["facebook"])
    reels = [r for r in ig if r["views"] is not None]
    assert reels and all("/reel/" in str(r["url"]) for r in reels)
    for platform in ("tiktok", "x"):
        assert all(r[f] is not None for r in by_platform[platform] for f in fields)


def test_no_negative_counts_and_rare_viral_outliers(world: DemoWorld) -> None:
    fields = ("likes", "comments", "shares", "views")
    rows = _rows(world.posts)
    assert all(r[f] is None or r[f] >= 0 for r in rows for f in fields)
    viral = 0
    for account_rows in _by_account(world.posts).values():
        likes = [r["likes"] for r in account_rows if r["likes"] is not None]
        if len(likes) >= 30:
            typical = max(1.0, statistics.median(likes))
            viral += sum(like > 10 * typical for like in likes)
    assert 1 <= viral <= 0.01 * len(rows)


def test_urls_are_fake_links_on_real_hosts(world: DemoWorld) -> None:
    for r in _rows(world.posts):
        host = urlsplit(str(r["url"])).netloc
        expected = PLATFORM_HOSTS.get(str(r["platform"]), str(r["handle"]))
        assert host == expected
        assert "DEMO" in str(r["url"]) or host.endswith(".example")


def test_followers_drive_engagement_and_so_do_good_captions(world: DemoWorld) -> None:
    audience = {
        (r["handle"], r["observed_at"].date()): r["followers"]
        for r in _rows(world.followers)
        if r["platform"] == "facebook"
    }
    good: list[float] = []
    poor: list[float] = []
    for r in _rows(world.posts):
        if r["platform"] != "facebook" or r["posted_at"] >= END.replace(day=1):
            continue
        rate = r["likes"] / max(1, audience[(r["handle"], r["posted_at"].date())])
        (good if _is_good(str(r["caption"])) else poor).append(rate)
    assert statistics.median(good) > 1.3 * statistics.median(poor)


# --- followers ----------------------------------------------------------------------------


def test_one_snapshot_a_day_at_six_and_no_website(world: DemoWorld) -> None:
    snapshots = _by_account(world.followers)
    days = (AS_OF - months_back(AS_OF, 16)).days
    assert all(len(rows) == days for rows in snapshots.values())
    assert not any(platform == "website" for platform, _handle in snapshots)
    assert all(r["observed_at"].time() == time(6, 0) for r in _rows(world.followers))


def test_audiences_grow_shrink_and_stay_positive(world: DemoWorld) -> None:
    growing = shrinking = 0
    for (platform, _handle), rows in _by_account(world.followers).items():
        counts = [int(r["followers"]) for r in rows]
        assert min(counts) >= 0
        assert counts[-1] <= {"youtube": 4_000, "x": 3_000}.get(platform, 40_000)
        growing += counts[-1] > counts[0] * 1.05
        shrinking += counts[-1] < counts[0] * 0.97
    assert growing >= 10 and shrinking >= 5


# --- captions -----------------------------------------------------------------------------


def test_some_captions_follow_the_guidance_and_some_do_not(world: DemoWorld) -> None:
    captions = [str(r["caption"]) for r in _rows(world.posts)]
    good = sum(_is_good(c) for c in captions)
    short = sum(len(c) < 60 for c in captions)
    shouting = sum(c.isupper() for c in captions)
    typos = sum(("kegiatn" in c or "dihadri" in c or "pelaksanan" in c) for c in captions)
    assert 0.25 < good / len(captions) < 0.8
    assert short / len(captions) > 0.1 and shouting > 50 and typos > 50
    assert any("#" in c for c in captions) and any("Bimtek" in c or "Rakor" in c for c in captions)


def test_every_caption_is_indonesian_text(world: DemoWorld) -> None:
    blank = [r for r in _rows(world.posts) if not str(r["caption"] or "").strip()]
    # as on real platforms, some posts come without text: nothing, "" or only blanks
    assert 0.005 < len(blank) / len(world.posts) < 0.05
    assert {type(r["caption"]) for r in blank} == {type(None), str}
    for r in _rows(world.posts):
        if r in blank:
            continue
        caption = str(r["caption"])
        assert caption.strip() == caption and caption
        words = set(re.findall(r"[a-z]+", caption.lower()))
        assert words & INDONESIAN or any(w.startswith("me") for w in words), caption


def test_dates_in_captions_match_the_post(world: DemoWorld) -> None:
    checked = 0
    for r in _rows(world.posts):
        caption, when = str(r["caption"]), r["posted_at"]
        for d, m, y in re.findall(r"\((\d{1,2})/(\d{1,2})/(\d{4})\)", caption):
            assert date(int(y), int(m), int(d)) == when.date()
            checked += 1
        for d, month, y in re.findall(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", caption):
            assert date(int(y), MONTH_NAMES.index(month) + 1, int(d)) == when.date()
            checked += 1
        for hh, mm in re.findall(r"pukul (\d{2})\.(\d{2}) WIB", caption):
            assert time(int(hh), int(mm)) <= when.time()
    assert checked > 5_000


def test_caption_quality_is_a_habit_of_each_account(world: DemoWorld) -> None:
    shares = [
        sum(_is_good(str(r["caption"])) for r in rows) / len(rows)
        for rows in _by_account(world.posts).values()
        if len(rows) >= 50
    ]
    assert max(shares) > 0.7 and min(shares) < 0.2
    assert sum(0.25 <= s <= 0.7 for s in shares) >= len(shares) / 3


def test_captions_do_not_name_the_real_official_nor_carry_markup(world: DemoWorld) -> None:
    for r in _rows(world.posts):
        assert "Syukur" not in str(r["caption"]) and "<" not in str(r["caption"])


# --- loading ------------------------------------------------------------------------------


@pytest.mark.usefixtures("fixed_now")  # both loads read today's counts in the same hour
def test_load_stores_the_world_once_without_issues(session: Session, world: DemoWorld) -> None:
    assert demo_needed(session)
    first = load_demo(session, world=world)
    assert first.issues == []
    # the posts of the accounts Pantau cannot read (personal, missing, no token) are not read
    readable = [r for r in _rows(world.posts) if (r["platform"], r["handle"]) not in
                world.quirks.unreadable]  # fmt: skip
    assert first.new_posts == len(readable) < len(world.posts)
    assert first.new_snapshots == len(world.followers)
    assert first.new_accounts == world.account_count
    assert session.scalar(select(func.count()).select_from(Account)) == world.account_count
    assert session.scalar(select(func.count()).select_from(Opd)) == 46
    assert session.scalar(select(func.count()).select_from(Post)) == len(readable)
    # the history is imported; today's count of every readable account with followers is read
    audience = sum(
        1 for _, row in world.registry if row["platform"] not in ("", "website")
        and (row["platform"], row["handle"]) not in world.quirks.unreadable
    )  # fmt: skip
    assert (
        session.scalar(select(func.count()).select_from(FollowerSnapshot))
        == len(world.followers) + audience
    )
    assert first.collection_ok, first.collection
    assert first.collection.startswith(f"{world.account_count - 3} dari {world.account_count}")
    runs = session.scalars(select(CollectionRun.kind)).all()
    assert "collect" in runs  # the posts came through the simulator and the real collectors
    assert get_meta(session, "data_source") == "demo"
    assert get_meta(session, "demo_as_of") == AS_OF.isoformat()
    assert not demo_needed(session)
    second = load_demo(session, world=world)
    assert second.issues == [] and second.new_rows == 0
    assert session.scalar(select(func.count()).select_from(Post)) == len(readable)
    assert "0 new rows" in str(second) and "posts" in str(second)


def test_load_defaults_to_today_in_wib(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[date] = []

    def small_world(as_of: date) -> DemoWorld:
        built.append(as_of)
        return build_world(as_of, months=1)

    monkeypatch.setattr(demo_load, "local_today", lambda: AS_OF)
    monkeypatch.setattr(demo_load, "build_world", small_world)
    summary = load_demo(session)
    assert built == [AS_OF] and summary.issues == [] and summary.posts > 0
    assert isinstance(summary, DemoSummary)


def test_demo_is_not_needed_beside_real_accounts(session: Session) -> None:
    opd = Opd(code="DINKES", name="Dinas Kesehatan", category="dinas")
    session.add(Account(opd=opd, platform="instagram", handle="dinkes.sintang"))
    session.flush()
    assert not demo_needed(session)


def test_months_must_be_positive() -> None:
    with pytest.raises(ValueError, match="months"):
        build_world(AS_OF, months=0)


def test_the_demo_meets_a_post_deleted_after_it_was_read(session: Session, engine: Engine) -> None:
    """The worker's later passes over the demo meet a deleted post; Pantau keeps it."""
    from collectors.service import pass_options
    from core.settings import load_settings
    from db.engine import make_session_factory
    from demo.collect import DemoSource

    small = build_world(AS_OF, months=1)
    load_demo(session, world=small)
    source = DemoSource(small, load_settings(environ={}))
    factory = make_session_factory(engine)
    first = source.collect(factory, pass_options(source.settings))
    platform, handle = small.quirks.deletes_a_post or ("", "")
    gone = {p.post_id for p in source.sim.world.visible_posts(platform, handle)}
    second = source.collect(factory, pass_options(source.settings))
    assert not source.unexpected_failures(first) and not source.unexpected_failures(second)
    stored = set(session.scalars(select(Post.platform_post_id).join(Account).where(
        Account.platform == platform, Account.handle == handle)))  # fmt: skip
    assert source.deleted and len(stored - gone) == 1  # deleted there, kept here
