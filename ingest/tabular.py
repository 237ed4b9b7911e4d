"""Reading a CSV or .xlsx table with the line numbers the user sees in the file."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ingest.issues import IssueError

ZIP_MAGIC = b"PK\x03\x04"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"  # OLE2 container of the legacy .xls format
DELIMITERS = (",", ";")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

Record = tuple[int, dict[str, object]]


class TableError(IssueError):
    """The file cannot be read as a table at all; the message says why and what to do."""


@dataclass
class Table:
    """Normalised header, data rows as ``(line, values)``, and rows with surplus cells."""

    header: list[str]
    rows: list[Record] = field(default_factory=list)
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (line, cell count)


def normalise_header(cells: Iterable[object]) -> list[str]:
    return [str(c or "").replace("\ufeff", "").strip().lower() for c in cells]


def read_table(
    source: Path | bytes, filename: str | None = None, known_columns: Collection[str] = ()
) -> Table:
    """Read the first sheet of an .xlsx, or a UTF-8 CSV separated by commas or semicolons.

    ``known_columns`` helps choose the CSV delimiter; raises TableError for unreadable files.
    """
    if isinstance(source, Path):
        filename = filename or source.name
        data = source.read_bytes()
    else:
        data = source
    name = filename or "upload"
    if data.startswith(OLD_EXCEL_MAGIC) or name.lower().endswith(".xls"):
        raise TableError("xls_format", file=name)
    if data.startswith(ZIP_MAGIC) or name.lower().endswith(XLSX_SUFFIXES):
        return _read_xlsx(data, name)
    return _read_csv(data, name, known_columns)


def _read_csv(data: bytes, name: str, known_columns: Collection[str]) -> Table:
    if data.startswith(UTF16_BOMS):  # Excel's "Unicode text" export
        raise TableError("not_utf8", file=name, bad_line=1)
    if b"\x00" in data:  # binary content such as an image or a PDF
        raise TableError("not_table", file=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            "not_utf8", file=name, bad_line=data[: exc.start].count(b"\n") + 1
        ) from exc
    delimiter = _pick_delimiter(text, known_columns)
    try:
        return _build(_csv_records(text, delimiter), name)
    except csv.Error as exc:
        raise TableError("not_table", file=name) from exc


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, Sequence[object]]]:
    """Each record with the line where it starts, even when a quoted cell spans lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    for cells in reader:
        yield previous_end + 1, cells
        previous_end = reader.line_num


def _pick_delimiter(text: str, known_columns: Collection[str]) -> str:
    """The delimiter that splits the header into more known columns (then more columns)."""
    first = next((line for line in text.splitlines() if line.strip()), "")

    def score(delimiter: str) -> tuple[int, int]:
        cells = normalise_header(next(csv.reader([first], delimiter=delimiter), []))
        return sum(c in known_columns for c in cells), len(cells)

    return max(DELIMITERS, key=score)  # max keeps the first (comma) on a tie


def _read_xlsx(data: bytes, name: str) -> Table:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError("xlsx_broken", file=name, detail=type(exc).__name__) from exc
    try:
        if not book.worksheets:
            raise TableError("empty_file", file=name)
        sheet = book.worksheets[0]
        # read_only sheets yield every row from 1, gaps included, so the index is the row number
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        return _build(((n, cells) for n, cells in rows), name)
    finally:
        book.close()


def _is_blank(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _build(records: Iterable[tuple[int, Sequence[object]]], name: str) -> Table:
    """First non-blank record is the header; blank rows are skipped."""
    table: Table | None = None
    for line, cells in records:
        if _is_blank(cells):
            continue
        if table is None:
            table = Table(header=normalise_header(cells))
            continue
        _add_row(table, line, cells)
    if table is None:
        raise TableError("empty_file", file=name)
    _drop_unnamed_columns(table)
    return table


def _add_row(table: Table, line: int, cells: Sequence[object]) -> None:
    width, used = len(table.header), len(cells)
    while used > width and cells[used - 1] is None:
        used -= 1  # Excel pads rows with empty cells; in CSV a surplus cell means a shift
    if used > width:
        table.ragged.append((line, used))
        return
    values = {col: (cells[i] if i < len(cells) else None) for i, col in enumerate(table.header)}
    table.rows.append((line, values))


def _drop_unnamed_columns(table: Table) -> None:
    """Excel sheets often carry empty trailing header cells; they are not columns."""
    if "" not in table.header:
        return
    table.header = [h for h in table.header if h]
    for _line, values in table.rows:
        values.pop("", None)
