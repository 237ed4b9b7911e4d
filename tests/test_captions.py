"""The caption checker against the office's guidance, on captions written like a regency's."""

from __future__ import annotations

import json
import random
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo import captions as demo_captions
from demo.accounts import read_opds
from demo.voice import make_voice
from demo.world import build_world
from metrics.captions import (
    DEFAULT_DICTIONARY,
    CaptionReport,
    Speller,
    caption_scores,
    check_caption,
    shared_speller,
)

HAVE_DICTIONARY = shared_speller().available
NO_DICTIONARY = Speller("/nonexistent/hunspell/id_ID")
needs_dictionary = pytest.mark.skipif(not HAVE_DICTIONARY, reason="hunspell-id not installed")
KEYS = {
    "official", "activity", "location", "time", "attendees", "official_level", "length",
    "typos", "jargon", "score", "advice",
}  # fmt: skip
ELEMENTS = ("official", "activity", "location", "time", "attendees")
LEVELS = {"regent", "head", "secretary", "division_head", "functional", "other", "none"}

# (caption, official, activity, location, time, attendees, level)
CAPTIONS = [
    (
        "Bupati Sintang, Agustinus Lumban, membuka Festival Budaya Sintang di Stadion Baning, "
        "Sabtu (14/6/2025). Turut hadir unsur Forum Koordinasi Pimpinan Daerah dan para "
        "kepala perangkat daerah. #PemkabSintang",
        True,
        True,
        True,
        True,
        True,
        "regent",
    ),
    (
        "Wakil Bupati Sintang Melkianus Tamba meninjau lokasi banjir di Desa Nanga Mau, "
        "Kecamatan Kayan Hilir, Senin, 3 Maret 2025 pukul 10.00 WIB, didampingi Kepala "
        "Pelaksana BPBD Sintang.",
        True,
        True,
        True,
        True,
        True,
        "regent",
    ),
    (
        "Sekretaris Daerah Kabupaten Sintang, Drs. Yosef Harmoko, M.Si., memimpin apel pagi "
        "di Halaman Kantor Bupati Sintang, Senin (2/6/2025). Apel diikuti oleh seluruh ASN "
        "di lingkungan Setda.",
        True,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Kadis Kesehatan Sintang, dr. Harjono Salim, M.Kes. membuka pelatihan kader Posyandu "
        "di Aula Dinas Kesehatan pada Rabu, 7 Mei 2025. Sebanyak 60 kader dari 14 kecamatan "
        "mengikuti pelatihan ini.",
        True,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Camat Dedai, Yohanes S.Sos membuka Musyawarah Perencanaan Pembangunan (Musrenbang) "
        "tingkat kecamatan di Aula Kantor Camat Dedai, Kamis (6/2/2025). Hadir pula para "
        "kepala desa se-Kecamatan Dedai.",
        True,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Sekretaris Dinas Pendidikan dan Kebudayaan Kabupaten Sintang, Maria Goreti, S.Pd., "
        "menyerahkan bantuan seragam sekolah di SD Negeri 12 Sepauk, Selasa, 15 Juli 2025. "
        "Kegiatan ini dihadiri dewan guru dan komite sekolah.",
        True,
        True,
        True,
        True,
        True,
        "secretary",
    ),
    (
        "Sekcam Sepauk, Antonius Lanjak, memimpin rapat koordinasi penanganan banjir di "
        "Kantor Camat Sepauk pada Jumat, 10 Januari 2025 pukul 08.30 WIB bersama perangkat "
        "desa.",
        True,
        True,
        True,
        True,
        True,
        "secretary",
    ),
    (
        "Kabid Pencegahan dan Pengendalian Penyakit Dinkes Sintang, Fransiska Dewi, "
        "melaksanakan pengasapan di Kelurahan Tanjung Puri, Minggu (20/4/2025), bersama "
        "petugas Puskesmas.",
        True,
        True,
        True,
        True,
        True,
        "division_head",
    ),
    (
        "Kepala Seksi Pemerintahan Kecamatan Ketungau Hulu, Paulus Ranting, mendampingi "
        "pemilihan kepala desa di Desa Senaning, Rabu 9 Juli 2025, disaksikan panitia dan "
        "warga.",
        True,
        True,
        True,
        True,
        True,
        "division_head",
    ),
    (
        "Kasubbag Umum dan Kepegawaian Dinas Sosial, Rosita Hanum, memimpin pembinaan pegawai "
        "di Aula Dinas Sosial Kabupaten Sintang, Kamis (8/5/2025). Pembinaan diikuti 35 "
        "pegawai.",
        True,
        True,
        True,
        True,
        True,
        "division_head",
    ),
    (
        "Lurah Tanjung Puri, Syarif Usman, memimpin gotong royong membersihkan parit di "
        "Jalan Lintas Melawi, Minggu (18/5/2025), bersama warga RT 05.",
        True,
        True,
        True,
        True,
        True,
        "division_head",
    ),
    (
        "Penyuluh Pertanian Kecamatan Kelam Permai, Heri Saputra, memberikan penyuluhan "
        "pengendalian hama di Desa Kebong, Selasa (3/6/2025) pukul 09.00 WIB. Kegiatan "
        "diikuti 25 anggota kelompok tani.",
        True,
        True,
        True,
        True,
        True,
        "functional",
    ),
    (
        "Pranata Humas Ahli Muda Diskominfo Sintang, Nurul Hidayah, memberikan pelatihan "
        "fotografi bagi pengelola media sosial di Balai Praja Kantor Bupati Sintang, Rabu, "
        "4 Desember 2024. Pelatihan diikuti 40 peserta.",
        True,
        True,
        True,
        True,
        True,
        "functional",
    ),
    (
        "Bidan Desa Mensiku, Yuliana Bunga, melayani imunisasi balita di Posyandu Melati, "
        "Desa Mensiku, Kamis (12/6/2025), bersama kader Posyandu setempat.",
        True,
        True,
        True,
        True,
        True,
        "functional",
    ),
    (
        "Auditor Ahli Muda Inspektorat Daerah Kabupaten Sintang, Stefanus Raga, melaksanakan "
        "pemeriksaan keuangan desa di Kantor Desa Tanjung Ria, Senin (10/3/2025), didampingi "
        "kepala desa dan bendahara desa.",
        True,
        True,
        True,
        True,
        True,
        "functional",
    ),
    (
        "Inspektur Daerah Kabupaten Sintang, Ir. Hendrikus Mamat, membuka sosialisasi Sistem "
        "Pengendalian Intern Pemerintah (SPIP) di Aula Inspektorat, Selasa (11/2/2025), "
        "diikuti para bendahara perangkat daerah.",
        True,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Direktur RSUD Ade M. Djoen Sintang, dr. Edi Purnomo, Sp.PD, meresmikan layanan "
        "poliklinik jantung di RSUD Ade M. Djoen Sintang pada Senin, 5 Mei 2025 pukul 09.00 "
        "WIB. Turut hadir dokter spesialis dan perawat.",
        True,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Kepala Bagian Protokol dan Komunikasi Pimpinan Setda Sintang, Markus Ahau, memimpin "
        "gladi bersih upacara HUT RI di Halaman Kantor Bupati Sintang, Jumat (15/8/2025). "
        "Gladi diikuti pasukan pengibar bendera.",
        True,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Kepala Desa Gandis, Petrus Aling, menerima bantuan bibit ikan di Kantor Desa Gandis, "
        "Rabu (21/5/2025), disaksikan Camat Dedai.",
        True,
        True,
        True,
        True,
        True,
        "other",
    ),
    (
        "Mewakili Bupati Sintang, Kepala Dinas Sosial Kabupaten Sintang, Hasan Basri, "
        "menyalurkan bantuan sembako bagi warga terdampak banjir di Desa Nanga Tempunak, "
        "Kamis (6/3/2025). Hadir pula camat Tempunak.",
        True,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Kepala Dinas Kesehatan membuka Pekan Imunisasi Nasional di Puskesmas Sepauk, Senin "
        "(24/3/2025), dihadiri para bidan desa.",
        False,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Bupati Sintang menghadiri Gawai Dayak di Rumah Betang Ensaid Panjang, Sabtu "
        "(31/5/2025), bersama tokoh adat.",
        False,
        True,
        True,
        True,
        True,
        "regent",
    ),
    (
        "Syukur Saleh, Kepala Bidang Komunikasi Publik Diskominfo Sintang, memberikan arahan "
        "kepada admin media sosial di Balai Praja Kantor Bupati Sintang pada Rabu, "
        "4 Desember 2024.",
        True,
        True,
        True,
        True,
        False,
        "division_head",
    ),
    (
        "Kepala Dinas Pertanian dan Perkebunan Kabupaten Sintang, Yakobus Lenggang, melakukan "
        "panen raya padi bersama kelompok tani Desa Merpak.",
        True,
        True,
        True,
        False,
        True,
        "head",
    ),
    (
        "Kepala Badan Penanggulangan Bencana Daerah Kabupaten Sintang Ursula Ranti memantau "
        "tinggi muka air Sungai Kapuas pada Kamis, 13 Maret 2025.",
        True,
        True,
        True,
        True,
        False,
        "head",
    ),
    (
        "Camat Serawai Benediktus Ajang meninjau pembangunan jalan desa.",
        True,
        True,
        False,
        False,
        False,
        "head",
    ),
    (
        "Sekretaris Camat Ambalau, Ignatius Rumpang, mengikuti rapat koordinasi secara daring "
        "pada Selasa, 8 April 2025.",
        True,
        True,
        False,
        True,
        False,
        "secretary",
    ),
    (
        "Kepala Bidang Bina Marga Dinas PUPR Sintang, Ir. Aris Munandar, meninjau peningkatan "
        "ruas jalan Sintang-Nanga Mau.",
        True,
        True,
        False,
        False,
        False,
        "division_head",
    ),
    (
        "Membuka sosialisasi pencegahan demam berdarah di Aula Puskesmas Sungai Durian. "
        "#DinkesSintang",
        False,
        True,
        True,
        False,
        False,
        "none",
    ),
    (
        "Sosialisasi perizinan berusaha bagi 50 pelaku usaha, Rabu (14/5/2025).",
        False,
        True,
        False,
        True,
        True,
        "none",
    ),
    (
        "Pelayanan perekaman KTP elektronik keliling di Kecamatan Binjai Hulu, Jumat, "
        "7 Februari 2025, diikuti 120 warga.",
        False,
        True,
        True,
        True,
        True,
        "none",
    ),
    (
        "Senam pagi bersama staf Dinas Sosial setiap Jumat, sehat selalu!",
        False,
        True,
        False,
        False,
        True,
        "other",
    ),
    (
        "Selamat ulang tahun rekan kerja kami, semoga panjang umur dan sehat selalu.",
        False,
        False,
        False,
        False,
        False,
        "other",
    ),
    (
        "Jalan-jalan staf Dinkes ke Bukit Kelam, seru sekali",
        False,
        False,
        True,
        False,
        False,
        "other",
    ),
    ("Dokumentasi kegiatan.", False, False, False, False, False, "none"),
    ("Kegiatan hari ini. #sintang", False, False, False, False, False, "none"),
    ("Apel pagi", False, True, False, False, False, "none"),
    ("Selamat pagi, salam sehat selalu.", False, False, False, False, False, "none"),
    ("Rapat koordinasi pagi ini bersama tim.", False, True, False, False, True, "none"),
    (
        "Kunjungan kerja ke Desa Tanjung Miru kemarin.",
        False,
        True,
        True,
        False,
        False,
        "none",
    ),
    (
        "KEPALA DINAS SOSIAL KABUPATEN SINTANG HASAN BASRI MENYERAHKAN BANTUAN KURSI RODA "
        "DI DESA SUNGAI UKOI.",
        True,
        True,
        True,
        False,
        False,
        "head",
    ),
    (
        "Pada Selasa (22/4/2025), Analis Kebijakan Ahli Muda Bappeda Sintang, Dian "
        "Kartika, memaparkan hasil kajian di Ruang Rapat Bappeda. Turut hadir perwakilan "
        "perguruan tinggi.",
        True,
        True,
        True,
        True,
        True,
        "functional",
    ),
    (
        "Guru SD Negeri 3 Sintang, Elisabet Sumbun, melatih 30 siswa menari tarian Dayak di "
        "Sanggar Seni Kenyalang, Sabtu (10/5/2025).",
        True,
        True,
        True,
        True,
        True,
        "functional",
    ),
    (
        "Bapak Kepala Dinas Perhubungan hadir dalam uji kelaikan angkutan sungai di "
        "Pelabuhan Sungai Sintang pukul 08.00 WIB.",
        False,
        True,
        True,
        True,
        True,
        "head",
    ),
    (
        "Pelepasan kontingen atlet Sintang menuju Porprov Kalbar oleh Kepala Dinas Pemuda, "
        "Olahraga dan Pariwisata, Yustina Lemai, di Halaman Kantor Disporapar Sintang, Senin "
        "(9/6/2025).",
        True,
        True,
        True,
        True,
        False,
        "head",
    ),
]


