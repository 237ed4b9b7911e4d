"""Registry import/export, handle normalisation and the shared table reader."""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.queries import accounts_frame, opds_frame
from ingest.issues import TEMPLATES, RowIssue
from ingest.registry import (
    DEFAULT_REGISTRY,
    REGISTRY_COLUMNS,
    export_registry,
    import_registry,
    import_registry_records,
    load_default_registry,
    normalise_handle,
    normalise_platform,
)
from ingest.tabular import TableError, read_table
from testkit.db_support import NewDatabase

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
HEADER = ",".join(REGISTRY_COLUMNS)


def _csv(*lines: str) -> bytes:
    return ("\n".join((HEADER, *lines)) + "\n").encode()


def _codes(issues: list[RowIssue]) -> list[tuple[int, str]]:
    return [(i.line, i.code) for i in issues]


def _accounts(session: Session) -> set[tuple[str, str, str, str | None]]:
    frame = accounts_frame(session)
    return {(r.opd_code, r.platform, r.handle, r.url) for r in frame.itertuples()}


def _export(session: Session) -> str:
    out = io.StringIO()
    export_registry(session, out)
    return out.getvalue()


# --- platform and handle normalisation -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("instagram", "instagram"), ("IG", "instagram"), (" Insta ", "instagram"),
        ("Facebook", "facebook"), ("fb", "facebook"), ("YouTube", "youtube"), ("yt", "youtube"),
        ("TikTok", "tiktok"), ("tt", "tiktok"), ("Twitter", "x"), ("X", "x"),
        ("web", "website"), ("Website", "website"), ("situs", "website"),
        ("WordPress", "website"), ("rss", "website"), ("blog", "website"),
    ],
)  # fmt: skip
def test_normalise_platform_accepts_names_and_aliases(text: str, expected: str) -> None:
    assert normalise_platform(text) == expected


