"""Kinerja OPD Saya and Panduan through AppTest on the hand-made regency: an opd user lands on
its own OPD and sees nothing of another; staff cannot open the page; Panduan shows an opd user
no worker, command line or server internals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pandas as pd
import pytest
import streamlit as st
from google.protobuf import text_format
from google.protobuf.message import Message
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from core.settings import Settings
from db.engine import make_engine, make_session_factory
from services.users import ADMIN, OPD, REVIEWER, Principal
from tests import opd_performance_world as w
from tests.app_support import (
    ROOT,
    choose_month,
    ensure_user,
    migrated,
    run_page,
    shown_cells,
    signed_in,
    texts,
)
from ui.auth import DENIED
from ui.loaders_opd import NO_PDF_FONT

PAGE = "pages/kinerja_opd.py"
GUIDE = "pages/panduan.py"
STAFF_USERS = [Principal("kabid-uji", ADMIN), Principal("peninjau-uji", REVIEWER)]


@pytest.fixture
def world(app_db: str, fixed_now: datetime) -> Iterator[w.World]:
    migrated(app_db)
    engine = make_engine(app_db)
    with make_session_factory(engine)() as session:
        built = w.build(session, Settings())
    engine.dispose()
    yield built


def opd_user(world: w.World, code: str) -> Principal:
    principal = Principal(f"admin-{code.lower()}", OPD, world.opds[code], w.NAMES[code])
    ensure_user(principal, code)
    return principal


def _nodes(node: object) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def everything(at: AppTest) -> str:
    """Every element's content (the sidebar too) and every table's cells, as one text."""
    parts = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            parts.append(text_format.MessageToString(proto, as_utf8=True))
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(parts)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one table on the page that has ``column``, as its cells read."""
    found = [f for f in at.dataframe if column in f.value.columns]
    assert len(found) == 1, column
    return shown_cells(found[0])


def table_values(at: AppTest, column: str) -> pd.DataFrame:
    """The values (what the browser sorts) of the one table on the page with ``column``."""
    return next(f.value for f in at.dataframe if column in f.value.columns)


def test_an_opd_user_lands_on_its_own_opd(world: w.World) -> None:
    user = opd_user(world, "DINKES")
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), user).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Kinerja OPD Saya"  # the opd role's home page
    assert at.subheader[0].value == "Dinas Kesehatan"
    landed = everything(at)  # as it lands, with the sidebar (a rerun's tree lacks it here)
    at = choose_month(at, "2026-11")  # the running month at FIXED_NOW (it opens on October)
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    assert metrics["Peringkat di antara OPD"] == ("1 dari 3", "1 peringkat")  # one sign: the arrow
    rank = next(m.proto for m in at.metric if m.label == "Peringkat di antara OPD")
    assert (rank.direction, rank.color) == (
        MetricProto.MetricDirection.UP,
        MetricProto.MetricColor.GREEN,
    )
    assert metrics["Akun yang dinilai"][0] == "2 dari 2"
    shown = texts(at)
    # a running month moves against the same days of the month before, and names them
    assert (
        "Peringkat 1 dari 3 OPD pada November 2026, naik 1 peringkat dari 1–26 Oktober 2026."
        in shown
    )
    assert "Instagram dinkes.sintang: peringkat 1 dari 3 akun Instagram" in shown
    assert "Facebook dinkes.sintang: peringkat 1 dari 1 akun Facebook" in shown
    accounts = table_with(at, "Peringkat di platformnya")
    assert accounts["Akun"].tolist() == ["dinkes.sintang", "dinkes.sintang"]
    reminders = table_with(at, "Lewat")
    assert reminders["Waktu"].tolist() == ["3 November 2026 09.15 WIB", "20 Oktober 2026 08.05 WIB"]
    assert len(table_with(at, "Yang perlu diperbaiki")) == 10
    # the moments stay timestamps and the scores numbers: they sort by value
    fixes = table_values(at, "Yang perlu diperbaiki")
    assert isinstance(fixes["Waktu unggah"].dtype, pd.DatetimeTZDtype)
    assert fixes["Skor caption"].dtype == "float64"
    assert table_values(at, "Peringkat di platformnya")["Terakhir aktif"].dtype == "float64"
    assert [link.proto.page for link in at.get("page_link")][-1].endswith("tinjauan_unggahan")
    pdf = [b.proto for b in at.get("download_button") if b.proto.label.startswith("Unduh PDF")]
    assert len(pdf) == 1 and not pdf[0].disabled
    content = landed + everything(at)
    assert "Dinas Kesehatan" in content and "admin-dinkes" in content  # the sidebar is read too
    for code, name in w.NAMES.items():
        if code != "DINKES":
            assert name not in content, name
    for handle in ("disdik.kalbar", "disdik.tv", "kec.ketungauhulu", w.UNREADABLE_HANDLE):
        assert handle not in content, handle