def _report(text: str) -> CaptionReport:
    return check_caption(text, speller=shared_speller())


@needs_dictionary
@pytest.mark.parametrize(
    ("text", "official", "activity", "location", "time", "attendees", "level"), CAPTIONS
)
def test_elements_and_level(text, official, activity, location, time, attendees, level):
    report = _report(text)
    expected = (official, activity, location, time, attendees)
    assert tuple(getattr(report, e) for e in ELEMENTS) == expected
    assert report.official_level == level


@needs_dictionary
@pytest.mark.parametrize("caption", [c[0] for c in CAPTIONS])
def test_realistic_captions_have_no_false_typos(caption):
    assert _report(caption).typos == ()


# --- single elements: the forms Indonesian captions use ------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rapat evaluasi dimulai pukul 09.00 WIB.", True),
        ("Penyuluhan dimulai jam 9 pagi di balai desa.", True),
        ("Penyerahan bantuan pada Senin (12/5/2025).", True),
        ("Penyerahan bantuan tanggal 12-05-2025.", True),
        ("Penyerahan bantuan, 2025-05-12.", True),
        ("Rapat kerja pada 4 Desember 2024 berjalan lancar.", True),
        ("Gotong royong bersama warga pada hari Ahad.", True),
        ("Kerja bakti Jum'at pagi di halaman kantor.", True),
        ("Sosialisasi tanggal 17 bulan ini.", True),
        ("Minggu pagi warga berolahraga bersama.", True),
        ("Rapat koordinasi hari ini.", False),
        ("Kunjungan kerja kemarin berjalan lancar.", False),
        ("Apel pagi ini diikuti seluruh pegawai.", False),
        ("Kegiatan kami minggu ini.", False),
        ("Senam pagi setiap Jumat.", False),
        ("Laporan kegiatan bulan Desember 2024.", False),
    ],
)
def test_time(text, expected):
    assert _report(text).time is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Penyaluran bantuan di Desa Gandis.", True),
        ("Rapat di Kecamatan Serawai.", True),
        ("Lomba bercerita di SMP Negeri 3 Sepauk.", True),
        ("Musyawarah desa bertempat di Balai Desa Merpak.", True),
        ("Panen raya padi warga Sungai Tebelian.", True),
        ("Penanaman pohon di tepi Sungai Kapuas.", True),
        ("Rapat di aula.", False),
        ("Hari ini kegiatan di lapangan.", False),
        ("Pelayanan kesehatan di Posyandu.", False),
        ("Program unggulan Pemerintah Kabupaten Sintang.", False),
        ("Camat Serawai membuka rapat.", False),
        ("Hadir para kepala desa se-Kecamatan Dedai.", False),
        ("Saksikan siaran ulangnya di Instagram kami.", False),
    ],
)
def test_location(text, expected):
    assert _report(text).location is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rapat dihadiri para camat.", True),
        ("Turut hadir Kapolsek Sepauk.", True),
        ("Pelatihan diikuti oleh kader Posyandu.", True),
        ("Para peserta antusias.", True),
        ("Penanaman pohon bersama pelajar.", True),
        ("Camat didampingi Sekcam meninjau jalan.", True),
        ("Hadir pula tokoh adat setempat.", True),
        ("Sosialisasi dengan 30 orang peserta.", True),
        ("Pelatihan dibuka untuk 45 pelaku usaha.", True),
        ("Sebanyak 25 orang mengikuti pelatihan.", True),
        ("Dokumentasi kegiatan.", False),
        ("Kita berdoa bersama.", False),
        ("Pelayanan kependudukan keliling.", False),
    ],
)
def test_attendees(text, expected):
    assert _report(text).attendees is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bupati membuka pameran.", True),
        ("Camat menghadiri gawai adat.", True),
        ("Sekda memimpin upacara.", True),
        ("Dinas melaksanakan vaksinasi.", True),
        ("Sosialisasi bahaya narkoba.", True),
        ("Kunjungan kerja ke Kecamatan Ambalau.", True),
        ("Peresmian jembatan gantung.", True),
        ("Monitoring harga bahan pokok.", True),
        ("Kepala Dinas meninjau jalan.", True),
        ("Kegiatan penanaman bibit karet.", True),
        ("Selamat pagi, salam sehat selalu.", False),
        ("Terima kasih atas kehadirannya.", False),
        ("Semangat pagi!", False),
    ],
)
def test_activity(text, expected):
    assert _report(text).activity is expected


