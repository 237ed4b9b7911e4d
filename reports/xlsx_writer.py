"""The briefing's tables as an Excel workbook (openpyxl): one sheet per table.

Each sheet opens with title rows (the briefing, the table, its takeaway), then a styled header
with an auto filter, frozen below it. Numbers are stored as numbers with Indonesian-looking
formats (dot thousands, comma decimals come from the reader's locale), dates as dates,
percentages as fractions shown with ``%``; an account that never posted reads "belum pernah";
text that a spreadsheet would take for a formula (=, +, -, @, tab, carriage return: core.cells)
is stored inert.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.cells import is_formula_like
from reports.content import Briefing
from reports.tables import MISSING_TEXT, Kind, Kpi, Table

HEADER_FILL = PatternFill("solid", fgColor="0B5394")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color="0B5394")
NUMBER_FORMATS: dict[Kind, str] = {
    "int": "#,##0",
    "days": '#,##0" hari"',
    "change": "+#,##0;-#,##0;0",
    "float": "#,##0.0",
    "times": "#,##0.0",
    "minutes": "#,##0",  # minutes to the first reply
    "pct": "0.0%",
    "date": "DD/MM/YYYY",
    "datetime": "DD/MM/YYYY HH:MM",
}
MAX_WIDTH = 60


def cell_value(value: object, kind: Kind) -> object:
    """A typed value as openpyxl stores it: None for missing, fractions for percents."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TEXT.get(kind)  # 'belum pernah', 'baru': as the page and the PDF say
    if kind == "pct":
        return float(value) / 100  # type: ignore[arg-type]
    if kind in ("int", "days", "change"):
        return int(value)  # type: ignore[call-overload]
    if kind in ("float", "times", "minutes"):
        return float(value)  # type: ignore[arg-type]
    if kind in ("date", "datetime"):
        return value if isinstance(value, (date, datetime)) else None
    return str(value)


def append_inert(sheet: Worksheet, values: list[object]) -> None:
    """Append a row; text a spreadsheet would take for a formula (core.cells) is stored as
    text with Excel's quote prefix (shown as typed, never run)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type, cell.quotePrefix = "s", True


def _titles(sheet: Worksheet, briefing: Briefing, title: str, takeaway: str) -> None:
    """The title rows on top: the briefing, the table's title, its takeaway, demo data."""
    append_inert(sheet, [briefing.title])
    sheet.cell(sheet.max_row, 1).font = TITLE_FONT
    append_inert(sheet, [f"{title} · {briefing.office}"])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    if takeaway:
        append_inert(sheet, [takeaway])
    if briefing.is_demo:
        sheet.append(
            ["DATA DEMO: angka berasal dari data contoh buatan, bukan akun OPD sebenarnya."]
        )
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, color="C62828")
    sheet.append([])


def _header(sheet: Worksheet, headers: list[str]) -> int:
    """The header row under the titles, frozen; returns its row number."""
    append_inert(sheet, list(headers))
    row = sheet.max_row
    for cell in sheet[row]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = f"A{row + 1}"
    return row


def _filter(sheet: Worksheet, header_row: int, columns: int) -> None:
    last = get_column_letter(max(columns, 1))
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(sheet.max_row, header_row)}"


def _widths(sheet: Worksheet, shown: list[list[str]]) -> None:
    """Column widths from the longest text a reader sees in each column (header included)."""
    for index, column in enumerate(zip(*shown, strict=True), start=1):
        longest = max(len(text) for text in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, longest + 3)


def _table_sheet(book: Workbook, table: Table, briefing: Briefing) -> None:
    sheet = book.create_sheet(table.key[:31])
    _titles(sheet, briefing, table.title, table.takeaway)
    headers = [str(c) for c in table.frame.columns]
    header_row = _header(sheet, headers)
    kinds = [table.kind(h) for h in headers]
    for row in table.frame.itertuples(index=False):
        append_inert(sheet, [cell_value(v, k) for v, k in zip(row, kinds, strict=True)])
    for col, kind in enumerate(kinds, start=1):
        if kind in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=col, max_col=col):
                cell.number_format = NUMBER_FORMATS[kind]
    _filter(sheet, header_row, len(headers))
    display = table.display()
    _widths(sheet, [headers, *[[str(v) for v in r] for r in display.itertuples(index=False)]])


def _kpi_sheet(book: Workbook, kpis: list[Kpi], briefing: Briefing) -> None:
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # a new workbook always has one sheet
        sheet = book.create_sheet()
    sheet.title = "Ringkasan"
    _titles(sheet, briefing, "Angka utama", briefing.kpi_takeaway)
    for line in [*briefing.findings, *briefing.followup]:
        append_inert(sheet, [line])
    sheet.append([])
    headers = ["Indikator", "Bulan ini", "Bulan lalu", "Perubahan"]
    header_row = _header(sheet, headers)
    shown = [headers]
    for kpi in kpis:
        values = [kpi.value, kpi.previous, kpi.delta()]
        append_inert(sheet, [kpi.label, *[cell_value(v, kpi.kind) for v in values]])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = NUMBER_FORMATS[kpi.kind]
        shown.append([kpi.label, kpi.text(), kpi.previous_text(), kpi.delta_text()])
    _widths(sheet, shown)
    _filter(sheet, header_row, len(headers))


def write_xlsx(briefing: Briefing, out: Path) -> Path:
    book = Workbook()
    _kpi_sheet(book, briefing.kpis, briefing)
    for table in briefing.tables():
        _table_sheet(book, table, briefing)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
