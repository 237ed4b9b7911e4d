"""The fuzzed files of the third proof (issue #7 item 5): hypothesis strategies that build a
registry, posts or follower-count file row by row, each row with its expected outcome.
What the files hold is described in ``tests/test_proof_fuzz.py``."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from openpyxl import Workbook

from db.models import PLATFORMS
from ingest.data_import import FOLLOWER_COLUMNS, POST_COLUMNS
from ingest.handles import PLATFORM_ALIASES
from ingest.registry import REGISTRY_COLUMNS

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