# --- spelling ---------------------------------------------------------------------------------
@needs_dictionary
@pytest.mark.parametrize(
    ("text", "word", "suggestion"),
    [
        ("Kegiatn sosialisasi berjalan lancar.", "Kegiatn", "Kegiatan"),
        ("Bantuan diserahkan kepada masyarkat Desa Jetak.", "masyarkat", "masyarakat"),
        ("Pelatihan diikuti 30 pesreta dari desa.", "pesreta", "peserta"),
        ("Kegiatan ini dihadri oleh para kepala desa.", "dihadri", "dihadiri"),
        ("Camat menijau pembangunan jalan.", "menijau", "meninjau"),
        ("Rapat berjalan lancar dlm suasana akrab.", "dlm", "dalam"),
        ("Bantuan yg diserahkan berupa beras.", "yg", "yang"),
        ("Program ini di harapkan bermanfaat.", "di harapkan", "diharapkan"),
        ("Gotong royong bersma warga desa.", "bersma", "bersama"),
        ("Kepla Dinas Sosial menyerahkan bantuan.", "Kepla", "Kepala"),
        ("Pelaksanan vaksinasi di sekolah.", "Pelaksanan", "Pelaksanaan"),
        ("Warga dihimbau tidak membakar lahan.", "dihimbau", "diimbau"),
        ("Lokasi dimana banjir terjadi.", "dimana", "di mana"),
    ],
)
def test_typos_with_suggestions(text, word, suggestion):
    typos = {t.word: t.suggestions for t in _report(text).typos}
    assert word in typos
    assert suggestion in typos[word]
    assert len(typos[word]) <= 3


