"""The third proof's oracle: import a fuzzed file into a fresh database (``Cases``), then
``check`` the report and the stored rows against what each row expected; ``prove`` runs a
number of hypothesis cases. Used by ``tests/test_proof_fuzz.py`` and ``bench/proof_fuzz.py``."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import Account, FollowerSnapshot, Opd, Post
from ingest.data_import import import_file
from ingest.registry import import_registry, import_registry_records
from testkit.db_support import TemplateCopies
from testkit.fuzz_files import (
    BASE,
    FIELDS,
    POOL,
    WIB,
    Key,
    Sample,
    files,
)


class Cases:
    """Each case gets a copy of one template database holding ``BASE``."""

    def __init__(self, copies: TemplateCopies) -> None:
        self.copies, self.counts = copies, Counter[str]()
        engine = make_engine(copies.template_url)
        upgrade(engine)
        rows = [
            (
                n,
                {
                    "opd_code": BASE[a][0],
                    "opd_name": BASE[BASE[a]][0],
                    "platform": a[0],
                    "handle": a[1],
                },
            )
            for n, a in enumerate(POOL[:-1], start=2)
        ]
        with make_session_factory(engine)() as session:
            import_registry_records(session, rows)
            session.commit()
        engine.dispose()

    def run(self, sample: Sample) -> list[str]:
        """Import the sample into a fresh database, commit, and check the outcome."""
        engine = make_engine(self.copies.fresh())
        with make_session_factory(engine)() as session:
            report: Any = (
                import_registry(session, sample.data, sample.name)
                if (sample.kind == "registry")
                else import_file(session, sample.data, sample.name, tz=WIB)
            )
            session.commit()
        with make_session_factory(engine)() as session:
            problems = check(sample, report, session)
        engine.dispose()
        rows = [r for _, r in sample.rows]
        self.counts.update(
            [sample.kind]
            + ["xlsx"] * sample.name.endswith("x")
            + ["rows"] * len(rows)
            + ["bad"] * sum(bool(r.expect) for r in rows)
            + ["garbage"] * sum(bool(r.garbage) for r in rows)
            + ["refused"] * bool(sample.missing)
        )
        return problems


def stored(session: Any, kind: str) -> dict[Key, Key]:
    """The database's rows by key: posts, follower counts, or OPDs ``(code,)`` and accounts."""
    if kind == "registry":
        opds = session.execute(select(Opd.code, Opd.name))
        accounts = session.execute(select(Account.platform, Account.handle, Opd.code).join(Opd))
        return {(c,): (n,) for c, n in opds} | {(p, h): (c,) for p, h, c in accounts}
    model = FollowerSnapshot if kind == "followers" else Post
    columns = ("observed_at", "followers") if kind == "followers" else ("platform_post_id", *FIELDS)
    rows = session.execute(
        select(Account.platform, Account.handle, *(getattr(model, c) for c in columns)).join(
            Account
        )
    )
    return {tuple(r[:3]): tuple(r[3:]) for r in rows}


def check(sample: Sample, report: Any, session: Any) -> list[str]:
    """Everything that must hold after the import; returns what does not."""
    problems = [
        f"line {i.line}: message {i.message(lang)!r} names no line"
        for i in report.issues
        for lang, word in (("en", "Line"), ("id", "Baris"))
        if i.line > 0 and not i.message(lang).startswith(f"{word} {i.line}: ")
    ]
    errors: dict[int, list[Key]] = defaultdict(list)
    warnings: dict[int, list[Key]] = defaultdict(list)
    for i in report.issues:
        (errors if i.severity == "error" else warnings)[i.line].append((i.column, i.code))
    db = stored(session, sample.kind)
    registry = sample.kind == "registry"
    expected = dict(BASE) if registry else {}
    if sample.missing:
        if dict(errors) != {0: [(None, "missing_columns")]}:
            problems.append(f"a file without {sample.missing} gave {dict(errors)}")
        return problems + ([f"a refused file changed {db}"] if db != expected else [])
    lines = {line for line, _ in sample.rows}
    problems += [
        f"issue on line {n}, which holds no row"
        for n in (*errors, *warnings)
        if n and n not in lines
    ]
    firsts: dict[str, str] = {}  # registry: the first name of each OPD code in the file
    owners: dict[Key, str] = {}  # registry: the OPD of each account's first row in the file
    loose = 0  # registry: accounts from kept garbage rows
    for line, row in sample.rows:
        got = errors.get(line, [])
        if row.expect and row.expect[1] == "unknown_handle":
            listed = report.unknown_handles.get(row.key, [])
            if line not in listed or ("handle", "unknown_handle") not in errors.get(listed[0], []):
                problems.append(f"line {line}: unregistered {row.key} not reported")
            continue
        if row.expect and got != [row.expect]:
            problems.append(f"line {line}: expected {row.expect}, got {got or 'nothing'}")
        elif not row.expect and not row.garbage and got:
            problems.append(f"line {line}: good row rejected: {got}")
        problems += [
            f"line {line}: garbage in {row.garbage} gave {got}"
            for c, _ in got
            if row.garbage and c != row.garbage
        ]
        kept = not row.expect and not (row.garbage and got)
        dup = ("handle", "duplicate_account")  # the row's OPD is kept all the same
        if registry and (kept or row.expect == dup or (row.garbage and got == [dup])):
            code, name = row.opd
            if firsts.setdefault(code, name) != name and (
                ("opd_name", "opd_conflict") not in warnings.get(line, [])
            ):
                problems.append(f"line {line}: no warning about OPD {code}'s other name")
            expected[(code,)] = (firsts[code],)
            loose += bool(kept and row.garbage)
            if kept and row.key:
                expected[row.key] = (owners.setdefault(row.key, code),)
        elif kept:
            if row.key in expected and (
                "duplicate_row" not in [c for _, c in warnings.get(line, [])]
            ):
                problems.append(f"line {line}: repeated {row.key} without a warning")
            expected[row.key] = row.values
    return problems + compare(sample.kind, expected, db, loose, report)


def compare(
    kind: str, expected: dict[Key, Key], db: dict[Key, Key], loose: int, report: Any
) -> list[str]:
    """The database against the model: same keys, and the last good row's values."""
    if kind == "registry":
        extra = [k for k in db if len(k) == 2 and k not in POOL]
        db = {k: v for k, v in db.items() if k not in extra}
        if len(extra) > loose or (loose and not extra):
            return [f"{len(extra)} accounts from {loose} kept garbage rows: {extra[:3]}"]
    elif report.rows_stored != len(expected):
        return [f"report says {report.rows_stored} rows stored, the file had {len(expected)}"]
    problems = [f"missing {k}" for k in expected.keys() - db.keys()]
    problems += [f"unexpected {k}: {db[k]}" for k in db.keys() - expected.keys()]
    return problems + [
        f"{k}: stored {db[k]}, expected {v}"
        for k, v in expected.items()
        if v and k in db and db[k] != v
    ]


KINDS = ("registry", "posts", "followers")


def prove(kind: str, examples: int, cases: Cases, derandomize: bool = False) -> None:
    """``examples`` hypothesis cases of one kind; raises on the first failure (shrunk).
    ``derandomize``: the same cases every run (the test suite); else new ones (the long run)."""

    @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(files(kind))
    def case(sample: Sample) -> None:
        problems = cases.run(sample)
        assert not problems, "\n".join(problems[:10])

    case()
