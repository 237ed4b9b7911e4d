"""Render a DataFrame for the terminal as a table, CSV or JSON (the CLI's --format).

The CSV follows core.cells: a cell such as ``=1+1`` is written ``'=1+1``, never a formula.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from core.cells import csv_text

FORMATS = ("table", "csv", "json")


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar -> Python
        return _clean(value.item())
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(col): _clean(val) for col, val in row.items()}
        for row in frame.astype(object).to_dict(orient="records")
    ]


def render(frame: pd.DataFrame, fmt: str, title: str | None = None) -> str:
    if fmt == "json":
        return json.dumps(records(frame), ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        return csv_text(frame)  # text a spreadsheet would run as a formula is written inert
    if fmt == "table":
        table = Table(title=title, show_lines=False)
        for col in frame.columns:
            table.add_column(str(col), overflow="fold")
        for row in records(frame):
            table.add_row(*["" if v is None else str(v) for v in row.values()])
        console = Console(record=True, width=200, file=io.StringIO())
        console.print(table)
        return console.export_text()
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
