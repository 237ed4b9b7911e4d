"""Comments and the owner's replies on Facebook Pages and Instagram, read with the owner's token:
collectors, storage, monthly aggregates, Detail Akun, Peringkat and the briefing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pandas as pd
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from collectors.base import AccountRef
from collectors.facebook import FacebookCollector, parse_comments
from collectors.http import HttpOptions
from collectors.instagram import InstagramCollector
from collectors.instagram import parse_comments as parse_ig_comments
from collectors.run import PassOptions
from collectors.service import run_collection
from core.settings import Settings, load_settings
from db import repository as repo
from db import tokens as token_store
from db.comments import CommentRow, upsert_comments
from db.engine import make_engine, make_session_factory
from db.models import AccountMonth, Post, PostComment
from metrics.replies import reply_rate
from present.tables import display_table, duration_text
from refresh import after_write
from reports.content import briefing_content
from services.account_detail import account_detail
from services.ranking import ranking
from simulator import SimPost, Simulator, SimWorld, sim_settings_env
from simulator.credentials import SIM_META_TOKEN, facebook_page_token
from simulator.ids import platform_id
from tests.app_support import (
    ROOT,
    metrics,
    migrated,
    run_page,
    table_texts,
    table_with,
    texts,
)
from tests.clock import FIXED_NOW

pytestmark = pytest.mark.usefixtures("fixed_now")
NOW = FIXED_NOW
MONTH = "2026-11"
CONNECTED, PUBLIC = "demo.dinkes", "demo.dishub"
SECRET = Fernet.generate_key().decode()


def _no_wait(_seconds: float) -> None:
    """The in-process simulator answers at once."""


# ---------------------------------------------------------------- parsing (recorded shapes)


def test_facebook_page_reply_is_recognised_by_from_and_parent() -> None:
    """owner-access.md §6.1: a visitor's comment and the Page's reply in one stream list."""
    page = "104400000000001"
    items = [
        {"id": f"{page}_9000001", "from": {"id": "5550001", "name": "Warga"},
         "message": "Kapan jadwal vaksin?", "created_time": "2024-01-15T03:12:45+0000"},
        {"id": f"{page}_9000002", "from": {"id": page, "name": "Dinas Kominfo"},
         "message": "Senin pukul 08.00.", "created_time": "2024-01-15T04:00:00+0000",
         "parent": {"id": f"{page}_9000001"}},
        {"id": f"{page}_9000003", "from": {"id": page}, "created_time": "2024-01-15T05:00:00+0000"},
        {"id": f"{page}_9000004", "created_time": "2024-01-15T06:00:00+0000"},  # no `from`
        {"id": f"{page}_9000005", "from": {"id": "5550002"},
         "created_time": "2024-01-15T06:30:00+0000", "parent": {"id": f"{page}_9000004"}},
    ]  # fmt: skip
    first, unanswered = parse_comments(items, page)
    assert first.comment_id == f"{page}_9000001"
    assert first.first_reply_at == datetime(2024, 1, 15, 4, tzinfo=UTC)
    assert first.commented_at == datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)
    # the Page's own top-level comment is not a question; a visitor's reply is no answer
    assert unanswered.comment_id == f"{page}_9000004" and unanswered.first_reply_at is None
    assert not hasattr(first, "message") and not hasattr(first, "author")


def test_instagram_owner_reply_is_recognised_by_username() -> None:
    items = [
        {"id": "1801", "timestamp": "2026-11-20T01:00:00+0000", "username": "warga.sintang",
         "text": "Kapan dibuka?", "replies": {"data": [
             {"id": "1802", "timestamp": "2026-11-20T03:30:00+0000", "username": "Warga2"},
             {"id": "1803", "timestamp": "2026-11-20T03:15:00+0000", "username": "Demo.Dinkes"},
             {"id": "1804", "timestamp": "2026-11-20T02:15:00+0000", "username": "demo.dinkes"},
         ]}},
        {"id": "1805", "timestamp": "2026-11-20T04:00:00+0000", "username": "demo.dinkes"},
    ]  # fmt: skip
    (comment,) = parse_ig_comments(items, "demo.dinkes")
    assert comment.first_reply_at == datetime(2026, 11, 20, 2, 15, tzinfo=UTC)  # the earliest


# ---------------------------------------------------------------- collectors on the simulator


def _post_id(platform: str, handle: str, n: int) -> str:
    if platform == "facebook":
        return f"{platform_id(platform, handle)}_{900_000 + n}"
    return str(17_900_000_000_000 + (1_000 if handle == CONNECTED else 2_000) + n)


def sim_world() -> SimWorld:
    """Two Pages and two Instagram accounts with a post a day for 40 days; some posts have no
    comments; ``CONNECTED``'s owner gave Pantau its Page token, ``PUBLIC``'s did not."""
    world = SimWorld(NOW)
    for platform in ("facebook", "instagram"):
        for handle in (CONNECTED, PUBLIC):
            posts = [
                SimPost(_post_id(platform, handle, n), NOW - timedelta(days=n, hours=5),
                        caption=f"Pelayanan keliling hari ke-{n} di Kecamatan Dedai.",
                        likes=20 + n, comments=(n * 7) % 13, shares=1)
                for n in range(1, 41)
            ]  # fmt: skip
            world.add_account(platform, handle, followers=2_000, posts=posts)
    return world


def sim_settings(sim: Simulator) -> Settings:
    return load_settings({**sim_settings_env(sim), "PANTAU_SECRET_KEY": SECRET})


def collector_for(platform: str, sim: Simulator) -> FacebookCollector | InstagramCollector:
    client = httpx.Client(transport=sim.transport())
    kind = FacebookCollector if platform == "facebook" else InstagramCollector
    return kind(client, sim_settings(sim), options=HttpOptions(sleep=_no_wait))


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_owner_token_reads_comments_of_young_posts_only(platform: str) -> None:
    sim = Simulator(sim_world(), sleep=_no_wait)
    account = sim.world.account(platform, CONNECTED)
    ref = AccountRef(1, platform, CONNECTED, account.platform_id, None,
                     facebook_page_token(CONNECTED))  # fmt: skip
    posts = list(collector_for(platform, sim).fetch_posts(ref, NOW - timedelta(days=60)))
    assert len(posts) == 40
    young = [p for p in posts if p.posted_at >= NOW - timedelta(days=30)]
    old = [p for p in posts if p.posted_at < NOW - timedelta(days=30)]
    assert all(p.comment_replies is None for p in old)  # outside the window: not read
    assert all(p.comment_replies is not None for p in young)
    assert [p.comment_replies for p in young if p.comments == 0] == [()] * 2  # no request
    asked = sum(1 for p in young if p.comments)
    assert sim.stats.count(platform, "comments") == asked  # one page each (at most 12 comments)
    replies = [c for p in young for c in p.comment_replies or ()]
    answered = [c for c in replies if c.first_reply_at is not None]
    assert 0 < len(answered) < len(replies)
    assert all(c.first_reply_at and c.first_reply_at > c.commented_at for c in answered)


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_public_only_account_makes_no_comment_call(platform: str) -> None:
    sim = Simulator(sim_world(), sleep=_no_wait)
    ref = AccountRef(2, platform, PUBLIC, sim.world.account(platform, PUBLIC).platform_id)
    posts = list(collector_for(platform, sim).fetch_posts(ref, NOW - timedelta(days=60)))
    assert len(posts) == 40 and all(p.comment_replies is None for p in posts)
    assert sim.stats.count(platform, "comments") == 0


def test_without_the_permission_counts_stay_unknown_and_posts_are_kept() -> None:
    """The office's public token on Instagram's comment edge: Meta's (#10), once, then no more
    comment calls for the account; every post is still there."""
    sim = Simulator(sim_world(), sleep=_no_wait)
    ref = AccountRef(3, "instagram", CONNECTED, token=SIM_META_TOKEN)
    posts = list(collector_for("instagram", sim).fetch_posts(ref, NOW - timedelta(days=60)))
    assert len(posts) == 40
    assert sim.stats.count("instagram", "comments") == 1
    assert all(p.comment_replies in (None, ()) for p in posts)
    assert any(p.comments and p.comment_replies is None for p in posts)


def test_instagram_takes_the_linked_pages_token_and_refuses_others() -> None:
    """The consent links an Instagram account to its Page by handle or else by name; another
    Page's token (or a revoked one) is refused with 190, and the posts are still read."""
    world = sim_world()
    media = [SimPost("17999000000000001", NOW - timedelta(days=2), likes=3, comments=5)]
    ig = world.add_account("instagram", "humas.dinkes", posts=media, name="Dinas Kesehatan")
    world.add_account("facebook", "dinkes.sintang", name="Dinas Kesehatan")
    sim = Simulator(world, sleep=_no_wait)
    for token, read in ((facebook_page_token("dinkes.sintang"), True),
                        (facebook_page_token(PUBLIC), False)):  # fmt: skip
        ref = AccountRef(5, "instagram", ig.handle, ig.platform_id, None, token)
        (post,) = collector_for("instagram", sim).fetch_posts(ref, NOW - timedelta(days=9))
        assert (post.comment_replies is not None) is read


