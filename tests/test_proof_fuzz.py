"""Issue #7 item 5, third proof: fuzzed registry and data imports (hypothesis).

A case is one CSV or .xlsx file built row by row with its expected outcome:

- good rows: platforms by any alias in any case, handles as ``@name``, a name or a profile URL,
  padding, every date format of the README (and Excel dates), plain or grouped counts, empty
  counts (unknown), unicode and huge captions with quotes, delimiters and line breaks, numeric
  post ids as Excel numbers, keys repeated within the file;
- bad rows, each with one defect and the issue it must raise on its line: unreadable,
  impossible, ancient or future dates, negative, fractional, garbled or huge counts, missing or
  too-long values, unknown or missing platforms, malformed or unregistered handles, bad e-mail
  addresses, surplus cells, an account claimed by two OPDs;
- garbage rows: arbitrary text in one column (a count, a date, a handle): an error in that
  column, or the row is kept.

Files vary in column order, missing optional columns, an unused column, short rows, blank and
delimiter-only rows (before the header too), BOM, comma or semicolon, quoting and line ends;
a few lack a required column (the whole file is refused, nothing stored). The file goes
through ``import_registry`` or ``import_file`` on a fresh copy of a database and is committed.

``check``: no exception; every bad row has exactly its expected error (column and code) on its
line, in messages that name the line in both languages; no good row has an error; a repeated
key is warned about; the database holds exactly the distinct keys of the kept rows, with the
last row's values (registry: every OPD and account, with its OPD and first name in the file).
``bench/proof_fuzz.py`` runs the same properties with 10,000 cases.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import PLATFORMS, Account, FollowerSnapshot, Opd, Post
from ingest import data_import, registry, tabular
from ingest.data_import import FOLLOWER_COLUMNS, POST_COLUMNS, import_file
from ingest.handles import PLATFORM_ALIASES
from ingest.issues import IssueError
from ingest.registry import REGISTRY_COLUMNS, import_registry, import_registry_records
from ingest.values import parse_count, parse_datetime
from tests.db_support import ON_POSTGRES, TemplateCopies

WIB, NOW = ZoneInfo("Asia/Pontianak"), datetime.now(UTC)
Key = tuple[Any, ...]
ACCOUNTS = [
    ("instagram", "dinkes.sintang"),
    ("facebook", "dinkessintang"),
    ("youtube", "diskominfosintang"),
    ("tiktok", "dinkes.sintang"),
    ("x", "dinkes_sintang"),
    ("website", "dinkes.sintangkab.go.id"),
]
UNREGISTERED = [("instagram", "belum.terdaftar"), ("website", "belum.sintangkab.go.id/x")]
OLD_OPD, OLD_ACCOUNT = ("LAMA", "Kantor Lama"), ("instagram", "akun.lama")
POOL = [*ACCOUNTS, OLD_ACCOUNT, ("website", "kec-kelam.sintangkab.go.id/profil")]
BASE: dict[Key, Key] = {
    ("DINKES",): ("Dinas Kesehatan",),
    (OLD_OPD[0],): (OLD_OPD[1],),
    OLD_ACCOUNT: (OLD_OPD[0],),
    **dict.fromkeys(ACCOUNTS, ("DINKES",)),
}
CODES = ["DINKES", "DISDIK", "KEC-KELAM", "BAPPEDA", OLD_OPD[0]]
NAMES = ["Dinas Kesehatan", 'Dinas "Kominfo", Statistik', "Kecamatan Kelam\nPermai", "Badan; X"]
ALIASES = {p: sorted(a for a, q in PLATFORM_ALIASES.items() if q == p) for p in PLATFORMS}
COLUMNS = {"registry": REGISTRY_COLUMNS, "posts": POST_COLUMNS, "followers": FOLLOWER_COLUMNS}
REQUIRED = {
    "registry": ("opd_code", "opd_name", "platform", "handle"),  # (accounts: always)
    "posts": ("platform", "handle", "post_id", "posted_at"),
    "followers": FOLLOWER_COLUMNS,
}
COUNTS = ("likes", "comments", "shares", "views")
FIELDS = ("posted_at", "caption", "url", *COUNTS)  # a post's stored values, in this order
BAD_DATES = [
    *(
        (v, "bad_date")
        for v in (
            "31/02/2026",
            "2026-13-01",
            "kemarin",
            "2026/01/05",
            "12:30",
            "1/1/26",
            "2026-01-01T25:00",
        )
    ),
    ("9999-12-31 23:59", "future_date"),
    *(
        (v, "past_date")
        for v in ("0001-01-01 00:00", "0001-01-01T00:00Z", "01/01/0001", "1899-12-31 23:59")
    ),
]
BAD_COUNTS = [
    *((v, "negative_count") for v in ("-5", "-1.234", "-0.5")),
    *((v, "fractional_count") for v in ("12,5", "0.5")),
    *((v, "bad_count") for v in ("12a", "1 234", "1.2.3", "1e5", "NaN", "--5", "+5")),
    ("99999999999999999999", "count_too_large"),
    ("9" * 5000, "count_too_large"),
]
BAD_HANDLES = [
    ("dinkes sintang", "handle_spaces"),
    ("dinkes!sintang", "handle_chars"),
    ("https://facebook.com/dinkes", "handle_wrong_site"),
    ("a" * 31, "handle_length"),
    ("https://www.instagram.com/p/ABC123/", "handle_not_profile"),
    ("", "handle_empty"),
]
REGISTRY_DEFECTS = [
    ("opd_code", " ", "missing_value"),
    ("opd_code", "K" * 41, "too_long"),
    ("opd_name", "", "missing_value"),
    ("opd_name", "N" * 201, "too_long"),
    ("category", "c" * 41, "too_long"),
    ("admin_name", "A" * 121, "too_long"),
    ("admin_phone", "0" * 41, "too_long"),
    ("admin_email", "ani-at-mail", "bad_email"),
    ("admin_email", "a@b", "bad_email"),
    ("platform", "myspace", "unknown_platform"),
    ("platform", "", "handle_without_platform"),
    ("handle", "", "platform_without_handle"),
    *[("handle", h, code) for h, code in BAD_HANDLES[:5]],
]
Draw = Callable[[st.SearchStrategy[Any]], Any]


@dataclass
class Row:
    cells: dict[str, object]
    expect: tuple[str | None, str] | None = None  # the one defect: (column, issue code)
    garbage: str | None = None  # the column holding arbitrary text: an error there, or kept
    key: Key | None = None  # data: (platform, handle, post id | instant); registry: account
    values: Key = ()  # data: what the database must hold for the key ((): not checked)
    opd: tuple[str, str] = ("", "")  # registry: (code, name)


@dataclass
class Sample:
    kind: str
    name: str
    data: bytes = field(default=b"", repr=False)
    rows: list[tuple[int, Row]] = field(default_factory=list)  # (line in the file, row)
    missing: str | None = None  # a required column left out of the header: the file is refused

    def __repr__(self) -> str:  # what a failure shows: the CSV text, not the workbook's bytes
        shown = "<xlsx>" if self.name.endswith("xlsx") else self.data.decode("utf-8-sig")
        return f"Sample({self.kind}, {shown!r}, rows={self.rows}, missing={self.missing})"


def text(xlsx: bool, size: int = 30) -> st.SearchStrategy[str]:
    """Any text a CSV carries (not NUL: that makes it a binary file), or a workbook holds."""
    bad = "\x00\r\ufffe\uffff" + "".join(map(chr, [*range(1, 9), 11, 12, *range(14, 32)]))
    chars = st.characters(exclude_categories=["Cs"], exclude_characters=bad if xlsx else "\x00")
    return st.text(chars, max_size=size).map(lambda s: "'" + s if xlsx and s[:1] == "=" else s)


def pad(draw: Draw, value: str) -> str:
    return draw(st.sampled_from(["", " ", "\t"])) + value + draw(st.sampled_from(["", "  "]))


def account_cells(draw: Draw, platform: str, name: str) -> dict[str, object]:
    """An account as people type it: an alias, ``@name`` or a profile URL, in any case."""
    big = name.upper() if draw(st.booleans()) and platform != "website" else name
    forms = {
        "instagram": [big, f"@{big}", f"https://www.instagram.com/{big}/"],
        "facebook": [big, f"https://web.facebook.com/{big}", f"fb.com/{big}/"],
        "youtube": [f"@{big}", big, f"youtube.com/c/{big}"],
        "tiktok": [f"@{big}", f"https://www.tiktok.com/@{big}?lang=id"],
        "x": [big, f"@{big}", f"https://twitter.com/{big}"],
        "website": [name, f"https://{name}/", f"HTTP://{name.upper()}"],
    }[platform]
    alias = draw(st.sampled_from(ALIASES[platform]))
    alias = alias.upper() if draw(st.booleans()) else alias
    return {"platform": pad(draw, alias), "handle": pad(draw, draw(st.sampled_from(forms)))}


def good_time(draw: Draw, xlsx: bool) -> tuple[object, datetime]:
    """A past moment in one of the README's formats (or an Excel date), and its instant."""
    last = (NOW - timedelta(days=2)).astimezone(WIB).replace(tzinfo=None)
    local = draw(st.datetimes(datetime(2015, 1, 1), last)).replace(microsecond=0)
    form = draw(st.integers(0, 7 if xlsx else 5))
    local = local.replace(hour=0, minute=0, second=0) if form in (5, 7) else local
    instant = local.replace(tzinfo=WIB).astimezone(UTC)
    return [
        local.strftime("%Y-%m-%d %H:%M:%S"),
        local.strftime("%d/%m/%Y %H.%M.%S"),
        f"{local.day}-{local.month}-{local.year} {local:%H:%M:%S}",
        instant.strftime("%Y-%m-%dT%H:%M:%SZ"),
        local.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
        local.strftime("%d/%m/%Y"),
        local,
        local.date(),
    ][form], instant


