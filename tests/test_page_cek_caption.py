"""Cek Caption through AppTest: a good and a poor draft, and no database needed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from metrics.captions import check_caption
from tests.app_support import ROOT, metrics, migrated, run_page, texts

PAGE = "pages/cek_caption.py"
GOOD = (
    "Kepala Dinas Kesehatan Kabupaten Sintang, dr. Harjono Salim, membuka pelatihan kader di "
    "Aula Kantor Camat Dedai pada Senin (2/11/2026) pukul 09.00 WIB, dihadiri 40 kader."
)
POOR = "Rakor hari ini bersma staf. #sintang"


def check(at: AppTest, caption: str) -> AppTest:
    at.text_area(key="cek_caption_text").input(caption)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def checklist(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value[:1] in "✓✗"]


def test_before_checking_only_the_rule_and_the_box(app_db: str) -> None:
    migrated(app_db)
    at = run_page(PAGE)
    assert at.title[0].value == "Cek Caption"
    assert "nama pejabat, kegiatan apa, lokasi di mana" in texts(at)
    assert "lalu tekan **Periksa**" in texts(at)
    assert not at.metric


def test_a_good_caption(app_db: str) -> None:
    migrated(app_db)
    at = check(run_page(PAGE), GOOD)
    assert metrics(at)["Skor caption"] == "100/100"
    assert metrics(at)["Tingkat pejabat"] == "Kepala OPD/Camat"
    assert metrics(at)["Panjang"] == f"{len(GOOD)} karakter"
    assert checklist(at) == [
        "✓ Pejabat — ada", "✓ Kegiatan — ada", "✓ Lokasi — ada", "✓ Waktu — ada",
        "✓ Yang hadir — ada",
    ]  # fmt: skip
    assert "Tidak ada istilah yang sulit dimengerti." in [s.value for s in at.success]
    assert "Caption sudah sesuai arahan. Terima kasih!" in [s.value for s in at.success]
    assert not at.text  # no advice needed


def test_a_poor_caption(app_db: str) -> None:
    migrated(app_db)
    expected = check_caption(POOR)
    at = check(run_page(PAGE), POOR)
    assert metrics(at)["Skor caption"] == f"{expected.score}/100"
    assert metrics(at)["Tingkat pejabat"] == "Lainnya (di luar arahan)"
    assert checklist(at) == [
        "✗ Pejabat — belum ada", "✓ Kegiatan — ada", "✗ Lokasi — belum ada",
        "✗ Waktu — belum ada", "✗ Yang hadir — belum ada",
    ]  # fmt: skip
    assert "Unggahan ini di luar arahan" in texts(at)
    tables = {tuple(d.value.columns): d.value for d in at.dataframe}
    jargon = tables[("Istilah", "Kata yang lebih mudah")]
    assert jargon.iloc[0].tolist() == ["Rakor", "rapat koordinasi"]
    if expected.spelling_checked:
        typos = tables[("Kata", "Mungkin maksudnya")]
        assert typos["Kata"].tolist() == ["bersma"]
        assert "bersama" in typos["Mungkin maksudnya"].iloc[0]
    advice = [t.value for t in at.text]
    assert len(advice) == len(expected.advice) and all(a.startswith("• ") for a in advice)
    assert any("lokasi" in a for a in advice)


def test_the_result_stays_after_another_rerun(app_db: str) -> None:
    migrated(app_db)
    at = check(run_page(PAGE), GOOD)
    at.run()
    assert metrics(at)["Skor caption"] == "100/100"


def test_works_without_a_database(app_db: str) -> None:
    """The page itself needs no database: run it alone against an empty, unmigrated file."""
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.run()
    at = check(at, POOR)
    assert "DATA DEMO" not in texts(at)
    assert metrics(at)["Skor caption"].endswith("/100")
