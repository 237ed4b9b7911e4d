"""Reading a CSV or .xlsx table with the line numbers the user sees in the file."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers.expat import ExpatError

from openpyxl.utils.exceptions import InvalidFileException

from ingest.issues import RowIssue
from ingest.safe_read import (
    MAX_BLANK_RUN,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    FieldGuard,
    TableError,
    TooManyFields,
    check_size,
    looks_binary,
    thousands,
    too_many_rows,
)
from ingest.xlsx_stream import UNCALCULATED, first_sheet_rows, open_workbook

ZIP_MAGIC = b"PK\x03\x04"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"  # OLE2 container of the legacy .xls format
DELIMITERS = (",", ";")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
CHUNK = 1024 * 1024  # bytes decoded at a time when checking UTF-8
BROKEN_XLSX = (
    InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError,
    SyntaxError, ExpatError,  # bad XML: openpyxl's parts (ParseError), the streamed ones
)  # fmt: skip

Record = tuple[int, dict[str, object]]


__all__ = ["Table", "TableError", "normalise_header", "read_table"]


@dataclass
class Table:
    """Normalised header, data rows as ``(line, values)``, and rows with surplus cells."""

    header: list[str]
    rows: list[Record] = field(default_factory=list)
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (line, cell count)
    formulas: list[tuple[int, str]] = field(default_factory=list)  # (line, column) not computed
    stopped_at: int = 0  # the line where a long run of empty rows ended the reading

    def read_issues(self) -> list[RowIssue]:
        """Rows the reading itself skipped or stopped at, as issues for the import's report."""
        width = len(self.header)
        issues = [
            RowIssue(line, None, "too_many_cells", params={"count": count, "expected": width})
            for line, count in self.ragged
        ]
        issues += [
            RowIssue(line, column, "formula_without_value") for line, column in self.formulas
        ]
        if self.stopped_at:
            params = thousands("count", MAX_BLANK_RUN)
            issues.append(RowIssue(self.stopped_at, None, "blank_rows_stop", "warning", params))
        return issues


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
        check_size(source.stat().st_size, filename)  # before the file is read into memory
        data = source.read_bytes()
    else:
        data = source
    name = filename or "upload"
    check_size(len(data), name)
    if data.startswith(OLD_EXCEL_MAGIC) or name.lower().endswith(".xls"):
        raise TableError("xls_format", file=name)
    if data.startswith(ZIP_MAGIC) or name.lower().endswith(XLSX_SUFFIXES):
        return _read_xlsx(data, name, known_columns)
    return _read_csv(data, name, known_columns)


def _read_csv(data: bytes, name: str, known_columns: Collection[str]) -> Table:
    if data.startswith(UTF16_BOMS):  # Excel's "Unicode text" export
        raise TableError("not_utf8", file=name, bad_line=1)
    if looks_binary(data):  # such as an image or a PDF
        raise TableError("not_table", file=name)
    _check_utf8(data, name)
    try:
        delimiter = _pick_delimiter(_lines(data), known_columns)
        return _build(_csv_records(data, delimiter), name, known_columns)
    except csv.Error as exc:
        raise TableError("not_table", file=name) from exc
    except TooManyFields as exc:
        raise TableError(
            "too_many_columns", file=name, bad_line=exc.line, limit=MAX_COLUMNS
        ) from exc