def good_count(draw: Draw, xlsx: bool) -> tuple[object, int | None]:
    n = draw(st.one_of(st.none(), st.integers(0, 10**12)))
    if n is None:
        return draw(st.sampled_from(["", "  ", None])), None
    forms: list[object] = [str(n), pad(draw, str(n)), *([n, float(n)] if xlsx else [])]
    return draw(st.sampled_from(forms + ([f"{n:,}", f"{n:,}".replace(",", ".")] * (n > 999)))), n


DATA_DEFECTS: list[tuple[str, Callable[[Draw], tuple[object, str]]]] = [
    (
        "platform",
        lambda d: (d(st.sampled_from(["myspace", "Friendster", " "])), "unknown_platform"),
    ),
    ("handle", lambda d: d(st.sampled_from(BAD_HANDLES))),  # on an Instagram row
    ("handle", lambda d: ("", "unknown_handle")),  # the row names an unregistered account
    ("post_id", lambda d: (d(st.sampled_from(["", "  "])), "missing_value")),
    ("post_id", lambda d: ("x" * 201, "too_long")),
    ("url", lambda d: ("https://example.org/" + "x" * 990, "too_long")),
    *[
        (c, lambda d: (d(st.sampled_from(["", " ", None])), "missing_value"))
        for c in ("posted_at", "observed_at")
    ],
    *[(c, lambda d: d(st.sampled_from(BAD_DATES))) for c in ("posted_at", "observed_at")],
    *[
        (
            c,
            lambda d: (
                (NOW + timedelta(days=d(st.integers(3, 9000))))
                .astimezone(WIB)
                .strftime("%Y-%m-%d %H:%M"),
                "future_date",
            ),
        )
        for c in ("posted_at", "observed_at")
    ],
    *[(c, lambda d: d(st.sampled_from(BAD_COUNTS))) for c in (*COUNTS, "followers")],
]


