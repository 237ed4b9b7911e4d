"""The one rule for text in a spreadsheet Pantau writes: it never becomes a formula.

A caption, an OPD name or a handle comes from outside (a platform, an imported file, an admin).
Text starting with ``=``, ``+``, ``-`` or ``@`` is a formula to Excel, LibreOffice and Google
Sheets, and a leading tab or carriage return hides one from a reader while some spreadsheets
still run it (the OWASP "CSV injection" list). Such text is written inert:

- in a CSV, :func:`inert_text` prefixes it with a single quote ``'`` (OWASP's advice): a
  spreadsheet shows ``'=1+1`` as text, and a script reading the file sees the quote, so nothing
  is silently changed (Pantau's own imports take the quote off again: :func:`restored_text`).
  Every field holding a separator, a double quote, a carriage return or a line break is
  quoted, so a cell cannot spill a formula into a new cell or row. That needs RFC 4180 line
  ends (``\r\n``): with ``\n`` alone, Python's ``csv`` writer leaves a lone ``\r`` unquoted,
  and a spreadsheet starts a new row there. :func:`csv_text` and :func:`write_csv` do both;
- in an XLSX, the text stays as typed but is stored as a string with Excel's quote prefix
  (``quotePrefix``), which shows it unchanged and keeps it text even when a reader edits it
  (:func:`is_formula_like` decides which cells get it).

Only strings are neutralised: a number, including a negative one such as -3, is data the
spreadsheet must keep as a number, and cannot carry a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INERT_PREFIX = "'"
LINE_END = "\r\n"  # RFC 4180: a field holding \r or \n is then always quoted


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet could take for a formula (numbers never are)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def inert_text(value: object) -> object:
    """``value`` as a CSV cell may hold it: formula-like text gets a leading ``'``."""
    return INERT_PREFIX + value if is_formula_like(value) else value  # type: ignore[operator]


def inert_row(values: Iterable[object]) -> list[object]:
    """A row of cells for ``csv.writer``, each through :func:`inert_text`."""
    return [inert_text(value) for value in values]


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` ready for ``to_csv``: every text cell and header made inert."""
    inert = frame.copy()
    for index in range(len(frame.columns)):
        values = frame.iloc[:, index]
        if is_object_dtype(values) or is_string_dtype(values):  # numbers and dates keep their type
            inert.isetitem(index, values.map(inert_text).to_list())
    inert.columns = pd.Index(inert_row(frame.columns))
    return inert


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index) with every text cell made inert."""
    return inert_frame(frame).to_csv(index=False, lineterminator=LINE_END)


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write ``header`` and ``rows`` to ``out`` (opened with ``newline=""``), every cell inert."""
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow(inert_row(header))
    writer.writerows(inert_row(row) for row in rows)


def restored_text(text: str) -> str:
    """Undo :func:`inert_text` on a cell read back (``'=1+1`` -> ``=1+1``), so an export
    imported again changes nothing; any other text is returned as it is."""
    inert = text.startswith(INERT_PREFIX) and is_formula_like(text[1:])
    return text[1:] if inert else text
