"""Issue #18 item 6, nothing leaks on error: database passwords are masked in every form and
everywhere they are printed; links from platforms and imports are http(s) only."""

from __future__ import annotations

import json
import logging
import tomllib
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cli import app
from collectors.base import AccountRef
from collectors.instagram import InstagramCollector
from collectors.run import post_row
from collectors.website import parse_feed
from core.links import web_link
from core.redact import REDACTED, Redactor, redact_url_password, secret_values
from core.settings import load_settings
from db import repository as repo
from db.engine import DatabaseUrlError, make_engine, make_session_factory
from db.models import Account, Opd, Post
from ingest.data_import import import_file
from present.markdown import md_escape
from services.status_report import status_summary
from services.users import OPD, Principal
from testkit.db_support import ON_POSTGRES, NewDatabase
from tests.app_support import ROOT, ensure_user, run_page, serve_from, texts
from tests.collector_support import FakeApi, FakeClock, load, options
from tests.collector_support import settings as collector_settings
from tests.sample_world import build_sample_world

PLANTED = "planted-pw"
runner = CliRunner()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://pantau:planted-pw@db.local/pantau", f"postgresql://pantau:{REDACTED}@db.local/pantau"),
        ("postgresql://db.local/pantau?password=planted-pw", f"postgresql://db.local/pantau?password={REDACTED}"),
        (
            "postgresql://db.local:5432/pantau?user=pantau&password=planted-pw&sslmode=require",
            f"postgresql://db.local:5432/pantau?user=pantau&password={REDACTED}&sslmode=require",
        ),
        ("postgresql://pantau:planted%40pw%2F1@db.local/pantau", f"postgresql://pantau:{REDACTED}@db.local/pantau"),
        ("postgresql://db.local/pantau?sslmode=require&PASSWORD=planted%26pw", f"postgresql://db.local/pantau?sslmode=require&PASSWORD={REDACTED}"),
        ("postgresql+psycopg://pantau:planted-pw@db.local/pantau?password=planted-pw", f"postgresql+psycopg://pantau:{REDACTED}@db.local/pantau?password={REDACTED}"),
        ("postgresql://pantau@db.local/pantau", "postgresql://pantau@db.local/pantau"),
        # SQLAlchemy takes everything up to the first "@" as the password, "?", "/" and "#" too
        ("postgresql://pantau:planted?pw@db.local/pantau", f"postgresql://pantau:{REDACTED}@db.local/pantau"),
        ("postgresql://pantau:planted/pw#1@db.local/pantau", f"postgresql://pantau:{REDACTED}@db.local/pantau"),
        ("sqlite:///data/pantau.db", "sqlite:///data/pantau.db"),
        ("sqlite:////var/lib/pantau/pantau.db", "sqlite:////var/lib/pantau/pantau.db"),
    ],
)  # fmt: skip
def test_every_form_of_database_password_is_masked(url: str, shown: str, tmp_path: Path) -> None:
    assert redact_url_password(url) == shown
    settings = load_settings({"DATABASE_URL": url}, root=tmp_path)
    assert settings.redacted()["DATABASE_URL"] == shown
    assert "planted" not in repr(settings) and "planted" not in str(settings)
    # a log line or error that quotes the URL, even re-encoded, is masked by the log redactor
    mask = Redactor(secret_values(settings))
    for text in (url, url.replace("%40", "@").replace("%2F", "/"), f"could not open {url}: boom"):
        assert "planted" not in mask(text), text


def _with_password(url: str, form: str) -> str:
    """The test database's URL carrying a (planted, unused) password in ``form``."""
    parsed = make_url(url)
    if form == "query":
        parsed = parsed.update_query_dict({"password": PLANTED})
    elif form == "user-and-query":
        user = parsed.username or "pantau"  # PostgreSQL: the cluster's own role
        parsed = parsed.update_query_dict({"user": user, "password": "planted&pw word"})
    else:  # user:password@ (only PostgreSQL URLs have a user part; its cluster trusts locally)
        parsed = parsed.set(password="planted@pw/1")
    return parsed.render_as_string(hide_password=False)


