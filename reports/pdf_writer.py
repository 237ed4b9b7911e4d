"""The briefing as an A4 landscape PDF (fpdf2): the same sections as the deck, one per page,
each chart beside its table, the letterhead (the office's logo and name) on every page.

Text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``), a Unicode font, so "—", "▲" and
"×" print as they should; without it the export stops with :class:`FontMissing`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from reports.chart_slots import Slot
from reports.columns import RANKING_COLUMNS
from reports.content import CHART_BARS, RANKING_BOTTOM, RANKING_TOP, Briefing
from reports.tables import Table

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
BLUE, RED, GREY = (11, 83, 148), (198, 40, 40), (85, 85, 85)
PAGE_ROWS = 12
MARGIN = 12.0
TOP = 22.0  # under the letterhead
TABLE_PT = 10
CHART_SHARE = 0.5  # of the body's width, when a chart stands beside its table
GAP = 5.0  # between a chart and its table
BODY_W = 297 - 2 * MARGIN
CHART_TOP = 47.0  # under a section's title and a takeaway of two lines
BODY_BOTTOM = 210 - 16.0  # above the footer (and the automatic page break)
MM_PT = 72 / 25.4
CHART_TEXT_PT = 10  # a chart's 13 px text printed at 10 pt
BESIDE = Slot(BODY_W * CHART_SHARE * MM_PT, (BODY_BOTTOM - CHART_TOP) * MM_PT, CHART_TEXT_PT,
              CHART_BARS)  # fmt: skip
FULL = Slot(BODY_W * MM_PT, (BODY_BOTTOM - CHART_TOP) * MM_PT, CHART_TEXT_PT)
# every chart's box on its page (reports.chart_slots draws it for that box)
CHART_SLOTS = {
    "opd_ranking": BESIDE, "ranking": BESIDE, "dormant_trend": BESIDE, "compliance": BESIDE,
    "posts": FULL, "followers": FULL, "status": FULL,
}  # fmt: skip
SCORE = RANKING_COLUMNS["score"][0]  # the score's header, as the content model names it


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
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=15)
        regular, bold = require_fonts()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_title(briefing.title)
        self.set_creator("Pantau")

    def header(self) -> None:
        left = MARGIN
        if self.briefing.logo:
            self.image(io.BytesIO(self.briefing.logo), x=MARGIN, y=5, h=10)
            left = MARGIN + 14
        self.set_font(FONT, "B", 10)
        self.set_text_color(*GREY)
        self.set_xy(left, 7)
        self.cell(150, 6, self.briefing.office)
        self.set_draw_color(*BLUE)
        self.line(MARGIN, 17, self.w - MARGIN, 17)
        if self.briefing.is_demo:
            self.set_font(FONT, "B", 12)
            self.set_text_color(*RED)
            self.set_xy(self.w - MARGIN - 60, 5)
            self.cell(60, 6, "DATA DEMO", align="R")
        self.set_xy(MARGIN, TOP)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_x(MARGIN)  # a table beside a chart moves the left margin: not the footer
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        b = self.briefing
        self.cell(0, 5, f"Pantau · {b.regency} · {b.period_label} · halaman {self.page_no()}")


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


def _table(pdf: BriefingPdf, frame: pd.DataFrame, size: int = TABLE_PT, width: float | None = None,
           widths: Sequence[float] | None = None) -> None:  # fmt: skip
    if frame.empty:
        pdf.set_font(FONT, "", 11)
        pdf.cell(0, 8, "Tidak ada data untuk bulan ini.", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font(FONT, "", size)
    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE)
    # left-aligned cells: justified ones stretch a wrapped OPD name across the cell
    with pdf.table(headings_style=heading, line_height=5.5, width=width, align="LEFT",
                   text_align="LEFT",
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
        pdf.set_font(FONT, "", TABLE_PT)
        pdf.cell(0, 7, f"… dan {len(table.frame) - limit} baris lainnya (lengkap di berkas XLSX).")


def _title_page(pdf: BriefingPdf) -> None:
    b = pdf.briefing
    pdf.add_page()
    if b.logo:
        pdf.image(io.BytesIO(b.logo), x=(pdf.w - 30) / 2, y=32, h=30, keep_aspect_ratio=True)
    pdf.set_y(70)
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 8, b.office, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 24)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 12, b.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "", 13)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 7, f"Bidang Komunikasi Publik\nKeadaan per {b.as_of_text}", align="C",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip


def _key_figures(pdf: BriefingPdf) -> None:
    """A row of boxes: each key figure, its label and its change since the compared month."""
    b = pdf.briefing
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 6, f"Angka utama; perubahan dibanding {b.compared_with}", new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    top, gap = pdf.get_y(), 3.0
    box_w = (BODY_W - gap * (len(b.headline) - 1)) / len(b.headline)
    for i, kpi in enumerate(b.headline):
        x = MARGIN + i * (box_w + gap)
        pdf.set_draw_color(*BLUE)
        pdf.rect(x, top, box_w, 27)
        pdf.set_xy(x, top + 2)
        pdf.set_font(FONT, "B", 18)
        pdf.set_text_color(*BLUE)
        pdf.cell(box_w, 9, kpi.text(), align="C")
        pdf.set_xy(x, top + 11)
        pdf.set_font(FONT, "", 10)
        if pdf.get_string_width(kpi.label) > box_w - 2:  # 'Median tingkat interaksi'
            pdf.set_font(FONT, "", 9)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(box_w, 6, kpi.label, align="C")
        pdf.set_xy(x, top + 18)
        pdf.set_text_color(*GREY)
        pdf.cell(box_w, 6, kpi.delta_text(), align="C")
    pdf.set_xy(MARGIN, top + 31)


def _summary_page(pdf: BriefingPdf) -> None:
    b = pdf.briefing
    _section(pdf, f"Ringkasan eksekutif · {b.period_label}", "")
    _key_figures(pdf)
    for heading, lines in (("Temuan utama", b.findings), ("Tindak lanjut", b.followup)):
        pdf.set_font(FONT, "B", 14)
        pdf.set_text_color(*BLUE)
        pdf.cell(0, 9, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 12)
        pdf.set_text_color(0, 0, 0)
        for i, line in enumerate(lines, start=1):
            pdf.multi_cell(0, 7, f"{i}. {line}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(4)


def _place_chart(pdf: BriefingPdf, image: bytes, slot: Slot, top: float) -> None:
    """The chart in its slot's box (drawn for it: the same aspect ratio); a longer takeaway
    than foreseen pushes it down and shrinks it, never past the footer."""
    top = max(top, CHART_TOP)
    w, h = slot.width_pt / MM_PT, slot.height_pt / MM_PT
    scale = min(1.0, (BODY_BOTTOM - top) / h)
    pdf.image(io.BytesIO(image), x=MARGIN, y=top, w=w * scale, h=h * scale)


def _fits(pdf: BriefingPdf, draw: Callable[[], None]) -> bool:
    """Whether ``draw`` stays on this page (tried on a copy, then undone)."""
    with pdf.offset_rendering() as trial:
        draw()
    return not trial.page_break_triggered


def _chart_and_table(pdf: BriefingPdf, title: str, takeaway: str, image: bytes | None,
                     frames: Sequence[pd.DataFrame], widths: Sequence[float],
                     extra: Table | None = None) -> None:  # fmt: skip
    """The chart on the left, its table beside it: the first of ``frames`` (longest first)
    that fits the page with ``extra`` (a small table under it) stands there."""
    _section(pdf, title, takeaway)
    top = pdf.get_y()
    if image is None:
        _table(pdf, frames[0], widths=widths)
        return
    _place_chart(pdf, image, BESIDE, top)
    left = MARGIN + BODY_W * CHART_SHARE + GAP
    pdf.set_left_margin(left)
    width = pdf.w - MARGIN - left

    def column(frame: pd.DataFrame) -> Callable[[], None]:
        def draw() -> None:
            pdf.set_xy(left, top)
            _table(pdf, frame, width=width, widths=widths)
            if extra is not None:
                pdf.ln(4)
                pdf.set_font(FONT, "B", 11)
                pdf.cell(0, 7, extra.title, new_x="LMARGIN", new_y="NEXT")
                _table(pdf, extra.display()[["OPD", "Keadaan"]], width=width, widths=(4, 2))

        return draw

    try:
        shown = next((f for f in frames if _fits(pdf, column(f))), frames[-1])
        column(shown)()
    finally:
        pdf.set_left_margin(MARGIN)


def _kpi_page(pdf: BriefingPdf) -> None:
    b = pdf.briefing
    _section(pdf, f"Angka utama {b.month_label}", b.kpi_takeaway)
    frame = pd.DataFrame(
        [(k.label, k.text(), k.previous_text(), k.delta_text()) for k in b.kpis],
        columns=["Indikator", b.month_label, b.compared_with, "Perubahan"],
    )
    _table(pdf, frame, size=11, width=180)


# (top, bottom) rows of a ranking beside its chart, the most first: the first that fits
ROW_CHOICES = ((RANKING_TOP, RANKING_BOTTOM), (RANKING_TOP, 3), (8, 3), (6, 3), (5, 2), (3, 1))


def _top_and_bottom(table: Table, columns: list[str], top: int = RANKING_TOP,
                    bottom: int = RANKING_BOTTOM) -> pd.DataFrame:  # fmt: skip
    shown = table.display()[columns]
    if len(shown) <= top + bottom:
        return shown
    gap = pd.DataFrame([["…"] * len(columns)], columns=columns)
    return pd.concat([shown.head(top), gap, shown.tail(bottom)])


def _choices(table: Table, columns: list[str]) -> list[pd.DataFrame]:
    return [_top_and_bottom(table, columns, top, bottom) for top, bottom in ROW_CHOICES]


def _ranking_pages(pdf: BriefingPdf, images: dict[str, bytes]) -> None:
    b = pdf.briefing
    _chart_and_table(pdf, "Peringkat OPD", b.opd_ranking.takeaway, images.get("opd_ranking"),
                     _choices(b.opd_ranking, ["Peringkat", "OPD", SCORE]), (2, 5.5, 1.9),
                     b.no_account if not b.no_account.frame.empty else None)  # fmt: skip
    _chart_and_table(pdf, "Peringkat akun", b.ranking.takeaway, images.get("ranking"),
                     _choices(b.ranking, ["Peringkat", "OPD", "Platform", SCORE]),
                     (2, 5.2, 1.9, 1.9))  # fmt: skip


def _movers_page(pdf: BriefingPdf) -> None:
    b = pdf.briefing
    _section(pdf, "Naik dan turun peringkat", b.movers_takeaway)
    columns = ["Perubahan", "Peringkat", "OPD", "Platform", "Akun"]
    for table in (b.movers_up, b.movers_down):
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
        _table(pdf, table.display(8)[columns] if not table.frame.empty else table.frame,
               widths=(1.4, 1.4, 5, 1.8, 3))  # fmt: skip
        pdf.ln(3)


def _chart_pages(pdf: BriefingPdf, images: dict[str, bytes], keys: Sequence[str]) -> None:
    for key in keys:
        chart = pdf.briefing.chart(key)
        if chart is None or key not in images:
            continue
        _section(pdf, chart.title, chart.takeaway)
        _place_chart(pdf, images[key], CHART_SLOTS[key], pdf.get_y())


COMPLIANCE_SHOWN = ["OPD", "Unggahan", "Lima unsur lengkap"]
REPLY_SHOWN = ["OPD", "Platform", "Akun", "Tingkat balasan", "Waktu balasan pertama (median)"]


def write_pdf(briefing: Briefing, images: Sequence[bytes], out: Path) -> Path:
    pdf = BriefingPdf(briefing)
    shown = {c.key: image for c, image in zip(briefing.charts, images, strict=True)}
    _title_page(pdf)
    _summary_page(pdf)
    _kpi_page(pdf)
    _ranking_pages(pdf, shown)
    trend = briefing.dormant_trend
    _chart_and_table(pdf, trend.title, trend.takeaway, shown.get("dormant_trend"),
                     [trend.display()], (2, 2))  # fmt: skip
    _table_page(pdf, briefing.dormant,
                ["OPD", "Platform", "Akun", "Tanpa unggahan", "Admin", "Telepon admin"],
                widths=(5, 1.8, 2.6, 1.8, 2.4, 2.2))  # fmt: skip
    _movers_page(pdf)
    _table_page(pdf, briefing.best_posts,
                ["Waktu", "OPD", "Platform", "Interaksi", "Dibanding biasanya", "Caption"],
                limit=8, widths=(2.6, 3, 1.7, 1.5, 1.7, 8))  # fmt: skip
    compliance = briefing.compliance
    _chart_and_table(pdf, compliance.title, compliance.takeaway, shown.get("compliance"),
                     _choices(compliance, COMPLIANCE_SHOWN), (4, 1.6, 1.8))  # fmt: skip
    if not briefing.replies.frame.empty:  # only where the owner's replies are known
        _table_page(pdf, briefing.replies, REPLY_SHOWN)
    _chart_pages(pdf, shown, ("posts", "followers", "status"))
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out
