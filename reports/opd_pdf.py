"""Kinerja OPD Saya on one A4 portrait page (fpdf2), for the head of the OPD.

One page whatever the data: every list is cut to a fixed number of rows ("… dan 7 lainnya"),
every cell is cut to its width instead of wrapping, and the page never breaks on its own, so
the layout below always fits (tests/test_opd_performance_pdf.py fills every list to check).
Tables and text only, no chart images: nothing can be cropped. Fonts and colours are the
briefing's (reports/pdf_writer.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from fpdf import FPDF

from core import fmt
from core.timeutil import utcnow
from present import opd_followup as followup
from present import opd_performance as words
from reports.pdf_writer import BLUE, FONT, GREY, RED, require_fonts
from services.opd_performance import OpdPerformance

MARGIN = 12.0
ROW = 4.6  # mm per table row
SIZE = 8  # table font size (pt)
ACCOUNTS_MAX = 6
FIXES_MAX = 5
REMINDERS_MAX = 5
ELLIPSIS = "…"
# column widths in mm (the page is 186 mm wide between the margins)
COMPARISON_WIDTHS = (62, 38, 38, 48)
ACCOUNT_WIDTHS = (20, 44, 26, 28, 30, 16, 22)
SHORT_TITLES = {  # the page's column titles, shortened to fit a portrait page
    "Peringkat di platformnya": "Peringkat platform",
    "Indeks Kinerja Akun": "Indeks",
}
TREND_WIDTHS = (36, 28, 30, 30, 30, 32)
FIX_WIDTHS = (46, 44, 76, 20)
REMINDER_WIDTHS = (48, 66, 24, 48)


class OnePagePdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)  # the layout fits; a break would make a second page
        regular, bold = require_fonts()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_title(title)
        self.set_creator("Pantau")


def fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with '…' so it fits ``width`` mm in the current font (with a little air)."""
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + ELLIPSIS) > room:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _line(pdf: FPDF, text: str, size: float, bold: bool = False,
          color: tuple[int, int, int] = (0, 0, 0), height: float = 6.0) -> None:  # fmt: skip
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.cell(0, height, fit(pdf, text, pdf.w - 2 * MARGIN), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _heading(pdf: OnePagePdf, text: str) -> None:
    pdf.ln(2)
    _line(pdf, text, 10.5, bold=True, color=BLUE, height=6)


def _header_cell(pdf: FPDF, text: str, width: float) -> None:
    """A column title in white on blue; the font shrinks (never below 6 pt) before it cuts."""
    size = float(SIZE)
    pdf.set_font(FONT, "B", size)
    while size > 6 and pdf.get_string_width(text) > width - 2 * pdf.c_margin:
        size -= 0.5
        pdf.set_font(FONT, "B", size)
    pdf.cell(width, ROW, fit(pdf, text, width), fill=True)


def _grid(pdf: OnePagePdf, frame: pd.DataFrame, widths: Sequence[float], limit: int,
          empty: str, total: int | None = None) -> None:  # fmt: skip
    """A table of at most ``limit`` rows, each cell on one line; '… dan N lainnya' below
    (``total``: the rows there are when ``frame`` holds only the first of them)."""
    if frame.empty:
        _line(pdf, empty, SIZE + 1, color=GREY, height=ROW + 1)
        return
    pdf.set_fill_color(*BLUE)
    pdf.set_text_color(255, 255, 255)
    for title, width in zip(frame.columns, widths, strict=True):
        _header_cell(pdf, str(title), width)
    pdf.ln(ROW)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", SIZE)
    pdf.set_draw_color(220, 220, 220)
    for values in frame.head(limit).itertuples(index=False):
        for value, width in zip(values, widths, strict=True):
            pdf.cell(width, ROW, fit(pdf, str(value), width), border="B")
        pdf.ln(ROW)
    shown = min(limit, len(frame))
    rest = words.more_text(len(frame) if total is None else total, shown)
    if rest:
        _line(pdf, rest, SIZE, color=GREY, height=ROW)


def _title(pdf: OnePagePdf, perf: OpdPerformance, regency: str) -> None:
    if perf.is_demo:
        pdf.set_font(FONT, "B", 11)
        pdf.set_text_color(*RED)
        pdf.set_xy(pdf.w - MARGIN - 50, 5)
        pdf.cell(50, 6, "DATA DEMO", align="R")
        pdf.set_xy(MARGIN, MARGIN)
    _line(pdf, f"Kinerja media sosial OPD · {regency}", 9, color=GREY, height=5)
    _line(pdf, perf.opd_name, 15, bold=True, color=BLUE, height=8)
    _line(pdf, words.as_of_text(perf.month, perf.as_of, perf.tz), 9, color=GREY, height=5)
    pdf.ln(1)
    sentence = words.opd_rank_sentence(
        perf.current.rank, perf.opds_ranked, perf.rank_change, perf.month, perf.compared_with
    )
    _line(pdf, sentence, 10.5, bold=True, height=6)


def _footer(pdf: OnePagePdf, perf: OpdPerformance, regency: str, made: datetime) -> None:
    pdf.set_y(pdf.h - MARGIN - 4)
    _line(
        pdf,
        f"Pantau · Bidang Komunikasi Publik, Diskominfo {regency} · dibuat "
        f"{fmt.date_time(made, perf.tz)}",
        7.5, color=GREY, height=4,
    )  # fmt: skip


def _accounts_text(perf: OpdPerformance) -> pd.DataFrame:
    """The page's accounts table as text, its place read '3 dari 40' (the page says the
    'dari 40' in the lines above its table) under the page's shorter titles."""
    accounts = words.accounts_table(perf.accounts, perf.month).texts()
    accounts["Peringkat di platformnya"] = [
        words.rank_value(rank, int(ranked))
        for rank, ranked in zip(
            perf.accounts["platform_rank"], perf.accounts["platform_ranked"], strict=True
        )
    ]
    return accounts.rename(columns={**SHORT_TITLES, words.posts_column(perf.month): "Unggahan"})


def _body(pdf: OnePagePdf, perf: OpdPerformance) -> None:
    _heading(pdf, words.comparison_heading(perf.month, perf.compared_with))
    _grid(
        pdf, words.comparison_table(perf.comparison, perf.compared_with), COMPARISON_WIDTHS, 10, ""
    )
    _heading(pdf, "Akun dan statusnya")
    _grid(pdf, _accounts_text(perf), ACCOUNT_WIDTHS, ACCOUNTS_MAX,
          "Belum ada akun OPD ini yang dipantau.")  # fmt: skip
    _heading(pdf, "Enam bulan terakhir")
    _grid(pdf, words.trend_table(perf.trend).texts(), TREND_WIDTHS, 6, "")
    _heading(pdf, f"Unggahan yang perlu diperbaiki ({fmt.number(perf.fixes_total)})")
    _grid(
        pdf,
        followup.fixes_table(perf.fixes, perf.tz).texts(),
        FIX_WIDTHS,
        FIXES_MAX,
        followup.no_fixes_text(perf.month),
        total=perf.fixes_total,
    )
    _heading(pdf, "Pengingat dari Diskominfo")
    reminders = followup.reminders_table(perf.reminders, perf.tz).texts()
    _grid(pdf, reminders, REMINDER_WIDTHS, REMINDERS_MAX, "Belum ada pengingat yang diterima.")


def opd_pdf(perf: OpdPerformance, regency: str, made: datetime | None = None) -> bytes:
    """The one-page PDF of Kinerja OPD Saya. Raises ``FontMissing`` without DejaVu."""
    pdf = OnePagePdf(f"Kinerja media sosial {perf.opd_name} · {fmt.month_name(perf.month)}")
    pdf.add_page()
    _title(pdf, perf, regency)
    _body(pdf, perf)
    _footer(pdf, perf, regency, made or utcnow())
    return bytes(pdf.output())
