"""Words and numbers users read, unit by unit: Indonesian number formats in messages."""

from __future__ import annotations

from ingest.data_import import ImportReport


def test_an_import_summary_groups_thousands() -> None:
    report = ImportReport("posts", "posts.csv", rows_read=60388, rows_stored=59000, new_rows=1200)
    text = report.summary("id")
    assert text.startswith("posts.csv: 60.388 baris dibaca, 59.000 disimpan (1.200 baru);")
    assert "60388" not in text
    assert report.summary().startswith("posts.csv: 60388 rows read")  # the CLI's English stays
