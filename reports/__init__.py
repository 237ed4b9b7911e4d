"""The monthly briefing for the head of office: PPTX, PDF or XLSX from one month's data.

:func:`build_report` is the one entry point (CLI and dashboard). For PPTX and PDF, Chromium
starts in the background while the month is read, and renders every chart in one session.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from core.settings import Settings
from present.export import BrowserSession, ImageSpec
from reports.content import Briefing, briefing_content

FORMATS = ("pptx", "pdf", "xlsx")
MIME_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHART_IMAGE = ImageSpec(width=1200, scale=2)

__all__ = ["FORMATS", "MIME_TYPES", "Briefing", "briefing_content", "build_report", "report_bytes"]


def chart_images(briefing: Briefing, browser: BrowserSession) -> list[bytes]:
    return browser.export([c.figure for c in briefing.charts], "png", CHART_IMAGE)


def build_report(session: Session, month: str, fmt: str, out: Path, settings: Settings) -> Path:
    """Write the month's briefing as ``fmt`` to ``out`` and return the path.

    Raises ValueError for an unknown format, ``present.export.ExportUnavailable`` when PPTX or PDF
    is asked for on a server without Chromium, ``reports.pdf_writer.FontMissing`` without the
    PDF font.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        from reports.xlsx_writer import write_xlsx

        return write_xlsx(briefing_content(session, month, settings), out)
    if fmt == "pdf":
        from reports.pdf_writer import require_fonts

        require_fonts()  # before starting a browser for nothing
    with BrowserSession() as browser:  # Chromium starts while the month is read
        briefing = briefing_content(session, month, settings)
        images = chart_images(briefing, browser)
    if fmt == "pdf":
        from reports.pdf_writer import write_pdf

        return write_pdf(briefing, images, out)
    from reports.pptx_writer import write_pptx

    return write_pptx(briefing, images, out)


def report_bytes(session: Session, month: str, fmt: str, settings: Settings) -> bytes:
    """The briefing file's bytes (for a download button)."""
    with tempfile.TemporaryDirectory(prefix="pantau-report-") as tmp:
        path = build_report(session, month, fmt, Path(tmp) / f"briefing.{fmt}", settings)
        return path.read_bytes()
