"""The briefing as an A4 landscape PDF (fpdf2): the same sections as the deck, one per page.

Text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``), a Unicode font, so "—", "▲" and
"×" print as they should; without it the export stops with :class:`FontMissing`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from reports.content import RANKING_BOTTOM, RANKING_TOP, Briefing
from reports.tables import Table

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
BLUE, RED, GREY = (11, 83, 148), (198, 40, 40), (85, 85, 85)
PAGE_ROWS = 12
MARGIN = 12.0


class FontMissing(RuntimeError):
    """The Unicode font is not installed; ``message_id`` is for the dashboard."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"PDF export needs the DejaVu fonts ({path} is missing): "
            "apt-get install fonts-dejavu-core"
        )
        self.message_id = (
            "Ekspor PDF memerlukan huruf DejaVu. "
            "Minta admin server menjalankan: apt-get install fonts-dejavu-core"
        )


def require_fonts() -> list[Path]:
    """The regular and bold DejaVu Sans files; :class:`FontMissing` when one is absent."""
    paths = [FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"]
    for path in paths:
        if not path.is_file():
            raise FontMissing(path)
    return paths


class BriefingPdf(FPDF):
    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.briefing = briefing
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=15)
        regular, bold = require_fonts()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_title(briefing.title)
        self.set_creator("Pantau")

    def header(self) -> None:
        if self.briefing.is_demo:
            self.set_font(FONT, "B", 12)
            self.set_text_color(*RED)
            self.set_xy(self.w - MARGIN - 60, 5)
            self.cell(60, 6, "DATA DEMO", align="R")
            self.set_xy(MARGIN, MARGIN)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        b = self.briefing
        self.cell(0, 5, f"Pantau · {b.regency} · {b.month_label} · halaman {self.page_no()}")


def _section(pdf: BriefingPdf, title: str, takeaway: str) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    if takeaway:
        pdf.set_font(FONT, "", 11)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 6, takeaway, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_text_color(0, 0, 0)


def _table(pdf: BriefingPdf, frame: pd.DataFrame, size: int = 9, width: float | None = None,
           widths: Sequence[float] | None = None) -> None:  # fmt: skip
    if frame.empty:
        pdf.set_font(FONT, "", 11)
        pdf.cell(0, 8, "Tidak ada data untuk bulan ini.", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font(FONT, "", size)
    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE)
    with pdf.table(headings_style=heading, line_height=5.5, width=width, align="LEFT",
                   col_widths=tuple(widths) if widths else None) as grid:  # fmt: skip
        grid.row([str(c) for c in frame.columns])
        for values in frame.itertuples(index=False):
            grid.row([str(v) for v in values])


def _table_page(pdf: BriefingPdf, table: Table, columns: Sequence[str], limit: int = PAGE_ROWS,
                widths: Sequence[float] | None = None) -> None:  # fmt: skip
    _section(pdf, table.title, table.takeaway)
    if table.frame.empty:
        _table(pdf, table.frame)
        return
    _table(pdf, table.display(limit)[list(columns)], widths=widths)
    if len(table.frame) > limit:
        pdf.set_font(FONT, "", 9)
        pdf.cell(0, 7, f"… dan {len(table.frame) - limit} baris lainnya (lengkap di berkas XLSX).")


def _title_page(pdf: BriefingPdf) -> None:
    b = pdf.briefing
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_font(FONT, "B", 24)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 12, b.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "", 13)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(
        0, 7,
        "Bidang Komunikasi Publik, Dinas Komunikasi dan Informatika\n"
        f"Keadaan per {b.as_of_text}",
        align="C", new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip


def _kpi_page(pdf: BriefingPdf) -> None:
    b = pdf.briefing
    _section(pdf, f"Angka utama {b.month_label}", b.kpi_takeaway)
    frame = pd.DataFrame(
        [(k.label, k.text(), k.previous_text(), k.delta_text()) for k in b.kpis],
        columns=["Indikator", "Bulan ini", "Bulan lalu", "Perubahan"],
    )
    _table(pdf, frame, size=11, width=180)


def _ranking_page(pdf: BriefingPdf) -> None:
    table = pdf.briefing.ranking
    _section(pdf, "Peringkat indeks aktivitas", table.takeaway)
    if table.frame.empty:
        _table(pdf, table.frame)
        return
    columns = ["Peringkat", "Perubahan", "Kode OPD", "Platform", "Akun", "Indeks aktivitas"]
    shown = table.display()[columns]
    for label, rows in ((f"{RANKING_TOP} teratas", shown.head(RANKING_TOP)),
                        (f"{RANKING_BOTTOM} terbawah", shown.tail(RANKING_BOTTOM))):  # fmt: skip
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 7, label, new_x="LMARGIN", new_y="NEXT")
        _table(pdf, rows)
        pdf.ln(3)


def _movers_page(pdf: BriefingPdf) -> None:
    b = pdf.briefing
    _section(pdf, "Naik dan turun peringkat", b.movers_takeaway)
    columns = ["Perubahan", "Peringkat", "Kode OPD", "Platform", "Akun"]
    for table in (b.movers_up, b.movers_down):
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
        _table(pdf, table.display(8)[columns] if not table.frame.empty else table.frame)
        pdf.ln(3)


def _chart_pages(pdf: BriefingPdf, images: Sequence[bytes]) -> None:
    for chart, image in zip(pdf.briefing.charts, images, strict=True):
        _section(pdf, chart.title, chart.takeaway)
        top = pdf.get_y()
        box_w, box_h = pdf.w - 2 * MARGIN, pdf.h - top - 16
        pdf.image(io.BytesIO(image), x=MARGIN, y=top, w=box_w, h=box_h, keep_aspect_ratio=True)


REPLY_SHOWN = ["Kode OPD", "Platform", "Akun", "Tingkat balasan", "Waktu balasan pertama (median)"]


def write_pdf(briefing: Briefing, images: Sequence[bytes], out: Path) -> Path:
    pdf = BriefingPdf(briefing)
    _title_page(pdf)
    _kpi_page(pdf)
    _ranking_page(pdf)
    _table_page(
        pdf,
        briefing.dormant,
        ["Kode OPD", "Platform", "Akun", "Tanpa unggahan", "Admin", "Telepon admin"],
    )
    _movers_page(pdf)
    _table_page(pdf, briefing.best_posts,
                ["Waktu", "Kode OPD", "Platform", "Interaksi", "Dibanding biasanya", "Caption"],
                limit=8, widths=(3, 2, 2, 1.6, 1.8, 10))  # fmt: skip
    _table_page(pdf, briefing.compliance,
                ["Kode OPD", "Unggahan", "Skor caption", "Lima unsur lengkap",
                 "Sesuai arahan pejabat", "Tanpa salah ketik/jargon"])  # fmt: skip
    if not briefing.replies.frame.empty:  # only where the owner's replies are known
        _table_page(pdf, briefing.replies, REPLY_SHOWN)
    _chart_pages(pdf, images)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out