@needs_dictionary
@pytest.mark.parametrize(
    "text",
    [
        "Simak selengkapnya di https://sintang.go.id/berita/pelatihan-kadr #SintangMajuuu",
        "Tanya jawab lewat @dinkes_sintangg atau surel humas.dinkes@sintang.go.id",
        "Sebanyak 120 orang hadir pada 12/05/2025 untuk tahap ke-2 dari 3 tahap.",
        "Camat Dedai, Yohanes Lanjau, S.Sos., M.Si. memimpin rapat.",
        "Penghargaan diterima oleh Bapak Markus Ngelambong dan Ibu Rosalia Ambun.",
        "Pemeriksaan kesehatan di Desa Nanga Merakai bagi ibu-ibu se-Kecamatan Ketungau Tengah.",
        "Rapat BPBD, Dinkes, Disdikbud dan RSUD membahas penanganan karhutla.",
        "Coffee morning bersama awak media di Pendopo Bupati.",
        "Kegiatannya diikuti rekan-rekan wartawan dengan antusias.",
    ],
)
def test_things_that_are_not_typos(text):
    assert _report(text).typos == ()


@needs_dictionary
def test_each_typo_is_reported_once():
    report = _report("Kegiatn hari ini. Kegiatn besok juga.")
    assert [t.word for t in report.typos] == ["Kegiatn"]