@st.composite
def data_row(draw: Draw, kind: str, columns: Sequence[str], xlsx: bool) -> Row:
    platform, name = draw(st.sampled_from(ACCOUNTS))
    cells = account_cells(draw, platform, name)
    when, instant = good_time(draw, xlsx)
    if kind == "followers":
        cells["observed_at"], (cells["followers"], followers) = when, good_count(draw, xlsx)
        row = Row(cells, key=(platform, name, instant), values=(followers,))
    else:
        post_id = draw(st.sampled_from(["P1", "P2", "P3", "vidéo-4", "帖子5", "1001", "1002"]))
        numeric = xlsx and post_id.isdigit() and draw(st.booleans())  # Excel keeps a number
        cells.update(post_id=int(post_id) if numeric else pad(draw, post_id), posted_at=when)
        huge = draw(text(xlsx, 20)) * draw(st.sampled_from([1, 1, 1, 500]))
        cells["caption"] = draw(st.sampled_from(["", draw(text(xlsx, 60)), huge]))
        cells["url"] = draw(st.sampled_from(["", f"https://example.org/{post_id}"]))
        counts = {c: good_count(draw, xlsx) for c in COUNTS}
        cells.update({c: v for c, (v, _n) in counts.items()})
        shown = [str(cells[c]).strip() or None for c in ("caption", "url")]
        values = (instant, *shown, *(counts[c][1] for c in COUNTS))
        values = tuple(v if c in columns else None for c, v in zip(FIELDS, values, strict=True))
        row = Row(cells, key=(platform, name, post_id), values=values)
    choice = draw(st.sampled_from(["good"] * 6 + ["bad"] * 3 + ["garbage"]))
    if choice == "bad":
        column, make = draw(st.sampled_from([d for d in DATA_DEFECTS if d[0] in columns]))
        (cells[column], code), row.key = make(draw), None
        row.expect = (column, "missing_value" if cells[column] == " " else code)  # platform " "
        if code == "unknown_handle":
            row.key = draw(st.sampled_from(UNREGISTERED))
            cells.update(account_cells(draw, *row.key))
        elif column == "handle":
            cells["platform"] = "IG"
    elif choice == "garbage":
        row.garbage = draw(
            st.sampled_from([c for c in ("posted_at", *COUNTS, "followers") if c in columns])
        )
        cells[row.garbage], row.values = draw(text(xlsx)), ()
    return row


