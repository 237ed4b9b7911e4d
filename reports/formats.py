"""The briefing's file formats, written once as a table, like ``collectors.REGISTRY``.

:data:`BRIEFING_FORMATS` maps a format name to its writer, MIME type, file extension, the
dashboard's label, whether its charts need Chromium and the check to make before any work.
The CLI, the dashboard's download buttons and the worker's monthly briefing all read it;
adding a format means one writer module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from present.export import ExportError
from reports import pdf_writer, pptx_writer
from reports.chart_slots import Slot
from reports.content import Briefing
from reports.pdf_writer import FontMissing, require_fonts, write_pdf
from reports.pptx_writer import write_pptx
from reports.xlsx_writer import write_xlsx

Writer = Callable[[Briefing, Sequence[bytes], Path], Path]  # (briefing, chart PNGs, out) → out

# What a server may lack to write a format: Chromium for the charts, the PDF's font. Both carry
# ``message_id`` for the dashboard and an English ``str()`` for the CLI.
CANNOT_WRITE: tuple[type[Exception], ...] = (ExportError, FontMissing)


def _nothing_to_check() -> None:
    return None


@dataclass(frozen=True)
class BriefingFormat:
    name: str
    extension: str
    mime_type: str
    label: str  # as the dashboard names it
    needs_browser: bool  # its charts are drawn as images with Chromium
    write: Writer
    preflight: Callable[[], object] = _nothing_to_check  # raises early when the server lacks it
    # each chart's box in this format: its image is drawn for it (reports.chart_slots)
    chart_slots: Mapping[str, Slot] = field(default_factory=dict)

    def file_name(self, stem: str) -> str:
        return f"{stem}.{self.extension}"


def _write_xlsx(briefing: Briefing, _images: Sequence[bytes], out: Path) -> Path:
    return write_xlsx(briefing, out)  # the workbook holds the tables, not the charts


BRIEFING_FORMATS: dict[str, BriefingFormat] = {
    "pptx": BriefingFormat(
        "pptx", "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PPTX (paparan)", needs_browser=True, write=write_pptx,
        chart_slots=pptx_writer.CHART_SLOTS,
    ),
    "pdf": BriefingFormat(
        "pdf", "pdf", "application/pdf", "PDF",
        needs_browser=True, write=write_pdf, preflight=require_fonts,
        chart_slots=pdf_writer.CHART_SLOTS,
    ),
    "xlsx": BriefingFormat(
        "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX (tabel)", needs_browser=False, write=_write_xlsx,
    ),
}  # fmt: skip
MIME_TYPES = {name: kind.mime_type for name, kind in BRIEFING_FORMATS.items()}


def briefing_format(name: str) -> BriefingFormat:
    """The format called ``name``; ValueError naming the choices for any other."""
    try:
        return BRIEFING_FORMATS[name]
    except KeyError:
        choices = ", ".join(BRIEFING_FORMATS)
        raise ValueError(f"unknown format {name!r}; choose one of {choices}") from None


def format_of_extension(extension: str) -> BriefingFormat | None:
    """The format whose files end in ``.extension``; None for any other file."""
    return next((f for f in BRIEFING_FORMATS.values() if f.extension == extension), None)