@pytest.mark.parametrize("text", ["myspace", "", "insta gram", "threads"])
def test_normalise_platform_rejects_unknown(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not known\. Use one of: instagram, facebook"):
        normalise_platform(text)


IG = "https://www.instagram.com/dinkes.sintang/"
FB = "https://www.facebook.com/dinkessintang"
FB_ID = "https://www.facebook.com/profile.php?id=100064123456789"
YT = "https://www.youtube.com/@pemkabsintang"
CHANNEL = "UCa1B2c3D4e5F6g7H8i9J0kL"
TT = "https://www.tiktok.com/@dinkes.sintang"
X = "https://x.com/pemkab_sintang"


@pytest.mark.parametrize(
    ("platform", "text", "handle", "url"),
    [
        ("instagram", "dinkes.sintang", "dinkes.sintang", IG),
        ("instagram", "  @Dinkes.Sintang ", "dinkes.sintang", IG),
        ("instagram", "https://www.instagram.com/Dinkes.Sintang/", "dinkes.sintang", IG),
        ("instagram", "http://instagram.com/dinkes.sintang", "dinkes.sintang", IG),
        ("instagram", "instagram.com/dinkes.sintang/?hl=id", "dinkes.sintang", IG),
        ("instagram", "www.instagram.com/dinkes.sintang", "dinkes.sintang", IG),
        ("instagram", "m.instagram.com/dinkes.sintang/", "dinkes.sintang", IG),
        ("ig", "https://www.instagram.com/dinkes.sintang?igsh=abc123", "dinkes.sintang", IG),
        ("facebook", "DinkesSintang", "dinkessintang", FB),
        ("facebook", "https://www.facebook.com/DinkesSintang/", "dinkessintang", FB),
        ("facebook", "m.facebook.com/dinkessintang?ref=bookmarks", "dinkessintang", FB),
        ("facebook", "https://web.facebook.com/dinkessintang", "dinkessintang", FB),
        ("facebook", "https://www.facebook.com/profile.php?id=100064123456789",
         "100064123456789", FB_ID),
        ("facebook", "facebook.com/profile.php?id=100064123456789&mibextid=ZbWKwL",
         "100064123456789", FB_ID),
        ("facebook", "https://www.facebook.com/pages/Dinas-Kesehatan-Sintang/100064123456789",
         "100064123456789", FB_ID),
        ("facebook", "https://m.facebook.com/pages/Some-Name/100064123456789/", "100064123456789",
         FB_ID),
        ("facebook", "100064123456789", "100064123456789", FB_ID),
        ("youtube", "@PemkabSintang", "pemkabsintang", YT),
        ("youtube", "https://www.youtube.com/@PemkabSintang", "pemkabsintang", YT),
        ("youtube", "youtube.com/@pemkabsintang/videos", "pemkabsintang", YT),
        ("youtube", "https://m.youtube.com/@PemkabSintang?si=xyz", "pemkabsintang", YT),
        ("youtube", "https://www.youtube.com/c/PemkabSintang", "pemkabsintang", YT),
        ("youtube", "https://www.youtube.com/user/PemkabSintang/", "pemkabsintang", YT),
        ("youtube", f"https://www.youtube.com/channel/{CHANNEL}", CHANNEL,
         f"https://www.youtube.com/channel/{CHANNEL}"),
        ("youtube", f"youtube.com/channel/{CHANNEL}/featured", CHANNEL,
         f"https://www.youtube.com/channel/{CHANNEL}"),
        ("youtube", CHANNEL, CHANNEL, f"https://www.youtube.com/channel/{CHANNEL}"),
        ("tiktok", "@Dinkes.Sintang", "dinkes.sintang", TT),
        ("tiktok", "https://www.tiktok.com/@Dinkes.Sintang?lang=id-ID", "dinkes.sintang", TT),
        ("tiktok", "tiktok.com/@dinkes.sintang/", "dinkes.sintang", TT),
        ("tiktok", "https://m.tiktok.com/@dinkes.sintang", "dinkes.sintang", TT),
        ("x", "@Pemkab_Sintang", "pemkab_sintang", X),
        ("x", "https://x.com/Pemkab_Sintang", "pemkab_sintang", X),
        ("x", "https://twitter.com/pemkab_sintang?s=20", "pemkab_sintang", X),
        ("twitter", "mobile.twitter.com/pemkab_sintang/", "pemkab_sintang", X),
        ("x", "x.com/pemkab_sintang/status/1234567890", "pemkab_sintang", X),
        ("website", "sintangkab.go.id", "sintangkab.go.id", "https://sintangkab.go.id"),
        ("website", "https://Dinkes.SintangKab.go.id/", "dinkes.sintangkab.go.id",
         "https://dinkes.sintangkab.go.id"),
        ("website", "http://dinkes.sintangkab.go.id", "dinkes.sintangkab.go.id",
         "http://dinkes.sintangkab.go.id"),
        ("web", "https://sintangkab.go.id/Berita/?page=2", "sintangkab.go.id/berita",
         "https://sintangkab.go.id/berita"),
        ("website", "www.sintangkab.go.id/", "www.sintangkab.go.id",
         "https://www.sintangkab.go.id"),
        ("website", "HTTP://Dinkes.go.id:8080/Berita", "dinkes.go.id:8080/berita",
         "http://dinkes.go.id:8080/berita"),
        ("website", "dinkes.go.id/keluar?ke=http://lain.go.id", "dinkes.go.id/keluar",
         "https://dinkes.go.id/keluar"),
        ("website", "dinkes.go.id/arsip/http://lama", "dinkes.go.id/arsip/http://lama",
         "https://dinkes.go.id/arsip/http://lama"),
        ("instagram", "instagram.com/dinkes.sintang?next=https://x.com", "dinkes.sintang", IG),
    ],
)  # fmt: skip
def test_normalise_handle(platform: str, text: str, handle: str, url: str) -> None:
    assert normalise_handle(platform, text) == (handle, url)


@pytest.mark.parametrize(
    ("platform", "text", "code"),
    [
        ("instagram", "", "handle_empty"),
        ("instagram", "   ", "handle_empty"),
        ("instagram", "dinkes sintang", "handle_spaces"),
        ("instagram", "dinkes-sintang", "handle_chars"),
        ("instagram", "a" * 31, "handle_length"),
        ("x", "pemkab.sintang", "handle_chars"),
        ("x", "a_very_long_name_here", "handle_length"),
        ("tiktok", "dinkes!", "handle_chars"),
        ("instagram", "https://www.facebook.com/dinkessintang", "handle_wrong_site"),
        ("facebook", "https://www.instagram.com/dinkes.sintang/", "handle_wrong_site"),
        ("instagram", "https://www.instagram.com/p/Cx1yZ2abc/", "handle_not_profile"),
        ("instagram", "https://www.instagram.com/", "handle_not_profile"),
        ("tiktok", "https://www.tiktok.com/dinkes.sintang", "handle_not_profile"),
        ("youtube", "https://www.youtube.com/watch?v=abc", "handle_not_profile"),
        ("facebook", "https://www.facebook.com/profile.php", "handle_not_profile"),
        ("x", "https://x.com/i/flow/login", "handle_not_profile"),
        ("website", "dinkes sintang", "handle_spaces"),
        ("website", "not a website at all", "handle_spaces"),
        ("website", "localhost", "handle_wrong_site"),
        ("website", "dinkes[.sintangkab.go.id", "handle_wrong_site"),
        ("website", "https://]dinkes.go.id/", "handle_wrong_site"),
        ("instagram", "https://www.instagram.com/[dinkes", "handle_chars"),
        ("instagram", "https://[www.instagram.com/dinkes", "handle_wrong_site"),
        ("facebook", "facebook.com]/dinkes", "handle_wrong_site"),
        ("facebook", "\u0661\u0662\u0663", "handle_chars"),  # Arabic-Indic digits: not an id
        ("instagram", "x.com", "handle_wrong_site"),  # typed bare, it reads as an address
        ("myspace", "foo", "unknown_platform"),
    ],
)
def test_normalise_handle_rejects(platform: str, text: str, code: str) -> None:
    with pytest.raises(ValueError) as info:
        normalise_handle(platform, text)
    assert getattr(info.value, "code", None) == code
    assert str(info.value)  # the English reason is the exception text


def test_handle_error_names_the_bad_characters() -> None:
    with pytest.raises(ValueError, match=r"not allowed there: - /") as info:
        normalise_handle("instagram", "dinkes-sin/tang")
    assert "karakter yang tidak diizinkan" in info.value.message("id")  # type: ignore[attr-defined]


# --- import ------------------------------------------------------------------------------------


def test_import_fixture_keeps_good_rows_and_reports_bad_ones(session: Session) -> None:
    report = import_registry(session, FIXTURES / "registry.csv")
    session.commit()

    assert _codes(report.issues) == [
        (8, "missing_value"),
        (9, "unknown_platform"),
        (10, "handle_spaces"),
        (11, "handle_without_platform"),
        (12, "platform_without_handle"),
        (13, "bad_email"),
        (14, "duplicate_account"),
    ]
    assert report.issues[0].column == "opd_code"
    assert (report.opds_created, report.opds_updated, report.opds_unchanged) == (4, 0, 0)
    assert (report.accounts_created, report.accounts_existing) == (5, 0)
    assert set(opds_frame(session)["opd_code"]) == {"DINKES", "DISKOMINFO", "KEC-SINTANG", "DISDIK"}
    assert _accounts(session) == {
        ("DINKES", "instagram", "dinkes.sintang", "https://www.instagram.com/dinkes.sintang/"),
        ("DINKES", "facebook", "dinkessintang", "https://www.facebook.com/dinkessintang"),
        ("DINKES", "website", "dinkes.sintangkab.go.id", "https://dinkes.sintangkab.go.id"),
        ("DISKOMINFO", "instagram", "diskominfo.sintang",
         "https://www.instagram.com/diskominfo.sintang/"),
        ("DISKOMINFO", "youtube", "diskominfosintang", "https://www.youtube.com/@diskominfosintang"),
    }  # fmt: skip
    dinkes = opds_frame(session).set_index("opd_code").loc["DINKES"]
    assert dinkes["category"] == "dinas"  # "Dinas" lower-cased
    assert (dinkes["admin_name"], dinkes["admin_email"]) == ("Budi", "budi@sintang.go.id")


def test_duplicate_account_message_names_first_owner(session: Session) -> None:
    report = import_registry(session, FIXTURES / "registry.csv")
    dup = next(i for i in report.issues if i.code == "duplicate_account")
    assert dup.message("en") == (
        "Line 14: account instagram 'dinkes.sintang' already belongs to DINKES (line 2); "
        "the first entry was kept."
    )
    assert dup.message("id").startswith("Baris 14: akun instagram 'dinkes.sintang' sudah")


def test_reimport_changes_nothing(session: Session) -> None:
    import_registry(session, FIXTURES / "registry.csv")
    session.commit()
    before = (_export(session), opds_frame(session), accounts_frame(session))

    again = import_registry(session, FIXTURES / "registry.csv")
    session.commit()

    assert (again.opds_created, again.opds_updated, again.opds_unchanged) == (0, 0, 4)
    assert (again.accounts_created, again.accounts_existing) == (0, 5)
    assert _export(session) == before[0]
    assert opds_frame(session).equals(before[1])
    assert accounts_frame(session).equals(before[2])


def test_semicolon_bom_crlf_and_mixed_case_header(session: Session) -> None:
    report = import_registry(session, FIXTURES / "registry_semicolon_bom.csv")
    assert report.issues == []
    assert report.opds_created == 1
    assert _accounts(session) == {
        ("DISPORA", "tiktok", "dispora.sintang", "https://www.tiktok.com/@dispora.sintang"),
        ("DISPORA", "x", "disporasintang", "https://x.com/disporasintang"),
    }
    opd = opds_frame(session).iloc[0]
    assert (opd["opd_name"], opd["category"]) == ("Dinas Pemuda; Olahraga", "dinas")
    assert opd["admin_email"] == "citra@sintang.go.id"


def test_import_xlsx(session: Session, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(REGISTRY_COLUMNS))
    sheet.append(["dinsos", "Dinas Sosial", "dinas", "Instagram", "@DinsosSintang", None, None])
    sheet.append([None] * 8)
    sheet.append(["DINSOS", "Dinas Sosial", "dinas", "YT", "bad handle", None, 81234567, None])
    path = tmp_path / "registry.xlsx"
    book.save(path)

    report = import_registry(session, path)

    assert _codes(report.issues) == [(4, "handle_spaces")]
    assert _accounts(session) == {
        ("DINSOS", "instagram", "dinsossintang", "https://www.instagram.com/dinsossintang/")
    }
    assert opds_frame(session).iloc[0]["admin_phone"] is None  # the bad row is skipped whole


def test_import_records_in_memory_with_native_values(session: Session) -> None:
    rows = [
        (1, {"opd_code": "kec-ketungau", "opd_name": "Kecamatan Ketungau Hilir",
             "category": "Kecamatan", "platform": "fb", "handle": 100064123456789}),
        (2, {"opd_code": "KEC-KETUNGAU", "opd_name": "Kecamatan Ketungau Hilir",
             "platform": None, "handle": None, "admin_phone": 628123}),
    ]  # fmt: skip
    report = import_registry_records(session, rows)

    assert report.issues == []
    assert (report.opds_created, report.accounts_created) == (1, 1)
    assert _accounts(session) == {
        ("KEC-KETUNGAU", "facebook", "100064123456789", FB_ID),
    }
    assert opds_frame(session).iloc[0]["admin_phone"] == "628123"


def test_update_counts_and_admin_fields_are_not_erased(session: Session) -> None:
    import_registry(session, _csv("DINSOS,Dinas Sosial,dinas,,,Ani,0812,ani@sintang.go.id"))
    report = import_registry(session, _csv("DINSOS,Dinas Sosial P3A,dinas,,,,,"))

    assert (report.opds_created, report.opds_updated, report.opds_unchanged) == (0, 1, 0)
    opd = opds_frame(session).iloc[0]
    assert opd["opd_name"] == "Dinas Sosial P3A"
    assert (opd["admin_name"], opd["admin_phone"]) == ("Ani", "0812")


def test_account_moves_to_the_opd_named_in_a_later_import(session: Session) -> None:
    import_registry(session, _csv("DINSOS,Dinas Sosial,dinas,ig,dinsos.sintang,,,"))
    report = import_registry(session, _csv("DINKES,Dinas Kesehatan,dinas,ig,dinsos.sintang,,,"))

    counts = (report.accounts_created, report.accounts_updated, report.accounts_unchanged)
    assert counts == (0, 1, 0)
    assert report.accounts_existing == 1
    assert {(a[0], a[2]) for a in _accounts(session)} == {("DINKES", "dinsos.sintang")}


def test_an_http_site_keeps_http_through_export_and_reimport(session: Session) -> None:
    import_registry(
        session, _csv("DINKES,Dinas Kesehatan,dinas,web,http://Dinkes.go.id/Berita/,,,")
    )
    session.commit()
    exported = _export(session)
    assert "website,http://dinkes.go.id/berita," in exported  # the bare handle would say https

    again = import_registry(session, exported.encode(), "export.csv")
    assert (again.accounts_created, again.accounts_updated, again.accounts_unchanged) == (0, 0, 1)
    assert _accounts(session) == {
        ("DINKES", "website", "dinkes.go.id/berita", "http://dinkes.go.id/berita")
    }
    assert _export(session) == exported


def test_a_handle_without_scheme_keeps_the_stored_one_and_a_stated_scheme_replaces_it(
    session: Session,
) -> None:
    import_registry(session, _csv("DINKES,Dinas Kesehatan,dinas,web,http://dinkes.go.id,,,"))
    bare = import_registry(session, _csv("DINKES,Dinas Kesehatan,dinas,web,dinkes.go.id,,,"))
    assert (bare.accounts_updated, bare.accounts_unchanged) == (0, 1)
    assert {a[3] for a in _accounts(session)} == {"http://dinkes.go.id"}

    https = import_registry(
        session, _csv("DINKES,Dinas Kesehatan,dinas,web,HTTPS://dinkes.go.id,,,")
    )
    assert (https.accounts_updated, https.accounts_unchanged) == (1, 0)
    assert {a[3] for a in _accounts(session)} == {"https://dinkes.go.id"}
    assert "Akun: 0 baru, 1 diperbarui, 0 tetap." in https.summary("id")
    assert "Accounts: 0 created, 1 updated, 0 unchanged." in https.summary("en")


@pytest.mark.parametrize(
    ("platform", "text", "written"),
    [
        ("instagram", "https://www.instagram.com/X.com/", "https://www.instagram.com/x.com/"),
        ("tiktok", "@www.tiktok.com", "https://www.tiktok.com/@www.tiktok.com"),
        ("facebook", "https://www.facebook.com/profile.php?id=0042", "0042"),
        ("youtube", CHANNEL, CHANNEL),
        ("youtube", "@PemkabSintang", "pemkabsintang"),
        ("website", "https://Sintangkab.go.id:8443/", "sintangkab.go.id:8443"),
        ("website", "http://sintangkab.go.id:8080", "http://sintangkab.go.id:8080"),
    ],
)
def test_export_writes_a_text_that_imports_back_the_same(
    session: Session, platform: str, text: str, written: str
) -> None:
    import_registry(session, _csv(f"DINKES,Dinas Kesehatan,dinas,{platform},{text},,,"))
    before = _accounts(session)
    rows = list(csv.reader(io.StringIO(_export(session))))
    assert rows[1][4] == written
    again = import_registry(session, _export(session).encode(), "export.csv")
    assert (again.issues, again.accounts_unchanged, _accounts(session)) == ([], 1, before)


def test_conflicting_opd_name_is_a_warning_and_first_name_wins(session: Session) -> None:
    report = import_registry(
        session, _csv("DINSOS,Dinas Sosial,dinas,,,,,", "DINSOS,Dinsos,dinas,ig,dinsos,,,")
    )
    assert [(i.line, i.code, i.severity) for i in report.issues] == [(3, "opd_conflict", "warning")]
    assert opds_frame(session).iloc[0]["opd_name"] == "Dinas Sosial"
    assert len(_accounts(session)) == 1  # a warning does not drop the row


def test_same_account_twice_for_same_opd_is_fine(session: Session) -> None:
    report = import_registry(
        session,
        _csv("DINSOS,Dinas Sosial,dinas,ig,@dinsos,,,", "DINSOS,Dinas Sosial,dinas,IG,dinsos,,,"),
    )
    assert report.issues == []
    assert report.accounts_created == 1


def test_too_long_value_is_reported(session: Session) -> None:
    report = import_registry(session, _csv("X" * 41 + ",Nama,dinas,,,,,"))
    assert _codes(report.issues) == [(2, "too_long")]
    assert "40" in report.issues[0].message("en")
    assert opds_frame(session).empty


def test_missing_required_columns_is_a_file_error(session: Session) -> None:
    report = import_registry(session, b"opd_name,platform,handle\nDinas Sosial,ig,dinsos\n")

    assert _codes(report.issues) == [(0, "missing_columns")]
    message = report.issues[0].message("en")
    assert "opd_code" in message
    assert "opd_name," not in message.split("Expected")[0]  # only the missing one is named
    assert "kolom wajib: opd_code" in report.issues[0].message("id")
    assert opds_frame(session).empty


def test_unknown_extra_column_is_a_warning(session: Session) -> None:
    data = b"opd_code,opd_name,catatan\nDINSOS,Dinas Sosial,lihat nanti\n"
    report = import_registry(session, data, "registry.csv")
    assert [(i.line, i.code, i.severity) for i in report.issues] == [
        (0, "extra_columns", "warning")
    ]
    assert "catatan" in report.issues[0].message("en")
    assert report.opds_created == 1


def test_unreadable_file_is_a_file_error(session: Session) -> None:
    report = import_registry(session, b"\x89PNG\r\n\x1a\n\x00\x00binary", "logo.png")
    assert _codes(report.issues) == [(0, "not_table")]
    assert report.issues[0].message("en").startswith("Cannot read logo.png:")


# --- export and round trip -----------------------------------------------------------------


def test_export_format_and_order(session: Session) -> None:
    import_registry(session, FIXTURES / "registry.csv")
    out = io.StringIO()
    written = export_registry(session, out)

    lines = out.getvalue().splitlines()
    assert lines[0] == HEADER
    assert written == len(lines) - 1 == 7  # 5 accounts + KEC-SINTANG + DISDIK (no account)
    assert lines[1:] == [
        "DINKES,Dinas Kesehatan,dinas,facebook,dinkessintang,Budi,0812-1111-2222,"
        "budi@sintang.go.id",
        "DINKES,Dinas Kesehatan,dinas,instagram,dinkes.sintang,Budi,0812-1111-2222,"
        "budi@sintang.go.id",
        "DINKES,Dinas Kesehatan,dinas,website,dinkes.sintangkab.go.id,Budi,0812-1111-2222,"
        "budi@sintang.go.id",
        "DISDIK,Dinas Pendidikan,dinas,,,,,",
        "DISKOMINFO,Dinas Komunikasi dan Informatika,dinas,instagram,diskominfo.sintang,,,",
        "DISKOMINFO,Dinas Komunikasi dan Informatika,dinas,youtube,diskominfosintang,,,",
        "KEC-SINTANG,Kecamatan Sintang,kecamatan,,,,,",
    ]


def test_round_trip_export_import_export(session: Session, new_db_url: NewDatabase) -> None:
    import_registry(session, FIXTURES / "registry.csv")
    import_registry(session, FIXTURES / "registry_semicolon_bom.csv")
    import_registry(session, _csv('UJI-KOMA,"Unit Uji, Koma",dinas,fb,' + FB_ID + ",,,"))
    load_default_registry(session)
    session.commit()
    first = _export(session)

    other = make_engine(new_db_url("other"))
    upgrade(other)
    try:
        with make_session_factory(other)() as fresh:
            report = import_registry(fresh, first.encode(), "export.csv")
            fresh.commit()
            second = _export(fresh)
    finally:
        other.dispose()

    assert report.issues == []
    assert '"Unit Uji, Koma"' in first
    assert second == first


# --- default registry ----------------------------------------------------------------------


def test_default_registry_loads_46_opds(session: Session) -> None:
    assert DEFAULT_REGISTRY.is_file()
    report = load_default_registry(session)

    assert report.issues == []
    assert report.opds_created == 46
    assert report.accounts_created == 0
    frame = opds_frame(session)
    assert len(frame) == 46
    assert frame["opd_code"].is_unique
    assert (frame["opd_code"] == frame["opd_code"].str.upper()).all()
    assert load_default_registry(session).opds_unchanged == 46


def test_default_registry_exports_one_row_per_opd(session: Session) -> None:
    load_default_registry(session)
    rows = list(csv.reader(io.StringIO(_export(session))))
    assert len(rows) == 47
    assert {(row[3], row[4]) for row in rows[1:]} == {("", "")}
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])


