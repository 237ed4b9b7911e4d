"""Issue #13: a registry export imported again, and the Pengaturan table saved unchanged, change
nothing — proved over generated handles and addresses of every platform, through the real
export, import and table paths, on SQLite and (PANTAU_TEST_DB=postgresql) PostgreSQL."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import Account, Opd
from ingest.handles import export_text, normalise_handle
from ingest.issues import IssueError
from ingest.registry import REGISTRY_COLUMNS, export_registry, import_registry
from services.admin import registry_frame, save_registry, set_active
from testkit.db_support import NewDatabase

LOWER = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
# names that read as addresses or site pages when typed bare, but are real profile names
TRICKY = ["x.com", "fb.com", "instagram.com", "www.tiktok.com", "m.youtube.com", "explore",
          "p", "watch", "profile.php", "pages", "channel", "123", "0042"]  # fmt: skip
CASES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _name(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.sampled_from(TRICKY) | st.text(alphabet, min_size=low, max_size=high)


@st.composite
def mixed_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if flip else c for c, flip in zip(text, flips, strict=True))


@st.composite
def website(draw: st.DrawFn) -> str:
    labels = draw(st.lists(st.text(LOWER + DIGITS + "-", min_size=1, max_size=6), min_size=2,
                           max_size=4))  # fmt: skip
    host = draw(st.sampled_from(["", "www."])) + ".".join(labels)
    port = draw(st.none() | st.integers(1, 65535))
    segments = draw(st.lists(st.text(LOWER + DIGITS + "._~-%@", min_size=1, max_size=6),
                             max_size=3))  # fmt: skip
    path = "".join("/" + s for s in segments) + draw(st.sampled_from(["", "/", "/?page=2#top"]))
    scheme = draw(st.sampled_from(["", "http://", "https://", "HTTP://", "Https://"]))
    return scheme + draw(mixed_case(host + (f":{port}" if port else "") + path))


@st.composite
def profile(draw: st.DrawFn, platform: str) -> str:
    """Every form people paste: bare, @name, profile URLs with and without scheme/www/m."""
    if platform == "youtube" and draw(st.booleans()):
        channel = "UC" + draw(st.text(LOWER + LOWER.upper() + DIGITS + "_-", min_size=22,
                                      max_size=22))  # fmt: skip
        forms = [channel, f"https://www.youtube.com/channel/{channel}",
                 f"youtube.com/channel/{channel}/featured"]  # fmt: skip
        return draw(st.sampled_from(forms))  # channel ids are case-sensitive: no mixed case
    if platform == "facebook" and draw(st.booleans()):
        number = draw(st.text(DIGITS, min_size=1, max_size=17))
        forms = [number, f"https://www.facebook.com/profile.php?id={number}&ref=x",
                 f"m.facebook.com/pages/Nama-Halaman/{number}/"]  # fmt: skip
        return draw(st.sampled_from(forms))
    alphabet, low, high, forms = {
        "instagram": (LOWER + DIGITS + "._", 1, 30,
                      ["{}", "@{}", "https://www.instagram.com/{}/", "instagram.com/{}?hl=id"]),
        "facebook": (LOWER + DIGITS + ".-", 1, 40,
                     ["{}", "https://web.facebook.com/{}", "http://m.facebook.com/{}/"]),
        "youtube": (LOWER + DIGITS + "._-", 3, 30,
                    ["@{}", "https://www.youtube.com/@{}", "youtube.com/c/{}", "yt/user/{}"]),
        "tiktok": (LOWER + DIGITS + "._", 2, 24, ["@{}", "https://www.tiktok.com/@{}?lang=id"]),
        "x": (LOWER + DIGITS + "_", 1, 15, ["@{}", "https://x.com/{}", "twitter.com/{}?s=20"]),
    }[platform]  # fmt: skip
    form = draw(st.sampled_from(forms)).replace("yt/", "www.youtube.com/")
    return form.format(draw(mixed_case(draw(_name(alphabet, low, high)))))


@st.composite
def account_text(draw: st.DrawFn) -> tuple[str, str]:
    """A platform and a text the registry accepts for it."""
    platform = draw(st.sampled_from(["website", "instagram", "facebook", "youtube", "tiktok", "x"]))
    text = draw(website() if platform == "website" else profile(platform))
    try:
        normalise_handle(platform, text)
    except IssueError:
        assume(False)
    return platform, text


OPDS = [
    ("DINKES", "Dinas Kesehatan", "dinas"),
    ("UJI-KOMA", 'Unit "Uji", Koma; Titik', "badan"),
    ("KEC-SINTANG", "Kecamatan Sintang", "kecamatan"),
    ("DISDIK", "Dinas Pendidikan", ""),
]


@st.composite
def registry_rows(draw: st.DrawFn) -> list[list[str]]:
    rows: list[list[str]] = []
    for platform, text in draw(st.lists(account_text(), min_size=1, max_size=8)):
        code, name, category = draw(st.sampled_from(OPDS))
        admin = draw(st.sampled_from([["", "", ""], ["Budi", "0812-1111", "budi@sintang.go.id"]]))
        rows.append([code, name, category, draw(mixed_case(platform)), text, *admin])
    rows.append(["DISDIK", "Dinas Pendidikan", "", "", "", "", "", ""])  # an OPD without account
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTRY_COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode()


def _export(session: Session) -> str:
    out = io.StringIO()
    export_registry(session, out)
    return out.getvalue()


def _state(session: Session) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Everything the registry owns, without database ids."""
    opds = session.execute(
        select(Opd.code, Opd.name, Opd.category, Opd.admin_name, Opd.admin_phone, Opd.admin_email)
    ).all()
    accounts = session.execute(
        select(Opd.code, Account.platform, Account.handle, Account.url, Account.active,
               Account.platform_id).join(Opd, Account.opd_id == Opd.id)
    ).all()  # fmt: skip
    return sorted(tuple(r) for r in opds), sorted(tuple(r) for r in accounts)


