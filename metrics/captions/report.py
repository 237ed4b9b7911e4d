"""The caption report: the score, the advice in plain Indonesian and the CLI's two formats."""

from __future__ import annotations

from dataclasses import dataclass

ELEMENT_POINTS = 15  # each of official, activity, location, time, attendees
SPELLING_POINTS, TYPO_COST = 10, 4
JARGON_POINTS, JARGON_COST = 10, 5
FORM_POINTS, MIN_LENGTH = 5, 80
ELEMENTS = ("official", "activity", "location", "time", "attendees")
GUIDANCE = "Sesuai arahan Bidang Komunikasi Publik Diskominfo Sintang"
NO_SPELLER = "Pemeriksaan ejaan tidak tersedia: kamus hunspell-id belum terpasang di server."
ELEMENT_LABELS = {
    "official": "Pejabat (jabatan dan nama)",
    "activity": "Kegiatan",
    "location": "Lokasi",
    "time": "Waktu (hari, tanggal atau jam)",
    "attendees": "Yang hadir",
}
LEVEL_LABELS = {
    "regent": "Bupati/Wakil Bupati",
    "head": "Pimpinan perangkat daerah (kepala dinas/badan, camat, Sekda)",
    "secretary": "Sekretaris",
    "division_head": "Kepala bidang/seksi/subbagian",
    "functional": "Pejabat fungsional",
    "other": "Di luar arahan (staf, tim atau pihak lain)",
    "none": "Tidak ada pejabat atau orang yang disebut",
}
ADVICE = {
    "official": (
        f"{GUIDANCE}, sebutkan jabatan dan nama pejabat yang melaksanakan kegiatan, misalnya "
        "'Kepala Dinas Kesehatan Kabupaten Sintang, dr. Harjono Salim, M.Kes.'."
    ),
    "official_name": (
        "Tuliskan nama lengkap pejabat di samping jabatannya, misalnya "
        "'Camat Dedai, Yohanes, S.Sos.', bukan jabatannya saja."
    ),
    "activity": (
        "Jelaskan kegiatan apa yang dilaksanakan, misalnya "
        "'membuka sosialisasi pencegahan stunting'."
    ),
    "location": "Sebutkan lokasi kegiatan, misalnya 'di Aula Kantor Bupati Sintang'.",
    "time": (
        "Sebutkan waktu kegiatan, misalnya 'Senin, 12 Mei 2025 pukul 09.00 WIB'; "
        "kata 'hari ini' saja belum cukup."
    ),
    "attendees": (
        "Sebutkan siapa saja yang hadir, misalnya "
        "'Turut hadir para kepala desa se-Kecamatan Dedai'."
    ),
    "short": (
        "Jika mampu, tambahkan keterangan yang lebih panjang tentang kegiatan ini "
        "(saat ini hanya {length} karakter)."
    ),
    "caps": (
        "Mohon tidak menulis seluruh keterangan dengan huruf kapital; gunakan huruf kapital "
        "di awal kalimat dan untuk nama saja."
    ),
    "level": (
        f"{GUIDANCE}, kegiatan yang diposting adalah kegiatan pimpinan OPD, sekretaris, "
        "kepala bidang dan pejabat fungsional; kegiatan staf sebaiknya tidak diunggah di akun "
        "resmi."
    ),
}


@dataclass(frozen=True)
class Typo:
    word: str
    suggestions: tuple[str, ...]


@dataclass(frozen=True)
class JargonTerm:
    term: str
    suggestion: str