# --- messages and the table reader ------------------------------------------------------------


def test_every_template_has_both_languages_and_renders() -> None:
    for code, (english, indonesian) in TEMPLATES.items():
        assert english != indonesian, code
        names = {f for _, f, _, _ in string.Formatter().parse(english + indonesian) if f}
        issue = RowIssue(3, "kolom", code, params={n: f"<{n}>" for n in names})
        for lang in ("en", "id"):
            text = issue.message(lang)
            assert text.startswith("Line 3: " if lang == "en" else "Baris 3: "), code
            assert "{" not in text and "}" not in text, code


def test_row_issue_messages_in_both_languages() -> None:
    issue = RowIssue(7, "posted_at", "bad_date", params={"value": "31/02/2026"})
    assert issue.message("id") == (
        "Baris 7: tanggal '31/02/2026' pada kolom posted_at tidak valid. "
        "Gunakan format 2026-11-26 08:30 atau 26/11/2026 08:30."
    )
    assert issue.message("en") == (
        "Line 7: date '31/02/2026' in column posted_at is not valid. "
        "Use a format like 2026-11-26 08:30 or 26/11/2026 08:30."
    )


def test_registry_summary_in_both_languages(session: Session) -> None:
    report = import_registry(session, FIXTURES / "registry.csv")
    assert report.summary("en").startswith("OPDs: 4 created, 0 updated")
    assert report.summary("id").startswith("OPD: 4 baru, 0 diperbarui")
    assert "7 kesalahan" in report.summary("id")


