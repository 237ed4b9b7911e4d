"""Manual back-fill of posts and follower counts for offices without API access.

The caller owns the session and the commit, as with every write in ``db.repository``, and
brings the derived data up to date once its writes are done (``refresh.after_write``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from core import fmt
from core.links import web_link
from core.timeutil import DEFAULT_TZ, utcnow
from db.models import FollowerSnapshot, Post
from db.repository import (
    PostRow,
    SnapshotRow,
    account_ids_by_handle,
    count_rows,
    finish_run,
    start_run,
    upsert_posts,
    upsert_snapshots,
)
from ingest.handles import normalise_handle, normalise_platform
from ingest.issues import IssueError, Lang, RowIssue, format_lines
from ingest.tabular import TableError, read_table
from ingest.values import cell_text, parse_count, parse_datetime

Kind = Literal["posts", "followers"]
Records = Iterable[tuple[int, Mapping[str, object]]]

POST_COLUMNS = (
    "platform", "handle", "post_id", "posted_at", "caption",
    "likes", "comments", "shares", "views", "url",
)  # fmt: skip
FOLLOWER_COLUMNS = ("platform", "handle", "observed_at", "followers")
FOLLOWER_OPTIONAL = ("following",)  # accounts it follows: only Instagram, TikTok and X say
COLUMNS: dict[Kind, tuple[str, ...]] = {
    "posts": POST_COLUMNS,
    "followers": FOLLOWER_COLUMNS + FOLLOWER_OPTIONAL,
}
REQUIRED: dict[Kind, tuple[str, ...]] = {
    "posts": ("platform", "handle", "post_id", "posted_at"),
    "followers": FOLLOWER_COLUMNS,
}
POST_COUNTS = ("likes", "comments", "shares", "views")
LIMITS = {"post_id": 200, "url": 1000}  # column widths of the posts table


@dataclass
class ImportReport:
    """Outcome of one import; issues carry line numbers as the user sees them."""

    kind: Kind | None
    source: str
    rows_read: int = 0
    rows_stored: int = 0
    new_rows: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    unknown_handles: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    @property
    def errors(self) -> list[RowIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[RowIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def failed(self) -> bool:
        """True when the file as a whole could not be used (nothing was stored)."""
        return any(i.line == 0 and i.severity == "error" for i in self.issues)

    @property
    def status(self) -> str:
        if self.failed:
            return "failed"
        return "partial" if any(i.line > 0 for i in self.issues) else "ok"

    def summary(self, lang: Lang = "en") -> str:
        errors, warnings, unknown = len(self.errors), len(self.warnings), len(self.unknown_handles)
        if lang == "id":
            return (
                f"{self.source}: {fmt.number(self.rows_read)} baris dibaca, "
                f"{fmt.number(self.rows_stored)} disimpan ({fmt.number(self.new_rows)} baru); "
                f"{fmt.number(errors)} kesalahan, {fmt.number(warnings)} peringatan, "
                f"{fmt.number(unknown)} akun belum terdaftar."
            )
        return (
            f"{self.source}: {self.rows_read} rows read, {self.rows_stored} stored "
            f"({self.new_rows} new); {errors} error(s), {warnings} warning(s), "
            f"{unknown} unknown account(s)."
        )


def import_file(
    session: Session, source: Path | bytes, filename: str | None = None, tz: ZoneInfo = DEFAULT_TZ
) -> ImportReport:
    """Import a posts or follower-count file (CSV or .xlsx, format told by its header).

    Problems with the whole file come back as issues on line 0, never as exceptions.
    """
    name = filename or (source.name if isinstance(source, Path) else "upload")
    try:
        table = read_table(source, name, known_columns=POST_COLUMNS + COLUMNS["followers"])
    except TableError as exc:
        return _record_failure(session, ImportReport(None, name, issues=[exc.at(0)]))
    kind, header_issues = check_header(table.header)
    skipped = len(table.ragged) + len(table.formulas)  # rows the reading itself set aside
    report = ImportReport(kind, name, rows_read=skipped, issues=header_issues)
    if kind is None or report.failed:
        return _record_failure(session, report)
    report.issues += table.read_issues()
    return _run_import(session, kind, report, table.rows, tz)


def import_records(
    session: Session, kind: Kind, records: Records, source: str, tz: ZoneInfo = DEFAULT_TZ
) -> ImportReport:
    """Import in-memory ``(line, row)`` pairs; values may be text or native Python values."""
    return _run_import(session, kind, ImportReport(kind, source), records, tz)


def check_header(header: list[str]) -> tuple[Kind | None, list[RowIssue]]:
    """Which format the header is, plus file-level issues (missing or unused columns)."""
    columns = set(header)
    kind: Kind | None = None
    if columns & {"post_id", "posted_at"}:
        kind = "posts"
    elif columns & {"observed_at", "followers"}:
        kind = "followers"
    if kind is None:
        params: dict[str, object] = {
            "found": ",".join(header),
            "posts_header": ",".join(POST_COLUMNS),
            "followers_header": ",".join(FOLLOWER_COLUMNS),
        }
        return None, [RowIssue(0, None, "unknown_header", params=params)]
    issues = []
    missing = [c for c in REQUIRED[kind] if c not in columns]
    if missing:
        params = {"columns": ", ".join(missing), "expected": ",".join(COLUMNS[kind])}
        issues.append(RowIssue(0, None, "missing_columns", params=params))
    extra = [c for c in header if c not in COLUMNS[kind]]
    if extra:
        issues.append(RowIssue(0, None, "extra_columns", "warning", {"columns": ", ".join(extra)}))
    return kind, issues


def _record_failure(session: Session, report: ImportReport) -> ImportReport:
    run = start_run(session, "import", report.source)
    finish_run(session, run, "failed", report.summary("en") + " " + report.issues[0].message())
    return report


def _run_import(
    session: Session, kind: Kind, report: ImportReport, records: Records, tz: ZoneInfo
) -> ImportReport:
    run = start_run(session, "import", report.source)
    parser = _RowParser(report, account_ids_by_handle(session), tz)
    rows = parser.parse_all(kind, records)
    model = Post if kind == "posts" else FollowerSnapshot
    before = count_rows(session, model)
    if kind == "posts":
        upsert_posts(session, [r for r in rows if isinstance(r, PostRow)], touch_last_seen=False)
    else:
        upsert_snapshots(session, [r for r in rows if isinstance(r, SnapshotRow)])
    report.rows_stored = len(rows)
    report.new_rows = count_rows(session, model) - before
    report.issues += parser.unknown_handle_issues()
    report.issues.sort(key=lambda i: i.line)
    finish_run(session, run, report.status, report.summary("id"))  # shown on the dashboard
    return report


class _RowParser:
    """Turns rows into repository rows; lookups are cached so 60k rows need no queries."""

    def __init__(self, report: ImportReport, ids: dict[tuple[str, str], int], tz: ZoneInfo):
        self.report, self.ids, self.tz = report, ids, tz
        self.now = utcnow()
        self.accounts: dict[tuple[str, str], tuple[str, str] | IssueError] = {}

    def parse_all(self, kind: Kind, records: Records) -> list[PostRow | SnapshotRow]:
        """Valid rows, the last one winning when a key repeats within the input."""
        kept: dict[tuple[int, object], tuple[int, PostRow | SnapshotRow]] = {}
        for line, row in records:
            self.report.rows_read += 1
            parsed = self._parse(kind, line, row)
            if parsed is None:
                continue
            key: tuple[int, object] = (
                (parsed.account_id, parsed.platform_post_id)
                if isinstance(parsed, PostRow)
                else (parsed.account_id, parsed.observed_at)
            )
            if key in kept:
                self._duplicate(line, kept[key][0], row)
            kept[key] = (line, parsed)
        return [parsed for _line, parsed in kept.values()]

    def _duplicate(self, line: int, first_line: int, row: Mapping[str, object]) -> None:
        column = "post_id" if "post_id" in row else "observed_at"
        shown = f"{cell_text(row.get('platform'))} {cell_text(row.get('handle'))}, {column} "
        params = {"first_line": first_line, "key": shown + cell_text(row.get(column))}
        self.report.issues.append(RowIssue(line, column, "duplicate_row", "warning", params))

    def _parse(
        self, kind: Kind, line: int, row: Mapping[str, object]
    ) -> PostRow | SnapshotRow | None:
        issues: list[RowIssue] = []
        account_id = self._account_id(line, row, issues)
        if kind == "posts":
            result: PostRow | SnapshotRow | None = self._post(line, row, issues, account_id)
        else:
            result = self._snapshot(line, row, issues, account_id)
        self.report.issues += issues
        return None if issues or account_id is None else result

    def _account_id(
        self, line: int, row: Mapping[str, object], issues: list[RowIssue]
    ) -> int | None:
        raw = (cell_text(row.get("platform")), cell_text(row.get("handle")))
        if raw not in self.accounts:
            self.accounts[raw] = self._normalise(*raw)
        account = self.accounts[raw]
        if isinstance(account, IssueError):
            column = (
                "platform" if account.code in ("unknown_platform", "missing_value") else "handle"
            )
            issues.append(account.at(line, column))
            return None
        if account not in self.ids:
            self.report.unknown_handles.setdefault(account, []).append(line)
            return None
        return self.ids[account]

    @staticmethod
    def _normalise(platform_text: str, handle_text: str) -> tuple[str, str] | IssueError:
        if not platform_text:
            return IssueError("missing_value")
        try:
            platform = normalise_platform(platform_text)
            return platform, normalise_handle(platform, handle_text)[0]
        except IssueError as exc:
            return exc

    def _post(
        self, line: int, row: Mapping[str, object], issues: list[RowIssue], account_id: int | None
    ) -> PostRow | None:
        post_id = self._text(line, row, "post_id", issues, required=True)
        posted_at = self._time(line, row, "posted_at", issues)
        counts = {name: self._count(line, row, name, issues) for name in POST_COUNTS}
        caption = cell_text(row.get("caption")) or None
        url = self._link(line, self._text(line, row, "url", issues))
        if issues or account_id is None or posted_at is None:
            return None
        return PostRow(
            account_id,
            post_id,
            posted_at,
            caption=caption,
            url=url,
            likes=counts["likes"],
            comments=counts["comments"],
            shares=counts["shares"],
            views=counts["views"],
        )

    def _link(self, line: int, text: str) -> str | None:
        """The row's ``url`` when it is an http(s) address (core.links); any other link
        (``javascript:``, ``data:``, a relative path) is left out with a warning on the line,
        and the post is kept."""
        link = web_link(text)
        if text and link is None:
            warning = IssueError("unsafe_link", value=text[:100]).at(line, "url")
            self.report.issues.append(replace(warning, severity="warning"))
        return link

    def _snapshot(
        self, line: int, row: Mapping[str, object], issues: list[RowIssue], account_id: int | None
    ) -> SnapshotRow | None:
        observed_at = self._time(line, row, "observed_at", issues)
        followers = self._count(line, row, "followers", issues)
        following = self._count(line, row, "following", issues)
        if issues or account_id is None or observed_at is None:
            return None
        return SnapshotRow(account_id, observed_at, followers=followers, following=following)

    @staticmethod
    def _text(
        line: int,
        row: Mapping[str, object],
        column: str,
        issues: list[RowIssue],
        required: bool = False,
    ) -> str:
        value = cell_text(row.get(column))
        if required and not value:
            issues.append(RowIssue(line, column, "missing_value"))
        elif len(value) > LIMITS.get(column, len(value)):
            issues.append(RowIssue(line, column, "too_long", params={"limit": LIMITS[column]}))
        return value

    def _time(
        self, line: int, row: Mapping[str, object], column: str, issues: list[RowIssue]
    ) -> datetime | None:
        value = row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            issues.append(RowIssue(line, column, "missing_value"))
            return None
        try:
            return parse_datetime(value, self.tz, self.now)
        except IssueError as exc:
            issues.append(exc.at(line, column))
            return None

    @staticmethod
    def _count(
        line: int, row: Mapping[str, object], column: str, issues: list[RowIssue]
    ) -> int | None:
        try:
            return parse_count(row.get(column))
        except IssueError as exc:
            issues.append(exc.at(line, column))
            return None

    def unknown_handle_issues(self) -> list[RowIssue]:
        """One issue per unregistered account rather than one per row, to stay readable."""
        issues = []
        for (platform, handle), lines in self.report.unknown_handles.items():
            params: dict[str, object] = {"platform": platform, "value": handle}
            params.update(count=len(lines), lines=format_lines(lines))
            issues.append(RowIssue(lines[0], "handle", "unknown_handle", params=params))
        return issues
