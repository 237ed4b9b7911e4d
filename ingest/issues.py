"""Problems found in an imported file, each rendered in English (CLI) and Indonesian (dashboard).

All wording lives in :data:`TEMPLATES`, keyed by issue code, so both languages stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["en", "id"]
Severity = Literal["error", "warning"]

DATE_HINT_EN = "Use a format like 2026-11-26 08:30 or 26/11/2026 08:30."
DATE_HINT_ID = "Gunakan format 2026-11-26 08:30 atau 26/11/2026 08:30."

# code -> (English, Indonesian); placeholders come from the issue's params plus ``column``.
TEMPLATES: dict[str, tuple[str, str]] = {
    "not_table": (
        "cannot read {file}: it is neither a CSV file nor an Excel .xlsx workbook.",
        "Berkas {file} tidak dapat dibaca: berkas ini bukan CSV maupun Excel .xlsx.",
    ),
    "xls_format": (
        "cannot read {file}: the old Excel .xls format is not supported; "
        "save it as .xlsx or CSV (UTF-8).",
        "Berkas {file} tidak dapat dibaca: format Excel lama .xls belum didukung. "
        "Mohon simpan ulang sebagai .xlsx atau CSV (UTF-8).",
    ),
    "xlsx_broken": (
        "cannot read {file}: the Excel workbook is damaged or not a real .xlsx file ({detail}).",
        "Berkas {file} tidak dapat dibaca: berkas Excel rusak atau bukan .xlsx yang sah.",
    ),
    "not_utf8": (
        "cannot read {file}: line {bad_line} is not UTF-8 text. "
        "Save the file as 'CSV UTF-8' and try again.",
        "Berkas {file} tidak dapat dibaca: baris {bad_line} bukan teks UTF-8. "
        "Mohon simpan berkas sebagai 'CSV UTF-8' lalu coba lagi.",
    ),
    "empty_file": (
        "cannot read {file}: the file is empty (no header line).",
        "Berkas {file} tidak dapat dibaca: berkas kosong (tidak ada baris judul kolom).",
    ),
    "missing_columns": (
        "The file lacks the required column(s): {columns}. Expected header: {expected}",
        "Berkas belum memiliki kolom wajib: {columns}. Judul kolom yang diharapkan: {expected}",
    ),
    "unknown_header": (
        "The header ({found}) matches no known format. "
        "Posts need: {posts_header} — follower counts need: {followers_header}",
        "Judul kolom ({found}) tidak sesuai format yang dikenal. "
        "Untuk unggahan gunakan: {posts_header} — untuk jumlah pengikut gunakan: "
        "{followers_header}",
    ),
    "extra_columns": (
        "Column(s) {columns} are not used and were ignored.",
        "Kolom {columns} tidak digunakan dan diabaikan.",
    ),
    "too_many_cells": (
        "the row has {count} cells but the header has {expected}; "
        "put text that contains commas in double quotes. Row skipped.",
        "baris ini berisi {count} sel, padahal judul kolom hanya {expected}. "
        'Mohon beri tanda kutip ganda (") pada teks yang mengandung koma. Baris dilewati.',
    ),
    # the bounded reader's limits (ingest/safe_read.py)
    "file_too_large": (
        "cannot read {file}: the file is larger than {limit_mb} MB; split it into smaller files.",
        "Berkas {file} tidak dapat dibaca: ukurannya lebih dari {limit_mb} MB. "
        "Mohon bagi menjadi beberapa berkas yang lebih kecil.",
    ),
    "xlsx_unpacked_too_large": (
        "cannot read {file}: the workbook unpacks to more than {limit_mb} MB "
        "(or packs suspiciously tightly); save only the needed sheet as a new .xlsx or CSV.",
        "Berkas {file} tidak dapat dibaca: isi berkas Excel ini terlalu besar setelah dibuka. "
        "Mohon simpan hanya lembar yang diperlukan sebagai .xlsx atau CSV baru.",
    ),
    "too_many_rows": (
        "cannot read {file}: it has more than {limit} data rows; split it into smaller files.",
        "Berkas {file} tidak dapat dibaca: jumlah barisnya lebih dari {limit_id}. "
        "Mohon bagi menjadi beberapa berkas yang lebih kecil.",
    ),
    "too_many_columns": (
        "cannot read {file}: line {bad_line} has a value beyond column {limit}; "
        "remove the cells far to the right and try again.",
        "Berkas {file} tidak dapat dibaca: baris {bad_line} berisi nilai di luar kolom ke-{limit}. "
        "Mohon hapus sel-sel yang jauh di sebelah kanan lalu coba lagi.",
    ),
    "blank_rows_stop": (
        "reading stopped after {count} empty rows in a row; anything below was not read.",
        "pembacaan berhenti setelah {count_id} baris kosong berturut-turut; "
        "isi di bawahnya (jika ada) tidak dibaca.",
    ),
    "formula_without_value": (
        "column {column} holds a formula without a computed value; "
        "open the file in Excel, save it again and upload it once more. Row skipped.",
        "kolom {column} berisi rumus tanpa nilai hasil hitungan. Mohon buka berkas di Excel, "
        "simpan ulang, lalu unggah kembali. Baris dilewati.",
    ),
    "unsafe_link": (
        "{column}: {value!r} is not a web address (http or https); the link was left out, "
        "the rest of the row was imported.",
        "Kolom {column}: {value!r} bukan alamat web (http atau https); tautan itu tidak "
        "disimpan, isi baris lainnya tetap diimpor.",
    ),
    "missing_value": (
        "column {column} is empty but required.",
        "kolom {column} wajib diisi, tetapi masih kosong.",
    ),
    "too_long": (
        "the value in column {column} is longer than {limit} characters.",
        "isi kolom {column} lebih dari {limit} karakter.",
    ),
    "bad_date": (
        "date '{value}' in column {column} is not valid. " + DATE_HINT_EN,
        "tanggal '{value}' pada kolom {column} tidak valid. " + DATE_HINT_ID,
    ),
    "future_date": (
        "date '{value}' in column {column} lies in the future.",
        "tanggal '{value}' pada kolom {column} berada di masa depan. Mohon periksa kembali.",
    ),
    "past_date": (
        "date '{value}' in column {column} lies before 1900; please check the year.",
        "tanggal '{value}' pada kolom {column} sebelum tahun 1900. Mohon periksa tahunnya.",
    ),
    "bad_count": (
        "'{value}' in column {column} is not a number. Write whole numbers such as 12345 "
        "or 12.345, or leave the cell empty if unknown.",
        "'{value}' pada kolom {column} bukan angka. Mohon tulis bilangan bulat seperti 12345 "
        "atau 12.345, atau kosongkan sel jika tidak diketahui.",
    ),
    "negative_count": (
        "'{value}' in column {column} is negative; counts cannot be below zero.",
        "'{value}' pada kolom {column} bernilai negatif; jumlah tidak boleh kurang dari nol.",
    ),
    "count_too_large": (
        "'{value}' in column {column} is too large to be a count.",
        "'{value}' pada kolom {column} terlalu besar untuk sebuah jumlah. Mohon periksa kembali.",
    ),
    "fractional_count": (
        "'{value}' in column {column} is not a whole number.",
        "'{value}' pada kolom {column} bukan bilangan bulat.",
    ),
    "unknown_platform": (
        "platform '{value}' is not known. Use one of: {choices}.",
        "platform '{value}' tidak dikenal. Gunakan salah satu dari: {choices}.",
    ),
    "handle_empty": (
        "the {platform} account name is empty.",
        "nama akun {platform} masih kosong.",
    ),
    "handle_spaces": (
        "the {platform} account name '{value}' contains spaces.",
        "nama akun {platform} '{value}' mengandung spasi.",
    ),
    "handle_chars": (
        "the {platform} account name '{value}' contains characters not allowed there: {chars}.",
        "nama akun {platform} '{value}' mengandung karakter yang tidak diizinkan: {chars}.",
    ),
    "handle_length": (
        "the {platform} account name '{value}' must be {low} to {high} characters long.",
        "panjang nama akun {platform} '{value}' harus {low} sampai {high} karakter.",
    ),
    "handle_wrong_site": (
        "'{value}' is not a {platform} address.",
        "'{value}' bukan alamat {platform}.",
    ),
    "handle_not_profile": (
        "'{value}' is not the address of a {platform} profile (it may be a single post).",
        "'{value}' bukan alamat profil {platform} (mungkin alamat satu unggahan saja).",
    ),
    "handle_without_platform": (
        "account '{value}' is given without a platform.",
        "akun '{value}' diisi tanpa platform. Mohon isi kolom {column}.",
    ),
    "platform_without_handle": (
        "platform {platform} is given without an account name.",
        "platform {platform} diisi tanpa nama akun. Mohon isi kolom {column}.",
    ),
    "bad_email": (
        "'{value}' is not a valid e-mail address.",
        "'{value}' bukan alamat e-mail yang valid.",
    ),
    "duplicate_account": (
        "account {platform} '{value}' already belongs to {opd} (line {first_line}); "
        "the first entry was kept.",
        "akun {platform} '{value}' sudah tercatat untuk {opd} (baris {first_line}); "
        "data pertama yang dipakai.",
    ),
    "opd_conflict": (
        "OPD {code} was named '{first_name}' on line {first_line}; that name was kept.",
        "OPD {code} sudah bernama '{first_name}' pada baris {first_line}; nama itu yang dipakai.",
    ),
    "unknown_handle": (
        "account {platform} '{value}' is not in the registry ({count} row(s): lines {lines}). "
        "Register it first; these rows were skipped.",
        "akun {platform} '{value}' belum terdaftar ({count} baris: baris {lines}). "
        "Mohon daftarkan akun tersebut terlebih dahulu; baris-baris ini dilewati.",
    ),
    "duplicate_row": (
        "same entry as line {first_line} ({key}); the later line was kept.",
        "data sama dengan baris {first_line} ({key}); yang dipakai adalah baris yang terakhir.",
    ),
}


def render(code: str, params: dict[str, object], lang: Lang) -> str:
    """Fill the template of ``code``; an unknown code still yields something readable."""
    english, indonesian = TEMPLATES.get(code, (code + ": {params}", code + ": {params}"))
    template = english if lang == "en" else indonesian
    return template.format(params=params, **params)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class RowIssue:
    """One problem; ``line`` is the line the user sees in the file, 0 for the whole file."""

    line: int
    column: str | None
    code: str
    severity: Severity = "error"
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: Lang = "en") -> str:
        body = render(self.code, {"column": self.column or "", **self.params}, lang)
        if self.line <= 0:
            return _capitalise(body)
        prefix = "Line" if lang == "en" else "Baris"
        return f"{prefix} {self.line}: {body}"


class IssueError(ValueError):
    """A value that cannot be used; carries the code so callers can report it in both languages."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(render(code, {"column": "", **params}, "en"))

    def message(self, lang: Lang = "en") -> str:
        return render(self.code, {"column": "", **self.params}, lang)

    def at(self, line: int, column: str | None = None) -> RowIssue:
        return RowIssue(line=line, column=column, code=self.code, params=dict(self.params))


def format_lines(lines: list[int], limit: int = 10) -> str:
    """``3, 5, 9`` — long lists are cut so a message stays readable."""
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (", …" if len(lines) > limit else "")
