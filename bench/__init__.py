"""Pantau's benchmarks (issue #8): each prints one ``P<n> name ratio=… goal<=… PASS|FAIL`` line.

See ``bench/README.md`` for what each measures and how to run it.
"""

from collections.abc import Callable, Iterable
from typing import Any, Protocol


class BenchResult(Protocol):
    @property
    def passed(self) -> bool: ...

    def details(self) -> Iterable[str]: ...

    def line(self) -> str: ...


def report(result: BenchResult, emit: Callable[[str], Any] = print) -> int:
    """Print a benchmark's detail lines, then its verdict line; the exit status to return."""
    for detail in result.details():
        emit(detail)
    emit(result.line())
    return 0 if result.passed else 1