def test_facebook_permission_error_with_mock_transport() -> None:
    """A Page token without pages_read_user_content: error 10 on the comment edge."""
    page = "104400000000001"
    post = {"id": f"{page}_1", "created_time": "2026-11-25T01:00:00+0000", "message": "Rapat",
            "comments": {"summary": {"total_count": 4}}}  # fmt: skip
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/comments"):
            error = {"message": "(#10) Application does not have permission for this action",
                     "type": "OAuthException", "code": 10}  # fmt: skip
            return httpx.Response(403, json={"error": error})
        return httpx.Response(200, json={"data": [post, {**post, "id": f"{page}_2"}]})

    settings = load_settings({"PANTAU_FACEBOOK_BASE_URL": "https://graph.test/v25.0"})
    client = httpx.Client(transport=httpx.MockTransport(answer))
    collector = FacebookCollector(client, settings, options=HttpOptions(sleep=_no_wait))
    ref = AccountRef(4, "facebook", "diskominfo", page, token="EAAPpageTOKENsecret")
    posts = list(collector.fetch_posts(ref, NOW - timedelta(days=10)))
    assert [p.comment_replies for p in posts] == [None, None] and posts[0].comments == 4
    assert sum(path.endswith("/comments") for path in calls) == 1


# ---------------------------------------------------------------- one pass into the database