@pytest.mark.parametrize("user", STAFF_USERS, ids=lambda u: u.role)
def test_staff_cannot_open_it(world: w.World, user: Principal) -> None:
    home = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), user).run()
    assert home.title[0].value == "Ringkasan"  # staff keep their home
    at = signed_in(AppTest.from_file(str(ROOT / PAGE), default_timeout=60), user).run()
    assert not at.exception
    assert [e.value for e in at.error] == [DENIED]
    assert not at.dataframe and not at.metric and not at.subheader
    asked = signed_in(AppTest.from_function(_ask_the_loader, default_timeout=60), user).run()
    assert [e.value for e in asked.error] == [DENIED] and not asked.text


def _ask_the_loader() -> None:
    """A page that asks the loader directly."""
    import streamlit as st

    from ui.loaders_opd import load_opd_performance

    st.text(str(load_opd_performance("2026-11")))


def test_an_opd_with_nothing_to_rank(world: w.World) -> None:
    at = run_page(PAGE, opd_user(world, "BAPPEDA"))
    assert at.subheader[0].value == w.NAMES["BAPPEDA"]
    assert "Belum ada akun media sosial OPD Anda yang dipantau" in texts(at)
    assert not at.dataframe and not at.metric
    at = choose_month(run_page(PAGE, opd_user(world, "DISPORA")), "2026-11")  # read lately
    shown = texts(at)
    assert "Belum ada akun OPD Anda yang dapat dibaca Pantau" in shown
    assert w.NOT_FOUND.split(".")[0] in shown  # the collector's reason, and what to do
    assert "Belum diberi peringkat di antara OPD" in shown
    assert "Belum ada pengingat yang diterima OPD Anda." in shown


def test_an_earlier_month(world: w.World) -> None:
    at = run_page(PAGE, opd_user(world, "DINKES"))
    at.selectbox(key="kinerja_month").set_value("2026-10").run()
    assert not at.exception
    assert "Oktober 2026 · keadaan per 1 November 2026 00.00 WIB" in texts(at)
    reminders = table_with(at, "Lewat")
    assert reminders["Waktu"].tolist() == ["20 Oktober 2026 08.05 WIB"]  # nothing from later


def test_an_earlier_month_in_another_zone(world: w.World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The office's zone (PANTAU_TIMEZONE) labels every time, and the chosen past month is
    named wherever the page spoke of 'bulan ini'."""
    monkeypatch.setenv("PANTAU_TIMEZONE", "Asia/Makassar")
    st.cache_resource.clear()  # the settings are read once per process
    st.cache_data.clear()
    at = run_page(PAGE, opd_user(world, "DINKES"))
    at.selectbox(key="kinerja_month").set_value("2026-10").run()
    assert not at.exception
    shown = texts(at)
    assert "Oktober 2026 · keadaan per 1 November 2026 00.00 WITA" in shown
    assert "terbaru di atas (waktu WITA)." in shown
    assert table_with(at, "Lewat")["Waktu"].tolist() == ["20 Oktober 2026 09.05 WITA"]
    assert "Oktober 2026 dibanding September 2026" in [h.value for h in at.subheader]
    posts = {m.label: m.proto.delta for m in at.metric}
    assert "Unggahan Oktober 2026" in posts
    assert posts["Unggahan Oktober 2026"].endswith(" dari September 2026")
    assert "Unggahan Oktober 2026" in table_with(at, "Peringkat di platformnya").columns
    assert "WIB" not in everything(at) and "bulan ini" not in everything(at).lower()


def test_panduan_as_an_opd_user_and_as_staff(world: w.World) -> None:
    shown = texts(run_page(GUIDE, opd_user(world, "DINKES")))
    assert "Kinerja OPD Saya" in shown and "Pengingat dari Diskominfo" in shown
    assert "Status akun" in shown and "Pemeriksaan caption" in shown
    internals = (
        "Proses otomatis terjadwal", "cli.py", "docs/", "Status Pengambilan Data", "Uji koneksi",
    )  # fmt: skip
    for internal in internals:
        assert internal not in shown, internal
    staff = texts(run_page(GUIDE, STAFF_USERS[0]))
    assert "Proses otomatis terjadwal" in staff and "docs/metrics.md" in staff
    assert "Halaman untuk admin OPD" not in staff


def test_without_the_pdf_font_the_button_says_why(
    world: w.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports import pdf_writer

    monkeypatch.setattr(pdf_writer, "FONT_DIR", ROOT / "tidak-ada")
    at = run_page(PAGE, opd_user(world, "DINKES"))
    pdf = [b.proto for b in at.get("download_button") if b.proto.label.startswith("Unduh PDF")]
    assert len(pdf) == 1 and pdf[0].disabled
    assert NO_PDF_FONT in texts(at) and "apt-get" not in texts(at)
