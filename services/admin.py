"""What the Pengaturan page changes: the registry (through the importer's own validation),
uploads of registry and data files, which accounts are watched, and the overrides."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import update
from sqlalchemy.orm import Session

from db.audit import registry_state
from db.models import Account
from ingest.data_import import import_file
from ingest.issues import RowIssue, render
from ingest.registry import (
    REGISTRY_COLUMNS,
    export_registry,
    import_registry,
    import_registry_records,
)
from services.audit import UNKNOWN, record_registry_changes

# the table keeps the CSV's column names (they are the file format); people read these
REGISTRY_LABELS = {
    "opd_code": "Kode OPD", "opd_name": "Nama OPD", "category": "Kategori",
    "platform": "Platform", "handle": "Akun", "admin_name": "Nama admin",
    "admin_phone": "Telepon admin", "admin_email": "Surel admin",
}  # fmt: skip


@dataclass(frozen=True)
class ImportOutcome:
    """An import's result in Indonesian, for the dashboard."""

    summary: str
    problems: list[str]
    ok: bool


def registry_frame(session: Session) -> pd.DataFrame:
    """The registry as the editable table, in the CSV's columns (one row per account)."""
    buffer = io.StringIO()
    export_registry(session, buffer)
    buffer.seek(0)
    frame = pd.read_csv(buffer, dtype=str, keep_default_na=False)
    return frame.loc[:, list(REGISTRY_COLUMNS)]


def save_registry(session: Session, edited: pd.DataFrame, *, actor: str = UNKNOWN) -> ImportOutcome:
    """Store the edited table through the same checks as an uploaded registry file; each OPD
    and account changed goes to the audit trail as ``actor``'s.

    Empty rows are left out; a problem names its row by what the table shows (OPD name and
    account) and its column by the label on screen, since the table has no row numbers.
    """
    rows = [_clean(row) for row in edited.to_dict(orient="records")]
    records = [(n, row) for n, row in enumerate(rows, start=1) if any(row.values())]
    before = registry_state(session)
    report = import_registry_records(session, records)
    record_registry_changes(session, actor, before)
    names = {n: _row_name(n, row) for n, row in records}
    problems = [_table_problem(issue, names) for issue in report.issues]
    return ImportOutcome(report.summary("id"), problems, not report.errors)


def _clean(row: Mapping[object, object]) -> dict[str, str]:
    """A table row as text; missing cells (None, NaN, pd.NA) are empty, never "None"."""

    def text(value: object) -> str:
        missing = value is None or value is pd.NA
        missing = missing or (isinstance(value, float) and math.isnan(value))
        return "" if missing else str(value).strip()

    return {str(key): text(value) for key, value in row.items()}


def _row_name(position: int, row: Mapping[str, str]) -> str:
    """``"Dinas Kesehatan – instagram dinkes.sintang"``; ``ke-3 dari atas`` when nameless."""
    opd = row.get("opd_name") or row.get("opd_code") or ""
    account = " ".join(v for v in (row.get("platform", ""), row.get("handle", "")) if v)
    shown = " – ".join(part for part in (opd, account) if part)
    return f'"{shown}"' if shown else f"ke-{position} dari atas"


def _table_problem(issue: RowIssue, names: Mapping[int, str]) -> str:
    params = dict(issue.params)
    if "first_line" in params:  # "… (baris {first_line})" names the other row the same way
        params["first_line"] = names.get(int(str(params["first_line"])), params["first_line"])
    column = REGISTRY_LABELS.get(issue.column or "", issue.column or "")
    body = render(issue.code, {**params, "column": column}, "id")
    return f"Baris {names.get(issue.line, str(issue.line))}: {body}"


def import_upload(
    session: Session, data: bytes, filename: str, kind: str, tz: ZoneInfo, *,
    actor: str = UNKNOWN,
) -> ImportOutcome:  # fmt: skip
    """An uploaded registry (kind="registry", audited as one summary) or posts/followers file
    (kind="data")."""
    if kind == "registry":
        before = registry_state(session)
        report = import_registry(session, data, filename)
        record_registry_changes(session, actor, before, source=filename)
        return _outcome(report.summary("id"), report.issues)
    data_report = import_file(session, data, filename, tz=tz)
    return _outcome(data_report.summary("id"), data_report.issues)


def _outcome(summary: str, issues: Sequence[RowIssue]) -> ImportOutcome:
    problems = [issue.message("id") for issue in issues]
    ok = not any(issue.severity == "error" for issue in issues)
    return ImportOutcome(summary, problems, ok)


def set_active(session: Session, changes: dict[int, bool], *, actor: str = UNKNOWN) -> int:
    """Start or stop watching accounts (their history is kept either way); audited."""
    before = registry_state(session)
    for account_id, active in changes.items():
        session.execute(update(Account).where(Account.id == account_id).values(active=active))
    record_registry_changes(session, actor, before)
    return len(changes)
