"""What Sambungkan Akun tells the user, in the office's words (one place, tested)."""

from __future__ import annotations

PLATFORM_NAMES = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "x": "X",
    "website": "Situs web",
}

REASON_TEXT = {
    "not_configured": (
        "Aplikasi {platform} belum diatur di server Pantau. Minta admin server mengisi "
        "pengaturannya (lihat Panduan, bagian Sambungkan Akun)."
    ),
    "not_yours": "Akun ini bukan milik OPD Anda, jadi tidak dapat Anda sambungkan.",
    "unknown_state": (
        "Tautan kembali dari platform tidak dikenal. Tidak ada yang disimpan. "
        "Ulangi dengan menekan Sambungkan."
    ),
    "used_state": (
        "Tautan persetujuan ini sudah pernah dipakai. Tidak ada yang disimpan. "
        "Ulangi dengan menekan Sambungkan."
    ),
    "expired_state": (
        "Permintaan sambungan sudah lewat 10 menit. Tidak ada yang disimpan. "
        "Ulangi dengan menekan Sambungkan."
    ),
    "wrong_session": (
        "Permintaan sambungan ini dibuat dari sesi masuk lain. Tidak ada yang disimpan. "
        "Masuk lagi di peramban ini, lalu tekan Sambungkan."
    ),
}

CONSENT_TEXT = {
    "connected": "Akun {platform} tersambung. Pengambilan data berikutnya memakai izin pemilik.",
    "nothing_matched": (
        "Persetujuan {platform} diterima, tetapi tidak ada akun yang cocok dengan daftar OPD "
        "Anda. Tidak ada token yang disimpan."
    ),
    "denied": "Persetujuan dibatalkan di {platform}. Tidak ada yang disimpan.",
    "incomplete": (
        "Jawaban dari {platform} tidak lengkap. Tidak ada yang disimpan. Ulangi Sambungkan."
    ),
    "code_invalid": (
        "Kode persetujuan dari {platform} sudah kedaluwarsa atau sudah dipakai. "
        "Tidak ada yang disimpan. Ulangi Sambungkan."
    ),
    "app_config": (
        "{platform} menolak aplikasi Pantau (ID aplikasi, kunci rahasia, atau alamat kembali "
        "tidak cocok). Tidak ada yang disimpan. Minta admin server memeriksa pengaturan."
    ),
    "platform": "{platform} sedang menolak permintaan. Tidak ada yang disimpan. Coba lagi nanti.",
    "network": "{platform} tidak dapat dihubungi. Tidak ada yang disimpan. Coba lagi nanti.",
    "disconnected": "Sambungan diputus: izin dicabut di platform dan token dihapus dari Pantau.",
    "disconnected_locally": (
        "Token dihapus dari Pantau, tetapi pencabutan izin di platform tidak berhasil. "
        "Pemilik akun dapat mencabutnya sendiri di pengaturan aplikasi platform."
    ),
}


def platform_name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, platform)


def consent_text(key: str, platform: str) -> str:
    return CONSENT_TEXT[key].format(platform=platform)
