"""Words and numbers users read, unit by unit: Indonesian number formats in messages."""

from __future__ import annotations

import pytest

from core.settings import Settings, SettingsError
from ingest.data_import import ImportReport
from present.labels import SETTING_REFUSALS, SETTING_REFUSED, setting_refusal


def test_an_import_summary_groups_thousands() -> None:
    report = ImportReport("posts", "posts.csv", rows_read=60388, rows_stored=59000, new_rows=1200)
    text = report.summary("id")
    assert text.startswith("posts.csv: 60.388 baris dibaca, 59.000 disimpan (1.200 baru);")
    assert "60388" not in text
    assert report.summary().startswith("posts.csv: 60388 rows read")  # the CLI's English stays


@pytest.mark.parametrize(
    ("changes", "setting"),
    [
        ({"active_days": "30", "dormant_days": "20"}, "PANTAU_ACTIVE_DAYS"),
        ({"thresholds": "youtube=60:30"}, "PANTAU_THRESHOLDS"),
        ({"index_weights": "engagement=0"}, "PANTAU_INDEX_WEIGHTS"),
    ],
)
def test_a_refused_threshold_is_explained_in_indonesian(
    changes: dict[str, str], setting: str
) -> None:
    """Pengaturan shows why, in Indonesian, not core.settings' English message."""
    with pytest.raises(SettingsError) as refused:
        Settings(**changes)
    assert setting_refusal(str(refused.value)) == SETTING_REFUSALS[setting]


def test_an_unforeseen_refusal_still_reads_in_indonesian() -> None:
    assert setting_refusal("these settings cannot be changed here: ['X']") == SETTING_REFUSED
    assert setting_refusal("") == SETTING_REFUSED
