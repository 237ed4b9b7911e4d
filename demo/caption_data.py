"""Word lists for the demo captions: names, calendar, places and the ways captions go wrong.

All names of people are generic, fictional combinations; none refers to a real official.
"""

from __future__ import annotations

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

MALE_FIRST = (
    "Agustinus", "Yohanes", "Fransiskus", "Hendrikus", "Bambang", "Ahmad", "Rudi", "Eko", "Dedi",
    "Paulus", "Antonius", "Heri", "Hasan", "Rahmat", "Yanto", "Wahyu", "Andi", "Indra", "Yosef",
    "Stefanus", "Markus", "Benediktus", "Syarif", "Mulyadi", "Petrus",
)  # fmt: skip
FEMALE_FIRST = (
    "Maria", "Yuliana", "Sri", "Siti", "Nurhayati", "Lusia", "Veronika", "Kristina", "Erna",
    "Fitri", "Dian", "Rosalia", "Elisabet", "Nurul", "Eka", "Agnes", "Margaretha", "Yustina",
)  # fmt: skip
MALE_LAST = (
    "Santoso", "Setiawan", "Kurniawan", "Hidayat", "Saputra", "Pratama", "Nugroho", "Hartono",
    "Susanto", "Gunawan", "Firmansyah", "Ramadhan", "Suryadi", "Purnomo", "Handoko", "Sulistyo",
)  # fmt: skip
FEMALE_LAST = (
    "Lestari", "Wulandari", "Rahayu", "Herlina", "Yulianti", "Anggraini", "Puspitasari",
    "Handayani", "Permatasari", "Susanti",
)  # fmt: skip
SHARED_LAST = ("Siregar", "Nainggolan", "Simanjuntak", "Sitompul")

# The fourteen kecamatan of Kabupaten Sintang and a few villages of each.
VILLAGES: dict[str, tuple[str, ...]] = {
    "Sintang": ("Baning Kota", "Kapuas Kiri Hilir", "Tertung", "Mungguk Bantok"),
    "Ambalau": ("Nanga Kemangai", "Nanga Ambalau", "Buntut Sabon"),
    "Binjai Hulu": ("Binjai Hilir", "Sungai Risap", "Mensiku"),
    "Dedai": ("Nanga Dedai", "Gandis", "Sungai Mali"),
    "Kayan Hilir": ("Nanga Mau", "Tanjung Bunut", "Sungai Ringin"),
    "Kayan Hulu": ("Nanga Tebidah", "Nanga Tikan", "Mensiku Hulu"),
    "Kelam Permai": ("Kebong", "Merpak", "Ensaid Panjang"),
    "Ketungau Hilir": ("Nanga Ketungau", "Setungkup", "Sungai Sintang"),
    "Ketungau Hulu": ("Senaning", "Sungai Bugau", "Rasau"),
    "Ketungau Tengah": ("Nanga Merakai", "Wana Bakti", "Sungai Seria"),
    "Sepauk": ("Nanga Sepauk", "Tanjung Ria", "Lengkenat"),
    "Serawai": ("Nanga Serawai", "Tanjung Raya", "Mentajoi"),
    "Sungai Tebelian": ("Manter", "Sungai Ukoi", "Solam Raya"),
    "Tempunak": ("Nanga Tempunak", "Pulau Jaya", "Tanjung Miru"),
}
KECAMATAN = tuple(VILLAGES)

REGENCY_TITLES = ("Bupati Sintang", "Wakil Bupati Sintang", "Sekretaris Daerah Kabupaten Sintang")

# OPD codes whose common short form is an acronym, and the few with a special short form.
SHORT_FORMS = {"SATPOLPP": "Satpol PP", "KESBANGPOL": "Kesbangpol"}
ACRONYMS = frozenset(
    (
        "RSUD",
        "DPUPR",
        "DKP",
        "DLH",
        "DPMD",
        "DPMPTSP",
        "DP3AP2KB",
        "BPKAD",
        "BPBD",
        "BKPSDM",
        "BPPD",
    )
)

TAG_POOL = ("#PemkabSintang", "#SintangMaju", "#KabupatenSintang", "#SintangBersatu")

QUOTE_LEADS = ("Dalam sambutannya", "Dalam arahannya", "Pada kesempatan tersebut", "Usai kegiatan")
QUOTE_MESSAGES = (
    "kegiatan ini merupakan bentuk komitmen pemerintah daerah untuk hadir di tengah masyarakat",
    "seluruh pihak perlu bersinergi agar program yang direncanakan tepat sasaran",
    "pelayanan kepada masyarakat harus cepat, mudah dan transparan",
    "pemerintah daerah akan terus mengevaluasi pelaksanaan program ini secara berkala",
    "partisipasi masyarakat sangat menentukan keberhasilan pembangunan di desa",
)

# --- the ways a caption goes wrong -------------------------------------------------------
BARE_CAPTIONS = (
    "Kegiatan hari ini. #sintang",
    "Dokumentasi kegiatan.",
    "Selamat pagi, salam sehat selalu.",
    "Rapat.",
    "Kunjungan kerja hari ini",
    "Apel pagi",
    "Semangat pagi!",
    "Kegiatan kami minggu ini",
    "Mantap, terus bekerja untuk masyarakat",
    "Hari ini kegiatan di lapangan",
    "Terima kasih atas kehadirannya",
    "Bersama warga",
)
JARGON_CAPTIONS = (
    "Bimtek SIPD RI di aula.",
    "Rakor Monev Renja triwulan III di ruang rapat.",
    "Musrenbang kec. tahap II hari ini",
    "Penguatan SPIP bersama APIP.",
    "Rapat Forkopimda.",
    "Monev DAK fisik TA berjalan di lapangan",
    "Asistensi RKA-SKPD & DPA hari ini",
    "Rakor TPPS lanjutan, Renaksi dibahas bersama tim.",
    "Verval DTKS by name by address di desa",
    "Desk LKjIP & Renstra perubahan di aula",
)
STAFF_CAPTIONS = (
    "Jalan-jalan staf {abbr} ke Bukit Kelam, seru sekali",
    "Makan siang bersama rekan-rekan staf kantor",
    "Senam pagi staf {abbr} setiap Jumat",
    "Selamat ulang tahun rekan kerja kami, semoga panjang umur",
    "Foto bersama staf sebelum pulang kantor",
    "Arisan ibu-ibu staf {abbr} bulan ini",
    "Liburan bersama keluarga besar {abbr}",
)
TYPOS = {
    "kegiatan": "kegiatn",
    "Kegiatan": "Kegiatn",
    "pelaksanaan": "pelaksanan",
    "dihadiri": "dihadri",
    "masyarakat": "masyarkat",
    "bersama": "bersma",
    "Kabupaten": "Kabuapten",
    "dalam": "dlm",
    "peserta": "pesreta",
    "diharapkan": "di harapkan",
    "Kepala": "Kepla",
    "meninjau": "menijau",
}
