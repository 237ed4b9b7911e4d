"""The first sheet of an .xlsx as a stream of its non-empty rows, fast and with bounded memory.

openpyxl reads the workbook's structure and styles (which number formats are dates); the
shared strings and the sheet are read here with expat callbacks, keeping no XML tree.
openpyxl's own row reader trusts the sheet's ``<dimension>`` (a 5 KB file claiming
``A1:XFD1048576`` pads every row to 16,384 cells), parses a whole sheet that declares no
dimension just to size it, and takes about 20 µs an element: a 3 MB file of a million short
texts took 20 s. Values follow openpyxl's ``data_only`` reading, except that a formula saved
without its result is :data:`UNCALCULATED` rather than None.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO
from xml.parsers import expat

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from ingest.safe_read import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    MAX_ROW_ELEMENTS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_ELEMENTS,
    MAX_UNPACKED_BYTES,
    MiB,
    TableError,
    check_workbook_archive,
    too_many_rows,
)

NS = SHEET_MAIN_NS + "}"  # expat joins namespace and name with the separator below
ROW, CELL, VALUE, FORMULA, TEXT = (NS + tag for tag in ("row", "c", "v", "f", "t"))
ITEM, PHONETIC = NS + "si", NS + "rPh"  # a shared string, a reading hint inside one
READ_SIZE = 64 * 1024


class Uncalculated:
    """A formula cell saved without its computed value (written by a program, not by Excel)."""

    def __repr__(self) -> str:
        return "UNCALCULATED"


UNCALCULATED = Uncalculated()

Rows = Iterator[tuple[int, tuple[object, ...]]]


class Workbook(ExcelReader):
    """openpyxl's workbook reader, limited to the parts a table needs: the workbook, the
    styles and the first worksheet's path (openpyxl's ``read`` also sizes every sheet)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(io.BytesIO(data), read_only=True, data_only=True)
        self.file_name = name
        self.sheet_path: str | None = None

    def read(self) -> None:
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        apply_stylesheet(self.archive, self.wb)
        sheets = (
            rel for _sheet, rel in self.parser.find_sheets() if rel.target in self.valid_files
        )
        self.sheet_path = next((r.target for r in sheets if "chartsheet" not in r.Type), None)

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = read_shared_strings(source, self.file_name)

    def close(self) -> None:
        self.archive.close()


