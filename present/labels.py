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
    "score": "Indeks Kinerja Akun",
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


# Streamlit's and plotly's own words on the dashboard's widgets (the table toolbar, the file
# uploader, the chart toolbar and mode bar), which have no locale setting: translated in the
# browser by ui.browser_script.translate_widgets, word for word
WIDGET_WORDS = {
    # the table toolbar (st.dataframe)
    "Download as CSV": "Unduh sebagai CSV",
    "Search": "Cari",
    "Show/hide columns": "Tampilkan/sembunyikan kolom",
    "Fullscreen": "Layar penuh",
    "Close fullscreen": "Tutup layar penuh",
    "Clear selection": "Hapus pilihan",
    "Select all": "Pilih semua",
    # the file uploader (st.file_uploader)
    "Upload": "Pilih berkas",
    "Browse files": "Pilih berkas",
    "Drag and drop file here": "Seret dan lepas berkas di sini",
    "Drag and drop a file here": "Seret dan lepas berkas di sini",
    "Drag and drop files here": "Seret dan lepas berkas di sini",
    "Uploading...": "Mengunggah…",
    "Upload failed": "Gagal mengunggah",
    # plotly's mode bar (its buttons' tooltips)
    "Download plot as a PNG": "Unduh grafik sebagai PNG",
    "Download plot as a png": "Unduh grafik sebagai PNG",
    "Download plot": "Unduh grafik",
    "Zoom": "Perbesar area",
    "Pan": "Geser",
    "Box Select": "Pilih kotak",
    "Lasso Select": "Pilih bebas",
    "Zoom in": "Perbesar",
    "Zoom out": "Perkecil",
    "Autoscale": "Skala otomatis",
    "Reset axes": "Kembalikan sumbu",
    "Reset view": "Kembalikan tampilan",
    "Toggle Spike Lines": "Garis bantu",
    "Show closest data on hover": "Tampilkan data terdekat",
    "Compare data on hover": "Bandingkan data",
    "Double-click to zoom back out": "Klik dua kali untuk kembali",
}
# the uploader's size line, "20MB per file": the size stays, the words change
WIDGET_SIZE_LINE = (r"^(\d+(?:\.\d+)?\s?[KMG]B) per file$", "$1 per berkas")

# Pengaturan: why a threshold was refused, by the setting core.settings' message names first
SETTING_REFUSALS = {
    "PANTAU_ACTIVE_DAYS": "batas Aktif harus lebih kecil daripada batas Dorman.",
    "PANTAU_THRESHOLDS": (
        "tulis ambang khusus per platform seperti youtube=30:60 (hari Aktif, lalu hari Dorman "
        "yang lebih besar); pisahkan beberapa platform dengan koma."
    ),
    "PANTAU_INDEX_WEIGHTS": "paling sedikit satu bobot harus lebih dari nol.",
}
SETTING_REFUSED = "periksa kembali nilai yang diisi."


def setting_refusal(message: str) -> str:
    """The Indonesian reason for a refused setting, from a core.settings.SettingsError's
    English message (which starts with the setting's name)."""
    name = message.split(":", 1)[0].split(maxsplit=1)[0] if message.strip() else ""
    return SETTING_REFUSALS.get(name, SETTING_REFUSED)
