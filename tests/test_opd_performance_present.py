"""Kinerja OPD Saya's words and tables (present/opd_performance.py) and Panduan as an OPD
admin reads it (present/opd_guide.py): pure, without a database."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from core.settings import Settings
from present import opd_followup as followup
from present import opd_performance as words
from present.opd_guide import OPD_GUIDE_SECTIONS, guide_sections, opd_guide
from services.users import OPD
from ui.loaders_account import guide_text
from ui.loaders_opd import OPD_GUIDE_FILE
from ui.navigation import PAGES

WIB, WITA, WIT = ZoneInfo("Asia/Pontianak"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")


def test_rank_words() -> None:
    assert words.rank_text(5, 46, "OPD") == "peringkat 5 dari 46 OPD"
    assert words.rank_text(pd.NA, 46, "OPD") == "belum diberi peringkat"
    assert words.platform_rank_text("instagram", "dinkes.sintang", 3, 40, "active") == (
        "Instagram dinkes.sintang: peringkat 3 dari 40 akun Instagram"
    )
    assert words.platform_rank_text("tiktok", "dinkes.tt", None, 12, "unreadable") == (
        "TikTok dinkes.tt: belum diberi peringkat (tidak terbaca)"
    )
    assert words.change_text(2.0) == "naik 2 peringkat"
    assert words.change_text(-1.0) == "turun 1 peringkat"
    assert words.change_text(0.0) == "peringkat tetap"
    assert words.change_text(math.nan) == "" and words.change_text(None) == ""


def test_the_headline_sentence() -> None:
    assert words.opd_rank_sentence(5, 46, 2.0, "2026-11", "Oktober 2026") == (
        "Peringkat 5 dari 46 OPD pada November 2026, naik 2 peringkat dari Oktober 2026."
    )
    assert words.opd_rank_sentence(5, 46, None, "2026-11", "Oktober 2026") == (
        "Peringkat 5 dari 46 OPD pada November 2026."
    )
    assert words.opd_rank_sentence(None, 46, None, "2026-11", "Oktober 2026").startswith(
        "Belum diberi peringkat di antara OPD pada November 2026"
    )
    # a running month moves against the same days of the month before, named so
    assert words.opd_rank_sentence(5, 46, -1.0, "2026-12", "1–6 November 2026") == (
        "Peringkat 5 dari 46 OPD pada Desember 2026, turun 1 peringkat dari 1–6 November 2026."
    )


def _accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [1, 2, 3],
            "platform": ["instagram", "youtube", "tiktok"],
            "handle": ["dinkes.sintang", "dinkes.tv", "dinkes.tt"],
            "status": ["active", "dormant", "unreadable"],
            "status_reason": ["", "", "Akun tidak ditemukan."],
            "days_since_last_post": [1.0, 45.0, math.nan],
            "score": [81.25, 12.0, math.nan],
            "platform_rank": pd.array([3, 1, pd.NA], dtype="Int64"),
            "platform_ranked": [40, 9, 12],
            "posts": [23, 0, 0],
            "posts_trend": [[1, 2, 3, 4, 5, 23], [0] * 6, [0] * 6],
            "score_trend": [[50.0, None, 60.0, 61.0, 70.0, 81.25], [12.0] * 6, [None] * 6],
        }
    )


def test_the_accounts_table_and_notes() -> None:
    view = words.accounts_table(_accounts(), "2026-09")
    table = view.texts()
    assert words.posts_column("2026-09") == "Unggahan September 2026" in table.columns
    assert table.iloc[0].tolist()[:7] == [
        "Instagram", "dinkes.sintang", "Aktif", "kemarin", "3", "81,2", "23",
    ]  # fmt: skip
    assert table["Terakhir aktif"].tolist() == ["kemarin", "45 hari lalu", "belum ada data"]
    assert table["Peringkat di platformnya"].iloc[2] == "–"
    # values stay values: the silence sorts by days, a never-posted account the longest
    for header in ("Terakhir aktif", "Peringkat di platformnya", "Unggahan September 2026"):
        assert view.frame[header].dtype == "float64", header
    never = _accounts().assign(days_since_last_post=[1.0, math.nan, math.nan])
    silence = words.accounts_table(never, "2026-09").sortable()["Terakhir aktif"]
    assert silence.tolist() == [1.0, math.inf, -math.inf]
    assert words.accounts_table(never, "2026-09").texts()["Terakhir aktif"].tolist() == [
        "kemarin", "belum pernah", "belum ada data",
    ]  # fmt: skip
    trends = words.trends_table(_accounts())
    assert trends["Akun"].tolist()[0] == "Instagram dinkes.sintang"
    assert trends[words.POSTS_TREND].iloc[0] == [1, 2, 3, 4, 5, 23]
    assert trends[words.SCORE_TREND].iloc[0] == [50.0, 60.0, 61.0, 70.0, 81.25]  # a gap left out
    assert words.status_summary(_accounts()) == (
        "3 akun dipantau: 1 aktif, 1 dorman, 1 tidak terbaca."
    )
    assert words.account_notes(_accounts()) == [
        "TikTok dinkes.tt: tidak dapat dibaca Pantau. Akun tidak ditemukan."
    ]


def _trend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": ["2026-10", "2026-11"],
            "posts": [14, 35],
            "interactions": [1872, 3685],
            "followers": [8655, None],
            "caption_score": [96.9, 96.1],
            "complete_pct": [92.86, 100.0],
            "within_rule_pct": [92.86, 100.0],
            "score": [58.9, 63.4],
            "rank": [13, 15],
        }
    )


def test_the_month_against_the_last() -> None:
    table = words.comparison_table(_trend()).set_index("Indikator")
    assert list(table.columns) == ["November 2026", "Oktober 2026", "Perubahan"]
    assert table.loc["Unggahan"].tolist() == ["35", "14", "+21"]
    assert table.loc["Interaksi"].tolist() == ["3.685", "1.872", "+1.813"]
    assert table.loc["Pengikut (akhir bulan)"].tolist() == ["–", "8.655", "–"]
    assert table.loc["Skor caption rata-rata", "Perubahan"] == "−0,8"
    assert table.loc["Caption dengan lima unsur"].tolist() == ["100,0%", "92,9%", "+7,1 poin"]
    assert table.loc["Peringkat di antara OPD"].tolist() == ["15", "13", "turun 2 peringkat"]
    days = words.comparison_table(_trend(), "1–26 Oktober 2026")
    assert list(days.columns) == ["Indikator", "November 2026", "1–26 Oktober 2026", "Perubahan"]
    assert words.caption_sentence(100.0, 92.857, "2026-10") == (
        "Pada Oktober 2026, 100,0% unggahan memuat kelima unsur caption dan 92,9% menampilkan "
        "pejabat sesuai arahan."
    )
    assert words.caption_sentence(None, None, "2026-10") == ""
    assert (
        words.comparison_heading("2026-10", "September 2026")
        == "Oktober 2026 dibanding September 2026"
    )
    view = words.trend_table(_trend())
    trend = view.texts()
    assert trend["Bulan"].tolist() == ["Oktober 2026", "November 2026"]
    assert trend["Peringkat OPD"].tolist() == ["13", "15"]
    assert trend["Pengikut"].tolist() == ["8.655", "–"]
    assert view.sortable().sort_values("Bulan", ascending=False)["Unggahan"].tolist() == [35, 14]


def test_the_trend_chart_has_both_series() -> None:
    fig = words.trend_chart(_trend())
    assert [trace.name for trace in fig.data] == ["Unggahan", "Indeks Kinerja Akun"]
    assert list(fig.data[0].x) == ["Okt 2026", "Nov 2026"]
    assert fig.layout.yaxis2.range == (0, 102)


def test_reminders_and_posts_to_fix_in_words() -> None:
    reminders = pd.DataFrame(
        {
            "received_at": [pd.Timestamp(datetime(2026, 11, 3, 2, 15, tzinfo=UTC))],
            "account_id": [1], "platform": ["facebook"], "handle": ["dinkes.sintang"],
            "channel": ["whatsapp"], "status": ["sent"],
        }
    )  # fmt: skip
    assert followup.reminders_table(reminders, WIB).texts().iloc[0].tolist() == [
        "3 November 2026 09.15 WIB", "Facebook dinkes.sintang", "WhatsApp", "Terkirim",
    ]  # fmt: skip
    row = {"missing": ("location", "time"), "outside_rule": True, "typos": 2, "jargon": 1}
    assert followup.problems_text(row) == (
        "belum ada lokasi, waktu · di luar arahan pejabat · 2 salah ketik · 1 istilah sulit"
    )
    fixes = pd.DataFrame(
        {
            "posted_at": [pd.Timestamp(datetime(2026, 11, 3, 2, 15, tzinfo=UTC))] * 2,
            "platform": ["instagram"] * 2, "handle": ["dinkes.sintang"] * 2,
            "missing": [(), ("attendees",)], "outside_rule": [False, False], "typos": [0, 0],
            "jargon": [1, 0], "score": [math.nan, 85.0],
            "url": ["javascript:alert(1)", "https://www.instagram.com/p/ABC/"],
        }
    )  # fmt: skip
    view = followup.fixes_table(fixes, WIB, with_link=True)
    table = view.texts()
    assert table["Skor caption"].tolist() == ["tanpa teks", "85"]
    assert view.sortable()["Skor caption"].tolist() == [-math.inf, 85.0]  # no text: the lowest
    assert view.columns["Tautan"].kind == "link"
    assert table["Yang perlu diperbaiki"].tolist() == ["1 istilah sulit", "belum ada yang hadir"]
    assert pd.isna(table["Tautan"].iloc[0])  # only an http(s) address becomes a link
    assert table["Tautan"].iloc[1] == "https://www.instagram.com/p/ABC/"
    assert words.more_text(12, 5) == "… dan 7 lainnya" and words.more_text(5, 5) == ""
    assert followup.fixes_caption(0, 0, "2026-10") == (
        "Tidak ada unggahan pada Oktober 2026 yang perlu diperbaiki. Terima kasih!"
    )
    assert followup.fixes_caption(57, 20, "2026-10").startswith("57 unggahan pada Oktober 2026 ")
    assert "Tampil 20 yang pertama" in followup.fixes_caption(57, 20, "2026-10")
    assert words.pdf_file_name("KEC-KETUNGAU HULU", "2026-11") == (
        "kinerja-kec-ketungau-hulu-2026-11.pdf"
    )


@pytest.fixture
def guides() -> tuple[str, str]:
    settings = Settings()
    own = OPD_GUIDE_FILE.read_text(encoding="utf-8").format(escalate_days=7)
    return guide_text(settings), opd_guide(guide_text(settings), own)


def test_the_opd_guide_keeps_what_concerns_an_opd(guides: tuple[str, str]) -> None:
    full, for_opd = guides
    titles = [title for title, _text in guide_sections("\n" + full)[1]]
    assert set(OPD_GUIDE_SECTIONS) <= set(titles)  # a renamed section would vanish silently
    shown = [title for title, _text in guide_sections("\n" + for_opd)[1]]
    assert shown[0] == "Halaman untuk admin OPD" and "Status akun" in shown
    assert "Pengingat dari Diskominfo" in shown and "Pemeriksaan caption" in shown
    assert for_opd.startswith("Halaman ini menjelaskan arti setiap angka")
    assert "lebih dari 7 hari" in for_opd and "{" not in for_opd
    for staff_only in ("Proses otomatis terjadwal", "Masuk dan peran pengguna", "Undang admin OPD"):
        assert staff_only not in for_opd
    for internal in ("cli.py", "docs/credentials.md", "Status Pengambilan Data", "admin server",
                     "Uji koneksi", "proses otomatis", "Pengaturan, tab"):  # fmt: skip
        assert internal not in for_opd, internal
    assert "Proses otomatis terjadwal" in full  # staff still read it


def test_times_follow_the_configured_zone() -> None:
    """Outside Kalimantan Barat the office sets PANTAU_TIMEZONE: every time and its label
    follow it (WITA, WIT), never a fixed WIB."""
    when = pd.Timestamp(datetime(2026, 11, 3, 2, 15, tzinfo=UTC))
    reminders = pd.DataFrame(
        {"received_at": [when], "account_id": [1], "platform": ["facebook"],
         "handle": ["dinkes.sintang"], "channel": ["email"], "status": ["queued"]}
    )  # fmt: skip
    assert followup.reminders_table(reminders, WITA).texts()["Waktu"].tolist() == [
        "3 November 2026 10.15 WITA"
    ]
    assert followup.reminders_caption(WITA).endswith("(waktu WITA).")
    assert followup.reminders_caption(WIB).endswith("(waktu WIB).")
    fixes = pd.DataFrame(
        {"posted_at": [when], "platform": ["instagram"], "handle": ["dinkes.sintang"],
         "missing": [("time",)], "outside_rule": [False], "typos": [0], "jargon": [0],
         "score": [80.0], "url": [None]}
    )  # fmt: skip
    shown = followup.fixes_table(fixes, WIT).texts()["Waktu unggah"].tolist()
    assert shown == ["3 November 2026 11.15 WIT"]
    month_end = datetime(2026, 10, 31, 15, 0, tzinfo=UTC)  # midnight in Jayapura
    assert words.as_of_text("2026-10", month_end, WIT) == (
        "Oktober 2026 · keadaan per 1 November 2026 00.00 WIT"
    )


def _sentences(markdown: str) -> list[str]:
    flat = " ".join(markdown.split())
    return [s for s in flat.replace("; ", ". ").split(". ") if s]


def test_the_opd_guide_sends_an_opd_admin_to_no_page_it_cannot_open(
    guides: tuple[str, str],
) -> None:
    """A sentence of the OPD admin's guide that names a staff-only page says it is Diskominfo's
    (the admin cannot open Pengaturan, Peringkat, Ringkasan, ...)."""
    _full, for_opd = guides
    staff_pages = [title for _file, title, _icon, roles in PAGES if OPD not in roles]
    assert "Pengaturan" in staff_pages and "Peringkat" in staff_pages
    for sentence in _sentences(for_opd):
        for title in staff_pages:
            named = sentence.find(title, 1)  # "Peringkat 1 adalah ..." opens with the word
            if named > 0:
                assert "Diskominfo" in sentence, (title, sentence)


def test_the_roles_paragraph_names_what_each_role_sees_and_marks(
    guides: tuple[str, str],
) -> None:
    full, _for_opd = guides
    roles = dict(guide_sections("\n" + full)[1])["Masuk dan peran pengguna"]
    flat = " ".join(roles.split())
    assert "admin OPD langsung dibawa ke halaman Kinerja OPD Saya" in flat
    assert "unggahan OPD-nya di Tinjauan Unggahan" in flat
    assert (
        "Admin dan peninjau mengirim pengingat dan mencatatnya (di Akun Dorman dan Tinjauan "
        "Bulanan), menandai unggahan yang sudah ditindaklanjuti di Tinjauan Unggahan, dan "
        "menandai peringatan sudah dibaca" in flat
    )
    assert "hanya diberikan oleh staf Diskominfo" in flat