FORMS = ["query", "user-and-query", *(["userinfo"] if ON_POSTGRES else [])]


@pytest.fixture
def seeded_url(
    new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime
) -> str:
    url = new_db_url("leaks")
    monkeypatch.setenv("DATABASE_URL", url)
    assert runner.invoke(app, ["init"]).exit_code == 0
    return url


@pytest.mark.filterwarnings("ignore:Query string argument")  # SQLite ignores ?password=
@pytest.mark.parametrize("form", FORMS)
def test_cli_and_status_rows_mask_the_database_password(
    seeded_url: str, form: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = _with_password(seeded_url, form)
    monkeypatch.setenv("DATABASE_URL", url)
    printed: list[str] = []
    for args in (
        ["init"],
        ["status"],
        ["status", "--format", "json"],
        ["status", "--format", "csv"],
        ["check"],
        ["check", "--format", "json"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        printed.append(result.output)
    assert "Database ready" in printed[0] and REDACTED in printed[0]
    rows = {r["key"]: r["value"] for r in json.loads(printed[2])["summary"]}
    assert REDACTED in rows["database"] and REDACTED in rows["DATABASE_URL"]
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            frame = status_summary(session, load_settings(root=tmp_path))
    finally:
        engine.dispose()
    printed.append(frame.to_string())
    for text in printed:
        assert "planted" not in text


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://pantau:planted-pw@//srv/pantau.db?password=planted-pw",  # not a SQLite form
        "postgresql://pantau:planted-pw@db.local:bukan-port/pantau?password=planted-pw",
        "nonsense:planted-pw@db.local",
    ],
)
def test_an_unusable_database_url_is_refused_without_its_password(url: str) -> None:
    with pytest.raises(DatabaseUrlError) as caught:
        make_engine(url)
    error = caught.value
    assert error.__cause__ is None and error.__suppress_context__  # the original stays out
    assert "planted" not in "".join(traceback.format_exception(error))


# --- links: only http and https -------------------------------------------------------------

HOSTILE_LINKS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://sintang.go.id/berkas",
    "//evil.example/p/1",
    "/p/relatif",
    "p/C1a",
    "https://",
    'https://www.instagram.com/p/C1a/"><script>alert(1)</script>',
    "https://www.instagram.com/p/C1a/ [klik](javascript:alert(1))",
    "https://[::1",
]


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_only_web_links_are_kept(link: str) -> None:
    assert web_link(link) is None


@pytest.mark.parametrize(
    "link",
    [
        "https://www.instagram.com/p/C1a/",
        "http://sintang.go.id/berita/2026/11/rapat?id=4&x=(1)",
        "HTTPS://X.COM/diskominfo/status/1",
    ],
)
def test_web_links_are_kept_as_they_are(link: str) -> None:
    assert web_link(link) == link
    assert web_link(f"  {link} ") == link
    assert web_link("") is None and web_link(None) is None and web_link(42) is None


def _media_page(permalink: str) -> dict[str, Any]:
    page = load("instagram/media_p2")
    page["json"]["business_discovery"]["media"]["data"][0]["permalink"] = permalink
    return page


