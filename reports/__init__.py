"""The monthly briefing for the head of office: PPTX, PDF or XLSX from one month's data.

:func:`build_report` is the one entry point (CLI and dashboard); the formats are the table in
:mod:`reports.formats`. For a format with charts, Chromium starts in the background while the
month is read, and renders every chart in one session.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from core.settings import Settings
from present.export import BrowserSession
from reports.chart_slots import render
from reports.content import Briefing, briefing_content
from reports.formats import BRIEFING_FORMATS, MIME_TYPES, BriefingFormat, briefing_format

__all__ = [
    "BRIEFING_FORMATS", "MIME_TYPES", "Briefing", "briefing_content", "build_report",
    "report_bytes",
]  # fmt: skip

Images = dict[str, list[bytes]]  # format name -> its chart PNGs, in the briefing's chart order


def briefing_with_charts(session: Session, month: str, settings: Settings,
                         kinds: Sequence[BriefingFormat]) -> tuple[Briefing, Images]:  # fmt: skip
    """The month's briefing and, for each of ``kinds`` that needs them, its charts as PNGs
    drawn for that format's boxes (one Chromium, started while the month is read); no
    browser when none of them draws charts."""
    drawing = [kind for kind in kinds if kind.needs_browser]
    if not drawing:
        return briefing_content(session, month, settings), {}
    with BrowserSession() as browser:
        briefing = briefing_content(session, month, settings)
        return briefing, {k.name: render(browser, briefing.charts, k.chart_slots) for k in drawing}


def build_report(session: Session, month: str, fmt: str, out: Path, settings: Settings) -> Path:
    """Write the month's briefing as ``fmt`` to ``out`` and return the path.

    Raises ValueError for an unknown format, ``present.export.ExportUnavailable`` when PPTX or PDF
    is asked for on a server without Chromium, ``reports.pdf_writer.FontMissing`` without the
    PDF font (both in ``reports.formats.CANNOT_WRITE``).
    """
    kind = briefing_format(fmt)
    kind.preflight()  # before starting a browser for nothing
    briefing, images = briefing_with_charts(session, month, settings, [kind])
    return kind.write(briefing, images.get(kind.name, []), out)


def report_bytes(session: Session, month: str, fmt: str, settings: Settings) -> bytes:
    """The briefing file's bytes (for a download button)."""
    kind = briefing_format(fmt)
    with tempfile.TemporaryDirectory(prefix="pantau-report-") as tmp:
        path = build_report(session, month, fmt, Path(tmp) / kind.file_name("briefing"), settings)
        return path.read_bytes()
