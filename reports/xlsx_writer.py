"""The briefing's tables as an Excel workbook (openpyxl): one sheet per table.

Numbers are stored as numbers, dates as dates, percentages as fractions shown with ``%``;
each sheet has a styled, frozen header row and column widths that fit the content.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.content import Briefing
from reports.tables import Kind, Kpi, Table

HEADER_FILL = PatternFill("solid", fgColor="0B5394")
HEADER_FONT = Font(bold=True, color="FFFFFF")
NUMBER_FORMATS: dict[Kind, str] = {
    "int": "#,##0",
    "days": "#,##0",
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
        return None
    if kind == "pct":
        return float(value) / 100  # type: ignore[arg-type]
    if kind in ("int", "days", "change"):
        return int(value)  # type: ignore[call-overload]
    if kind in ("float", "times", "minutes"):
        return float(value)  # type: ignore[arg-type]
    if kind in ("date", "datetime"):
        return value if isinstance(value, (date, datetime)) else None
    return str(value)


def _header(sheet: Worksheet, headers: list[str]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"


def _widths(sheet: Worksheet, shown: list[list[str]]) -> None:
    """Column widths from the longest text a reader sees in each column (header included)."""
    for index, column in enumerate(zip(*shown, strict=True), start=1):
        longest = max(len(text) for text in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, longest + 3)


def _table_sheet(book: Workbook, table: Table) -> None:
    sheet = book.create_sheet(table.key[:31])
    headers = [str(c) for c in table.frame.columns]
    _header(sheet, headers)
    kinds = [table.kind(h) for h in headers]
    for row in table.frame.itertuples(index=False):
        sheet.append([cell_value(v, k) for v, k in zip(row, kinds, strict=True)])
    for col, kind in enumerate(kinds, start=1):
        if kind in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = NUMBER_FORMATS[kind]
    display = table.display()
    _widths(sheet, [headers, *[[str(v) for v in r] for r in display.itertuples(index=False)]])


def _kpi_sheet(book: Workbook, kpis: list[Kpi], briefing: Briefing) -> None:
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # a new workbook always has one sheet
        sheet = book.create_sheet()
    sheet.title = "Ringkasan"
    headers = ["Indikator", "Bulan ini", "Bulan lalu", "Perubahan"]
    _header(sheet, headers)
    shown = [headers]
    for kpi in kpis:
        values = [kpi.value, kpi.previous, kpi.delta()]
        sheet.append([kpi.label, *[cell_value(v, kpi.kind) for v in values]])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = NUMBER_FORMATS[kpi.kind]
        shown.append([kpi.label, kpi.text(), kpi.previous_text(), kpi.delta_text()])
    _widths(sheet, shown)
    sheet.append([])
    sheet.append([briefing.title])
    sheet.append([briefing.kpi_takeaway])
    if briefing.is_demo:
        sheet.append(
            ["DATA DEMO: angka berasal dari data contoh buatan, bukan akun OPD sebenarnya."]
        )
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, color="C62828")


def write_xlsx(briefing: Briefing, out: Path) -> Path:
    book = Workbook()
    _kpi_sheet(book, briefing.kpis, briefing)
    for table in briefing.tables():
        _table_sheet(book, table)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