def test_collector_stores_no_javascript_permalink(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    api = FakeApi().on("/17841405309211844", _media_page("javascript:alert(document.cookie)"))
    ig = InstagramCollector(api.client(), collector_settings(), options=options(FakeClock()))
    account = AccountRef(1, "instagram", "diskominfo_sintang")
    with caplog.at_level(logging.WARNING, logger="pantau.collectors"):
        posts = list(ig.fetch_posts(account, datetime(2024, 1, 1, tzinfo=UTC)))
    assert [p.url for p in posts] == [None, None]  # the second post never had one
    assert "dropped the Instagram post link" in caplog.text and "javascript:" in caplog.text
    opd = repo.upsert_opd(session, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
    stored = repo.upsert_account(session, opd, "instagram", "diskominfo_sintang")
    repo.upsert_posts(session, [post_row(stored.id, p) for p in posts])
    session.commit()
    assert session.scalars(select(Post.url)).all() == [None, None]
    assert "javascript" not in str(session.execute(select(Post)).all())


def test_feed_entry_with_a_data_link_keeps_the_post_without_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Berita</title>'
        "<item><guid>https://sintang.go.id/?p=7</guid><title>Rapat</title>"
        "<link>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</link>"
        "<pubDate>Mon, 15 Jan 2024 02:30:00 +0000</pubDate></item>"
        "</channel></rss>"
    )
    with caplog.at_level(logging.WARNING, logger="pantau.collectors"):
        posts = parse_feed(feed)
    assert len(posts) == 1 and posts[0].url is None
    assert "dropped the website feed entry link" in caplog.text


IMPORT_HEADER = "platform,handle,post_id,posted_at,caption,likes,comments,shares,views,url"


def test_import_row_with_a_javascript_link_warns_and_keeps_the_rest(
    session: Session, fixed_now: datetime
) -> None:
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    repo.upsert_account(session, opd, "instagram", "dinkes.sintang")
    session.commit()
    rows = [
        IMPORT_HEADER,
        "instagram,dinkes.sintang,P1,2026-11-20 08:30,Halo,10,1,,,javascript:alert(1)",
        "instagram,dinkes.sintang,P2,2026-11-20 09:30,Lagi,20,2,,,https://www.instagram.com/p/P2/",
    ]
    report = import_file(session, "\n".join(rows).encode(), "unggahan.csv")
    session.commit()
    assert [(i.line, i.column, i.code, i.severity) for i in report.issues] == [
        (2, "url", "unsafe_link", "warning")
    ]
    assert "http" in report.issues[0].message("id")
    stored = {p.platform_post_id: (p.url, p.likes) for p in session.scalars(select(Post))}
    assert stored == {"P1": (None, 10), "P2": ("https://www.instagram.com/p/P2/", 20)}


# --- the dashboard when its database is down ------------------------------------------------

LEAK_MARKERS = ("Traceback", "Error:", "sqlalchemy", "psycopg", "sqlite3", "planted", 'File "')


def _unreachable_urls(tmp_path: Path) -> list[str]:
    not_a_folder = tmp_path / "berkas.txt"
    not_a_folder.write_text("bukan folder")
    return [
        # nothing listens on the discard port: refused at once, no network beyond this machine
        "postgresql://pantau:planted-pw@127.0.0.1:9/pantau?password=planted-pw",
        f"sqlite:///{not_a_folder}/data/pantau.db",  # a folder that cannot be made
    ]


def test_streamlit_never_shows_error_details() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


@pytest.mark.parametrize("which", [0, 1], ids=["postgresql-down", "sqlite-folder-missing"])
def test_visitor_sees_a_plain_message_when_the_database_is_down(
    which: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    url = _unreachable_urls(tmp_path)[which]
    for _ in serve_from(url, monkeypatch):
        with caplog.at_level(logging.ERROR, logger="pantau.dashboard"):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception, [e.message for e in at.exception]
        shown = texts(at) + "".join(str(e.value) for e in at.get("exception"))
        assert "Pantau tidak dapat terhubung ke basis datanya" in shown
        ref = shown.split("kode kejadian **")[1].split("**")[0]
        for marker in LEAK_MARKERS:
            assert marker not in shown, marker
        # the details are in the server's log, under the same reference, password masked
        assert f"ref={ref}" in caplog.text and "planted" not in caplog.text


# --- admin-entered text in Markdown -----------------------------------------------------------

HOSTILE_OPD = "**Dinas** [klik](javascript:alert(1)) _x_ <b>"


def _markdown_texts(at: AppTest) -> list[str]:
    """Every text the page hands to Streamlit's Markdown: bodies, captions, callouts, headings
    and the labels of expanders (which are Markdown too)."""
    found: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader"):
        found += [str(e.value) for e in at.get(kind)]
    found += [str(e.label) for e in at.expander]
    return found


@pytest.fixture
def hostile_world(empty_app: str, fixed_now: datetime) -> str:
    """The sample world with every OPD renamed to Markdown and HTML that would act if shown
    raw, and a reminder waiting in the queue for DPUPR's admin."""
    with make_session_factory(make_engine(empty_app))() as session:
        build_sample_world(session, now=fixed_now)
        for n, opd in enumerate(session.scalars(select(Opd).order_by(Opd.code)), start=1):
            opd.name = f"{HOSTILE_OPD} {n}"
            opd.admin_name = f"Admin __{n}__ [a](javascript:x)"
        account = session.scalars(select(Account).where(Account.handle == "demo.dpupr")).one()
        account.opd.admin_email = "pu@demo.example"
        repo.record_reminder(
            session, account.id, "queue", "pu@demo.example", "Yth. Admin, mohon…",
            created_by="pekerja", status="queued", subject="Pengingat",
        )  # fmt: skip
        session.commit()
    return empty_app


NAMES_IN_MARKDOWN = ["akun_dorman", "ringkasan", "tinjauan_bulanan", "detail_akun"]
NAMES_IN_TABLES_ONLY = ["peringkat", "kesehatan_koleksi"]  # kept there by this test


@pytest.mark.parametrize("name", NAMES_IN_MARKDOWN + NAMES_IN_TABLES_ONLY)
def test_opd_names_show_literally_wherever_they_reach_markdown(
    hostile_world: str, name: str
) -> None:
    page = f"pages/{name}.py"
    at = run_page(page)
    shown = _markdown_texts(at)
    for text in shown:
        assert "[klik](javascript" not in text and "**Dinas**" not in text, text
        assert "<b>" not in text and "__" not in text.replace("\\_\\_", ""), text
    if name in NAMES_IN_MARKDOWN:
        assert any(md_escape(HOSTILE_OPD) in text for text in shown), "an OPD name is shown"
    if name == "akun_dorman":
        labels = [str(e.label) for e in at.expander]
        assert labels == [md_escape(f"{HOSTILE_OPD} 3 · Instagram · demo.dpupr")]


def test_an_opd_admin_sees_their_own_opd_name_literally(hostile_world: str) -> None:
    with make_session_factory(make_engine(hostile_world))() as session:
        opd = session.scalars(select(Opd).where(Opd.code == "DINKES")).one()
        principal = Principal("admin-dinkes", OPD, opd.id, opd.name)
    ensure_user(principal, "DINKES")
    at = run_page("pages/kinerja_opd.py", principal)
    shown = _markdown_texts(at)
    for text in shown:
        assert "[klik](javascript" not in text and "**Dinas**" not in text, text
    assert md_escape(f"{HOSTILE_OPD} 1") in shown  # the page's heading


def _links(view: object) -> list[str | None]:
    shown = view.sortable()["Tautan"]  # type: ignore[attr-defined]
    return [None if pd.isna(v) else v for v in shown]


def test_stored_links_that_are_not_web_addresses_are_never_shown_as_links() -> None:
    """Rows stored before links were checked can hold ``javascript:``: the posts table of
    Detail Akun, and any table's link column, shows only http(s) addresses."""
    from present.tables import Column, TableView
    from ui.loaders_account import posts_table

    posts = pd.DataFrame(
        {
            "posted_at": pd.to_datetime(["2026-11-02 01:00", "2026-11-03 01:00"], utc=True),
            "caption": ["Rapat koordinasi", "Apel pagi"],
            "likes": [3, 4], "comments": [0, 1], "shares": [0, 0], "views": [None, None],
            "interactions": [3, 5], "engagement_rate": [0.1, 0.2], "performance": [1.0, 2.0],
            "url": ["javascript:alert(1)", "https://www.instagram.com/p/abc/"],
        }
    )  # fmt: skip
    assert _links(posts_table(posts, "instagram")) == [
        None, "https://www.instagram.com/p/abc/",
    ]  # fmt: skip
    links = pd.DataFrame({"Tautan": ["data:text/html,x", "http://dinkes.example.go.id/b"]})
    view = TableView(links, {"Tautan": Column(kind="link")})
    assert _links(view) == [None, "http://dinkes.example.go.id/b"]
