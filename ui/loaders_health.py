"""Kesehatan Koleksi: the cached loader and the tables people read (Indonesian labels)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import fmt
from db.engine import make_session_factory
from services.health import HealthView, collection_health
from ui.labels import PLATFORM_LABELS
from ui.loaders import TTL_SECONDS, get_engine, get_settings

ERROR_CLASS_LABELS = {
    "auth": "Token/kunci tidak valid",
    "not_found": "Akun tidak ditemukan / bukan akun profesional",
    "rate_limited": "Dibatasi platform (terlalu banyak permintaan)",
    "quota": "Kuota harian habis",
    "transient": "Gangguan sementara",
    "malformed": "Jawaban platform tidak dapat dibaca",
    "config": "Pengaturan belum lengkap",
}
RESULT_LABELS = {
    "ok": "Berhasil",
    "failed": "Gagal",
    "skipped": "Dilewati",
    "never": "Belum pernah dikoleksi",
}
RUN_STATUS_LABELS = {
    "running": "Sedang berjalan",
    "ok": "Berhasil",
    "partial": "Sebagian berhasil",
    "failed": "Gagal",
}
RUN_KIND_LABELS = {"collect": "Koleksi", "import": "Impor berkas", "demo": "Data demo"}
TOKEN_LABELS = {"access": "Token akses", "refresh": "Token penyegar (refresh)"}


@st.cache_data(ttl=TTL_SECONDS, show_spinner="Memeriksa kesehatan koleksi…")
def load_health() -> HealthView:
    with make_session_factory(get_engine())() as session:
        return collection_health(session)


def error_class_label(code: object) -> str:
    if not isinstance(code, str) or not code:
        return "–"
    return ERROR_CLASS_LABELS.get(code, "Kesalahan lain")


def _when(value: object, missing: str = "–") -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return missing
    return fmt.date_time(pd.Timestamp(value).to_pydatetime(), get_settings().tz)  # type: ignore[arg-type]


def _text(value: object) -> str:
    return value if isinstance(value, str) and value.strip() else "–"


def health_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "OPD": frame["opd_name"],
            "Platform": frame["platform"].map(lambda p: PLATFORM_LABELS.get(p, p)),
            "Akun": frame["handle"],
            "Koleksi terakhir": frame["last_status"].map(lambda s: RESULT_LABELS.get(s, s)),
            "Berhasil terakhir": [_when(v, "Belum pernah") for v in frame["last_success_at"]],
            "Gagal berturut-turut": frame["consecutive_failures"].map(fmt.number),
            "Jenis kesalahan": frame["error_class"].map(error_class_label),
            "Kesalahan terakhir": frame["error_message"].map(_text),
            "Waktu kesalahan": [_when(v) for v in frame["error_at"]],
        }
    ).reset_index(drop=True)


def _expiry_state(days_left: int) -> str:
    if days_left < 0:
        return "Sudah kedaluwarsa"
    if days_left == 0:
        return "Kedaluwarsa hari ini"
    return f"Kedaluwarsa dalam {fmt.number(days_left)} hari"


def tokens_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "OPD": frame["opd_name"],
            "Platform": frame["platform"].map(lambda p: PLATFORM_LABELS.get(p, p)),
            "Akun": frame["handle"],
            "Kredensial": frame["token"].map(lambda t: TOKEN_LABELS.get(t, t)),
            "Berlaku sampai": [_when(v) for v in frame["expires_at"]],
            "Keadaan": frame["days_left"].map(_expiry_state),
        }
    ).reset_index(drop=True)


def runs_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Jenis": frame["kind"].map(lambda k: RUN_KIND_LABELS.get(k, k)),
            "Mulai": [_when(v) for v in frame["started_at"]],
            "Selesai": [_when(v, "Belum selesai") for v in frame["finished_at"]],
            "Status": frame["status"].map(lambda s: RUN_STATUS_LABELS.get(s, s)),
            "Keterangan": frame["message"].map(_text),
        }
    ).reset_index(drop=True)
