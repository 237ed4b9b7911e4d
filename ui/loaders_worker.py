"""The scheduler worker as the dashboard sees it: its state (the banner above every page and
the section in Status Pengambilan Data) and the monthly briefings it saved (Tinjauan Bulanan)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from core import fmt
from db.engine import make_session_factory
from reports.briefings import list_briefings
from reports.formats import BRIEFING_FORMATS
from services.worker_state import WorkerState, banner_text, worker_state
from ui.auth import STAFF, guarded, require
from ui.resources import get_engine, get_settings

WORKER_TTL_SECONDS = 60  # the worker beats every 15 s; a minute is fresh enough for people


@guarded(*STAFF)
@st.cache_data(ttl=WORKER_TTL_SECONDS, show_spinner=False)
def load_worker_state() -> WorkerState:
    with make_session_factory(get_engine())() as session:
        return worker_state(session, get_settings())


def worker_banner() -> str | None:
    """The warning above the page when the worker has stopped; None when all is well."""
    return banner_text(load_worker_state(), get_settings())


@guarded(*STAFF)
@st.cache_data(ttl=WORKER_TTL_SECONDS, show_spinner=False)
def load_briefings() -> pd.DataFrame:
    return list_briefings(get_settings())


@dataclass(frozen=True)
class BriefingFile:
    """One saved briefing, ready to show: its labels and where to read it."""

    month: str
    month_label: str
    kind: str
    format_label: str
    size: str
    made: str
    path: str
    file_name: str
    mime: str


def file_size(size_bytes: int) -> str:
    """850 → '850 B', 12_345 → '12,1 KB', 2_500_000 → '2,4 MB'."""
    if size_bytes < 1024:
        return f"{fmt.number(size_bytes)} B"
    if size_bytes < 1024 * 1024:
        return f"{fmt.number(size_bytes / 1024, 1)} KB"
    return f"{fmt.number(size_bytes / (1024 * 1024), 1)} MB"


def briefing_files(frame: pd.DataFrame) -> list[BriefingFile]:
    tz = get_settings().tz
    return [
        BriefingFile(
            month=str(month),
            month_label=fmt.month_name(str(month)),
            kind=kind.name,
            format_label=kind.label,
            size=file_size(int(size)),
            made=fmt.date_time(pd.Timestamp(made).to_pydatetime(), tz),
            path=str(path),
            file_name=Path(str(path)).name,
            mime=kind.mime_type,
        )
        for month, kind, path, size, made in zip(
            frame["month"],
            [BRIEFING_FORMATS[str(name)] for name in frame["format"]],
            frame["path"],
            frame["size_bytes"],
            frame["modified_at"],
            strict=True,
        )
    ]


def read_briefing(path: str) -> bytes:
    """The file's bytes, read when its download button is clicked."""
    require(*STAFF)
    return Path(path).read_bytes()
