"""Kinerja OPD Saya's follow-up parts: the reminders an OPD received and its posts to fix,
as Indonesian tables and sentences (the page and the one-page PDF share them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from core import fmt
from core.links import web_link
from present.labels import platform_label
from present.tables import Column, TableView

ELEMENT_WORDS = {
    "official": "pejabat", "activity": "kegiatan", "location": "lokasi", "time": "waktu",
    "attendees": "yang hadir",
}  # fmt: skip
CHANNEL_LABELS = {"whatsapp": "WhatsApp", "email": "Surel"}
REMINDER_STATES = {
    "sent": "Terkirim",
    "queued": "Menunggu dikirim Diskominfo",
    "sending": "Sedang dikirim",
    "failed": "Belum terkirim",
}


def _when(value: object, tz: ZoneInfo) -> str:
    if fmt.is_missing(value):
        return fmt.MISSING
    return fmt.date_time(pd.Timestamp(value).to_pydatetime(), tz)  # type: ignore[arg-type]


def _moments(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True).reset_index(drop=True)


def _moment_column(tz: ZoneInfo) -> Column:
    """A moment kept as a timestamp (sorted by time), read in ``tz``."""
    return Column(kind="date", shown=partial(_when, tz=tz))


def reminders_table(reminders: pd.DataFrame, tz: ZoneInfo) -> TableView:
    """Reminders the OPD received: when (in ``tz``), which account, how, whether sent."""
    rows = reminders.to_dict(orient="records")
    frame = pd.DataFrame(
        {
            "Waktu": _moments(reminders["received_at"]),
            "Akun": [f"{platform_label(str(r['platform']))} {r['handle']}" for r in rows],
            "Lewat": [CHANNEL_LABELS.get(str(r["channel"]), fmt.MISSING) for r in rows],
            "Keadaan": [REMINDER_STATES.get(str(r["status"]), fmt.MISSING) for r in rows],
        }
    )
    columns = {header: Column() for header in frame.columns}
    return TableView(frame, {**columns, "Waktu": _moment_column(tz)})


def reminders_caption(tz: ZoneInfo) -> str:
    """The sentence above the reminders, naming the zone their times are in."""
    return (
        "Pengingat yang diterima OPD Anda tentang akun yang dorman, terbaru di atas "
        f"(waktu {fmt.tz_label(tz)})."
    )


def problems_text(row: Mapping[Any, Any]) -> str:
    """What a post lacks, in words: 'belum ada lokasi, waktu · di luar arahan · 2 salah ketik'."""
    parts = []
    missing: Sequence[str] = row.get("missing") or ()
    if missing:
        parts.append("belum ada " + ", ".join(ELEMENT_WORDS.get(m, m) for m in missing))
    if row.get("outside_rule"):
        parts.append("di luar arahan pejabat")
    if int(row.get("typos") or 0):
        parts.append(f"{fmt.number(int(row['typos']))} salah ketik")
    if int(row.get("jargon") or 0):
        parts.append(f"{fmt.number(int(row['jargon']))} istilah sulit")
    return " · ".join(parts) or fmt.MISSING


def fixes_table(fixes: pd.DataFrame, tz: ZoneInfo, with_link: bool = False) -> TableView:
    """The posts to fix: when, which account, what to fix and the caption score (a post
    without text has none: the lowest, read 'tanpa teks')."""
    rows = fixes.to_dict(orient="records")
    frame = pd.DataFrame(
        {
            "Waktu unggah": _moments(fixes["posted_at"]),
            "Akun": [f"{platform_label(str(r['platform']))} {r['handle']}" for r in rows],
            "Yang perlu diperbaiki": [problems_text(r) for r in rows],
            "Skor caption": pd.to_numeric(fixes["score"], errors="coerce").astype("float64")
            .tolist(),
        }
    )  # fmt: skip
    columns = {header: Column() for header in frame.columns}
    columns["Waktu unggah"] = _moment_column(tz)
    columns["Skor caption"] = Column(kind="number", missing="tanpa teks")
    if with_link:
        frame["Tautan"] = [web_link(r.get("url")) for r in rows]
        columns["Tautan"] = Column(kind="link", link_text="Buka")
    return TableView(frame, columns)


def no_fixes_text(month: str) -> str:
    return f"Tidak ada unggahan pada {fmt.month_name(month)} yang perlu diperbaiki."


def fixes_caption(total: int, shown: int, month: str) -> str:
    """The sentence above ``month``'s posts to fix."""
    if not total:
        return f"{no_fixes_text(month)} Terima kasih!"
    head = (
        f"{fmt.number(total)} unggahan pada {fmt.month_name(month)} belum memenuhi arahan "
        "(unsur yang kurang, pejabat di luar arahan, salah ketik atau istilah sulit), yang "
        "skornya terendah di atas."
    )
    return f"{head} Tampil {fmt.number(shown)} yang pertama." if shown < total else head