def test_read_table_line_numbers_blank_rows_and_header() -> None:
    data = '\ufeff Opd_Code ,NAME\n\nA,"one\ntwo"\n , \nB,x\n'.encode()
    table = read_table(data, "t.csv")
    assert table.header == ["opd_code", "name"]
    assert table.rows == [
        (3, {"opd_code": "A", "name": "one\ntwo"}),
        (6, {"opd_code": "B", "name": "x"}),
    ]


def test_read_table_picks_semicolon_when_it_finds_more_known_columns() -> None:
    table = read_table(b"opd_code;opd_name,extra\nA;B,c\n", known_columns=REGISTRY_COLUMNS)
    assert table.header == ["opd_code", "opd_name,extra"]
    assert table.rows[0][1]["opd_code"] == "A"


def test_read_table_short_rows_and_ragged_rows() -> None:
    table = read_table(b"a,b,c\n1\n1,2,3,4\n1,2,3,,\n1,2,3\n")
    assert table.rows == [
        (2, {"a": "1", "b": None, "c": None}),
        (5, {"a": "1", "b": "2", "c": "3"}),
    ]
    assert table.ragged == [(3, 4), (4, 5)]  # a surplus cell in CSV means shifted columns


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "empty.csv", "empty_file"),
        (b"\n \n", "blank.csv", "empty_file"),
        ("nama,kota\nA,Sint\u00e1ng\n".encode("cp1252"), "latin.csv", "not_utf8"),
        (b"PK\x03\x04not really a zip", "fake.xlsx", "xlsx_broken"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", "xls_format"),
        (b"GIF89a\x00\x01", "pic.gif", "not_table"),
    ],
)
def test_read_table_rejects_unreadable_files(data: bytes, filename: str, code: str) -> None:
    with pytest.raises(TableError) as info:
        read_table(data, filename)
    assert info.value.code == code
    assert str(info.value).startswith(f"cannot read {filename}: ")


def test_non_utf8_error_names_the_line_and_tells_to_save_as_utf8() -> None:
    data = "a,b\n1,2\n3,Sint\u00e1ng\n".encode("cp1252")
    with pytest.raises(TableError, match="line 3 is not UTF-8") as info:
        read_table(data, "x.csv")
    assert "CSV UTF-8" in str(info.value)
    assert "Mohon simpan berkas sebagai 'CSV UTF-8'" in info.value.message("id")


def test_read_xlsx_keeps_native_values_and_row_numbers(tmp_path: Path) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["When", "Count", None])
    sheet.append([datetime(2026, 11, 20, 8, 30), 12, None])
    sheet.append([])
    sheet.append(["x", 3.0, None])
    path = tmp_path / "t.xlsx"
    book.save(path)

    table = read_table(path.read_bytes())  # detected by the zip magic, no filename needed
    assert table.header == ["when", "count"]
    assert table.rows == [
        (2, {"when": datetime(2026, 11, 20, 8, 30), "count": 12}),
        (4, {"when": "x", "count": 3}),
    ]
