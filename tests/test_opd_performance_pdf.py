"""The one-page PDF of Kinerja OPD Saya: one A4 portrait page whatever the data, every line
above the footer, the OPD's own name and none of another OPD's."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

import pandas as pd
import pytest
from pypdf import PdfReader
from sqlalchemy import Engine

from core.settings import Settings
from db.engine import make_session_factory
from reports.opd_pdf import ACCOUNTS_MAX, FIXES_MAX, REMINDERS_MAX, opd_pdf
from services.opd_performance import OpdPerformance, opd_performance
from tests import opd_performance_world as w

SETTINGS = Settings()
A4_PORTRAIT = (595.28, 841.89)  # points


@pytest.fixture
def performances(engine: Engine, fixed_now: datetime) -> Iterator[dict[str, OpdPerformance]]:
    with make_session_factory(engine)() as session:
        world = w.build(session, SETTINGS)
        found = {
            code: opd_performance(session, opd_id, "2026-11", SETTINGS)
            for code, opd_id in world.opds.items()
        }
    yield {code: perf for code, perf in found.items() if perf is not None}


def lines(pdf: bytes) -> list[tuple[float, str]]:
    """(height above the page's bottom in points, text) of every piece of text, top first."""
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_PORTRAIT)
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def assert_fits(found: list[tuple[float, str]]) -> None:
    """Nothing is drawn below the footer, and the footer is on the page."""
    footer = [y for y, text in found if text.startswith("Pantau · Bidang Komunikasi Publik")]
    assert len(footer) == 1 and footer[0] > 20
    body = [y for y, text in found if not text.startswith("Pantau · ")]
    assert min(body) > footer[0] + 8, min(body)


def test_one_page_with_the_opds_own_name_only(performances: dict[str, OpdPerformance]) -> None:
    found = lines(opd_pdf(performances["DINKES"], SETTINGS.regency_name))
    assert_fits(found)
    text = "\n".join(t for _y, t in found)
    assert "Dinas Kesehatan" in text and "dinkes.sintang" in text
    # November runs at FIXED_NOW (26 November): it moved against 1-26 October, and says so
    assert (
        "Peringkat 1 dari 3 OPD pada November 2026, naik 1 peringkat dari 1–26 Oktober 2026."
        in text
    )
    for code, name in w.NAMES.items():
        if code != "DINKES":
            assert name not in text
    for handle in ("disdik", "ketungau", w.UNREADABLE_HANDLE):
        assert handle not in text
    assert "DATA DEMO" not in text
    assert "Mohon akun diperbarui" not in text  # a reminder's date and route, not its message
    assert "3 November 2026 09.15 WIB" in text and "WhatsApp" in text
    # the accounts' places read '1 dari 3' in the PDF (the page says it above its table)
    cells = [t for _y, t in found]
    assert "1 dari 3" in cells and "1 dari 1" in cells, cells


def test_one_page_even_when_every_list_is_long(performances: dict[str, OpdPerformance]) -> None:
    perf = performances["DINKES"]
    many_accounts = pd.concat([perf.accounts] * 8, ignore_index=True)
    many_accounts["handle"] = [
        f"akun.resmi.dinas.kesehatan.kabupaten.sintang.{n}" for n in range(len(many_accounts))
    ]
    fixes = pd.concat([perf.fixes] * 3, ignore_index=True)
    reminders = pd.concat([perf.reminders] * 20, ignore_index=True)
    long_name = "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana " * 3
    crowded = dataclasses.replace(
        perf, opd_name=long_name.strip(), accounts=many_accounts, fixes=fixes,
        fixes_total=57, reminders=reminders, is_demo=True,
    )  # fmt: skip
    made = perf.as_of + timedelta(hours=1)
    found = lines(opd_pdf(crowded, SETTINGS.regency_name, made=made))
    assert_fits(found)
    text = "\n".join(t for _y, t in found)
    assert "DATA DEMO" in text
    assert f"… dan {len(many_accounts) - ACCOUNTS_MAX} lainnya" in text
    assert f"… dan {57 - FIXES_MAX} lainnya" in text
    assert f"… dan {len(reminders) - REMINDERS_MAX} lainnya" in text
    assert "Unggahan yang perlu diperbaiki (57)" in text
    assert "akun.resmi.dinas.kesehatan.kabupaten.sintang.0" not in text  # cut to its cell, "…"
    assert "dibuat 26 November 2026 14.00 WIB" in text


def test_an_opd_without_accounts_or_readable_ones(performances: dict[str, OpdPerformance]) -> None:
    for code in ("BAPPEDA", "DISPORA"):
        found = lines(opd_pdf(performances[code], SETTINGS.regency_name))
        assert_fits(found)
        text = "\n".join(t for _y, t in found)
        assert w.NAMES[code] in text
        assert "Belum diberi peringkat di antara OPD pada November 2026" in text
        assert "Tidak ada unggahan pada November 2026 yang perlu diperbaiki." in text
        assert "Belum ada pengingat yang diterima." in text
    assert "Belum ada akun OPD ini yang dipantau." in "\n".join(
        t for _y, t in lines(opd_pdf(performances["BAPPEDA"], SETTINGS.regency_name))
    )


def test_an_earlier_month_in_another_zone(engine: Engine, fixed_now: datetime) -> None:
    """An office on WIT time reads its times in WIT, and a past month is named, never 'bulan
    ini'."""
    jayapura = dataclasses.replace(SETTINGS, timezone="Asia/Jayapura")
    with make_session_factory(engine)() as session:
        world = w.build(session, SETTINGS)
        perf = opd_performance(session, world.opds["DINKES"], "2026-10", jayapura)
    assert perf is not None and perf.tz == jayapura.tz
    found = lines(opd_pdf(perf, SETTINGS.regency_name, made=fixed_now))
    assert_fits(found)
    text = "\n".join(t for _y, t in found)
    assert "Oktober 2026 · keadaan per 1 November 2026 00.00 WIT" in text
    assert "20 Oktober 2026 10.05 WIT" in text  # the reminder sent at 08.05 WIB
    assert "dibuat 26 November 2026 15.00 WIT" in text
    assert "Oktober 2026 dibanding September 2026" in text
    assert "WIB" not in text and "bulan ini" not in text.lower()