@dataclass(frozen=True)
class CaptionReport:
    """What a caption has and lacks by the office's guidance, its score and the advice."""

    official: bool
    activity: bool
    location: bool
    time: bool
    attendees: bool
    official_level: str
    length: int
    typos: tuple[Typo, ...]
    jargon: tuple[JargonTerm, ...]
    score: int
    advice: tuple[str, ...]
    all_caps: bool = False
    spelling_checked: bool = True

    def to_dict(self) -> dict[str, object]:
        """The JSON of ``cli.py caption-check --format json`` (exactly these keys)."""
        return {
            **{name: getattr(self, name) for name in ELEMENTS},
            "official_level": self.official_level,
            "length": self.length,
            "typos": [{"word": t.word, "suggestions": list(t.suggestions)} for t in self.typos],
            "jargon": [{"term": j.term, "suggestion": j.suggestion} for j in self.jargon],
            "score": self.score,
            "advice": list(self.advice),
        }

    def to_text(self) -> str:
        """A readable Indonesian checklist for the CLI's text format."""
        lines = ["Pemeriksaan keterangan unggahan"]
        for name in ELEMENTS:
            mark = "✓" if getattr(self, name) else "✗"
            lines.append(f"  {mark} {ELEMENT_LABELS[name]}")
        lines.append(f"Tingkat pejabat: {LEVEL_LABELS[self.official_level]}")
        lines.append(f"Panjang: {self.length} karakter")
        lines.append(f"Salah ketik: {_typos_text(self.typos, self.spelling_checked)}")
        jargon = "; ".join(f"{j.term} → {j.suggestion}" for j in self.jargon)
        lines.append(f"Istilah sulit: {jargon or 'tidak ada'}")
        lines.append(f"Skor: {self.score}/100")
        lines.append("Saran:")
        advice = self.advice or ("Tidak ada: keterangan sudah sesuai arahan.",)
        lines.extend(f"  - {sentence}" for sentence in advice)
        return "\n".join(lines)


def _typos_text(typos: tuple[Typo, ...], checked: bool) -> str:
    if not checked:
        return "tidak diperiksa"
    if not typos:
        return "tidak ada"
    return "; ".join(
        f"{t.word} → {', '.join(t.suggestions)}" if t.suggestions else t.word for t in typos
    )


def caption_score(
    elements: int, typos: int, jargon: int, length: int, *, all_caps: bool = False
) -> int:
    """15 per element + 10 minus 4 per typo + 10 minus 5 per term + 5 for length and form."""
    spelling = max(0, SPELLING_POINTS - TYPO_COST * typos)
    plain = max(0, JARGON_POINTS - JARGON_COST * jargon)
    form = FORM_POINTS if length >= MIN_LENGTH and not all_caps else 0
    return ELEMENT_POINTS * elements + spelling + plain + form


def advice_for(report: CaptionReport) -> tuple[str, ...]:
    """One polite, concrete sentence per missing element or problem."""
    out: list[str] = []
    if not report.official:
        named_title = report.official_level not in ("none", "other")
        out.append(ADVICE["official_name" if named_title else "official"])
    out.extend(ADVICE[name] for name in ELEMENTS[1:] if not getattr(report, name))
    if report.typos:
        words = ", ".join(_typo_hint(t) for t in report.typos)
        out.append(
            f"Periksa kembali ejaan: {words}. Sebaiknya ketik dulu di komputer agar tidak "
            "salah ketik."
        )
    if not report.spelling_checked:
        out.append(NO_SPELLER)
    if report.jargon:
        terms = ", ".join(f"'{j.term}' dengan '{j.suggestion}'" for j in report.jargon)
        out.append(
            f"{GUIDANCE}, hindari istilah yang sulit dimengerti masyarakat: ganti {terms}, "
            "atau tuliskan kepanjangannya."
        )
    if report.length < MIN_LENGTH:
        out.append(ADVICE["short"].format(length=report.length))
    if report.all_caps:
        out.append(ADVICE["caps"])
    if report.official_level == "other":
        out.append(ADVICE["level"])
    return tuple(out)


def _typo_hint(typo: Typo) -> str:
    if not typo.suggestions:
        return f"'{typo.word}'"
    return f"'{typo.word}' (mungkin '{typo.suggestions[0]}')"