@dataclass
class World:
    sim: Simulator
    settings: Settings
    ids: dict[tuple[str, str], int]


def register(session: Session, sim: Simulator) -> dict[tuple[str, str], int]:
    ids = {}
    for handle, code, name in ((CONNECTED, "DINKES", "Dinas Kesehatan"),
                               (PUBLIC, "DISHUB", "Dinas Perhubungan")):  # fmt: skip
        opd = repo.upsert_opd(session, code, name, "dinas")
        for platform in ("facebook", "instagram"):
            ids[(platform, handle)] = repo.upsert_account(session, opd, platform, handle).id
            if handle == CONNECTED:
                pair = token_store.TokenPair(facebook_page_token(handle))
                token_store.save_token(session, ids[(platform, handle)], pair, SECRET)
    session.commit()
    return ids


def collect(engine: Engine, world: World) -> None:
    factory = make_session_factory(engine)
    options = PassOptions(refresh_days=30)
    run_collection(factory, world.settings, options, world.sim.transport(),
                   HttpOptions(sleep=_no_wait))  # fmt: skip
    with factory() as session:
        after_write(session, world.settings)
        session.commit()


def build(engine: Engine) -> World:
    sim = Simulator(sim_world(), sleep=_no_wait)
    with make_session_factory(engine)() as session:
        ids = register(session, sim)
    world = World(sim, sim_settings(sim), ids)
    collect(engine, world)
    return world


