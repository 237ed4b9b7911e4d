"""The WhatsApp recap text (present/recap.py) on hand-made facts: each section and its figures,
WhatsApp formatting that no name can break, and the 3,500-character bound."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from present.recap import (
    LIMIT,
    AccountFact,
    ComplianceFact,
    PostFact,
    RecapFacts,
    recap_text,
    reminded_accounts,
    wa_safe,
)
from tests.clock import FIXED_NOW

SENDER = "Bidang Komunikasi Publik Diskominfo Kabupaten Sintang"
POSTED = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # 24 November 2026 09.30 WIB


def _top(n: int) -> tuple[AccountFact, ...]:
    return tuple(
        AccountFact(f"Kecamatan Nomor {i}", "instagram", f"@kec_{i}", rank=i, score=90.0 - 2 * i)
        for i in range(1, n + 1)
    )


def month_facts(**changes: object) -> RecapFacts:
    """A small November 2026, observed at FIXED_NOW (the month still running)."""
    facts = RecapFacts(
        month="2026-11",
        as_of=FIXED_NOW,
        regency="Kabupaten Sintang",
        sender=SENDER,
        status_counts={"active": 9, "at_risk": 2, "dormant": 3, "unreadable": 1, "no_data": 0},
        accounts=(),
        ranked_total=14,
        compliance=ComplianceFact(posts=1234, complete_pct=42.25, outside_pct=7.5, clean_pct=81.0),
        posts_to_fix=(
            PostFact(
                "Dinas Kesehatan",
                "instagram",
                POSTED,
                ("location", "attendees"),
                url="https://www.instagram.com/p/CekLokasi1/",
            ),
            PostFact("Kecamatan Dedai", "facebook", POSTED, outside_rule=True, typos=2),
            PostFact("Dinas Sosial", "tiktok", POSTED, no_caption=True),
        ),
        posts_to_fix_total=11,
        dormant=(
            AccountFact("Dinas Pertanian", "tiktok", "@tani.sintang", "dormant"),
            AccountFact("Dinas Perhubungan", "facebook", "Dishub Sintang", "dormant"),
            AccountFact("Dinas Pertanian", "youtube", "@tanisintang", "dormant"),
        ),
        top=_top(5),
        movers_up=(
            AccountFact("Kecamatan Dedai", "facebook", "Kec Dedai", rank=3, rank_change=12),
        ),
        movers_down=(AccountFact("Dinas Sosial", "x", "@dinsos", rank=13, rank_change=-7),),
    )
    return replace(facts, **changes)


def section(text: str, heading: str) -> str:
    """The paragraph that starts with ``heading``."""
    return next(part for part in text.split("\n\n") if part.startswith(heading))


def test_heading_names_the_month_and_when_it_was_read() -> None:
    text = recap_text(month_facts())
    assert text.startswith("*Rekap November 2026* (per 26 November 2026 13.00 WIB)\n")
    assert "Kabupaten Sintang" in text.splitlines()[1]
    finished = recap_text(month_facts(as_of=None))
    assert finished.startswith("*Rekap November 2026*\n") and "(per " not in finished
    assert "DATA DEMO" not in text
    demo = recap_text(month_facts(is_demo=True))
    assert demo.splitlines()[0].startswith("*DATA DEMO*")


def test_accounts_watched_and_dormant_by_opd_and_platform() -> None:
    text = recap_text(month_facts())
    assert section(text, "*Akun dipantau*") == (
        "*Akun dipantau*: 15 akun\n"
        "- Aktif 9, perlu perhatian 2, dorman 3, tidak terbaca 1"
    )  # fmt: skip
    assert section(text, "*Akun dorman*") == (
        "*Akun dorman*: 3 akun di 2 OPD\n"
        "- Dinas Pertanian: TikTok, YouTube\n"
        "- Dinas Perhubungan: Facebook"
    )  # fmt: skip
    assert "*Akun dorman*: tidak ada." in recap_text(month_facts(dormant=()))


def test_top_five_in_order_and_movers_with_their_places() -> None:
    text = recap_text(month_facts(top=_top(7)))
    top = section(text, "*Lima besar*").splitlines()
    assert top[1:] == [
        f"{i}. Kecamatan Nomor {i} (Instagram @kec_{i}), indeks {90 - 2 * i},0" for i in range(1, 6)
    ]
    movers = section(text, "*Naik peringkat*")
    assert "- Kecamatan Dedai (Facebook Kec Dedai): naik 12 peringkat, kini ke-3" in movers
    assert "*Turun peringkat*\n- Dinas Sosial (X @dinsos): turun 7 peringkat, kini ke-13" in movers


def test_caption_compliance_figures() -> None:
    text = recap_text(month_facts())
    assert section(text, "*Kepatuhan caption*") == (
        "*Kepatuhan caption*: 1.234 unggahan\n"
        "- Lengkap lima unsur: 42,2%\n"
        "- Di luar arahan: 7,5%\n"
        "- Tanpa salah ketik dan istilah sulit: 81,0%"
    )  # fmt: skip
    none = ComplianceFact(0, float("nan"), float("nan"), float("nan"))
    empty = section(recap_text(month_facts(compliance=none)), "*Kepatuhan caption*")
    assert empty == "*Kepatuhan caption*: belum ada unggahan pada November 2026."
    september = recap_text(month_facts(month="2026-09", as_of=None, compliance=none))
    assert "belum ada unggahan pada September 2026." in september
    assert "bulan ini" not in september  # the recap of a past month speaks of that month


def test_posts_to_fix_say_where_when_what_and_link() -> None:
    lines = section(recap_text(month_facts()), "*Unggahan yang perlu diperbaiki*").splitlines()
    assert lines == [
        "*Unggahan yang perlu diperbaiki*: 11",
        "- Dinas Kesehatan, Instagram, 24 November 2026: belum menyebut lokasi, yang hadir",
        "  https://www.instagram.com/p/CekLokasi1/",
        "- Kecamatan Dedai, Facebook, 24 November 2026: kegiatan di luar arahan; 2 salah ketik",
        "- Dinas Sosial, TikTok, 24 November 2026: tanpa keterangan",
        "… dan 8 lainnya",
    ]


def test_a_caption_naming_none_of_the_five_says_so_once() -> None:
    nothing = ("official", "activity", "location", "time", "attendees")
    post = PostFact("Dinas Kesehatan", "x", POSTED, nothing, outside_rule=True, jargon=1)
    text = recap_text(month_facts(posts_to_fix=(post,), posts_to_fix_total=1))
    assert "24 November 2026: kelima unsur belum disebut; 1 istilah sulit" in text
    assert "di luar arahan" not in section(text, "*Unggahan yang perlu")


def test_a_link_that_is_not_a_web_address_is_left_out() -> None:
    post = PostFact("Dinas Kesehatan", "instagram", POSTED, ("time",), url="javascript:alert(1)")
    text = recap_text(month_facts(posts_to_fix=(post,), posts_to_fix_total=1))
    assert "javascript" not in text and "belum menyebut waktu" in text


def test_one_opd_recap_is_addressed_to_its_admin() -> None:
    accounts = (
        AccountFact("Dinas Kesehatan", "instagram", "@dinkes_sintang", "active", 2, 3, 80.0),
        AccountFact("Dinas Kesehatan", "tiktok", "@dinkes.stg", "dormant"),
    )
    post = PostFact("Dinas Kesehatan", "instagram", POSTED, ("official",))
    text = recap_text(
        month_facts(opd_name="Dinas Kesehatan", accounts=accounts, posts_to_fix=(post,),
                    posts_to_fix_total=1, dormant=(), top=(), movers_up=(), movers_down=())
    )  # fmt: skip
    assert text.startswith("Yth. Admin Dinas Kesehatan,\n")
    assert section(text, "*Akun yang dipantau*").splitlines()[1:] == [
        "- Instagram @dinkes_sintang: aktif, peringkat 2 dari 14 (naik 3)",
        "- TikTok @dinkes.stg: dorman",
    ]
    assert "- Instagram, 24 November 2026: belum menyebut pejabat" in text
    assert "*Lima besar*" not in text and "*Akun dipantau*" not in text
    assert text.endswith(f"Hormat kami,\n{SENDER}")


def opd_facts(accounts: tuple[AccountFact, ...]) -> RecapFacts:
    return month_facts(opd_name="Dinas Kesehatan", accounts=accounts, dormant=(), top=(),
                       movers_up=(), movers_down=())  # fmt: skip


def test_an_opd_recap_reminds_of_its_dormant_and_at_risk_accounts_only() -> None:
    accounts = tuple(
        AccountFact("Dinas Kesehatan", platform, f"@dinkes_{status}", status, account_id=i)
        for i, (platform, status) in enumerate(
            [("instagram", "active"), ("tiktok", "at_risk"), ("youtube", "dormant"),
             ("facebook", "unreadable"), ("x", "no_data")]
        )
    )  # fmt: skip
    assert [a.account_id for a in reminded_accounts(opd_facts(accounts))] == [1, 2]
    assert reminded_accounts(opd_facts(accounts[:1])) == ()  # nobody to remind
    assert reminded_accounts(month_facts()) == ()  # the regency's recap reminds no admin


def test_an_account_cut_from_a_long_recap_is_not_reminded() -> None:
    ranked = tuple(
        AccountFact("Dinas Kesehatan", "instagram", f"@dinkes_{i}", rank=i, account_id=i)
        for i in range(1, 15)
    )
    dormant = AccountFact("Dinas Kesehatan", "tiktok", "@dinkes_sepi", "dormant", account_id=99)
    facts = opd_facts((*ranked, dormant))  # unranked, so after the twelve shown
    assert "@dinkes_sepi" not in recap_text(facts) and "… dan 3 lainnya" in recap_text(facts)
    assert reminded_accounts(facts) == ()
    named = opd_facts((dormant, *ranked))
    assert "- TikTok @dinkes_sepi: dorman" in recap_text(named)
    assert reminded_accounts(named) == (dormant,)


# --- formatting that no name can break ------------------------------------------------------

BOLD = re.compile(r"\*[^*\n]+\*")
OURS = re.compile(
    r"\*(Rekap [A-Z][a-z]+ \d{4}|DATA DEMO|Akun dipantau|Akun dorman|Lima besar|Naik peringkat"
    r"|Turun peringkat|Naik dan turun peringkat|Akun yang dipantau|Kepatuhan caption"
    r"|Unggahan yang perlu diperbaiki)\*"
)


def assert_formatting_is_ours(text: str) -> None:
    """Every bold span is one of the recap's own headings; no strike or code marker; an
    underscore sits between two letters or digits, except around the sender's line."""
    assert [m.group() for m in BOLD.finditer(text)] == [m.group() for m in OURS.finditer(text)]
    assert "*" not in OURS.sub("", text)
    assert "~" not in text and "`" not in text
    body = text.replace(f"_{wa_safe(SENDER)}_", "")
    assert not re.search(r"(?<![^\W_])_|_(?![^\W_])", body), body


