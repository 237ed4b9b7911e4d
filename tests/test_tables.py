"""Tables whose numbers are numbers: values stay values, each column says how one reads."""

from __future__ import annotations

import json
import math

import pandas as pd
from streamlit.testing.v1 import AppTest

from core import fmt
from present.cards import account_cards, no_account_cards
from present.tables import NO_ACCOUNT, display_table, no_account_table
from tests.app_support import shown_cells, table_texts


def accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "opd_name": ["Dinas Pendidikan", "Kecamatan Sepauk", "Dinas Sosial"],
            "platform": ["instagram", "facebook", "tiktok"],
            "handle": ["disdik.sintang", "kec_sepauk*", "dinsos.stg"],
            "days_since_last_post": [88.0, None, 239.0],
            "engagement_rate": [2.5, None, 10.123],
            "followers": [12345, 0, 980],
            "status": ["at_risk", "dormant", "dormant"],
            "admin_name": ["Maria Goreti", None, ""],
            "admin_phone": ["0812-1111-2222", None, "0813-3333-4444"],
            "last_reminded_at": [pd.Timestamp("2026-11-20 03:00", tz="UTC"), None, None],
        }
    )


COLUMNS = [
    "opd_name", "platform", "handle", "days_since_last_post", "engagement_rate", "followers",
    "status", "admin_name", "last_reminded_at",
]  # fmt: skip


def test_numbers_stay_numbers_and_dates_stay_dates() -> None:
    view = display_table(accounts(), COLUMNS)
    frame = view.frame
    for header in ("Tanpa unggahan", "Tingkat interaksi", "Pengikut"):
        assert pd.api.types.is_float_dtype(frame[header]), header
    assert pd.api.types.is_datetime64_any_dtype(frame["Terakhir diingatkan"])
    assert math.isnan(frame["Tanpa unggahan"][1])  # unknown stays unknown, not 0 and not text
    assert frame["Platform"].tolist() == ["Instagram", "Facebook", "TikTok"]
    assert frame["Status"].tolist() == ["Perlu perhatian", "Dorman", "Dorman"]
    assert frame["Admin"].tolist() == ["Maria Goreti", fmt.MISSING, fmt.MISSING]


def test_each_column_reads_in_indonesian() -> None:
    shown = table_texts(display_table(accounts(), COLUMNS))
    assert shown["Tanpa unggahan"].tolist() == ["88 hari", "belum pernah", "239 hari"]
    assert shown["Tingkat interaksi"].tolist() == ["2,50%", fmt.MISSING, "10,12%"]
    assert shown["Pengikut"].tolist() == ["12.345", "0", "980"]
    never = "belum pernah"
    assert shown["Terakhir diingatkan"].tolist() == ["20 November 2026", never, never]


def test_the_browser_sorts_by_value_with_never_posted_as_the_longest_silence() -> None:
    view = display_table(accounts(), COLUMNS)
    sortable = view.sortable()
    days = sortable["Tanpa unggahan"]
    assert days.sort_values(ascending=False).tolist() == [math.inf, 239.0, 88.0]
    assert sortable["Tingkat interaksi"].sort_values().tolist() == [-math.inf, 2.5, 10.123]
    column = view.columns["Tanpa unggahan"]
    assert column.text(math.inf) == "belum pernah" and column.text(1234.0) == "1.234 hari"
    assert view.columns["Tingkat interaksi"].text(-math.inf) == fmt.MISSING
    assert view.columns["Terakhir diingatkan"].text(sortable["Terakhir diingatkan"][1]) == (
        "belum pernah"
    )


def test_unknown_texts_differ_by_measure() -> None:
    frame = pd.DataFrame(
        {"reply_rate": [None, 75.0], "caption_score": [None, 88.0], "rank_change": [None, -3],
         "reply_median_minutes": [None, 135.0], "growth_weekly": [-0.25, 1.5]}
    )  # fmt: skip
    shown = table_texts(display_table(frame, list(frame.columns)))
    assert shown["Tingkat balasan"].tolist() == ["tidak tersedia", "75,0%"]
    assert shown["Skor caption"].tolist() == ["belum dinilai", "88"]
    assert shown["Perubahan"].tolist() == ["baru", "▼ 3"]
    assert shown["Waktu balasan pertama (median)"].tolist() == ["tidak tersedia", "2 jam 15 menit"]
    assert shown["Pertumbuhan/minggu"].tolist() == [fmt.signed_percent(-0.25, 2), "+1,50%"]


def test_opds_without_account_read_belum_punya_akun() -> None:
    opds = pd.DataFrame(
        {"opd_name": ["Kecamatan Ambalau"], "category": ["kecamatan"],
         "admin_name": [None], "admin_phone": ["0812-5550-1234"]}
    )  # fmt: skip
    card = no_account_cards(opds, lambda text: text.replace("*", "\\*"))
    assert card == [
        "**Kecamatan Ambalau**  \nbelum punya akun · Kecamatan  \nAdmin: – · 0812-5550-1234"
    ]
    shown = table_texts(no_account_table(opds))
    assert shown.columns.tolist() == ["OPD", "Akun", "Kategori", "Admin", "Telepon admin"]
    assert shown.iloc[0].tolist() == [
        "Kecamatan Ambalau", NO_ACCOUNT, "Kecamatan", fmt.MISSING, "0812-5550-1234",
    ]  # fmt: skip


def test_cards_carry_what_a_reminder_needs() -> None:
    def escape(text: str) -> str:
        return text.replace("*", "\\*")

    links = ["https://wa.me/6281211112222?text=Yth.", None, None]
    cards = account_cards(accounts(), escape, links)
    assert len(cards) == 3
    first, second, third = cards
    assert first.splitlines()[0] == "**Dinas Pendidikan**  "
    assert "Instagram · disdik.sintang" in first
    assert "Tanpa unggahan: **88 hari** · Perlu perhatian" in first
    assert "Admin: Maria Goreti · 0812-1111-2222" in first
    assert "[Kirim pengingat lewat WhatsApp](https://wa.me/6281211112222?text=Yth.)" in first
    assert "kec\\_sepauk\\*" not in second and "kec_sepauk\\*" in second  # data is escaped
    assert "Tanpa unggahan: **belum pernah** · Dorman" in second
    assert "Admin: – · –" in second and "WhatsApp" not in second
    assert "Admin: – · 0813-3333-4444" in third


def _one_table() -> None:
    import pandas as pd

    from present.tables import display_table
    from ui.components import table

    frame = pd.DataFrame(
        {"opd_name": ["Dinas Pendidikan", "Dinas Sosial", "Kecamatan Sepauk"],
         "days_since_last_post": [88.0, 239.0, None], "url": ["https://x.test/a", None, None]}
    )  # fmt: skip
    table(display_table(frame, ["opd_name", "days_since_last_post", "url"]), key="uji")


def test_the_page_table_sends_values_and_their_texts() -> None:
    at = AppTest.from_function(_one_table, default_timeout=60).run()
    assert not at.exception
    element = at.dataframe[0]
    values = element.value["Tanpa unggahan"].tolist()
    assert values == [88.0, 239.0, math.inf]  # the browser sorts these numbers
    cells = shown_cells(element)
    assert cells["Tanpa unggahan"].tolist() == ["88 hari", "239 hari", "belum pernah"]
    config = json.loads(element.proto.columns)
    assert config["Profil"]["type_config"] == {"type": "link", "display_text": "Buka profil"}
    assert "Tanpa unggahan" not in config  # no number format: the Styler's text is shown