def test_missing_dictionary_disables_spelling_only():
    speller = Speller("/nonexistent/hunspell/id_ID")
    assert not speller.available
    text = (
        "Kepala Dinas Kesehatan Kabupaten Sintang, dr. Harjono Salim, M.Kes. membuka kegiatn "
        "di Aula Dinas Kesehatan, Senin (12/5/2025), dihadiri 40 kader."
    )
    report = check_caption(text, speller=speller)
    assert report.typos == ()
    assert report.official and report.location and report.time and report.attendees
    assert report.official_level == "head"
    expected = "Pemeriksaan ejaan tidak tersedia: kamus hunspell-id belum terpasang di server."
    assert report.advice.count(expected) == 1
    assert "tidak diperiksa" in report.to_text()


@needs_dictionary
def test_speller_path_is_configurable():
    assert Speller(DEFAULT_DICTIONARY).available
    assert Speller(str(DEFAULT_DICTIONARY)).lookup("kegiatan")
    assert not Speller(str(DEFAULT_DICTIONARY)).lookup("kegiatn")


# --- jargon -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Bimtek SIPD bagi operator desa.", ["Bimtek", "SIPD"]),
        ("Rakor Monev Renja triwulan III di ruang rapat.", ["Rakor", "Monev", "Renja"]),
        ("Musrenbang kecamatan tahap II hari ini.", ["Musrenbang"]),
        ("Camat mengikuti kunker ke Kecamatan Sepauk.", ["kunker"]),
        ("Penyusunan DPA dan SPJ TA 2025.", ["DPA", "SPJ", "TA"]),
        ("Rapat Forkopimda membahas keamanan.", ["Forkopimda"]),
        ("Admin media sosial OPD diminta aktif.", ["OPD"]),
        ("Bimbingan Teknis (Bimtek) penyusunan RKPD.", ["RKPD"]),
        ("Musyawarah Perencanaan Pembangunan (Musrenbang) tingkat kecamatan.", []),
        ("Musrenbang (Musyawarah Perencanaan Pembangunan) tingkat desa.", []),
        ("Rapat Koordinasi (Rakor) lintas sektor.", []),
        ("Monitoring dan Evaluasi (Monev) Dana Desa.", []),
        ("Organisasi perangkat daerah (OPD) wajib melapor.", []),
        ("Sukseskan #Musrenbang2025 #BimtekSintang", []),
        ("Kita tetap semangat, ta?", []),
        ("Percepatan penurunan stunting di desa.", []),
    ],
)
def test_jargon(text, terms):
    report = _report(text)
    assert [j.term for j in report.jargon] == terms
    assert all(j.suggestion for j in report.jargon)


