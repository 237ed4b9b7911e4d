"""The audit trail's use cases: who is acting, what a registry change amounts to, and the
trail as admins read it (Pengaturan, "Riwayat Perubahan") and export it (CSV).

Actors: the signed-in user's name on the dashboard; ``cli:<os user>`` for a command typed on
the server (the OS account is who had the shell); ``worker`` for the scheduler. A value that
is secret (a password, a token) is never recorded: only that it changed.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from core import fmt
from core.cells import csv_text
from db import audit

WORKER = "worker"
UNKNOWN = "unknown"  # a service called without its actor (tests, scripts): said, not guessed

KINDS = {
    "registry": "Daftar OPD dan akun",
    "settings": "Ambang dan bobot",
    "user": "Pengguna",
    "token": "Token dan sambungan akun",  # nosec B105 - a label, not a secret
    "reminder": "Pengingat",
    "mark": "Tanda ditindaklanjuti",
}
ACTION_LABELS = {
    "registry.opd_added": "OPD ditambahkan",
    "registry.opd_changed": "OPD diubah",
    "registry.opd_removed": "OPD dihapus",
    "registry.account_added": "Akun ditambahkan",
    "registry.account_changed": "Akun diubah",
    "registry.account_removed": "Akun dihapus",
    "registry.imported": "Daftar diimpor dari berkas",
    "registry.demo_removed": "Data demo dihapus",
    "settings.thresholds": "Ambang diubah",
    "settings.weights": "Bobot indeks diubah",
    "settings.reset": "Ambang dan bobot dikembalikan ke nilai bawaan",
    "user.added": "Pengguna ditambahkan",
    "user.invited": "Undangan dibuat",
    "user.removed": "Pengguna dihapus",
    "user.password": "Kata sandi diganti",
    "user.disabled": "Pengguna dinonaktifkan",
    "token.set": "Token disimpan lewat baris perintah",
    "token.connected": "Akun disambungkan",
    "token.disconnected": "Sambungan akun diputus",
    "reminder.recorded": "Pengingat dicatat",
    "reminder.queued": "Pengingat masuk antrean",
    "reminder.sent": "Pengingat terkirim",
    "reminder.cancelled": "Pengingat dibatalkan",
    "mark.marked": "Unggahan ditandai ditindaklanjuti",
    "mark.unmarked": "Tanda ditindaklanjuti dihapus",
}
TABLE_HEADERS = ["Waktu", "Oleh", "Perubahan", "Sasaran", "Sebelum", "Sesudah"]
# the recorded fields as the page names them (the others read well as they are, "_" a space)
FIELD_LABELS = {"berlaku_detik": "berlaku (detik)"}


def cli_actor() -> str:
    """``cli:<os user>``: who typed a command on the server."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "cli:?"


def record_registry_changes(
    session: Session,
    actor: str,
    before: Mapping[str, Mapping[str, object]],
    source: str | None = None,
    summary: str = "registry.imported",
) -> None:
    """Record what changed in the registry since ``before`` (``db.audit.registry_state``):
    one entry per OPD or account added, edited or removed, or, for an imported file
    (``source`` its name) or the demo removed, one ``summary`` entry counting them."""
    after = audit.registry_state(session)
    changes = _registry_diff(before, after)
    if source is not None:
        counts: dict[str, int] = {}  # under the labels admins read: {"OPD ditambahkan": 3}
        for action, _key, _old, _new in changes:
            counts[ACTION_LABELS[action]] = counts.get(ACTION_LABELS[action], 0) + 1
        audit.record(session, actor, summary, source, None, counts)
        return
    for action, key, old, new in changes:
        audit.record(session, actor, action, key, old, new)


def _registry_diff(
    before: Mapping[str, Mapping[str, object]], after: Mapping[str, Mapping[str, object]]
) -> list[tuple[str, str, object, object]]:
    """(action, key, old fields, new fields); an edit keeps only the fields that changed."""
    out: list[tuple[str, str, object, object]] = []
    for key in sorted(set(before) | set(after)):
        what = "opd" if key.startswith("opd:") else "account"
        old, new = before.get(key), after.get(key)
        if old is None:
            out.append((f"registry.{what}_added", key, None, new))
        elif new is None:
            out.append((f"registry.{what}_removed", key, old, None))
        elif old != new:
            changed = [field for field in new if old.get(field) != new.get(field)]
            old_part = {field: old.get(field) for field in changed}
            new_part = {field: new.get(field) for field in changed}
            out.append((f"registry.{what}_changed", key, old_part, new_part))
    return out


def actor_label(actor: str) -> str:
    """How the page names an actor: the user name, or what typed or ran the change."""
    if actor == WORKER:
        return "proses terjadwal (worker)"
    if actor == UNKNOWN:
        return "tidak diketahui"
    if actor.startswith("cli:"):
        return f"baris perintah server ({actor.removeprefix('cli:')})"
    return actor


def audit_table(session: Session, kind: str | None, tz: ZoneInfo) -> pd.DataFrame:
    """The trail newest first, of one kind (a key of KINDS) or all, under Indonesian headers:
    the moment in local time ("26 November 2026 13.05 WIB"), the actions labelled."""
    frame = audit.audit_frame(session, [kind] if kind else [])
    rows = [
        (
            fmt.date_time(at.to_pydatetime(), tz),
            actor_label(str(actor)),
            ACTION_LABELS.get(str(action), str(action)),
            str(target),
            readable(before, tz),
            readable(after, tz),
        )
        for at, actor, action, target, before, after in zip(
            *(frame[col] for col in audit.AUDIT_COLUMNS), strict=True
        )
    ]
    return pd.DataFrame(rows, columns=TABLE_HEADERS)


def readable(value: object, tz: ZoneInfo) -> str:
    """A recorded before/after value as the page shows it: ``kata sandi: diganti; aktif: ya``
    for the JSON of a record (``cli.py audit`` keeps the JSON), any other text as it is."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        fields = json.loads(value)
    except ValueError:  # plain text, or JSON cut short
        return value
    if not isinstance(fields, dict):
        return value
    return "; ".join(
        f"{FIELD_LABELS.get(key, key.replace('_', ' '))}: {_shown(key, item, tz)}"
        for key, item in fields.items()
    )


def _shown(key: str, value: object, tz: ZoneInfo) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value is None:
        return "-"
    if key.endswith("_sampai") and isinstance(value, str):  # a moment, recorded in ISO 8601
        try:
            return fmt.date_time(datetime.fromisoformat(value), tz)
        except ValueError:
            return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def audit_csv(table: pd.DataFrame) -> bytes:
    """The table as a CSV download; every text cell inert in a spreadsheet (core.cells)."""
    return csv_text(table).encode("utf-8")


def record_reminder(
    session: Session, actor: str, action: str, account_ids: Sequence[int], **details: object
) -> None:
    """One entry for a reminder about ``account_ids`` (recorded, queued, sent, cancelled):
    the accounts as its target, the channel and recipient as what it became. No accounts (a
    double click found them all reminded already): nothing happened, nothing is recorded."""
    if not account_ids:
        return
    target = ", ".join(audit.account_labels(session, account_ids)) or "pengingat"
    audit.record(session, actor, action, target, None, details or None)
