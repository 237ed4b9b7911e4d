"""The first sheet of an .xlsx as a stream of its non-empty rows, with bounded memory.

openpyxl reads the workbook's structure, styles and cell values; the rows are streamed here
rather than through ``ReadOnlyWorksheet.iter_rows``, which trusts the sheet's declared
``<dimension>`` (a 5 KB file claiming ``A1:XFD1048576`` pads every row to 16,384 cells) and
keeps every parsed element until the end. The shared strings are read here too: openpyxl's
reader takes about 18 µs a string, so a 3 MB file of a million short texts took 20 s.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element

from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse  # defusedxml's when installed (it is pinned)

from ingest.safe_read import (
    MAX_COLUMNS,
    MAX_ROW_ELEMENTS,
    MAX_SHARED_STRINGS,
    MAX_UNPACKED_BYTES,
    MiB,
    TableError,
    check_workbook_archive,
)

SI, T, R = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("si", "t", "r"))
ROW, CELL, FORMULA, VALUE = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("row", "c", "f", "v"))
ROW_DEPTH = 3  # worksheet > sheetData > row


class Uncalculated:
    """A formula cell saved without its computed value (written by a program, not by Excel)."""

    def __repr__(self) -> str:
        return "UNCALCULATED"


UNCALCULATED = Uncalculated()

Rows = Iterator[tuple[int, tuple[object, ...]]]


class _Reader(ExcelReader):
    """openpyxl's workbook reader with a fast, bounded shared-strings table."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(io.BytesIO(data), read_only=True, data_only=True)
        self.file_name = name

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = read_shared_strings(source, self.file_name)


def open_workbook(data: bytes, name: str) -> Workbook:
    """A read-only workbook, refused from its zip directory when it would unpack too far."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # reads only the zip's directory
        check_workbook_archive(archive, name)
    reader = _Reader(data, name)
    reader.read()
    return reader.wb


def read_shared_strings(source: IO[bytes], name: str) -> list[str]:
    """The texts of ``<si>`` items: plain text plus rich-text runs, phonetic hints left out."""
    strings: list[str] = []
    root: Element | None = None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
        if event != "end" or node.tag != SI:
            continue
        parts = [child.text or "" for child in node if child.tag == T]
        parts += [run.findtext(T) or "" for run in node if run.tag == R]
        strings.append("".join(parts).replace("x005F_", ""))  # as openpyxl reads them
        root.clear()  # finished items only: keeps memory flat
        if len(strings) > MAX_SHARED_STRINGS:
            limit_mb = MAX_UNPACKED_BYTES // MiB
            raise TableError("xlsx_unpacked_too_large", file=name, limit_mb=limit_mb)
    return strings


def first_sheet_rows(book: Workbook, name: str) -> Rows:
    """``(row number, values)`` of each row present in the first sheet, empty cells as None.

    A formula without a cached value is :data:`UNCALCULATED` (openpyxl gives None for it).
    """
    sheet = book.worksheets[0]
    parser = WorkSheetParser(
        None,
        sheet._shared_strings,  # openpyxl's read-only sheet keeps these private
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    with sheet._get_source() as source:
        yield from _stream(iterparse(source, events=("start", "end")), parser, name)


def _stream(events: Iterator[tuple[str, Any]], parser: WorkSheetParser, name: str) -> Rows:
    open_elements: list[Element] = []
    cells: dict[int, object] = {}
    row_number = seen = 0
    for event, element in events:
        if event == "start":
            open_elements.append(element)
            seen += 1
            if len(open_elements) == ROW_DEPTH:
                row_number, seen, cells = _start_row(element, row_number, parser, name), 0, {}
            if seen > MAX_ROW_ELEMENTS:
                raise TableError(
                    "too_many_columns", file=name, bad_line=row_number, limit=MAX_COLUMNS
                )
            continue
        open_elements.pop()
        if element.tag == CELL:
            _add_cell(cells, parser, element, row_number, name)
        elif element.tag == ROW and len(open_elements) == ROW_DEPTH - 1:
            yield row_number, tuple(cells.get(c) for c in range(1, max(cells, default=0) + 1))
        if 0 < len(open_elements) < ROW_DEPTH:
            open_elements[-1].clear()  # drop what has been read (stdlib iterparse keeps it)


def _start_row(element: Element, previous: int, parser: WorkSheetParser, name: str) -> int:
    if element.tag != ROW:
        return previous
    try:
        number = int(element.get("r") or previous + 1)
    except ValueError:
        number = 0
    if number < 1:  # line 0 would read as the whole file
        raise TableError("xlsx_broken", file=name, detail="row number")
    parser.row_counter, parser.col_counter = number, 0
    return number


def _add_cell(
    cells: dict[int, object], parser: WorkSheetParser, element: Element, line: int, name: str
) -> None:
    try:
        cell = parser.parse_cell(element)
    except (ValueError, IndexError, TypeError) as exc:  # a bad reference or string index
        raise TableError("xlsx_broken", file=name, detail=type(exc).__name__) from exc
    value = cell["value"]
    if value is None and element.find(FORMULA) is not None and element.find(VALUE) is None:
        value = UNCALCULATED
    if value is None:
        return
    if cell["column"] > MAX_COLUMNS:
        raise TableError("too_many_columns", file=name, bad_line=line, limit=MAX_COLUMNS)
    cells[cell["column"]] = value