def test_jargon_list_is_long_enough():
    from metrics.captions.lexicon import lexicon

    assert len(lexicon().jargon) >= 40


# --- length, capitals, score and advice --------------------------------------------------------
def test_short_caption_gets_advice_to_write_more():
    report = _report("Rapat.")
    assert report.length == 6
    assert any(a.startswith("Jika mampu, tambahkan keterangan") for a in report.advice)
    assert not any("Jika mampu" in a for a in _report(CAPTIONS[0][0]).advice)


def test_all_caps_caption_gets_advice_and_loses_form_points():
    text = CAPTIONS[3][0]
    normal, shouted = _report(text), _report(text.upper())
    assert shouted.all_caps and not normal.all_caps
    assert any("huruf kapital" in a for a in shouted.advice)
    assert not any("huruf kapital" in a for a in normal.advice)
    assert shouted.score < normal.score


@needs_dictionary
def test_complete_caption_scores_100_without_advice():
    report = _report(CAPTIONS[0][0])
    assert report.score == 100
    assert report.advice == ()


def test_score_formula():
    from metrics.captions.report import caption_score

    assert caption_score(5, 0, 0, 200) == 100
    assert caption_score(0, 0, 0, 10) == 20
    assert caption_score(3, 1, 1, 100) == 45 + 6 + 5 + 5
    assert caption_score(5, 9, 9, 200, all_caps=True) == 75
    assert caption_score(4, 0, 0, 79) == 80


