"""Saved briefings made while the database held the demo world: they carry its DATA DEMO
label, so leaving the demo deletes them (the worker makes a month's briefing only when its
file is missing, so a demo briefing left behind would also stand in for the real one)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from core.settings import Settings
from reports.briefings import list_briefings


def discard_demo_briefings(settings: Settings, loaded_at: datetime | None) -> list[Path]:
    """Delete the saved briefings written since the demo was loaded; returns them. Nothing
    when the load time is unknown (a briefing from before is the office's own)."""
    if loaded_at is None:
        return []
    saved = list_briefings(settings)
    made_on_demo = saved[saved["modified_at"] >= loaded_at]
    removed = [Path(path) for path in made_on_demo["path"]]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
