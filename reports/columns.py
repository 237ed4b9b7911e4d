"""The briefing tables' columns: {source column: (Indonesian header, kind)}.

The workbook keeps every column; the slides and the PDF pick the ones named in their writers.
Full OPD names come first; the code stays beside them for whoever filters the workbook.
"""

from __future__ import annotations

from reports.tables import Kind

Columns = dict[str, tuple[str, Kind]]

OPD_RANKING_COLUMNS: Columns = {
    "rank": ("Peringkat", "int"),
    "rank_change": ("Perubahan", "change"),
    "opd_name": ("OPD", "text"),
    "opd_code": ("Kode OPD", "text"),
    "accounts": ("Jumlah akun", "int"),
    "score": ("Indeks Kinerja Akun", "float"),
    "followers": ("Pengikut", "int"),
    "posts": ("Unggahan", "int"),
    "engagement_rate": ("Tingkat interaksi", "pct"),
    "days_since_last_post": ("Tanpa unggahan", "days"),
    "status": ("Status", "text"),
}
RANKING_COLUMNS: Columns = {
    "rank": ("Peringkat", "int"),
    "rank_change": ("Perubahan", "change"),
    "opd_name": ("OPD", "text"),
    "opd_code": ("Kode OPD", "text"),
    "platform": ("Platform", "text"),
    "handle": ("Akun", "text"),
    "score": ("Indeks Kinerja Akun", "float"),
    "followers": ("Pengikut", "int"),
    "posts": ("Unggahan", "int"),
    "engagement_rate": ("Tingkat interaksi", "pct"),
    "days_since_last_post": ("Tanpa unggahan", "days"),
    "status": ("Status", "text"),
}
MOVER_COLUMNS: Columns = {
    k: RANKING_COLUMNS[k]
    for k in ("rank", "rank_change", "opd_name", "opd_code", "platform", "handle", "score")
}
NO_ACCOUNT = "belum punya akun"
NO_ACCOUNT_COLUMNS: Columns = {
    "opd_name": ("OPD", "text"),
    "opd_code": ("Kode OPD", "text"),
    "state": ("Keadaan", "text"),
}
TREND_COLUMNS: Columns = {
    "month_label": ("Bulan", "text"),
    "dormant": ("Akun dorman di akhir bulan", "int"),
}
DORMANT_COLUMNS: Columns = {
    "opd_name": ("OPD", "text"),
    "opd_code": ("Kode OPD", "text"),
    "platform": ("Platform", "text"),
    "handle": ("Akun", "text"),
    "days_since_last_post": ("Tanpa unggahan", "days"),
    "last_post_day": ("Terakhir aktif", "date"),
    "admin_name": ("Admin", "text"),
    "admin_phone": ("Telepon admin", "text"),
}
BEST_COLUMNS: Columns = {
    "posted_local": ("Waktu", "datetime"),
    "opd_name": ("OPD", "text"),
    "opd_code": ("Kode OPD", "text"),
    "platform": ("Platform", "text"),
    "handle": ("Akun", "text"),
    "interactions": ("Interaksi", "int"),
    "performance": ("Dibanding biasanya", "times"),
    "caption": ("Caption", "caption"),  # whole in the workbook, one line on slides and pages
    "url": ("Tautan", "text"),
}
COMPLIANCE_COLUMNS: Columns = {
    "opd_name": ("OPD", "text"),
    "opd_code": ("Kode OPD", "text"),
    "posts": ("Unggahan", "int"),
    "caption_score": ("Skor caption", "float"),
    "complete_pct": ("Lima unsur lengkap", "pct"),
    "within_rule_pct": ("Sesuai arahan pejabat", "pct"),
    "clean_pct": ("Tanpa salah ketik/jargon", "pct"),
}
REPLY_COLUMNS: Columns = {
    "opd_name": ("OPD", "text"),
    "opd_code": ("Kode OPD", "text"),
    "platform": ("Platform", "text"),
    "handle": ("Akun", "text"),
    "reply_rate": ("Tingkat balasan", "pct"),
    "reply_median_minutes": ("Waktu balasan pertama (median)", "minutes"),
}