@needs_dictionary
def test_advice_names_every_missing_element():
    report = _report("Apel pagi")
    advice = " ".join(report.advice)
    assert "jabatan dan nama pejabat" in advice
    assert "lokasi" in advice and "waktu" in advice and "hadir" in advice
    assert "Jelaskan kegiatan" not in advice  # the activity is there
    titled = _report("Kepala Dinas Kesehatan membuka rapat.")
    assert any("nama lengkap pejabat" in a for a in titled.advice)


def test_staff_post_is_reminded_of_the_rule():
    report = _report("Foto bersama staf sebelum pulang kantor")
    assert report.official_level == "other"
    assert any("kegiatan pimpinan OPD, sekretaris" in a for a in report.advice)


def test_to_dict_has_exactly_the_cli_keys_and_is_json():
    report = _report("Kepla Dinas membuka Bimtek di Aula Kantor Camat Sepauk.")
    data = report.to_dict()
    assert set(data) == KEYS
    assert data["official_level"] in LEVELS
    assert all(isinstance(data[e], bool) for e in ELEMENTS)
    assert isinstance(data["length"], int) and isinstance(data["score"], int)
    assert data["jargon"] == [{"term": "Bimtek", "suggestion": "bimbingan teknis (pelatihan)"}]
    if HAVE_DICTIONARY:
        assert data["typos"][0]["word"] == "Kepla"
        assert set(data["typos"][0]) == {"word", "suggestions"}
    assert json.loads(json.dumps(data)) == data


def test_to_text_is_a_checklist():
    text = _report("Camat Sepauk, Yohanes Lanjau, membuka Bimtek di Aula Kantor Camat.").to_text()
    assert "✓ Pejabat" in text and "✗ Waktu" in text
    assert "Bimtek → bimbingan teknis" in text
    assert "Skor:" in text and "Saran:" in text
    assert "Pimpinan perangkat daerah" in text