@st.composite
def registry_row(draw: Draw, columns: Sequence[str], xlsx: bool) -> Row:
    code, name = draw(st.sampled_from(CODES)), draw(st.one_of(st.sampled_from(NAMES), text(xlsx)))
    cells: dict[str, object] = {
        "opd_code": pad(draw, draw(st.sampled_from([code, code.lower()]))),
        "opd_name": name,
        "category": draw(st.sampled_from(["dinas", "Kecamatan", ""])),
        "admin_name": draw(text(xlsx, 40)),
        "admin_phone": "+62 812-0000-0000",
        "platform": "",
        "handle": "",
        "admin_email": draw(st.sampled_from(["", "a@sintangkab.go.id", "B.S@x.id"])),
    }
    account = draw(st.one_of(st.none(), st.sampled_from(POOL)))
    cells.update(account_cells(draw, *account) if account else {})
    row = Row(cells, key=account, opd=(code, name.strip()))
    if not name.strip():
        row.expect = ("opd_name", "missing_value")
    choice = draw(st.sampled_from(["good"] * 6 + ["bad"] * 3 + ["garbage"]))
    if choice == "bad" and not row.expect:
        column, cells[column], code = draw(
            st.sampled_from([d for d in REGISTRY_DEFECTS if d[0] in columns])
        )
        row.expect = (column, code)
        if column == "handle":
            cells["platform"] = "tiktok" if code == "platform_without_handle" else "instagram"
        elif code == "handle_without_platform":
            cells["handle"] = "@dinkes.sintang"
    elif choice == "garbage" and not row.expect:  # never a pool account: it ends in é
        cells.update(platform=draw(st.sampled_from(PLATFORMS)), handle=draw(text(xlsx, 20)) + "é")
        row.garbage, row.key = "handle", None
    return row


