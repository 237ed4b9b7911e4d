"""Proof (issue #18 item 5): hostile import files are read or refused within 5 s and 200 MB.

Each file (at most 20 MB on disk) is written into a temp folder and imported by
``ingest.data_import.import_file`` (what ``cli.py import`` and Pengaturan's upload call) in a
child process of its own, into a fresh copy of a migrated SQLite database. The child times the
import; the parent reads the child's peak RSS from ``os.wait4``. The time judged is the child's
CPU time for the import: it is single-threaded, so that is its wall time on an idle machine
(the wall time is printed too; it grows with whatever else the machine runs). One line a file:

    lying_dimension.xlsx (0.0 MB on disk) read unknown_handle cpu=0.04s (0.01 of 5 s;
    wall 0.07s) 75 MB (0.38 of 200 MB) PASS

Run: ``PYTHONPATH=. .venv/bin/python -m bench.proof_hostile_imports [--only NAME,...]``.
The builders are small functions, so tests/test_hostile_imports.py makes small versions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess  # nosec B404: runs this module again, fixed argv, no shell
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

SECONDS, MEGABYTES = 5.0, 200.0
POST_HEADER = "platform,handle,post_id,posted_at,caption,likes,comments,shares,views,url"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{DOC_REL}">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)

Chunks = Iterable[str]


def workbook(sheet: Chunks, shared_strings: Chunks = ()) -> bytes:
    """An .xlsx made by hand: openpyxl cannot write a lying or hostile shape."""
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
            book.writestr("[Content_Types].xml", CONTENT_TYPES)
            book.writestr("_rels/.rels", ROOT_RELS)
            book.writestr("xl/workbook.xml", WORKBOOK)
            book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
            _write_member(book, "xl/worksheets/sheet1.xml", sheet)
            strings = list(shared_strings) or [f'<sst xmlns="{MAIN_NS}"/>']
            _write_member(book, "xl/sharedStrings.xml", strings)
        return path.read_bytes()
    finally:
        path.unlink()


def _write_member(book: zipfile.ZipFile, name: str, chunks: Chunks) -> None:
    """Streamed into the zip, so a member of hundreds of MB is never held in memory."""
    with book.open(name, "w", force_zip64=True) as member:
        for chunk in chunks:
            member.write(chunk.encode())


def sheet_xml(rows: Chunks, dimension: str = "") -> Chunks:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'
    yield f'<dimension ref="{dimension}"/>' if dimension else ""
    yield "<sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def row_xml(number: int, values: Sequence[str]) -> str:
    cells = "".join(text_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">{cells}</row>'


def post_values(n: int) -> list[str]:
    return ["instagram", "akun.tidak.ada", f"p{n}", "2026-11-20 08:30", f"unggahan {n}", "5"]


def header_and_posts(count: int, first_line: int = 2) -> list[str]:
    rows = [row_xml(1, POST_HEADER.split(","))]
    return rows + [row_xml(first_line + n, post_values(n)) for n in range(count)]


def lying_dimension(rows: int = 20) -> bytes:
    """A small sheet claiming all of A1:XFD1048576, with a styled empty cell at its far end."""
    far = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    return workbook(sheet_xml([*header_and_posts(rows), far], dimension="A1:XFD1048576"))


def shared_strings_bomb(megabytes: int = 600) -> bytes:
    """A shared-strings table that packs about 1,000:1 and claims a billion entries."""
    item = "<si><t>" + "A" * 1000 + "</t></si>"

    def strings() -> Chunks:
        yield f'<sst xmlns="{MAIN_NS}" count="1000000000" uniqueCount="1000000000">'
        for _ in range(megabytes * 1024 * 1024 // (len(item) * 100)):
            yield item * 100
        yield "</sst>"

    return workbook(sheet_xml(header_and_posts(1)), strings())


def many_shared_strings(count: int = 500_000) -> bytes:
    """As many different short texts as a workbook may hold: packs only about 10:1."""

    def strings() -> Chunks:
        yield f'<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{count}">'
        for start in range(0, count, 10_000):
            stop = min(start + 10_000, count)
            yield "".join(f"<si><t>t{n:08d}x</t></si>" for n in range(start, stop))
        yield "</sst>"

    return workbook(sheet_xml(header_and_posts(1)), strings())


def empty_rows_xlsx(count: int = 1_000_000) -> bytes:
    """Explicit empty rows (as a sheet formatted down to the bottom has), then one post."""

    def rows() -> Chunks:
        yield from header_and_posts(1)
        for start in range(3, count + 3, 10_000):
            yield "".join(f'<row r="{n}"/>' for n in range(start, min(start + 10_000, count + 3)))
        yield row_xml(count + 3, post_values(count))

    return workbook(sheet_xml(rows()))


def empty_rows_csv(count: int = 1_000_000) -> bytes:
    body = POST_HEADER + "\r\n" + ",,,,,,,,,\r\n" * count
    return (body + "instagram,akun.tidak.ada,p1,2026-11-20 08:30,,5,,,,\r\n").encode()


def binary_csv(megabytes: float = 20) -> bytes:
    return random.Random(18).randbytes(int(megabytes * 1024 * 1024) - 1)  # nosec B311


def control_characters_csv(megabytes: float = 20) -> bytes:
    """Valid UTF-8 without a NUL byte, but no text either (a sniff must refuse it)."""
    noise = bytes(random.Random(18).choice(b"\x01\x02\x03\x1b\x7f,abc") for _ in range(4096))
    return noise * int(megabytes * 1024 * 1024 // 4096 - 1)


def late_invalid_utf8_csv(megabytes: float = 19) -> bytes:
    line = b"instagram,akun.tidak.ada,p1,2026-11-20 08:30,teks biasa,5,,,,\r\n"
    good = line * int(megabytes * 1024 * 1024 // len(line))
    return POST_HEADER.encode() + b"\r\n" + good + b"instagram,x,p2,2026-11-20,Sint\xe1ng,1,,,,\r\n"


def wide_row_csv(commas: int = 10_000_000) -> bytes:
    return (POST_HEADER + "\r\n" + "x" + "," * commas + "\r\n").encode()


def wide_row_xlsx(columns: int = 16_384) -> bytes:
    cells = "".join(f'<c r="{_column(n)}2"><v>{n}</v></c>' for n in range(1, columns + 1))
    return workbook(sheet_xml([row_xml(1, POST_HEADER.split(",")), f'<row r="2">{cells}</row>']))


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def many_rows_csv(megabytes: float = 20) -> bytes:
    line = "instagram,akun.tidak.ada,p{},2026-11-20 08:30,,5,,,,\r\n"
    count = int(megabytes * 1024 * 1024 // (len(line) + 5))
    return (POST_HEADER + "\r\n" + "".join(line.format(n) for n in range(count))).encode()


def many_rows_xlsx(count: int = 150_000) -> bytes:
    """More data rows than the readers take, packed small (about 40 bytes a row on disk)."""

    def rows() -> Chunks:
        yield row_xml(1, POST_HEADER.split(","))
        for start in range(2, count + 2, 10_000):
            yield "".join(
                row_xml(n, post_values(n)) for n in range(start, min(start + 10_000, count + 2))
            )

    return workbook(sheet_xml(rows()))


def formula_without_value(rows: int = 3) -> bytes:
    """Counts computed by formulas that a program wrote without their results."""
    lines = header_and_posts(rows)
    lines[-1] = lines[-1].replace("</row>", f'<c r="F{rows + 1}"><f>SUM(F2:F3)</f></c></row>')
    lines[-1] = lines[-1].replace(f'<c r="F{rows + 1}" t="inlineStr"><is><t>5</t></is></c>', "")
    return workbook(sheet_xml(lines))


def not_a_zip() -> bytes:
    return random.Random(5).randbytes(2 * 1024 * 1024)  # nosec B311


HOSTILE: dict[str, Callable[[], bytes]] = {
    "lying_dimension.xlsx": lying_dimension,
    "shared_strings_bomb.xlsx": shared_strings_bomb,
    "many_shared_strings.xlsx": many_shared_strings,
    "million_empty_rows.xlsx": empty_rows_xlsx,
    "million_empty_rows.csv": empty_rows_csv,
    "binary.csv": binary_csv,
    "control_characters.csv": control_characters_csv,
    "late_invalid_utf8.csv": late_invalid_utf8_csv,
    "wide_row.csv": wide_row_csv,
    "wide_row.xlsx": wide_row_xlsx,
    "many_rows.csv": many_rows_csv,
    "many_rows.xlsx": many_rows_xlsx,
    "formula_without_value.xlsx": formula_without_value,
    "not_a_zip.xlsx": not_a_zip,
}


def child(path: Path, db_url: str) -> None:
    """Import one file (in its own process) and print the outcome as one JSON line."""
    from sqlalchemy.orm import Session

    from db.engine import make_engine
    from ingest.data_import import import_file

    with Session(make_engine(db_url)) as session:
        started, cpu = time.perf_counter(), time.process_time()
        report = import_file(session, path)
        session.commit()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    codes = sorted({issue.code for issue in report.issues})
    outcome = "refused" if report.failed else "read"
    print(json.dumps({"seconds": seconds, "cpu": cpu, "outcome": outcome, "codes": codes[:4]}))


def measure(argv: Sequence[str], timeout: float = 60.0) -> tuple[dict[str, object], float]:
    """A child's JSON line and its peak RSS in MB (killed after ``timeout`` seconds).

    Linux keeps the parent's peak as the child's starting peak, so the parent stays small:
    files and the template database are made by children too.
    """
    args = [sys.executable, "-m", "bench.proof_hostile_imports", *argv]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)  # noqa: S603 -- our own interpreter and module  # nosec B603
    deadline = time.monotonic() + timeout
    while not (waited := os.wait4(proc.pid, os.WNOHANG))[0]:
        if time.monotonic() > deadline:
            proc.kill()
            waited = os.wait4(proc.pid, 0)
            return {"seconds": timeout, "outcome": "killed", "codes": []}, waited[
                2
            ].ru_maxrss / 1024
        time.sleep(0.02)
    lines = (proc.stdout.read() if proc.stdout else "").strip().splitlines()
    if waited[1] != 0 or not lines:
        return {"seconds": 0.0, "outcome": f"crashed ({waited[1]})", "codes": []}, 0.0
    return json.loads(lines[-1]), waited[2].ru_maxrss / 1024


def build(folder: Path, name: str) -> None:
    """Write one hostile file, or the migrated template database (``template.db``)."""
    if name == "template.db":
        from db.engine import make_engine
        from db.migrate import upgrade

        engine = make_engine(f"sqlite:///{folder / name}")
        upgrade(engine)
        engine.dispose()
    else:
        (folder / name).write_bytes(HOSTILE[name]())
    print(json.dumps({"seconds": 0.0, "outcome": "built", "codes": []}))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proof_hostile_imports")
    parser.add_argument("--only", default="", help="comma-separated file names")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "DB_URL"), help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, metavar=("FOLDER", "NAME"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child or args.build:
        if args.child:
            child(Path(args.child[0]), args.child[1])
        else:
            build(Path(args.build[0]), args.build[1])
        return 0
    names = [n for n in HOSTILE if not args.only or n in args.only.split(",")]
    failures = 0
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory(prefix="pantau-hostile-") as tmp:
        measure(["--build", tmp, "template.db"], timeout=300)
        for name in names:
            failures += not _prove_one(Path(tmp), name)
    verdict = "FAIL" if failures else "PASS"
    print(f"proof_hostile_imports files={len(names)} failures={failures} {verdict}")
    return 1 if failures else 0


def _prove_one(folder: Path, name: str) -> bool:
    measure(["--build", str(folder), name], timeout=300)
    path, case = folder / name, folder / "case.db"
    size_mb = path.stat().st_size / 1024 / 1024
    shutil.copyfile(folder / "template.db", case)  # the template is closed: a file copy will do
    result, peak = measure(["--child", str(path), f"sqlite:///{case}"])
    seconds, cpu = float(str(result["seconds"])), float(str(result.get("cpu", 0.0)))
    ok = result["outcome"] in ("read", "refused") and cpu <= SECONDS and peak <= MEGABYTES
    codes = ",".join(str(c) for c in result["codes"])  # type: ignore[attr-defined]
    print(
        f"{name} ({size_mb:.1f} MB on disk) {result['outcome']} {codes} "
        f"cpu={cpu:.2f}s ({cpu / SECONDS:.2f} of 5 s; wall {seconds:.2f}s) {peak:.0f} MB "
        f"({peak / MEGABYTES:.2f} of 200 MB) {'PASS' if ok else 'FAIL'}",
        flush=True,
    )
    path.unlink()
    return ok


if __name__ == "__main__":
    sys.exit(main())
