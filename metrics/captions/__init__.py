"""The caption checker: the office's rules for a post's caption, as pure functions.

Diskominfo Sintang's guidance (``shared/seed``): every post names the official, the
activity, the place, the time and who attended; no typos; no terms the public cannot follow;
only activities of the OPD's head, secretary, division heads and functional officials.

Official level (``official_level``): the highest-ranking title featured as the actor, i.e.
outside attendee clauses ("Turut hadir ...", "dihadiri ...", "didampingi ...") and not after
"mewakili"/"atas nama" nor inside a place ("Kantor Bupati"); titles in attendee clauses count
only when there is no other. A title without a name still sets the level.

- ``regent``: Bupati, Wakil Bupati (also Plt./Pj. Bupati).
- ``head``: Sekda/Sekretaris Daerah, Asisten, Staf Ahli, Kepala Dinas/Kadis, Kepala
  Badan/Kaban, Kepala <OPD> (Kepala Bappeda, Kepala BPBD, ...), Kepala Pelaksana, Kepala
  Satpol PP, Camat, Direktur (RSUD), Inspektur (Daerah), Kepala Bagian/Kabag (Setda),
  Sekretaris DPRD/Sekwan.
- ``secretary``: Sekretaris (Dinas/Badan/Inspektorat), Sekdis, Sekban, Sekretaris
  Camat/Sekcam, Wakil Direktur.
- ``division_head``: Kepala Bidang/Kabid, Kepala Seksi/Kasi, Kepala Subbagian/Kasubbag,
  Kepala Subbidang, Kepala UPT(D), Kepala Puskesmas, Kepala Sekolah, Lurah, Inspektur
  Pembantu/Irban.
- ``functional``: Pranata Humas, Penyuluh ..., Analis ..., Perencana, Pengawas ..., Auditor,
  Dokter, Bidan, Perawat, Apoteker, Pustakawan, Arsiparis, Guru and other functional titles.
- ``other``: no OPD rank but someone else: staff, ASN, pegawai, honorer, tim, petugas
  ("Senam pagi staf"), or officials outside the OPD ranks (Kepala Desa, Ketua, Kapolres,
  Gubernur, ...). Such posts are outside the office's rule and are listed separately.
- ``none``: no person at all ("Dokumentasi kegiatan.").

Score (0-100, an integer):

    score = 15 x (number of the five elements present: official, activity, location,
                  time, attendees)                                           # up to 75
          + max(0, 10 - 4 x number of misspelt words)                       # up to 10
          + max(0, 10 - 5 x number of unexplained jargon terms)             # up to 10
          + 5 if the caption has at least 80 characters and is not all capitals  # up to 5

The level does not change the score (it is reported, and the office lists posts outside its
rule separately). Adding a missing element never lowers the score. When the dictionary is not
installed nothing is reported as a typo (the 10 spelling points are kept) and the advice says
so.
"""

from __future__ import annotations

from metrics.captions.check import (
    CLEAN_MASK,
    COMPLETE_MASK,
    REPORT_COLUMNS,
    caption_reports,
    caption_scores,
    check_caption,
    checklist_flags,
)
from metrics.captions.report import CaptionReport, JargonTerm, Typo
from metrics.captions.spelling import DEFAULT_DICTIONARY, Speller, shared_speller

# Levels whose activities the office's rule allows on an OPD account. The regent's activities
# are kept in: an OPD posts them when its head takes part; the rule is aimed at staff posts.
LEVELS_WITHIN_RULE = frozenset({"regent", "head", "secretary", "division_head", "functional"})
ELEMENT_NAMES = ("official", "activity", "location", "time", "attendees")

__all__ = [
    "CLEAN_MASK",
    "COMPLETE_MASK",
    "DEFAULT_DICTIONARY",
    "ELEMENT_NAMES",
    "LEVELS_WITHIN_RULE",
    "REPORT_COLUMNS",
    "CaptionReport",
    "JargonTerm",
    "Speller",
    "Typo",
    "caption_reports",
    "caption_scores",
    "check_caption",
    "checklist_flags",
    "shared_speller",
]
