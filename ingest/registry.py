"""The OPD/account registry: one CSV row per account, importable and exportable losslessly."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TextIO

from sqlalchemy.orm import Session

from core.cells import restored_text, write_csv
from core.settings import PROJECT_ROOT
from db.models import PLATFORMS
from db.queries import accounts_frame, opds_frame
from db.repository import upsert_account, upsert_opd
from ingest.handles import export_text, normalise_handle, normalise_platform, states_scheme
from ingest.issues import IssueError, Lang, RowIssue
from ingest.tabular import TableError, read_table
from ingest.values import cell_text

__all__ = [
    "DEFAULT_REGISTRY",
    "PLATFORMS",
    "REGISTRY_COLUMNS",
    "RegistryReport",
    "export_registry",
    "import_registry",
    "import_registry_records",
    "load_default_registry",
    "normalise_handle",
    "normalise_platform",
]

REGISTRY_COLUMNS = (
    "opd_code", "opd_name", "category", "platform", "handle",
    "admin_name", "admin_phone", "admin_email",
)  # fmt: skip
REQUIRED_COLUMNS = ("opd_code", "opd_name")
DEFAULT_REGISTRY = PROJECT_ROOT / "data" / "opd-sintang.csv"
ADMIN_FIELDS = ("admin_name", "admin_phone", "admin_email")
# Column widths of the opds table, so a long value is reported instead of failing on PostgreSQL.
LIMITS = {"opd_code": 40, "opd_name": 200, "category": 40, "admin_name": 120,
          "admin_phone": 40, "admin_email": 200}  # fmt: skip
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


@dataclass
class RegistryReport:
    """What an import did; ``issues`` name the skipped rows and why."""

    opds_created: int = 0
    opds_updated: int = 0
    opds_unchanged: int = 0
    accounts_created: int = 0
    accounts_updated: int = 0  # moved to another OPD, or a new address (http/https)
    accounts_unchanged: int = 0
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def accounts_existing(self) -> int:
        return self.accounts_updated + self.accounts_unchanged

    @property
    def errors(self) -> list[RowIssue]:
        return [i for i in self.issues if i.severity == "error"]

    def summary(self, lang: Lang = "en") -> str:
        if lang == "id":
            return (
                f"OPD: {self.opds_created} baru, {self.opds_updated} diperbarui, "
                f"{self.opds_unchanged} tetap. Akun: {self.accounts_created} baru, "
                f"{self.accounts_updated} diperbarui, {self.accounts_unchanged} tetap. "
                f"Masalah: {len(self.errors)} kesalahan."
            )
        return (
            f"OPDs: {self.opds_created} created, {self.opds_updated} updated, "
            f"{self.opds_unchanged} unchanged. Accounts: {self.accounts_created} created, "
            f"{self.accounts_updated} updated, {self.accounts_unchanged} unchanged. "
            f"Problems: {len(self.errors)} error(s)."
        )


class _Account(NamedTuple):
    platform: str
    handle: str
    url: str | None
    explicit: bool  # the text named its scheme, so its url replaces a stored one


@dataclass
class _OpdEntry:
    line: int
    code: str
    name: str
    category: str
    admin: dict[str, str]
    accounts: list[_Account] = field(default_factory=list)


def import_registry(
    session: Session, source: Path | bytes, filename: str | None = None
) -> RegistryReport:
    """Import a registry CSV/.xlsx; file-level problems come back as issues on line 0."""
    try:
        table = read_table(source, filename, known_columns=REGISTRY_COLUMNS)
    except TableError as exc:
        return RegistryReport(issues=[exc.at(0)])
    missing = [c for c in REQUIRED_COLUMNS if c not in table.header]
    if missing:
        params: dict[str, object] = {"columns": ", ".join(missing)}
        params["expected"] = ",".join(REGISTRY_COLUMNS)
        return RegistryReport(issues=[RowIssue(0, None, "missing_columns", params=params)])
    early = table.read_issues()  # surplus cells, formulas without a value, a long blank run
    extra = [c for c in table.header if c not in REGISTRY_COLUMNS]
    if extra:
        early.append(RowIssue(0, None, "extra_columns", "warning", {"columns": ", ".join(extra)}))
    report = import_registry_records(session, table.rows)
    report.issues[:0] = early
    return report


def import_registry_records(
    session: Session, records: Iterable[tuple[int, Mapping[str, object]]]
) -> RegistryReport:
    """Upsert OPDs and accounts from ``(line, row)`` pairs; bad rows are reported and skipped."""
    report = RegistryReport()
    entries = _collect(records, report.issues)
    before = {row.opd_code: row for row in opds_frame(session).itertuples()}
    known = {
        (str(row.platform), str(row.handle)): (str(row.opd_code), _optional(row.url))
        for row in accounts_frame(session).itertuples()
    }  # (platform, handle) -> (opd code, url)
    for entry in entries.values():
        old = before.get(entry.code)
        if old is None:
            report.opds_created += 1
        elif _opd_changed(old, entry):
            report.opds_updated += 1
        else:
            report.opds_unchanged += 1
        opd = upsert_opd(session, entry.code, entry.name, entry.category, **entry.admin)
        for account in entry.accounts:
            url = _account_url(account, known, entry.code, report)
            upsert_account(session, opd, account.platform, account.handle, url)
    report.issues.sort(key=lambda i: i.line)
    return report


def _account_url(
    account: _Account,
    known: dict[tuple[str, str], tuple[str, str | None]],
    code: str,
    report: RegistryReport,
) -> str | None:
    """The url to store, counting the account as created, updated or unchanged.

    A stored url is only replaced by one whose scheme the text names: a site kept on http://
    stays there when its handle comes back without a scheme (as an edited table does).
    """
    old = known.get((account.platform, account.handle))
    if old is None:
        report.accounts_created += 1
        return account.url
    old_code, old_url = old
    url = account.url if account.explicit else old_url
    changed = (old_code, old_url) != (code, url)
    report.accounts_updated += int(changed)
    report.accounts_unchanged += int(not changed)
    return url


def _opd_changed(old: object, entry: _OpdEntry) -> bool:
    if (getattr(old, "opd_name", None), getattr(old, "category", None)) != (
        entry.name,
        entry.category,
    ):
        return True
    # upsert_opd never erases admin data, so only a new non-empty value is a change
    return any(value and getattr(old, key, None) != value for key, value in entry.admin.items())


def _collect(
    records: Iterable[tuple[int, Mapping[str, object]]], issues: list[RowIssue]
) -> dict[str, _OpdEntry]:
    """Validate rows and group them per OPD code, keeping file order."""
    entries: dict[str, _OpdEntry] = {}
    owners: dict[tuple[str, str], tuple[int, str]] = {}  # account -> (first line, opd code)
    for line, row in records:
        try:
            entry, account = _parse_row(line, row)
        except _RowError as exc:
            issues.append(exc.issue)
            continue
        if account is not None:
            key = (account.platform, account.handle)
            first = owners.setdefault(key, (line, entry.code))
            if first[1] != entry.code:
                issues.append(_duplicate_account(line, key, first))
                account = None
        _merge(entries, entry, account, issues)
    return entries


def _duplicate_account(line: int, key: tuple[str, str], first: tuple[int, str]) -> RowIssue:
    params = {"platform": key[0], "value": key[1], "first_line": first[0], "opd": first[1]}
    return RowIssue(line, "handle", "duplicate_account", params=params)


def _merge(
    entries: dict[str, _OpdEntry],
    entry: _OpdEntry,
    account: _Account | None,
    issues: list[RowIssue],
) -> None:
    """Several rows per OPD are normal: the first row names it, admin fields fill gaps."""
    known = entries.setdefault(entry.code, entry)
    if known is not entry:
        if entry.name != known.name:
            params = {"code": entry.code, "first_name": known.name, "first_line": known.line}
            issues.append(RowIssue(entry.line, "opd_name", "opd_conflict", "warning", params))
        for key, value in entry.admin.items():
            known.admin.setdefault(key, value)
    keys = {(a.platform, a.handle) for a in known.accounts}
    if account is not None and (account.platform, account.handle) not in keys:
        known.accounts.append(account)  # the same account twice: the first row counts


class _RowError(Exception):
    def __init__(self, issue: RowIssue) -> None:
        super().__init__(issue.code)
        self.issue = issue


def _cell(row: Mapping[str, object], column: str) -> str:
    """A cell's text as the export meant it: ``'=1+1`` (written inert) reads ``=1+1``."""
    return restored_text(cell_text(row.get(column)))


def _text(line: int, row: Mapping[str, object], column: str, required: bool = False) -> str:
    value = _cell(row, column)
    if required and not value:
        raise _RowError(RowIssue(line, column, "missing_value"))
    limit = LIMITS.get(column)
    if limit is not None and len(value) > limit:
        raise _RowError(RowIssue(line, column, "too_long", params={"limit": limit}))
    return value


def _parse_row(line: int, row: Mapping[str, object]) -> tuple[_OpdEntry, _Account | None]:
    code = _text(line, row, "opd_code", required=True).upper()
    name = _text(line, row, "opd_name", required=True)
    category = _text(line, row, "category").lower()
    admin = {key: _text(line, row, key) for key in ADMIN_FIELDS}
    email = admin["admin_email"]
    if email and not _EMAIL.fullmatch(email):
        raise _RowError(RowIssue(line, "admin_email", "bad_email", params={"value": email}))
    entry = _OpdEntry(line, code, name, category, {k: v for k, v in admin.items() if v})
    return entry, _parse_account(line, row)


def _parse_account(line: int, row: Mapping[str, object]) -> _Account | None:
    platform_text = _cell(row, "platform")
    handle_text = _cell(row, "handle")
    if not platform_text and not handle_text:
        return None
    if not platform_text:
        params: dict[str, object] = {"value": handle_text}
        raise _RowError(RowIssue(line, "platform", "handle_without_platform", params=params))
    try:
        platform = normalise_platform(platform_text)
    except IssueError as exc:
        raise _RowError(exc.at(line, "platform")) from exc
    if not handle_text:
        params = {"platform": platform}
        raise _RowError(RowIssue(line, "handle", "platform_without_handle", params=params))
    try:
        handle, url = normalise_handle(platform, handle_text)
    except IssueError as exc:
        raise _RowError(exc.at(line, "handle")) from exc
    return _Account(platform, handle, url, states_scheme(handle_text))


def export_registry(session: Session, out: TextIO) -> int:
    """Write the registry CSV (accounts plus OPDs without any); returns data rows written.

    Importing the file changes nothing: a handle that would not come back as itself (a site on
    http://, a name that reads as an address) is written as its URL, and text a spreadsheet would
    run as a formula is written inert (core.cells), which the import undoes.
    """
    rows: list[tuple[str, ...]] = []
    with_accounts: set[str] = set()
    for acc in accounts_frame(session).itertuples():
        with_accounts.add(str(acc.opd_code))
        text = export_text(str(acc.platform), str(acc.handle), _optional(acc.url))
        rows.append(_export_row(acc, str(acc.platform), text))
    for opd in opds_frame(session).itertuples():
        if opd.opd_code not in with_accounts:
            rows.append(_export_row(opd, "", ""))
    rows.sort(key=lambda r: (r[0], r[3], r[4]))
    write_csv(out, REGISTRY_COLUMNS, rows)  # text such as =1+1 is written inert: '=1+1
    return len(rows)


def _optional(value: object) -> str | None:
    return None if value is None or value != value else str(value)  # NaN check for pandas


def _export_row(source: object, platform: str, handle: str) -> tuple[str, ...]:
    def text(name: str) -> str:
        return _optional(getattr(source, name, None)) or ""

    head = (text("opd_code"), text("opd_name"), text("category"), platform, handle)
    return head + tuple(text(name) for name in ADMIN_FIELDS)


def load_default_registry(session: Session) -> RegistryReport:
    """Import the bundled list of Kabupaten Sintang OPDs (no accounts yet)."""
    return import_registry(session, DEFAULT_REGISTRY)