def _emptied(session: Session) -> Session:
    session.execute(delete(Account))
    session.execute(delete(Opd))
    session.commit()
    return session


@pytest.fixture
def other(new_db_url: NewDatabase) -> Iterator[Session]:
    """A second database, for importing an export into an empty registry."""
    engine = make_engine(new_db_url("other"))
    upgrade(engine)
    with make_session_factory(engine)() as fresh:
        yield fresh
    engine.dispose()


@given(account_text())
@settings(max_examples=600, deadline=None, database=None)
def test_the_exported_text_of_any_accepted_handle_reads_back_the_same(
    case: tuple[str, str],
) -> None:
    platform, text = case
    handle, url = normalise_handle(platform, text)
    assert normalise_handle(platform, export_text(platform, handle, url)) == (handle, url)


@given(rows=registry_rows(), inactive=st.lists(st.booleans(), max_size=8))
@CASES
def test_export_then_import_changes_nothing(
    session: Session, other: Session, rows: list[list[str]], inactive: list[bool]
) -> None:
    first = import_registry(_emptied(session), _csv(rows), "registry.csv")
    assert [i for i in first.issues if i.code != "duplicate_account"] == []
    ids = session.scalars(select(Account.id).order_by(Account.id)).all()
    set_active(session, {i: False for i, off in zip(ids, inactive, strict=False) if off})
    session.commit()
    before, exported = _state(session), _export(session)

    again = import_registry(session, exported.encode(), "export.csv")
    session.commit()
    assert again.issues == [] and again.summary("en").count(" 0 created, 0 updated,") == 2
    assert _state(session) == before
    assert _export(session) == exported

    fresh = import_registry(_emptied(other), exported.encode(), "export.csv")
    other.commit()
    assert fresh.issues == []
    assert _export(other) == exported  # the export does not carry the active flag
    assert [a[:4] for a in _state(other)[1]] == [a[:4] for a in before[1]]
    assert _state(other)[0] == before[0]


@given(rows=registry_rows())
@CASES
def test_saving_the_pengaturan_table_unchanged_changes_nothing(
    session: Session, rows: list[list[str]]
) -> None:
    import_registry(_emptied(session), _csv(rows), "registry.csv")
    session.commit()
    before = _state(session)

    outcome = save_registry(session, registry_frame(session))
    session.commit()

    assert outcome.ok and outcome.problems == []
    assert "Akun: 0 baru, 0 diperbarui," in outcome.summary
    assert "OPD: 0 baru, 0 diperbarui," in outcome.summary
    assert _state(session) == before