HOSTILE = "*Dinas* _Kesehatan_ ~coret~ `kode` *buka tebal"


def test_a_name_cannot_open_bold_or_italics() -> None:
    evil = AccountFact(HOSTILE, "instagram", "@_x_*y*", "dormant", rank=1, rank_change=2, score=1)
    post = PostFact(HOSTILE, "x", POSTED, ("time",), url="https://x.com/a_b/status/1")
    text = recap_text(
        month_facts(dormant=(evil,), top=(evil,), movers_up=(evil,), movers_down=(evil,),
                    posts_to_fix=(post,), posts_to_fix_total=1, is_demo=True)
    )  # fmt: skip
    assert_formatting_is_ours(text)
    assert "https://x.com/a_b/status/1" in text  # its own underscore cannot start italics
    assert "Dinas Kesehatan coret kode buka tebal" in text
    one = recap_text(month_facts(opd_name=HOSTILE, accounts=(evil,)))
    assert_formatting_is_ours(one)


def test_wa_safe_keeps_a_handle_s_own_underscore() -> None:
    assert wa_safe("@humas_sintang") == "@humas_sintang"
    assert wa_safe("_humas_") == "humas"
    assert wa_safe("Dinas\nKesehatan  *Kab*") == "Dinas Kesehatan Kab"
    assert wa_safe("x" * 100) == "x" * 59 + "…"


