"""Limits that keep reading an uploaded or imported file bounded in time and memory.

Any file up to :data:`MAX_FILE_BYTES` is read or refused within about 5 s and 200 MB: a
workbook is checked from its zip directory before anything is unpacked, and the readers stop
at :data:`MAX_DATA_ROWS`, :data:`MAX_COLUMNS` and :data:`MAX_BLANK_RUN`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from ingest.issues import IssueError

MiB = 1024 * 1024
MAX_FILE_BYTES = 20 * MiB  # as Streamlit's maxUploadSize in .streamlit/config.toml
MAX_UNPACKED_BYTES = 100 * MiB  # all members of a workbook together, once unpacked
MAX_SHARED_STRINGS_BYTES = 24 * MiB  # xl/sharedStrings.xml
MAX_SHARED_STRINGS = 500_000  # 100,000 rows with five different texts each
MAX_PART_BYTES = 4 * MiB  # each part parsed whole: styles.xml, workbook.xml, ...
MAX_RATIO = 100  # unpacked:packed; a real sheet packs at about 5-20:1
RATIO_FLOOR = 1 * MiB  # smaller members may pack better than that without harm
MAX_DATA_ROWS = 100_000
MAX_COLUMNS = 200
MAX_ROW_ELEMENTS = 4 * 16_384  # XML elements in one row: Excel's 16,384 cells, with values
MAX_SHEET_ELEMENTS = 2_000_000  # XML elements of a sheet: 100,000 rows of 9 cells, each c+v
MAX_CELL_CHARS = 4 * 32_767  # Excel keeps at most 32,767 characters in a cell
MAX_BLANK_RUN = 10_000  # consecutive empty rows after which reading stops
MAX_CSV_FIELDS = 10_000  # cells one CSV record may split into (its delimiters, counted)
SNIFF_BYTES = 8192
SNIFF_MIN = 1024  # a smaller file is judged by its UTF-8 alone
CONTROL_SHARE = 0.3  # more control characters than this in the first bytes: not text


def _parsed_whole(member: str) -> bool:
    """Parts openpyxl parses into a whole tree (styles, workbook, relationships, properties)."""
    streamed = member.startswith("xl/worksheets/") or member.endswith("sharedStrings.xml")
    return member.endswith((".xml", ".rels")) and not streamed


class TableError(IssueError):
    """The file cannot be read as a table at all; the message says why and what to do."""


def thousands(name: str, value: int) -> dict[str, object]:
    """``value`` as English writes it (100,000) and as Indonesian does (``{name}_id``: 100.000)."""
    return {name: f"{value:,}", f"{name}_id": f"{value:,}".replace(",", ".")}


def too_many_rows(name: str, limit: int) -> TableError:
    return TableError("too_many_rows", file=name, **thousands("limit", limit))


def check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise TableError("file_too_large", file=name, limit_mb=MAX_FILE_BYTES // MiB)


def check_workbook_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before unpacking anything.

    A member that unpacks to more than it declares is cut there by ``zipfile`` itself (and then
    fails its CRC check), so the declared sizes bound what is read.
    """
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    tight = any(
        m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1)
        for m in members
    )
    strings = sum(m.file_size for m in members if m.filename.endswith("sharedStrings.xml"))
    parts = max((m.file_size for m in members if _parsed_whole(m.filename)), default=0)
    if (
        total > MAX_UNPACKED_BYTES
        or tight
        or strings > MAX_SHARED_STRINGS_BYTES
        or parts > MAX_PART_BYTES
    ):
        limit_mb = MAX_UNPACKED_BYTES // MiB
        raise TableError("xlsx_unpacked_too_large", file=name, limit_mb=limit_mb)


def looks_binary(data: bytes) -> bool:
    """NUL bytes anywhere, or many control characters near the start: an image, a PDF, ..."""
    if b"\x00" in data:
        return True
    head = data[:SNIFF_BYTES]
    if len(head) < SNIFF_MIN:
        return False
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13))
    return controls > CONTROL_SHARE * len(head)  # a stray one in a caption is kept as text


class TooManyFields(Exception):
    """A CSV record splits into more than :data:`MAX_CSV_FIELDS` cells (at ``line``)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class FieldGuard:
    """Counts the delimiters of the lines one CSV record is built from, to bound its cells."""

    def __init__(self, lines: Iterator[str], delimiter: str) -> None:
        self.lines, self.delimiter = lines, delimiter
        self.line_number = 0
        self.fields = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.line_number += 1
            self.fields += line.count(self.delimiter)
            if self.fields > MAX_CSV_FIELDS:
                raise TooManyFields(self.line_number)
            yield line

    def record_done(self) -> None:
        self.fields = 0
