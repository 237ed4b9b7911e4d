"""Status Pengambilan Data: the cached loader and the tables people read (Indonesian labels)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from core import fmt
from db.engine import make_session_factory
from present.labels import PLATFORM_LABELS
from present.tables import Column, TableView
from services.collection_health import CollectionHealth, collection_health
from services.worker_state import NEVER_RAN, RUNNING, STOPPED, WorkerState, job_label
from ui.auth import STAFF, guarded
from ui.resources import TTL_SECONDS, base_settings, get_engine

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
    "never": "Belum pernah diambil",
}
RUN_STATUS_LABELS = {
    "running": "Sedang berjalan",
    "ok": "Berhasil",
    "partial": "Sebagian berhasil",
    "failed": "Gagal",
}
RUN_KIND_LABELS = {"collect": "Pengambilan data", "import": "Impor berkas", "demo": "Data demo"}
TOKEN_LABELS = {"access": "Token akses", "refresh": "Token penyegar (refresh)"}
WORKER_STATE_LABELS = {
    RUNNING: "Berjalan",
    STOPPED: "Berhenti",
    NEVER_RAN: "Belum pernah berjalan",
}
JOB_RESULT_LABELS = {
    "ok": "Berhasil",
    "failed": "Gagal",
    "missed": "Terlewat",
    "running": "Sedang berjalan",
}
CUT_OFF = "Terputus"  # "running" while the worker is not: it stopped in the middle of the job
JOB_MESSAGES = {  # the worker's fixed notes (its job summaries stay as the worker wrote them)
    "missed its time": "Terlewat dari jadwalnya (proses otomatis mati atau sibuk saat itu).",
    "skipped: the previous run was still going": "Dilewati: proses sebelumnya masih berjalan.",
}


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Memeriksa status pengambilan data…")
def load_health() -> CollectionHealth:
    with make_session_factory(get_engine())() as session:
        return collection_health(session)


def error_class_label(code: object) -> str:
    if not isinstance(code, str) or not code:
        return "–"
    return ERROR_CLASS_LABELS.get(code, "Kesalahan lain")


def _when(value: object, missing: str = "–") -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return missing
    return fmt.date_time(pd.Timestamp(value).to_pydatetime(), base_settings().tz)  # type: ignore[arg-type]


def _text(value: object) -> str:
    return value if isinstance(value, str) and value.strip() else "–"


# the streak stays a number and the moments stay moments, so each column sorts by value
HEALTH_COLUMNS = {
    "OPD": Column(width="medium"),
    "Berhasil terakhir": Column(kind="date", missing="Belum pernah", shown=_when),
    "Gagal berturut-turut": Column(kind="number"),
    "Waktu kesalahan": Column(kind="date", shown=_when),
    "Pengambilan berikutnya": Column(kind="date", shown=_when),
}


def health_table(frame: pd.DataFrame) -> TableView:
    table = pd.DataFrame(
        {
            "OPD": frame["opd_name"],
            "Platform": frame["platform"].map(lambda p: PLATFORM_LABELS.get(p, p)),
            "Akun": frame["handle"],
            "Pengambilan terakhir": frame["last_status"].map(lambda s: RESULT_LABELS.get(s, s)),
            "Berhasil terakhir": pd.to_datetime(frame["last_success_at"], utc=True),
            "Gagal berturut-turut": pd.to_numeric(frame["consecutive_failures"]).astype(float),
            "Jenis kesalahan": frame["error_class"].map(error_class_label),
            "Kesalahan terakhir": frame["error_message"].map(_text),
            "Waktu kesalahan": pd.to_datetime(frame["error_at"], utc=True),
            "Pengambilan berikutnya": pd.to_datetime(frame["next_run_at"], utc=True),
        }
    ).reset_index(drop=True)
    return TableView(table, dict(HEALTH_COLUMNS))


def expiry_state(expires_at: object, as_of: datetime) -> str:
    """'Kedaluwarsa hari ini', 'besok' or 'dalam 3 hari' by WIB calendar dates (a token that
    expires at 00.30 tomorrow does not expire "hari ini" at 23.00); expired once the moment
    has passed."""
    if expires_at is None or pd.isna(expires_at):  # type: ignore[call-overload]
        return "–"
    moment = pd.Timestamp(expires_at).to_pydatetime()  # type: ignore[arg-type]
    if moment <= as_of:
        return "Sudah kedaluwarsa"
    days = fmt.calendar_days(as_of, moment, base_settings().tz)
    if days <= 1:
        return "Kedaluwarsa hari ini" if days == 0 else "Kedaluwarsa besok"
    return f"Kedaluwarsa dalam {fmt.number(days)} hari"


def _moment(missing: str = fmt.MISSING) -> Column:
    """A moment kept as a timestamp (it sorts by time), read as '26 November 2026 13.00 WIB'."""
    return Column(kind="date", missing=missing, shown=_when)


def tokens_table(frame: pd.DataFrame, as_of: datetime) -> TableView:
    table = pd.DataFrame(
        {
            "OPD": frame["opd_name"],
            "Platform": frame["platform"].map(lambda p: PLATFORM_LABELS.get(p, p)),
            "Akun": frame["handle"],
            "Kredensial": frame["token"].map(lambda t: TOKEN_LABELS.get(t, t)),
            "Berlaku sampai": pd.to_datetime(frame["expires_at"], utc=True),
            "Keadaan": [expiry_state(v, as_of) for v in frame["expires_at"]],
        }
    ).reset_index(drop=True)
    return TableView(table, {"OPD": Column(width="medium"), "Berlaku sampai": _moment()})


ALL_PLATFORMS = "Semua platform"


def run_platforms(kind: object, source: object) -> str:
    """The platforms a collection run was for, in Indonesian ('Facebook, Instagram').

    Read from the ``source`` the collector writes (``collectors.run.describe``):
    'platform=facebook,instagram opd=DINKES', 'opd=DINKES' or 'all' (every platform). An
    import's source is its file, which may hold any platform: '–'.
    """
    if kind == "demo":
        return ALL_PLATFORMS
    if kind != "collect" or not isinstance(source, str) or not source.strip():
        return "–"
    for part in source.split():
        name, _, value = part.partition("=")
        if name == "platform" and value:
            codes = sorted({c.strip() for c in value.split(",") if c.strip()})
            return ", ".join(PLATFORM_LABELS.get(c, c) for c in codes) or ALL_PLATFORMS
    return ALL_PLATFORMS


def runs_table(frame: pd.DataFrame) -> TableView:
    table = pd.DataFrame(
        {
            "Jenis": frame["kind"].map(lambda k: RUN_KIND_LABELS.get(k, k)),
            "Platform": [
                run_platforms(k, s) for k, s in zip(frame["kind"], frame["source"], strict=True)
            ],
            "Mulai": pd.to_datetime(frame["started_at"], utc=True),
            "Selesai": pd.to_datetime(frame["finished_at"], utc=True),
            "Status": frame["status"].map(lambda s: RUN_STATUS_LABELS.get(s, s)),
            "Keterangan": frame["message"].map(_text),
        }
    ).reset_index(drop=True)
    return TableView(table, {"Mulai": _moment(), "Selesai": _moment("Belum selesai")})


def worker_summary(state: WorkerState) -> str:
    """One line: the state, the last heartbeat and where the worker runs (Markdown)."""
    label = WORKER_STATE_LABELS.get(state.state, state.state)
    if state.lease is None:
        return f"Keadaan: **{label}**."
    beat = _when(state.lease.heartbeat_at)
    where = f"server {state.lease.hostname}, nomor proses {state.lease.pid}"
    return f"Keadaan: **{label}** · detak terakhir {beat} · berjalan di {where}"


def _job_result(status: object, worker_running: bool) -> str:
    if not isinstance(status, str) or not status:
        return "Belum pernah berjalan"
    if status == "running" and not worker_running:
        return CUT_OFF
    return JOB_RESULT_LABELS.get(status, status)


def _job_message(message: object) -> str:
    text = _text(message)
    return JOB_MESSAGES.get(text, text)


def jobs_table(state: WorkerState) -> TableView:
    frame = state.jobs
    running = state.state == RUNNING
    table = pd.DataFrame(
        {
            "Tugas": frame["job_id"].map(job_label),
            "Berikutnya": pd.to_datetime(frame["next_run_at"], utc=True),
            "Terakhir mulai": pd.to_datetime(frame["last_started_at"], utc=True),
            "Terakhir selesai": pd.to_datetime(frame["last_finished_at"], utc=True),
            "Hasil": [_job_result(s, running) for s in frame["last_status"]],
            "Keterangan": frame["last_message"].map(_job_message),
        }
    ).reset_index(drop=True)
    columns = {
        "Berikutnya": _moment("Tidak terjadwal"),
        "Terakhir mulai": _moment("Belum pernah"),
        "Terakhir selesai": _moment(),
    }
    return TableView(table, columns)
