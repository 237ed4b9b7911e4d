"""Pengaturan's "Koneksi platform" tab: the credential check (services.credential_check), run
when an admin presses "Uji koneksi". Never cached: every press asks the platforms again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from collectors.check import CheckResult
from core import fmt
from db.engine import make_session_factory
from present.labels import platform_label
from services.credential_check import run_check
from ui.auth import ADMIN, guarded
from ui.resources import get_engine, get_settings

STATUS_LABELS = {True: "Berfungsi", False: "Gagal", None: "Belum diatur"}


@dataclass(frozen=True)
class CheckView:
    """The check as the tab shows it: one line of summary (shown as ``level``: a Streamlit
    message kind) and the table."""

    summary: str
    level: str  # success | error | info
    table: pd.DataFrame


@guarded(ADMIN)
def run_connection_check() -> CheckView:
    settings = get_settings()
    with make_session_factory(get_engine())() as session:
        results = run_check(session, settings)
    return check_view(results, settings.tz)


def check_view(results: Sequence[CheckResult], tz: ZoneInfo) -> CheckView:
    table = pd.DataFrame(
        {
            "Platform": [platform_label(r.platform) for r in results],
            "Akun": [r.account or f"Diskominfo ({r.credential})" for r in results],
            "Status": [STATUS_LABELS[r.ok] for r in results],
            "Keterangan": [r.detail for r in results],
            "Perbaikan": [r.fix for r in results],
            "Berlaku sampai": [
                fmt.date_time(r.expires_at, tz) if r.expires_at else "" for r in results
            ],
        }
    )
    failed = sum(1 for r in results if r.ok is False)
    tested = sum(1 for r in results if r.ok is not None)
    if failed:
        summary = (
            f"{fmt.number(failed)} dari {fmt.number(tested)} kredensial dan token yang diuji "
            "gagal. Lihat kolom Perbaikan."
        )
        return CheckView(summary, "error", table)
    if tested:
        summary = f"Semua kredensial dan token yang diatur berfungsi ({fmt.number(tested)} diuji)."
        return CheckView(summary, "success", table)
    return CheckView("Belum ada kredensial platform yang diatur.", "info", table)