def open_workbook(data: bytes, name: str) -> Workbook:
    """The workbook's structure, refused from its zip directory when it would unpack too far."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # reads only the zip's directory
        check_workbook_archive(archive, name)
    book = Workbook(data, name)
    book.read()
    return book


def _parser(
    name: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    text: Callable[[str], None],
) -> expat.XMLParserType:
    """expat with these callbacks and without a DTD: no entity of any kind (a spreadsheet part
    never declares one), so no entity expansion and nothing fetched."""
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse_dtd(*_args: object) -> None:
        raise TableError("xlsx_broken", file=name, detail="DTD")

    settings: dict[str, object] = {
        "buffer_text": True,  # one call for a cell's text, not one per line or entity
        "StartElementHandler": start,
        "EndElementHandler": end,
        "CharacterDataHandler": text,
        "StartDoctypeDeclHandler": refuse_dtd,
        "EntityDeclHandler": refuse_dtd,
    }
    for attribute, value in settings.items():
        setattr(parser, attribute, value)
    return parser


def _feed(parser: expat.XMLParserType, source: IO[bytes], after: Callable[[], None]) -> None:
    while chunk := source.read(READ_SIZE):
        parser.Parse(chunk, False)
        after()
    parser.Parse(b"", True)
    after()


def read_shared_strings(source: IO[bytes], name: str) -> list[str]:
    """The texts of ``<si>`` items: plain text and rich-text runs, phonetic hints left out."""
    strings: list[str] = []
    parts: list[str] = []
    state = {"text": False, "phonetic": False}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        if tag == TEXT:
            state["text"] = not state["phonetic"]
        elif tag == PHONETIC:
            state["phonetic"] = True

    def end(tag: str) -> None:
        if tag == TEXT:
            state["text"] = False
        elif tag == PHONETIC:
            state["phonetic"] = False
        elif tag == ITEM:
            strings.append("".join(parts).replace("x005F_", ""))  # as openpyxl reads them
            parts.clear()

    def text(data: str) -> None:
        if state["text"]:
            parts.append(data)

    def check() -> None:
        if len(strings) > MAX_SHARED_STRINGS or sum(map(len, parts)) > MAX_CELL_CHARS:
            limit_mb = MAX_UNPACKED_BYTES // MiB
            raise TableError("xlsx_unpacked_too_large", file=name, limit_mb=limit_mb)

    _feed(_parser(name, start, end, text), source, check)
    return strings


def first_sheet_rows(book: Workbook) -> Rows:
    """``(row number, values)`` of each row present in the first sheet, empty cells as None."""
    if book.sheet_path is None:
        return
    sheet = _SheetReader(book)
    with book.archive.open(book.sheet_path) as source:
        while chunk := source.read(READ_SIZE):
            sheet.parser.Parse(chunk, False)
            yield from sheet.take_rows()
        sheet.parser.Parse(b"", True)
        yield from sheet.take_rows()


@functools.lru_cache(maxsize=1024)
def _column_of_letters(letters: str) -> int:
    return int(column_index_from_string(letters))


def _column(reference: str) -> int:
    """``"AB12"`` -> 28 (openpyxl's parser is a regular expression, a cost on every cell)."""
    letters = reference.rstrip("0123456789")
    if not letters or len(letters) == len(reference):
        raise ValueError(reference)
    return _column_of_letters(letters.upper())


class _SheetReader:
    """expat callbacks collecting finished rows; the caller takes them after each chunk."""

    def __init__(self, book: Workbook) -> None:
        self.name = book.file_name
        self.strings: list[str] = book.shared_strings
        self.epoch: datetime = book.wb.epoch
        self.dates: set[int] = book.wb._date_formats  # set by apply_stylesheet (private there)
        self.durations: set[int] = book.wb._timedelta_formats
        self.rows: list[tuple[int, tuple[object, ...]]] = []
        self.row, self.column, self.seen, self.elements = 0, 0, 0, 0
        self.cells: dict[int, object] = {}
        self.cell: dict[str, str] = {}
        self.value: str | None = None
        self.formula = False
        self.text: list[str] | None = None  # collecting a <v> or an inline string's <t>
        self.parts: list[str] = []  # an inline string's texts
        self.parser = _parser(self.name, self.start, self.end, self.characters)

    def take_rows(self) -> list[tuple[int, tuple[object, ...]]]:
        rows, self.rows = self.rows, []
        return rows

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.seen += 1
        self.elements += 1
        if self.seen > MAX_ROW_ELEMENTS:
            self.fail("too_many_columns", bad_line=self.row, limit=MAX_COLUMNS)
        if self.elements > MAX_SHEET_ELEMENTS:  # keeps the time bounded whatever the shape
            raise too_many_rows(self.name, MAX_DATA_ROWS)
        if tag == ROW:
            self.start_row(attrs.get("r"))
        elif tag == CELL:
            self.cell, self.value, self.formula, self.parts = attrs, None, False, []
        elif tag in (VALUE, TEXT):
            self.text = []
        elif tag == FORMULA:
            self.formula = True

    def start_row(self, number: str | None) -> None:
        try:
            self.row = int(number) if number else self.row + 1
        except ValueError:
            self.row = 0
        if self.row < 1:  # line 0 would read as the whole file
            self.fail("xlsx_broken", detail="row number")
        self.column, self.seen, self.cells = 0, 0, {}

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)
            if len(self.text) > 1 and sum(map(len, self.text)) > MAX_CELL_CHARS:
                self.fail("xlsx_broken", detail="cell text too long")

    def end(self, tag: str) -> None:
        if tag == VALUE:
            self.value = "".join(self.text or ())
            self.text = None
        elif tag == TEXT and self.text is not None:
            self.parts.append("".join(self.text))
            self.text = None
        elif tag == CELL:
            self.end_cell()
        elif tag == ROW:
            width = max(self.cells, default=0)
            self.rows.append((self.row, tuple(self.cells.get(c) for c in range(1, width + 1))))

    def end_cell(self) -> None:
        reference = self.cell.get("r")
        try:
            self.column = _column(reference) if reference else self.column + 1
            value = self.convert()
        except (ValueError, IndexError, OverflowError) as exc:  # a bad reference or number
            raise TableError("xlsx_broken", file=self.name, detail=type(exc).__name__) from exc
        if value is None:
            return
        if self.column > MAX_COLUMNS:
            self.fail("too_many_columns", bad_line=self.row, limit=MAX_COLUMNS)
        self.cells[self.column] = value

    def convert(self) -> object:
        """The cell's value as openpyxl's ``data_only`` reading gives it."""
        kind, value = self.cell.get("t", "n"), self.value
        if kind == "inlineStr":
            return "".join(self.parts) if self.parts else None
        if not value:
            return UNCALCULATED if self.formula and value is None else None
        if kind == "s":
            index = int(value)
            if index < 0:
                raise IndexError(index)
            return self.strings[index]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        if kind != "n":  # "str" (a formula's text) and "e" (an error such as #N/A)
            return value
        number = float(value) if any(c in value for c in ".Ee") else int(value)
        style = int(self.cell.get("s", 0))
        if style not in self.dates:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=style in self.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"  # as openpyxl gives it; the row is then told a bad date

    def fail(self, code: str, **params: object) -> None:
        raise TableError(code, file=self.name, **params)