def _check_utf8(data: bytes, name: str) -> None:
    """Checked a chunk at a time, so the whole text is never held twice."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(data[start : start + CHUNK], final=start + CHUNK >= len(data))
    except UnicodeDecodeError:
        try:
            data.decode("utf-8-sig")  # again in one piece, for the exact position
        except UnicodeDecodeError as exc:
            bad_line = data[: exc.start].count(b"\n") + 1
            raise TableError("not_utf8", file=name, bad_line=bad_line) from exc


def _lines(data: bytes) -> Iterator[str]:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def _csv_records(data: bytes, delimiter: str) -> Iterator[tuple[int, Sequence[object]]]:
    """Each record with the line where it starts, even when a quoted cell spans lines."""
    guard = FieldGuard(_lines(data), delimiter)
    reader = csv.reader(guard, delimiter=delimiter)
    previous_end = 0
    for cells in reader:
        guard.record_done()
        yield previous_end + 1, cells
        previous_end = reader.line_num


def _pick_delimiter(lines: Iterator[str], known_columns: Collection[str]) -> str:
    """The delimiter that splits the header into more known columns (then more columns)."""
    first = ""
    for _, line in zip(range(MAX_BLANK_RUN), lines, strict=False):
        if line.strip():
            first = line.rstrip("\r\n")
            break

    def score(delimiter: str) -> tuple[int, int]:
        cells = normalise_header(next(csv.reader([first], delimiter=delimiter), []))
        return sum(c in known_columns for c in cells), len(cells)

    return max(DELIMITERS, key=score)  # max keeps the first (comma) on a tie


def _read_xlsx(data: bytes, name: str, known_columns: Collection[str]) -> Table:
    try:
        book = open_workbook(data, name)
    except TableError:
        raise
    except BROKEN_XLSX as exc:
        raise TableError("xlsx_broken", file=name, detail=type(exc).__name__) from exc
    try:
        if book.sheet_path is None:
            raise TableError("empty_file", file=name)
        return _build(first_sheet_rows(book), name, known_columns)
    except TableError:
        raise
    except BROKEN_XLSX as exc:  # found while streaming: bad XML, a member shorter than declared
        raise TableError("xlsx_broken", file=name, detail=type(exc).__name__) from exc
    finally:
        book.close()


def _is_blank(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _build(
    records: Iterable[tuple[int, Sequence[object]]], name: str, known_columns: Collection[str]
) -> Table:
    """First non-blank record is the header; blank rows are skipped, a long run of them ends
    the reading (a sheet formatted down to row 1,048,576 has nothing below)."""
    table: Table | None = None
    blank_run = data_rows = 0
    for line, cells in records:
        if _is_blank(cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                if table is not None:
                    table.stopped_at = line
                break
            continue
        blank_run = 0
        if table is None:
            table = Table(header=_header(cells, line, name))
            continue
        data_rows += 1
        if data_rows > MAX_DATA_ROWS:
            raise too_many_rows(name, MAX_DATA_ROWS)
        _add_row(table, line, cells, known_columns)
    if table is None:
        raise TableError("empty_file", file=name)
    _drop_unnamed_columns(table)
    return table


def _header(cells: Sequence[object], line: int, name: str) -> list[str]:
    header = normalise_header(None if c is UNCALCULATED else c for c in cells)
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise TableError("too_many_columns", file=name, bad_line=line, limit=MAX_COLUMNS)
    return header


def _add_row(
    table: Table, line: int, cells: Sequence[object], known_columns: Collection[str]
) -> None:
    width, used = len(table.header), len(cells)
    while used > width and cells[used - 1] is None:
        used -= 1  # Excel pads rows with empty cells; in CSV a surplus cell means a shift
    if used > width:
        table.ragged.append((line, used))
        return
    values = {col: (cells[i] if i < len(cells) else None) for i, col in enumerate(table.header)}
    uncalculated = [col for col, value in values.items() if value is UNCALCULATED]
    for column in uncalculated:
        values[column] = None  # in a column the import ignores, it does no harm
    used_columns = [c for c in uncalculated if c and (not known_columns or c in known_columns)]
    if used_columns:
        table.formulas += [(line, column) for column in used_columns]
        return
    table.rows.append((line, values))


def _drop_unnamed_columns(table: Table) -> None:
    """Excel sheets often carry empty trailing header cells; they are not columns."""
    if "" not in table.header:
        return
    table.header = [h for h in table.header if h]
    for _line, values in table.rows:
        values.pop("", None)
