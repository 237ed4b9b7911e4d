"""The recap use case (services/recap.py) and `cli.py recap` on a hand-made November 2026:
each section with the right figures, one OPD's recap with nothing of another, its wa.me link
and the record of its sending among the reminders (only of the accounts it names as dormant,
once per click)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cli import app
from core.settings import Settings, load_settings
from core.timeutil import DEFAULT_TZ
from db import queries
from db import repository as repo
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from refresh.aggregates import rebuild_months
from refresh.captions import score_new_captions
from services.ranking import ranking
from services.recap import (
    REPEAT_WINDOW,
    UnknownOpd,
    month_recap,
    opd_recap,
    record_recap_sent,
)
from services.review import month_review
from testkit.db_support import NewDatabase
from tests.clock import FIXED_NOW, fixed_clock
from tests.post_review_world import COMPLETE, LACKING, STAFF

MONTH = "2026-11"
NOVEMBER_DAYS = 26  # FIXED_NOW is 26 November 13.00 WIB; posts are made at 11.00 WIB
MISSING_PLACE = "https://www.instagram.com/p/LokasiKurang/"


@dataclass(frozen=True)
class Habit:
    """An account that posts every ``every`` days from 120 days ago until ``quiet`` days ago
    (``november_every``: another pace in November), all with ``caption``."""

    opd: str
    platform: str
    handle: str
    every: int
    caption: str
    quiet: int = 0
    november_every: int | None = None


OPDS = {
    "DINKES": ("Dinas Kesehatan", "0812-3456-7890"),
    "DISTAN": ("Dinas Pertanian", None),
    "DISHUB": ("Dinas Perhubungan", None),
    "KEC-DEDAI": ("Kecamatan Dedai", None),
    "DISDIK": ("Dinas Pendidikan", None),
    "BPBD": ("Badan Penanggulangan Bencana Daerah", None),
}
HABITS = [
    Habit("DINKES", "instagram", "dinkes.sintang", 1, COMPLETE),
    Habit("DINKES", "youtube", "dinkes.tv", 7, COMPLETE),
    Habit("DISTAN", "tiktok", "distan.sintang", 3, COMPLETE, quiet=60),  # dormant
    Habit("DISTAN", "facebook", "distan.fb", 2, COMPLETE),
    Habit("DISHUB", "instagram", "dishub.sintang", 2, STAFF),  # outside the rule
    Habit("KEC-DEDAI", "facebook", "kec.dedai", 10, COMPLETE, november_every=1),  # climbs
    Habit("DISDIK", "instagram", "disdik.sintang", 1, COMPLETE, november_every=9),  # falls
    Habit("BPBD", "instagram", "bpbd.sintang", 2, LACKING["time"]),
]


def _days_ago(habit: Habit) -> list[int]:
    """Days before FIXED_NOW on which the account posted."""
    november = habit.november_every or habit.every
    days = [d for d in range(habit.quiet, NOVEMBER_DAYS) if (d - habit.quiet) % november == 0]
    first_before = max(habit.quiet, NOVEMBER_DAYS)
    return days + list(range(first_before, 120, habit.every))


def _posts(habit: Habit, account: int) -> list[repo.PostRow]:
    return [
        repo.PostRow(
            account,
            f"{habit.handle}-{days}",
            FIXED_NOW - timedelta(days=days, hours=2),
            habit.caption,
            f"https://example.com/{habit.handle}/{days}",
            likes=20 + days % 5,
            comments=2,
        )
        for days in _days_ago(habit)
    ]


def account_id(session: Session, handle: str) -> int:
    frame = queries.accounts_frame(session)
    return int(frame.loc[frame["handle"] == handle, "account_id"].iloc[0])


def _snapshots(account: int) -> list[repo.SnapshotRow]:
    return [
        repo.SnapshotRow(account, FIXED_NOW - timedelta(days=d, hours=1), 1000 + 3 * (150 - d))
        for d in range(150)
    ]


def build_month(session: Session) -> dict[str, int]:
    """The world above, refreshed as after any write; returns November's posts: all of them,
    those with all five elements and those outside the rule."""
    opds = {
        code: repo.upsert_opd(session, code, name, "dinas", admin_phone=phone)
        for code, (name, phone) in OPDS.items()
    }
    counts = {"all": 0, "complete": 0, "outside": 0, "lacking": 0}
    for habit in HABITS:
        account = repo.upsert_account(session, opds[habit.opd], habit.platform, habit.handle).id
        posts = _posts(habit, account)
        if habit.handle == "dinkes.sintang":  # its one post to fix: the place is missing
            posts.append(
                repo.PostRow(account, "tanpa-lokasi", FIXED_NOW - timedelta(days=3, hours=5),
                             LACKING["location"], MISSING_PLACE, likes=5)
            )  # fmt: skip
        repo.upsert_posts(session, posts)
        repo.upsert_snapshots(session, _snapshots(account))
        november = [p for p in posts if p.posted_at > FIXED_NOW - timedelta(days=NOVEMBER_DAYS)]
        counts["all"] += len(november)
        counts["complete"] += sum(p.caption == COMPLETE for p in november)
        counts["outside"] += sum(p.caption == STAFF for p in november)
        counts["lacking"] += sum(p.caption in LACKING.values() for p in november)
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    session.commit()
    return counts


@pytest.fixture
def world(
    new_db_url: NewDatabase, fixed_now: datetime, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Session, dict[str, int]]]:
    url = new_db_url("recap")
    monkeypatch.setenv("DATABASE_URL", url)  # for the CLI
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        yield session, build_month(session)
    engine.dispose()


@pytest.fixture
def cfg() -> Settings:
    return load_settings(environ={})


def section(text: str, heading: str) -> str:
    return next(part for part in text.split("\n\n") if part.startswith(heading))


def test_the_month_s_recap(world: tuple[Session, dict[str, int]], cfg: Settings) -> None:
    session, _ = world
    text = month_recap(session, MONTH, cfg)
    assert text.startswith("*Rekap November 2026* (per 26 November 2026 13.00 WIB)\n")
    assert "DATA DEMO" not in text
    assert section(text, "*Akun dipantau*").startswith("*Akun dipantau*: 8 akun\n")
    assert section(text, "*Akun dorman*") == (
        "*Akun dorman*: 1 akun di 1 OPD\n- Dinas Pertanian: TikTok"
    )
    ranked = ranking(session, MONTH, cfg).sort_values("rank").head(5)
    expected = [f"{int(r)}. {o} (" for r, o in zip(ranked["rank"], ranked["opd_name"], strict=True)]
    top = section(text, "*Lima besar*").splitlines()[1:]
    assert [line[: len(e)] for line, e in zip(top, expected, strict=True)] == expected
    movers = section(text, "*Naik peringkat*")
    up, down = movers.split("*Turun peringkat*")
    assert "- Kecamatan Dedai (Facebook kec.dedai): naik " in up
    # November is running at FIXED_NOW: places move against 1-26 October (the same days), so
    # the biggest fall is the ranking's own against those days
    all_ranked = ranking(session, MONTH, cfg)
    fell = all_ranked[all_ranked["rank_change"] < 0].sort_values(["rank_change", "rank"])
    first = fell.iloc[0]
    assert f"- {first['opd_name']} (Instagram {first['handle']}): turun " in down
    assert "disdik.sintang" not in down  # it climbs against 1-26 October


def test_compliance_and_posts_to_fix(world: tuple[Session, dict[str, int]], cfg: Settings) -> None:
    session, counts = world
    text = month_recap(session, MONTH, cfg)
    complete = 100 * counts["complete"] / counts["all"]
    outside = 100 * counts["outside"] / counts["all"]
    lines = section(text, "*Kepatuhan caption*").splitlines()
    assert lines[0] == f"*Kepatuhan caption*: {counts['all']} unggahan"
    assert lines[1] == f"- Lengkap lima unsur: {complete:.1f}%".replace(".", ",")
    assert lines[2] == f"- Di luar arahan: {outside:.1f}%".replace(".", ",")
    assert lines[3] == "- Tanpa salah ketik dan istilah sulit: 100,0%"
    fix = section(text, "*Unggahan yang perlu diperbaiki*").splitlines()
    assert fix[0] == f"*Unggahan yang perlu diperbaiki*: {counts['outside'] + counts['lacking']}"
    # the lowest score first: the staff's exercise names no official and no place
    assert fix[1] == (
        "- Dinas Perhubungan, Instagram, 26 November 2026: belum menyebut pejabat, lokasi; "
        "kegiatan di luar arahan"
    )
    assert fix[2] == "  https://example.com/dishub.sintang/0"
    assert fix[-1] == f"… dan {counts['outside'] + counts['lacking'] - 8} lainnya"


OTHERS = [name for code, (name, _) in OPDS.items() if code != "DINKES"]
OTHER_HANDLES = [h.handle for h in HABITS if h.opd != "DINKES"]


def test_one_opd_s_recap_names_nothing_of_another(
    world: tuple[Session, dict[str, int]], cfg: Settings
) -> None:
    session, _ = world
    recap = opd_recap(session, month_review(session, MONTH, cfg), cfg, "dinkes")
    text = recap.text
    assert text.startswith("Yth. Admin Dinas Kesehatan,\n")
    assert "- Instagram dinkes.sintang: aktif, peringkat " in text
    assert "- YouTube dinkes.tv: aktif, peringkat " in text
    assert "- Instagram, 23 November 2026: belum menyebut lokasi" in text and MISSING_PLACE in text
    for other in OTHERS + OTHER_HANDLES:
        assert other not in text, other
    assert recap.phone == "6281234567890"
    assert recap.wa_link is not None
    assert recap.wa_link.startswith("https://wa.me/6281234567890?text=")
    assert unquote(recap.wa_link.split("?text=", 1)[1]) == text
    quiet = opd_recap(session, month_review(session, MONTH, cfg), cfg, "DISTAN")
    assert quiet.phone is None and quiet.wa_link is None
    assert "- TikTok distan.sintang: dorman" in quiet.text
    with pytest.raises(UnknownOpd):
        opd_recap(session, month_review(session, MONTH, cfg), cfg, "TIDAK-ADA")


def test_a_sent_recap_reminds_only_of_the_dormant_accounts_it_names(
    world: tuple[Session, dict[str, int]], cfg: Settings
) -> None:
    session, _ = world
    repo.upsert_opd(session, "DISTAN", "Dinas Pertanian", "dinas", admin_phone="0813-2222-3333")
    session.commit()
    recap = opd_recap(session, month_review(session, MONTH, cfg), cfg, "DISTAN")
    dormant = account_id(session, "distan.sintang")
    assert recap.reminded == ((dormant, "distan.sintang"),) and recap.can_record
    assert record_recap_sent(session, recap, created_by="kabid") == 1
    sent = queries.reminders_frame(session)
    # the active Facebook account's dormancy clock and escalation are left alone
    assert list(sent["account_id"]) == [dormant]
    assert list(sent["channel"]) == ["whatsapp"] and list(sent["status"]) == ["sent"]
    assert list(sent["recipient"]) == ["6281322223333"] and list(sent["created_by"]) == ["kabid"]
    assert list(sent["message"]) == [recap.text]


def test_a_recap_naming_no_account_to_remind_records_nothing(
    world: tuple[Session, dict[str, int]], cfg: Settings
) -> None:
    session, _ = world
    review = month_review(session, MONTH, cfg)
    all_active = opd_recap(session, review, cfg, "DINKES")  # a number, nothing dormant
    assert all_active.phone is not None and all_active.reminded == ()
    assert not all_active.can_record
    no_number = opd_recap(session, review, cfg, "DISTAN")  # a dormant account, no number
    assert no_number.phone is None and len(no_number.reminded) == 1
    assert not no_number.can_record
    assert record_recap_sent(session, all_active, created_by="kabid") == 0
    assert record_recap_sent(session, no_number, created_by="kabid") == 0
    assert queries.reminders_frame(session).empty


def test_a_double_click_is_recorded_once(
    world: tuple[Session, dict[str, int]], cfg: Settings
) -> None:
    session, _ = world
    repo.upsert_opd(session, "DISTAN", "Dinas Pertanian", "dinas", admin_phone="0813-2222-3333")
    session.commit()
    recap = opd_recap(session, month_review(session, MONTH, cfg), cfg, "DISTAN")
    assert record_recap_sent(session, recap, created_by="kabid") == 1
    # the page rebuilt the recap a minute later (another time in it): still the same click
    with fixed_clock(FIXED_NOW + timedelta(minutes=1)):
        again = replace(recap, text=recap.text.replace("13.00 WIB", "13.01 WIB"))
        assert again.text != recap.text
        assert record_recap_sent(session, again, created_by="kabid") == 0
    assert len(queries.reminders_frame(session)) == 1
    with fixed_clock(FIXED_NOW + REPEAT_WINDOW + timedelta(minutes=1)):  # a later sending
        assert record_recap_sent(session, recap, created_by="kabid") == 1
    assert len(queries.reminders_frame(session)) == 2


# --- cli.py recap ----------------------------------------------------------------------------

runner = CliRunner()


def test_cli_prints_the_text_as_it_is_pasted(
    world: tuple[Session, dict[str, int]], cfg: Settings
) -> None:
    session, _ = world
    result = runner.invoke(app, ["recap", "--month", MONTH])
    assert result.exit_code == 0, result.output
    assert result.stdout == month_recap(session, MONTH, cfg) + "\n"
    assert result.stderr == ""


def test_cli_one_opd_with_its_whatsapp_link(
    world: tuple[Session, dict[str, int]], cfg: Settings
) -> None:
    session, _ = world
    result = runner.invoke(app, ["recap", "--month", MONTH, "--opd", "DINKES"])
    assert result.exit_code == 0, result.output
    recap = opd_recap(session, month_review(session, MONTH, cfg), cfg, "DINKES")
    assert result.stdout == recap.text + "\n"
    assert result.stderr.strip() == f"WhatsApp: {recap.wa_link}"
    quiet = runner.invoke(app, ["recap", "--month", MONTH, "--opd", "DISTAN"])
    assert quiet.exit_code == 0 and quiet.stdout.startswith("Yth. Admin Dinas Pertanian,")
    assert "no phone number recorded" in quiet.stderr


def test_cli_refuses_an_unknown_opd_or_month(world: tuple[Session, dict[str, int]]) -> None:
    unknown = runner.invoke(app, ["recap", "--month", MONTH, "--opd", "TIDAK-ADA"])
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert "unknown OPD code 'TIDAK-ADA'" in unknown.stderr
    bad = runner.invoke(app, ["recap", "--month", "November"])
    assert bad.exit_code == 1 and "expected a month like 2026-11" in bad.stderr


def test_cli_on_the_demo_world(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    result = runner.invoke(app, ["recap", "--month", MONTH])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("*DATA DEMO*: ")
    assert "DATA DEMO: these figures come from the synthetic demo world." in result.stderr
    assert len(result.stdout) <= 3_500 + 1