@st.composite
def files(draw: Draw, kind: str) -> Sample:
    """A whole file: header, rows, blank lines, format; rows numbered as the reader sees them."""
    xlsx = draw(st.integers(0, 5)) == 0
    columns = [c for c in COLUMNS[kind] if c in REQUIRED[kind] or draw(st.integers(0, 3))]
    sample = Sample(kind, f"case.{'xlsx' if xlsx else 'csv'}")
    sample.missing = draw(st.sampled_from([None] * 25 + list(REQUIRED[kind][:2])))
    header = [*draw(st.permutations(columns)), *(["catatan"] if draw(st.booleans()) else [])]
    header = [c for c in header if c != sample.missing]
    make = registry_row(columns, xlsx) if kind == "registry" else data_row(kind, columns, xlsx)
    rows, owners = draw(st.lists(make, max_size=25)), dict[Key, str]()
    for row in rows:
        if not xlsx and draw(st.integers(0, 15)) == 0:  # a surplus cell: the row is skipped
            row.cells["?"], row.key, row.garbage = "x", None, None
            row.expect = (None, "too_many_cells")
        elif (
            kind == "registry"
            and row.key
            and not (row.expect or row.garbage)
            and (owners.setdefault(row.key, row.opd[0]) != row.opd[0])
        ):
            row.expect = ("handle", "duplicate_account")
    cased = [pad(draw, draw(st.sampled_from([c, c.upper(), c.title()]))) for c in header]
    items: list[list[object] | None] = [None] * draw(st.integers(0, 2)) + [
        ["\ufeff" * draw(st.booleans()) + cased[0], *cased[1:]]
    ]
    for row in rows:  # blank rows here and there; a row may lack its empty trailing cells
        cells = [row.cells.get(c, "catatan bebas") for c in header] + ["x"] * ("?" in row.cells)
        while cells and cells[-1] in ("", None) and not xlsx and draw(st.booleans()):
            cells.pop()
        items += [None] * (draw(st.integers(0, 7)) == 0) + [cells]
    lines = render(draw, sample, items, xlsx)
    sample.rows = list(zip(lines[-len(rows) :] if rows else [], rows, strict=True))
    return sample


def render(draw: Draw, sample: Sample, items: list[list[object] | None], xlsx: bool) -> list[int]:
    """Write the file into the sample; returns the line (row) where each record starts."""
    delimiter, quote_all = draw(st.sampled_from([",", ";"])), draw(st.booleans())
    book, texts, starts, line = Workbook(), list[str](), list[int](), 1
    for cells in items:
        if cells is not None:
            starts.append(line)
        if xlsx:
            for column, value in enumerate(cells or [], start=1):
                book.active.cell(row=line, column=column, value=value)
            line += 1
            continue
        shown = ["" if v is None else str(v) for v in cells or []]
        record = (
            delimiter.join(
                f'"{v.replace(chr(34), chr(34) * 2)}"'
                if quote_all or any(c in v for c in (delimiter, '"', "\r", "\n"))
                else v
                for v in shown
            )
            if cells
            else (draw(st.sampled_from(["", delimiter * 4, "  "])))
        )
        texts.append(record)
        line += 1 + len(re.findall(r"\r\n|\r|\n", record))
    buffer, eol = io.BytesIO(), draw(st.sampled_from(["\n", "\r\n"]))
    book.save(buffer)
    bom = "\ufeff" * draw(st.booleans())
    sample.data = buffer.getvalue() if xlsx else (bom + eol.join(texts) + eol).encode()
    return starts


