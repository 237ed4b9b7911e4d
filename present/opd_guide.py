"""Panduan as an OPD admin reads it: only what concerns the OPD, nothing about the worker,
the command line or the server. Pure text work on docs/panduan_id.md and
docs/panduan_opd_id.md (read by the caller)."""

from __future__ import annotations

# The sections of docs/panduan_id.md an OPD admin reads; the rest (roles, inviting admins,
# the server's credentials, the scheduled worker) concerns Diskominfo's staff only.
OPD_GUIDE_SECTIONS = (
    "Status akun", "Interaksi", "Tingkat interaksi", "Pertumbuhan pengikut",
    "Indeks Kinerja Akun (0–100) dan peringkat", "Unggahan menonjol",
    "Waktu terbaik untuk mengunggah", "Tagar dan akun yang disebut",
    "Unggahan per minggu, jumlah yang diikuti dan interaksi per tayangan",
    "Tingkat balasan dan waktu balasan pertama", "Pemeriksaan caption", "Tinjauan Unggahan",
)  # fmt: skip


def guide_sections(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """(the text before the first '### ' heading, [(heading, whole section text), ...])."""
    intro, *parts = markdown.split("\n### ")
    sections = []
    for part in parts:
        title = part.split("\n", 1)[0].strip()
        sections.append((title, "### " + part.strip()))
    return intro.strip(), sections


def opd_guide(full: str, own: str) -> str:
    """Panduan for an OPD admin: the full guide's introduction, the admin's own pages first
    (``own``: docs/panduan_opd_id.md), the sections of OPD_GUIDE_SECTIONS, then the rest of
    ``own``; nothing about the worker, the command line or the server."""
    intro, sections = guide_sections("\n" + full)
    _, mine = guide_sections("\n" + own)
    kept = [text for title, text in sections if title in OPD_GUIDE_SECTIONS]
    parts = [intro, *[text for _t, text in mine[:1]], *kept, *[text for _t, text in mine[1:]]]
    return "\n\n".join(part for part in parts if part)
