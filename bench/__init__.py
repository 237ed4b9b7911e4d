"""Pantau's benchmarks (issue #8): each prints one ``P<n> name ratio=… goal<=… PASS|FAIL`` line.

See ``bench/README.md`` for what each measures and how to run it.
"""