class Cases:
    """Each case gets a copy of one template database holding ``BASE``."""

    def __init__(self, copies: TemplateCopies) -> None:
        self.copies, self.counts = copies, Counter[str]()
        engine = make_engine(copies.template_url)
        upgrade(engine)
        rows = [
            (
                n,
                {
                    "opd_code": BASE[a][0],
                    "opd_name": BASE[BASE[a]][0],
                    "platform": a[0],
                    "handle": a[1],
                },
            )
            for n, a in enumerate(POOL[:-1], start=2)
        ]
        with make_session_factory(engine)() as session:
            import_registry_records(session, rows)
            session.commit()
        engine.dispose()

    def run(self, sample: Sample) -> list[str]:
        """Import the sample into a fresh database, commit, and check the outcome."""
        engine = make_engine(self.copies.fresh())
        with make_session_factory(engine)() as session:
            report: Any = (
                import_registry(session, sample.data, sample.name)
                if (sample.kind == "registry")
                else import_file(session, sample.data, sample.name, tz=WIB)
            )
            session.commit()
        with make_session_factory(engine)() as session:
            problems = check(sample, report, session)
        engine.dispose()
        rows = [r for _, r in sample.rows]
        self.counts.update(
            [sample.kind]
            + ["xlsx"] * sample.name.endswith("x")
            + ["rows"] * len(rows)
            + ["bad"] * sum(bool(r.expect) for r in rows)
            + ["garbage"] * sum(bool(r.garbage) for r in rows)
            + ["refused"] * bool(sample.missing)
        )
        return problems


def stored(session: Any, kind: str) -> dict[Key, Key]:
    """The database's rows by key: posts, follower counts, or OPDs ``(code,)`` and accounts."""
    if kind == "registry":
        opds = session.execute(select(Opd.code, Opd.name))
        accounts = session.execute(select(Account.platform, Account.handle, Opd.code).join(Opd))
        return {(c,): (n,) for c, n in opds} | {(p, h): (c,) for p, h, c in accounts}
    model = FollowerSnapshot if kind == "followers" else Post
    columns = ("observed_at", "followers") if kind == "followers" else ("platform_post_id", *FIELDS)
    rows = session.execute(
        select(Account.platform, Account.handle, *(getattr(model, c) for c in columns)).join(
            Account
        )
    )
    return {tuple(r[:3]): tuple(r[3:]) for r in rows}


def check(sample: Sample, report: Any, session: Any) -> list[str]:
    """Everything that must hold after the import; returns what does not."""
    problems = [
        f"line {i.line}: message {i.message(lang)!r} names no line"
        for i in report.issues
        for lang, word in (("en", "Line"), ("id", "Baris"))
        if i.line > 0 and not i.message(lang).startswith(f"{word} {i.line}: ")
    ]
    errors: dict[int, list[Key]] = defaultdict(list)
    warnings: dict[int, list[Key]] = defaultdict(list)
    for i in report.issues:
        (errors if i.severity == "error" else warnings)[i.line].append((i.column, i.code))
    db = stored(session, sample.kind)
    registry = sample.kind == "registry"
    expected = dict(BASE) if registry else {}
    if sample.missing:
        if dict(errors) != {0: [(None, "missing_columns")]}:
            problems.append(f"a file without {sample.missing} gave {dict(errors)}")
        return problems + ([f"a refused file changed {db}"] if db != expected else [])
    lines = {line for line, _ in sample.rows}
    problems += [
        f"issue on line {n}, which holds no row"
        for n in (*errors, *warnings)
        if n and n not in lines
    ]
    firsts: dict[str, str] = {}  # registry: the first name of each OPD code in the file
    owners: dict[Key, str] = {}  # registry: the OPD of each account's first row in the file
    loose = 0  # registry: accounts from kept garbage rows
    for line, row in sample.rows:
        got = errors.get(line, [])
        if row.expect and row.expect[1] == "unknown_handle":
            listed = report.unknown_handles.get(row.key, [])
            if line not in listed or ("handle", "unknown_handle") not in errors.get(listed[0], []):
                problems.append(f"line {line}: unregistered {row.key} not reported")
            continue
        if row.expect and got != [row.expect]:
            problems.append(f"line {line}: expected {row.expect}, got {got or 'nothing'}")
        elif not row.expect and not row.garbage and got:
            problems.append(f"line {line}: good row rejected: {got}")
        problems += [
            f"line {line}: garbage in {row.garbage} gave {got}"
            for c, _ in got
            if row.garbage and c != row.garbage
        ]
        kept = not row.expect and not (row.garbage and got)
        dup = ("handle", "duplicate_account")  # the row's OPD is kept all the same
        if registry and (kept or row.expect == dup or (row.garbage and got == [dup])):
            code, name = row.opd
            if firsts.setdefault(code, name) != name and (
                ("opd_name", "opd_conflict") not in warnings.get(line, [])
            ):
                problems.append(f"line {line}: no warning about OPD {code}'s other name")
            expected[(code,)] = (firsts[code],)
            loose += bool(kept and row.garbage)
            if kept and row.key:
                expected[row.key] = (owners.setdefault(row.key, code),)
        elif kept:
            if row.key in expected and (
                "duplicate_row" not in [c for _, c in warnings.get(line, [])]
            ):
                problems.append(f"line {line}: repeated {row.key} without a warning")
            expected[row.key] = row.values
    return problems + compare(sample.kind, expected, db, loose, report)