# --- many captions at once -------------------------------------------------------------------
def test_caption_scores_matches_check_caption_and_keeps_the_index():
    texts = [CAPTIONS[0][0], None, "", "   ", "Apel pagi", CAPTIONS[0][0]]
    series = pd.Series(texts, index=[10, 11, 12, 13, 14, 15], dtype="object")
    scores = caption_scores(series)
    assert list(scores.index) == [10, 11, 12, 13, 14, 15]
    assert scores.isna().tolist() == [False, True, True, True, False, False]
    assert scores[14] == _report("Apel pagi").score
    assert scores[10] == scores[15] == _report(CAPTIONS[0][0]).score


def test_demo_world_captions_that_name_attendees_score_higher_than_bare_ones():
    world = build_world(as_of=date(2025, 12, 1))
    # posts without text (the demo has some, as real platforms do) have no caption to score
    captions = [c for _, row in world.posts if isinstance(c := row["caption"], str) and c.strip()]
    sample = random.Random(7).sample(captions, 300)
    scores = caption_scores(pd.Series(sample))
    full = [s for c, s in zip(sample, scores, strict=True) if "dihadiri" in c or "Turut hadir" in c]
    bare = [s for c, s in zip(sample, scores, strict=True) if len(c) < 60]
    assert len(full) >= 50 and len(bare) >= 10
    assert sum(full) / len(full) >= 90
    assert sum(full) / len(full) - sum(bare) / len(bare) >= 40


def test_demo_good_captions_beat_every_kind_of_poor_caption():
    rng = random.Random(11)
    voices = [make_voice(o.code, o.name, o.category, 2026) for o in read_opds()]
    made: dict[str, list[str]] = {}
    for _ in range(400):
        when = datetime(2025, rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 18))
        maker = rng.choice((demo_captions.good_caption, demo_captions.poor_caption))
        caption = maker(rng, rng.choice(voices), when)
        made.setdefault(caption.kind, []).append(caption.text)
    means = {k: caption_scores(pd.Series(v)).mean() for k, v in made.items()}
    assert means["good"] >= 95
    assert set(means) - {"good"} == set(demo_captions.POOR_KINDS)
    assert all(means[k] < means["good"] - 15 for k in demo_captions.POOR_KINDS)
    assert max(means[k] for k in ("bare", "jargon", "staff", "short")) <= 40


# --- properties ----------------------------------------------------------------------------
ADDITIONS = {
    "official": "Kegiatan dipimpin oleh Kepala Dinas Sosial Kabupaten Sintang, Hasan Basri.",
    "activity": "Kegiatan berupa sosialisasi pencegahan stunting.",
    "location": "Bertempat di Aula Kantor Camat Sepauk.",
    "time": "Kegiatan berlangsung pada Senin, 12 Mei 2025 pukul 09.00 WIB.",
    "attendees": "Kegiatan ini dihadiri oleh para kepala desa.",
}
BASES = [c[0] for c in CAPTIONS] + [
    "Bimtek SIPD di aula.",
    "KEGIATN RAPAT DI KANTOR CAMAT SEPAUK",
    "Kepla Dinas Kesehatan Kabuapten Sintang Rosalia Simanjuntak meninjau Posyandu",
    "",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES),
    noise=st.text(alphabet="abcdeiklmnoprstuy ", max_size=25),
    element=st.sampled_from(sorted(ADDITIONS)),
)
def test_adding_a_missing_element_never_lowers_the_score(base, noise, element):
    before = (base + noise).strip()
    after = before + "\n" + ADDITIONS[element]
    old, new = caption_scores(pd.Series([before or None, after]))
    assert pd.isna(old) or new >= old
    assert getattr(check_caption(after, speller=NO_DICTIONARY), element)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_and_scores_within_bounds(text):
    report = check_caption(text, speller=NO_DICTIONARY)
    assert 0 <= report.score <= 100
    assert report.official_level in LEVELS
    assert set(report.to_dict()) == KEYS


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "Zs", "P", "Nd"]), max_size=200))
def test_arbitrary_text_with_the_dictionary(text):
    score = caption_scores(pd.Series([text])).iloc[0]
    assert pd.isna(score) or 0 <= score <= 100