# --- the 3,500-character bound ---------------------------------------------------------------

names = st.text(min_size=0, max_size=300)
platforms = st.sampled_from(["instagram", "facebook", "youtube", "tiktok", "x", "website"])
accounts = st.builds(
    AccountFact, names, platforms, names, st.sampled_from(["active", "dormant", "at_risk"]),
    st.integers(1, 5000), st.integers(-5000, 5000), st.floats(0, 100),
)  # fmt: skip
posts = st.builds(
    PostFact, names, platforms, st.datetimes(timezones=st.just(UTC)),
    st.lists(st.sampled_from(["official", "activity", "location", "time", "attendees"]),
             max_size=5).map(tuple),
    st.booleans(), st.integers(0, 50), st.integers(0, 50), st.booleans(),
    st.one_of(st.none(), names.map(lambda s: "https://example.go.id/" + s.replace(" ", ""))),
)  # fmt: skip
many_accounts = st.lists(accounts, max_size=300).map(tuple)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    dormant=many_accounts, top=many_accounts, up=many_accounts, down=many_accounts,
    mine=many_accounts, fix=st.lists(posts, max_size=200).map(tuple),
    hidden=st.integers(0, 10**7), opd=st.one_of(st.none(), names), demo=st.booleans(),
)  # fmt: skip
def test_never_longer_than_the_limit(
    dormant: tuple[AccountFact, ...], top: tuple[AccountFact, ...], up: tuple[AccountFact, ...],
    down: tuple[AccountFact, ...], mine: tuple[AccountFact, ...], fix: tuple[PostFact, ...],
    hidden: int, opd: str | None, demo: bool,
) -> None:  # fmt: skip
    facts = month_facts(
        dormant=dormant, top=top, movers_up=up, movers_down=down, accounts=mine,
        posts_to_fix=fix, posts_to_fix_total=len(fix) + hidden, opd_name=opd, is_demo=demo,
        as_of=FIXED_NOW - timedelta(days=3),
    )  # fmt: skip
    text = recap_text(facts)
    assert len(text) <= LIMIT
    assert_formatting_is_ours(text)
    assert ("lainnya" in text) or len(fix) + hidden <= 8