def compare(
    kind: str, expected: dict[Key, Key], db: dict[Key, Key], loose: int, report: Any
) -> list[str]:
    """The database against the model: same keys, and the last good row's values."""
    if kind == "registry":
        extra = [k for k in db if len(k) == 2 and k not in POOL]
        db = {k: v for k, v in db.items() if k not in extra}
        if len(extra) > loose or (loose and not extra):
            return [f"{len(extra)} accounts from {loose} kept garbage rows: {extra[:3]}"]
    elif report.rows_stored != len(expected):
        return [f"report says {report.rows_stored} rows stored, the file had {len(expected)}"]
    problems = [f"missing {k}" for k in expected.keys() - db.keys()]
    problems += [f"unexpected {k}: {db[k]}" for k in db.keys() - expected.keys()]
    return problems + [
        f"{k}: stored {db[k]}, expected {v}"
        for k, v in expected.items()
        if v and k in db and db[k] != v
    ]


KINDS = ("registry", "posts", "followers")


def prove(kind: str, examples: int, cases: Cases, derandomize: bool = False) -> None:
    """``examples`` hypothesis cases of one kind; raises on the first failure (shrunk).
    ``derandomize``: the same cases every run (the test suite); else new ones (the long run)."""

    @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(files(kind))
    def case(sample: Sample) -> None:
        problems = cases.run(sample)
        assert not problems, "\n".join(problems[:10])

    case()


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Cases:
    cluster = request.getfixturevalue("pg_cluster") if ON_POSTGRES else None
    return Cases(TemplateCopies(tmp_path_factory.mktemp("fuzz"), cluster))


@pytest.mark.parametrize(("kind", "examples"), [("registry", 70), ("posts", 70), ("followers", 60)])
def test_fuzzed_imports_keep_good_rows_and_report_bad_ones(
    kind: str, examples: int, cases: Cases
) -> None:
    prove(kind, examples, cases, derandomize=True)  # a test fails only for a change
    assert cases.counts[kind] >= examples


def test_the_bugs_the_fuzzing_found_stay_fixed(cases: Cases) -> None:
    """A huge count crashed the import ("Python int too large to convert to SQLite INTEGER"),
    and so did a date in year 1 ("date value out of range"); a date in 1899 was stored."""
    text = (
        "platform,handle,post_id,posted_at,likes\n"
        "ig,dinkes.sintang,P1,2026-01-02 08:00,99999999999999999999\n"
        "ig,dinkes.sintang,P2,0001-01-01 00:00,5\n"
        "ig,dinkes.sintang,P3,0001-01-01T00:00Z,5\n"
        "ig,dinkes.sintang,P4,1899-12-31 23:59,5\n"
        f"ig,dinkes.sintang,P5,2026-01-02 08:00,{'9' * 5000}\n"
        "ig,dinkes.sintang,P6,2026-01-02 08:00,7\n"
    )
    kept = Row(
        {},
        key=("instagram", "dinkes.sintang", "P6"),
        values=(datetime(2026, 1, 2, 1, tzinfo=UTC), None, None, 7, None, None, None),
    )
    rows = (
        [Row({}, expect=("likes", "count_too_large"))]
        + [Row({}, expect=("posted_at", "past_date")) for _ in range(3)]
        + [Row({}, expect=("likes", "count_too_large")), kept]
    )
    sample = Sample("posts", "bugs.csv", text.encode(), list(enumerate(rows, start=2)))
    assert cases.run(sample) == []


