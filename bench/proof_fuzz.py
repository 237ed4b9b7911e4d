"""Proof (issue #7 item 5): fuzzed registry and data imports, the long run.

Runs the hypothesis properties of ``tests/test_proof_fuzz.py`` (where the generated files, the
expected outcome of every row and the checks are described) with many more cases: by default
10,000 files, a third each of registry, posts and follower-count imports, each imported into a
fresh copy of a database and checked. Prints a summary line; exits 1 on the first failure,
after hypothesis has shrunk it to a small file and printed it.

Run: ``PYTHONPATH=. .venv/bin/python -m bench.proof_fuzz [--examples 10000]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from testkit.db_support import TemplateCopies
from testkit.fuzz_check import KINDS, Cases, prove


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proof_fuzz", description=__doc__)
    parser.add_argument("--examples", type=int, default=10_000, help="in all, over the 3 kinds")
    args = parser.parse_args(argv)
    started, failures = time.perf_counter(), 0
    with tempfile.TemporaryDirectory(prefix="pantau-fuzz-") as tmp:
        cases = Cases(TemplateCopies(Path(tmp)))
        for kind in KINDS:
            try:
                prove(kind, -(-args.examples // len(KINDS)), cases)
            except Exception:  # the falsifying file and what went wrong, then stop
                traceback.print_exc()
                failures += 1
                break
            finally:
                print(f"  {kind}: {cases.counts[kind]} files imported and checked", flush=True)
    c, elapsed = cases.counts, time.perf_counter() - started
    print(f"  rows={c['rows']} (bad={c['bad']}, garbage={c['garbage']}), xlsx files={c['xlsx']}, "
          f"files refused for a missing required column={c['refused']}")  # fmt: skip
    verdict = "FAIL" if failures else "PASS"
    total = sum(c[k] for k in KINDS)
    print(f"proof_fuzz examples={total} failures={failures} in {elapsed:.0f}s {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