def test_a_crowded_month_is_cut_with_what_is_left_out() -> None:
    def long(i: int) -> str:
        return f"Kecamatan {i} " + "Sungai Panjang Sekali " * 4

    crowd = tuple(AccountFact(long(i), "tiktok", f"@k{i}", "dormant") for i in range(120))
    moving = tuple(
        AccountFact(long(i), "youtube", "@" + "h" * 80, rank=i, rank_change=i) for i in range(1, 40)
    )
    link = "https://www.instagram.com/p/" + "A" * 160
    fix = tuple(
        PostFact(long(i), "instagram", POSTED, ("time",), url=f"{link}{i}/") for i in range(60)
    )
    text = recap_text(
        month_facts(dormant=crowd, posts_to_fix=fix, posts_to_fix_total=60, movers_up=moving,
                    movers_down=tuple(replace(a, rank_change=-a.rank_change) for a in moving))
    )  # fmt: skip
    assert len(text) <= LIMIT
    dormant = section(text, "*Akun dorman*").splitlines()
    assert dormant[0] == "*Akun dorman*: 120 akun di 120 OPD"
    assert re.fullmatch(r"… dan \d+ OPD lainnya", dormant[-1])
    assert len(dormant) < 2 + 12  # shortened to fit
    assert re.search(r"… dan \d+ lainnya", section(text, "*Unggahan yang perlu"))
    assert "*Kepatuhan caption*" in text and "*Lima besar*" in text
    assert text.endswith(f"_{SENDER}_")  # the end is never cut off