@pytest.fixture
def world(engine: Engine) -> World:
    return build(engine)


def stored_comments(session: Session, account_id: int) -> pd.DataFrame:
    stmt = (
        select(Post.account_id, Post.posted_at, PostComment.commented_at,
               PostComment.first_reply_at)
        .join(Post, Post.id == PostComment.post_id)
        .where(Post.account_id == account_id)
    )  # fmt: skip
    return pd.DataFrame(
        session.execute(stmt).all(),
        columns=["account_id", "posted_at", "commented_at", "first_reply_at"],
    )


def test_pass_stores_comments_once_and_aggregates_them(engine: Engine, world: World) -> None:
    with make_session_factory(engine)() as session:
        first = session.scalar(select(func.count()).select_from(PostComment))
    collect(engine, world)  # again: the same comments, no duplicate rows
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(PostComment)) == first > 0
        for platform in ("facebook", "instagram"):
            connected = world.ids[(platform, CONNECTED)]
            frame = stored_comments(session, connected)
            november = frame[pd.to_datetime(frame["posted_at"], utc=True)
                             >= datetime(2026, 10, 31, 17, tzinfo=UTC)]  # fmt: skip
            reference = reply_rate(november).set_index("account_id").loc[connected]
            row = session.get(AccountMonth, (connected, MONTH))
            assert row is not None
            assert row.comments_sampled == reference["comments"] > 0
            assert row.comments_answered == reference["answered"] > 0
            assert row.reply_median_minutes == pytest.approx(reference["median_minutes"])
            public = session.get(AccountMonth, (world.ids[(platform, PUBLIC)], MONTH))
            assert public is not None and public.posts > 0
            assert public.comments_sampled == 0 and public.reply_median_minutes is None


def test_only_id_and_times_are_stored(engine: Engine, world: World) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("post_comments")}
    assert columns == {"id", "post_id", "platform_comment_id", "commented_at", "first_reply_at"}


def test_a_known_first_reply_is_kept(session: Session) -> None:
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    account = repo.upsert_account(session, opd, "facebook", CONNECTED)
    repo.upsert_posts(session, [repo.PostRow(account.id, "p1", NOW - timedelta(days=1))])
    at, reply = NOW - timedelta(hours=20), NOW - timedelta(hours=18)
    upsert_comments(session, [CommentRow(account.id, "p1", "c1", at, reply)])
    upsert_comments(session, [CommentRow(account.id, "p1", "c1", at, None),  # reply deleted
                              CommentRow(account.id, "missing", "c9", at, None)])  # fmt: skip
    rows = session.execute(select(PostComment.platform_comment_id, PostComment.first_reply_at))
    assert [(c, r) for c, r in rows] == [("c1", reply)]


# ---------------------------------------------------------------- what people see


def test_account_detail_shows_rate_and_time_or_why_not(session: Session, world: World) -> None:
    detail = account_detail(session, world.ids[("facebook", CONNECTED)], 1, world.settings)
    assert detail is not None and detail.reply_rate_text is None
    assert detail.reply_rate is not None and 0 < detail.reply_rate < 100
    assert detail.reply_time_text is None and detail.reply_median_minutes is not None
    public = account_detail(session, world.ids[("instagram", PUBLIC)], 1, world.settings)
    assert public is not None and public.reply_rate is None
    assert public.reply_rate_text == "tidak tersedia: akun belum disambungkan pemiliknya"
    assert public.needs_owner_connection


