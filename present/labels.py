"""Every Indonesian word the dashboard shows for a code, in one place."""

from __future__ import annotations

STATUS_LABELS = {
    "active": "Aktif",
    "at_risk": "Perlu perhatian",
    "dormant": "Dorman",
    "unreadable": "Tidak terbaca",
    "no_data": "Belum ada data",
}
STATUS_COLORS = {
    "active": "#2e7d32",
    "at_risk": "#f9a825",
    "dormant": "#c62828",
    "unreadable": "#6a1b9a",
    "no_data": "#9e9e9e",
}
PLATFORM_LABELS = {
    "instagram": "Instagram",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "x": "X",
    "website": "Situs web",
    "semua": "Semua",
}
CATEGORY_LABELS = {
    "sekretariat": "Sekretariat",
    "inspektorat": "Inspektorat",
    "badan": "Badan",
    "dinas": "Dinas",
    "rsud": "RSUD",
    "kecamatan": "Kecamatan",
}
COLUMN_LABELS = {
    "rank": "Peringkat",
    "rank_change": "Perubahan",
    "opd_code": "Kode OPD",
    "opd_name": "OPD",
    "platform": "Platform",
    "handle": "Akun",
    "followers": "Pengikut",
    "posts": "Unggahan",
    "engagement_rate": "Tingkat interaksi",
    "growth_weekly": "Pertumbuhan/minggu",
    "caption_score": "Skor caption",
    "days_since_last_post": "Tanpa unggahan",
    "status": "Status",
    "status_reason": "Mengapa tidak terbaca dan langkahnya",
    "score": "Indeks aktivitas",
    "consistency": "Konsistensi",
    "engagement": "Interaksi (persentil)",
    "growth": "Pertumbuhan (persentil)",
    "admin_name": "Admin",
    "admin_phone": "Telepon admin",
    "admin_email": "Surel admin",
}


def platform_label(code: str) -> str:
    return PLATFORM_LABELS.get(code, code)


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code.title())


def ranking_by_label(code: str) -> str:
    return {"account": "Akun", "opd": "OPD"}.get(code, code)
