"""Plain Indonesian sentences for the dashboard's health page, one per platform and error kind.

Where the fix is on the OPD's side the sentence says what the OPD admin should do; where it is
on Diskominfo's side it names the setting to check. No sentence ever contains a secret.
"""

from __future__ import annotations

NAMES = {
    "instagram": "Instagram",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "x": "X",
    "website": "situs web",
}

_GENERIC = {
    "rate_limited": (
        "{name} sedang membatasi jumlah permintaan dari Pantau. Data akun ini akan diambil lagi "
        "pada putaran berikutnya; tidak ada yang perlu dilakukan."
    ),
    "transient": (
        "Layanan {name} sedang bermasalah atau lambat merespons. Pantau akan mencoba lagi "
        "otomatis pada putaran berikutnya."
    ),
    "malformed": (
        "Jawaban dari {name} tidak dapat dibaca (formatnya tidak seperti biasanya). Pantau "
        "mencoba lagi pada putaran berikutnya. Jika masih gagal sampai besok, kirimkan baris "
        "berkas log pekerja (worker.log) yang memuat nama akun ini kepada pengelola server Pantau."
    ),
    "not_found": "Akun {name} ini tidak ditemukan. Periksa nama akun di daftar akun OPD.",
    "auth": (
        "Kredensial {name} milik Diskominfo tidak berlaku atau sudah kedaluwarsa. Admin "
        "Diskominfo perlu memperbaruinya; pengambilan data {name} dihentikan sampai diperbaiki."
    ),
    "config": "Pengaturan {name} belum lengkap. Admin Diskominfo perlu mengisi kredensialnya.",
    "quota": "Kuota harian {name} sudah habis. Pengambilan data dilanjutkan otomatis besok.",
}

_SPECIFIC = {
    ("instagram", "not_found"): (
        "Akun Instagram ini bukan akun profesional (Bisnis/Kreator) atau tidak ditemukan. Minta "
        "admin OPD mengubahnya menjadi akun Bisnis atau Kreator di pengaturan Instagram."
    ),
    ("instagram", "permission"): (
        "Data akun Instagram ini tidak dapat dibaca (akun dibatasi usia atau wilayah). Minta "
        "admin OPD menghapus batasan usia/wilayah di pengaturan akun Instagram."
    ),
    ("instagram", "auth"): (
        "Token Meta (PANTAU_META_TOKEN) tidak berlaku atau sudah kedaluwarsa. Admin Diskominfo "
        "perlu membuat token baru di Meta for Developers; data Instagram tidak diambil dulu."
    ),
    ("instagram", "config"): (
        "Pengaturan Instagram belum lengkap: isi PANTAU_IG_USER_ID (akun profesional milik "
        "Diskominfo) dan PANTAU_META_TOKEN."
    ),
    ("facebook", "not_found"): (
        "Halaman Facebook ini tidak ditemukan atau tidak dapat dibaca Pantau. Periksa alamat "
        "Halaman di daftar akun; jika sudah benar, minta admin OPD menyambungkan Halaman di "
        "halaman Sambungkan Akun."
    ),
    ("facebook", "permission"): (
        "Pantau tidak punya izin membaca Halaman Facebook ini. Minta admin OPD menyambungkan "
        "Halaman di halaman Sambungkan Akun."
    ),
    ("facebook", "auth"): (
        "Token Meta (PANTAU_META_TOKEN) tidak berlaku atau sudah kedaluwarsa. Admin Diskominfo "
        "perlu membuat token baru; data Facebook tidak diambil dulu."
    ),
    ("facebook", "account_auth"): (
        "Token Halaman Facebook ini tidak berlaku lagi (admin Halaman berganti kata sandi atau "
        "mencabut akses). Minta admin OPD menyambungkan ulang di halaman Sambungkan Akun."
    ),
    ("facebook", "config"): "Token Facebook belum diisi: isi PANTAU_META_TOKEN atau token Halaman.",
    ("youtube", "not_found"): (
        "Kanal YouTube ini tidak ditemukan. Periksa handle (@nama) atau ID kanal di daftar akun."
    ),
    ("youtube", "auth"): (
        "Kunci API YouTube (PANTAU_YOUTUBE_API_KEY) tidak valid. Admin Diskominfo perlu "
        "memeriksa kunci di Google Cloud Console."
    ),
    ("youtube", "config"): (
        "Pengaturan YouTube belum lengkap: isi PANTAU_YOUTUBE_API_KEY dan pastikan YouTube Data "
        "API v3 aktif di proyek Google Cloud."
    ),
    ("youtube", "quota"): (
        "Kuota harian YouTube API sudah habis. Pengambilan data YouTube dilanjutkan otomatis "
        "besok (kuota diatur ulang tengah malam waktu Pasifik, sekitar pukul 14.00 WIB)."
    ),
    ("tiktok", "account_auth"): (
        "Izin TikTok akun ini sudah tidak berlaku atau belum diberikan. Minta admin OPD "
        "menyambungkan akun ini lagi di halaman Sambungkan Akun."
    ),
    ("tiktok", "config"): (
        "Pengaturan TikTok belum lengkap: isi PANTAU_TIKTOK_CLIENT_KEY dan "
        "PANTAU_TIKTOK_CLIENT_SECRET."
    ),
    ("tiktok", "not_found"): "Akun TikTok ini tidak ditemukan atau sudah dihapus.",
    ("x", "auth"): (
        "Token X (PANTAU_X_BEARER_TOKEN) tidak valid atau tidak punya akses. Admin Diskominfo "
        "perlu memeriksanya di X Developer Portal; data X tidak diambil dulu."
    ),
    ("x", "config"): "Pengaturan X belum lengkap: isi PANTAU_X_BEARER_TOKEN.",
    ("x", "not_found"): (
        "Akun X ini tidak ditemukan, ditangguhkan, atau dikunci. Periksa nama pengguna di daftar "
        "akun OPD."
    ),
    ("x", "quota"): (
        "Batas pemakaian X API (kredit atau batas bulanan) sudah tercapai. Admin Diskominfo "
        "perlu menambah kredit di X Developer Portal."
    ),
    ("website", "not_found"): (
        "Situs web ini tidak menyediakan daftar berita yang bisa dibaca (REST API WordPress "
        "maupun RSS). Minta pengelola situs OPD mengaktifkan RSS (/feed/) atau REST API WordPress."
    ),
}


def message(platform: str, kind: str) -> str:
    """The Indonesian sentence for ``kind`` (an error class, or ``permission``/``account_auth``)."""
    specific = _SPECIFIC.get((platform, kind))
    if specific is not None:
        return specific
    generic = _GENERIC.get(kind) or _GENERIC.get(
        {"permission": "not_found", "account_auth": "auth"}.get(kind, ""), _GENERIC["transient"]
    )
    return generic.format(name=NAMES.get(platform, platform))
