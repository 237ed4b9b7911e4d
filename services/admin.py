"""What the Pengaturan page changes: the registry (through the importer's own validation),
uploads of registry and data files, which accounts are watched, and the overrides."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import update
from sqlalchemy.orm import Session

from db.models import Account
from ingest.data_import import import_file
from ingest.issues import RowIssue
from ingest.registry import (
    REGISTRY_COLUMNS,
    export_registry,
    import_registry,
    import_registry_records,
)


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


def save_registry(session: Session, edited: pd.DataFrame) -> ImportOutcome:
    """Store the edited table through the same checks as an uploaded registry file."""
    rows = edited.fillna("").astype(str).to_dict(orient="records")
    records = [
        (line, {str(k): v for k, v in row.items()}) for line, row in enumerate(rows, start=2)
    ]
    report = import_registry_records(session, records)
    return _outcome(report.summary("id"), report.issues)


def import_upload(
    session: Session, data: bytes, filename: str, kind: str, tz: ZoneInfo
) -> ImportOutcome:
    """An uploaded registry (kind="registry") or posts/followers file (kind="data")."""
    if kind == "registry":
        report = import_registry(session, data, filename)
        return _outcome(report.summary("id"), report.issues)
    data_report = import_file(session, data, filename, tz=tz)
    return _outcome(data_report.summary("id"), data_report.issues)


def _outcome(summary: str, issues: Sequence[RowIssue]) -> ImportOutcome:
    problems = [issue.message("id") for issue in issues]
    ok = not any(issue.severity == "error" for issue in issues)
    return ImportOutcome(summary, problems, ok)


def set_active(session: Session, changes: dict[int, bool]) -> int:
    """Start or stop watching accounts (their history is kept either way)."""
    for account_id, active in changes.items():
        session.execute(update(Account).where(Account.id == account_id).values(active=active))
    return len(changes)
