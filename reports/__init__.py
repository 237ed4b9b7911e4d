"""The monthly briefing for the head of office: PPTX, PDF or XLSX from one month's data.

:func:`build_report` is the one entry point (CLI and dashboard); the formats are the table in
:mod:`reports.formats`. For a format with charts, Chromium starts in the background while the
month is read, and renders every chart in one session.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from core.settings import Settings
from present.export import BrowserSession, ImageSpec
from reports.content import Briefing, briefing_content
from reports.formats import BRIEFING_FORMATS, MIME_TYPES, briefing_format

CHART_IMAGE = ImageSpec(width=1200, scale=2)

__all__ = [
    "BRIEFING_FORMATS", "MIME_TYPES", "Briefing", "briefing_content", "build_report",
    "report_bytes",
]  # fmt: skip


def chart_images(briefing: Briefing, browser: BrowserSession) -> list[bytes]:
    return browser.export([c.figure for c in briefing.charts], "png", CHART_IMAGE)


def briefing_with_charts(
    session: Session, month: str, settings: Settings, needs_browser: bool
) -> tuple[Briefing, list[bytes]]:
    """The month's briefing and, when ``needs_browser``, its charts as PNGs (Chromium starts
    while the month is read); no images and no browser otherwise."""
    if not needs_browser:
        return briefing_content(session, month, settings), []
    with BrowserSession() as browser:
        briefing = briefing_content(session, month, settings)
        return briefing, chart_images(briefing, browser)


def build_report(session: Session, month: str, fmt: str, out: Path, settings: Settings) -> Path:
    """Write the month's briefing as ``fmt`` to ``out`` and return the path.

    Raises ValueError for an unknown format, ``present.export.ExportUnavailable`` when PPTX or PDF
    is asked for on a server without Chromium, ``reports.pdf_writer.FontMissing`` without the
    PDF font (both in ``reports.formats.CANNOT_WRITE``).
    """
    kind = briefing_format(fmt)
    kind.preflight()  # before starting a browser for nothing
    briefing, images = briefing_with_charts(session, month, settings, kind.needs_browser)
    return kind.write(briefing, images, out)


def report_bytes(session: Session, month: str, fmt: str, settings: Settings) -> bytes:
    """The briefing file's bytes (for a download button)."""
    kind = briefing_format(fmt)
    with tempfile.TemporaryDirectory(prefix="pantau-report-") as tmp:
        path = build_report(session, month, fmt, Path(tmp) / kind.file_name("briefing"), settings)
        return path.read_bytes()