def test_ranking_carries_the_reply_figures(session: Session, world: World) -> None:
    table = ranking(session, MONTH, world.settings).set_index("handle")
    facebook = table[table["platform"] == "facebook"]
    assert facebook.loc[CONNECTED, "reply_rate"] > 0
    assert facebook.loc[CONNECTED, "reply_median_minutes"] > 0
    view = display_table(facebook.reset_index(), ["handle", "reply_rate", "reply_median_minutes"])
    assert pd.isna(view.frame.set_index("Akun").loc[PUBLIC, "Tingkat balasan"])  # not 0
    by_handle = table_texts(view).set_index("Akun")
    assert by_handle.loc[PUBLIC, "Tingkat balasan"] == "tidak tersedia"
    assert by_handle.loc[PUBLIC, "Waktu balasan pertama (median)"] == "tidak tersedia"
    assert by_handle.loc[CONNECTED, "Tingkat balasan"].endswith("%")
    assert (
        "menit" in by_handle.loc[CONNECTED, "Waktu balasan pertama (median)"]
        or "jam" in (by_handle.loc[CONNECTED, "Waktu balasan pertama (median)"])
    )


def test_briefing_has_replies_only_where_known(session: Session, world: World) -> None:
    briefing = briefing_content(session, MONTH, world.settings)
    replies = briefing.replies.frame
    assert set(replies["Akun"]) == {CONNECTED}  # the public accounts are left out
    assert set(replies["Platform"]) == {"Facebook", "Instagram"}
    assert briefing.replies in briefing.tables()
    assert "DM" in briefing.replies.takeaway
    shown = briefing.replies.display()
    assert shown["Tingkat balasan"].str.endswith("%").all()


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0.4, "kurang dari 1 menit"), (45, "45 menit"), (135, "2 jam 15 menit"), (120, "2 jam"),
     (1_500, "1 hari 1 jam"), (4_320, "3 hari"), (None, "–")],
)  # fmt: skip
def test_duration_text(minutes: float | None, text: str) -> None:
    assert duration_text(minutes) == text


@pytest.fixture
def app_world(app_db: str) -> Iterator[World]:
    migrated(app_db)
    engine = make_engine(app_db)
    yield build(engine)
    engine.dispose()


def test_pages_show_the_reply_rate_or_tidak_tersedia(app_world: World) -> None:
    at = run_page("pages/detail_akun.py")
    at.selectbox(key="detail_akun").set_value(app_world.ids[("facebook", CONNECTED)]).run()
    shown = metrics(at)
    assert shown["Tingkat balasan"].endswith("%")
    assert (
        "menit" in shown["Waktu balasan pertama (median)"]
        or "jam" in (shown["Waktu balasan pertama (median)"])
    )
    assert "Pesan langsung (DM) tidak dapat dibaca" in texts(at)
    at.selectbox(key="detail_akun").set_value(app_world.ids[("instagram", PUBLIC)]).run()
    assert metrics(at)["Tingkat balasan"] == "–"
    assert "tidak tersedia: akun belum disambungkan pemiliknya" in texts(at)
    peringkat = run_page("pages/peringkat.py")
    table = table_with(peringkat, "Tingkat balasan")
    rates = dict(zip(table["Akun"] + " " + table["Platform"], table["Tingkat balasan"],
                     strict=True))  # fmt: skip
    assert rates[f"{PUBLIC} Facebook"] == "tidak tersedia"
    assert rates[f"{CONNECTED} Instagram"].endswith("%")


def test_docs_carry_the_worked_example_and_say_dm_cannot_be_read(empty_app: str) -> None:
    metrics_doc = " ".join((ROOT / "docs" / "metrics.md").read_text(encoding="utf-8").split())
    assert "reply rate 3 / 4 × 100 = 75%, median time to first reply 135 minutes" in metrics_doc
    assert duration_text(135) in metrics_doc  # "2 jam 15 menit", as the pages write it
    guide = " ".join(texts(run_page("pages/panduan.py")).split())
    assert "Pesan langsung (DM) tidak dapat dibaca" in guide
    assert "tidak tersedia: akun belum disambungkan pemiliknya" in guide