def test_ancient_and_huge_values_are_issues_not_crashes() -> None:
    for value in ("0001-01-01 00:00", datetime(1, 1, 1), "01/01/0001", "1899-12-31"):
        with pytest.raises(IssueError) as found:
            parse_datetime(value, WIB)
        assert found.value.code == "past_date"
    for count in ("9223372036854775808", "9" * 5000, 1e300, 2**63, "1.000.000.000.000.000.000.000"):
        with pytest.raises(IssueError) as found:
            parse_count(count)
        assert found.value.code == "count_too_large"
    assert parse_count("9223372036854775807") == 2**63 - 1  # the largest BIGINT still fits


def some(kind: str, wanted: Callable[[Sample], bool]) -> Sample:
    """The simplest generated file of ``kind`` that is accepted and satisfies ``wanted``."""
    quick = settings(  # the first one found: shrinking it would take long
        database=None,
        max_examples=5000,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    return find(files(kind), lambda s: not s.missing and wanted(s), settings=quick)


def test_the_check_sees_a_good_row_that_was_not_stored(
    cases: Cases, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = some("posts", lambda s: any(not (r.expect or r.garbage) for _, r in s.rows))
    assert cases.run(sample) == []
    original = data_import.upsert_posts
    monkeypatch.setattr(
        data_import, "upsert_posts", lambda session, rows, **kw: original(session, rows[:-1], **kw)
    )
    assert [p for p in cases.run(sample) if p.startswith("missing (")]


def test_the_check_sees_a_bad_row_kept_without_an_issue(
    cases: Cases, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = some(
        "followers", lambda s: any(r.expect and r.expect[0] == "followers" for _, r in s.rows)
    )
    assert cases.run(sample) == []
    monkeypatch.setattr(data_import, "parse_count", lambda value: None)  # "unknown", silently
    problems = cases.run(sample)
    assert any(
        re.fullmatch(r"line \d+: expected \('followers', '\w+'\), got nothing", p) for p in problems
    )
    # ...and the database holds a row it should not (a new key, or another row's value)
    assert any(p.startswith(("unexpected (", "report says")) or ": stored " in p for p in problems)


def test_the_check_sees_wrong_line_numbers(cases: Cases, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = some("posts", lambda s: s.name.endswith("csv") and any(r.expect for _, r in s.rows))
    assert cases.run(sample) == []
    original = tabular._csv_records
    monkeypatch.setattr(
        tabular,
        "_csv_records",
        lambda text, delimiter: ((n + 1, c) for n, c in original(text, delimiter)),
    )
    assert any(re.match(r"line \d+: expected", p) for p in cases.run(sample))


def test_the_check_sees_an_account_left_under_its_old_opd(
    cases: Cases, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = ("instagram", "akun.lama")
    sample = some(
        "registry",
        lambda s: any(
            r.key == moved and r.opd[0] != "LAMA" and not (r.expect or r.garbage) for _, r in s.rows
        ),
    )
    assert cases.run(sample) == []
    original = registry.upsert_account

    def keep_old_owner(
        session: Session, opd: Opd, platform: str, handle: str, url: str | None = None
    ) -> Account:
        if (platform, handle) == moved:
            opd = session.scalars(select(Opd).where(Opd.code == "LAMA")).one()
        return original(session, opd, platform, handle, url)

    monkeypatch.setattr(registry, "upsert_account", keep_old_owner)
    assert any(p.startswith(f"{moved}: stored ('LAMA',)") for p in cases.run(sample))
