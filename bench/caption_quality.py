"""Caption checker quality (issue #19): precision, recall and F1 per element, and throughput.

Reads the labelled captions of ``bench/captions_labelled.tsv`` (the labelling rules are in its
header comments), runs ``metrics.captions.check_caption`` on each and compares its five elements
(official, activity, location, time, attendees) with the labels. Then times ``check_caption``
one caption after another, on one core, over a sample of the demo world's captions, and prints
the rate as a ratio to the issue's goal of 2,000 captions a second.

Run from the project root:

    .venv/bin/python -m bench.caption_quality             # the table and the throughput
    .venv/bin/python -m bench.caption_quality --misses    # also the misclassified ids
    .venv/bin/python -m bench.caption_quality --sample 0  # no throughput

It reports; it never fails on the numbers (exit status 0 unless the file cannot be read).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from metrics.captions import ELEMENT_NAMES, check_caption

LABELLED = Path(__file__).resolve().parent / "captions_labelled.tsv"
GOAL_PER_SECOND = 2000.0
DEMO_AS_OF = date(2025, 12, 1)
SAMPLE_SEED = 19


@dataclass(frozen=True)
class Labelled:
    """One labelled caption of the TSV."""

    id: str
    source: str
    pattern: str
    text: str
    labels: dict[str, bool]


@dataclass(frozen=True)
class Counts:
    """Confusion counts of one element, and the ids of its misses."""

    tp: int
    fp: int
    fn: int
    tn: int
    false_pos: tuple[str, ...]
    false_neg: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _flag(value: str, where: str) -> bool:
    if value not in ("0", "1"):
        raise ValueError(f"{where}: label must be 0 or 1, got {value!r}")
    return value == "1"


def load_labelled(path: Path) -> list[Labelled]:
    """The captions of the TSV ('#' starts a comment line; the first other line is the header)."""
    lines = [s for s in path.read_text(encoding="utf-8").splitlines() if s and s[0] != "#"]
    header = lines[0].split("\t")
    expected = ["id", "source", "pattern", "text", *ELEMENT_NAMES]
    if header != expected:
        raise ValueError(f"{path}: header must be {expected}, got {header}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(expected):
            raise ValueError(f"{path}: row {number} has {len(cells)} cells, not {len(expected)}")
        flags = {
            e: _flag(v, f"{cells[0]}.{e}") for e, v in zip(ELEMENT_NAMES, cells[4:], strict=True)
        }
        rows.append(Labelled(cells[0], cells[1], cells[2], cells[3], flags))
    return rows


def predict(rows: Sequence[Labelled]) -> list[dict[str, bool]]:
    """The checker's five elements for each caption."""
    reports = (check_caption(row.text) for row in rows)
    return [{e: bool(getattr(r, e)) for e in ELEMENT_NAMES} for r in reports]


def count(rows: Sequence[Labelled], found: Sequence[dict[str, bool]], element: str) -> Counts:
    """Confusion counts of ``element`` over the labelled rows."""
    pairs = [
        (row.id, row.labels[element], got[element]) for row, got in zip(rows, found, strict=True)
    ]
    false_pos = tuple(i for i, want, got in pairs if got and not want)
    false_neg = tuple(i for i, want, got in pairs if want and not got)
    tp = sum(1 for _, want, got in pairs if want and got)
    tn = len(pairs) - tp - len(false_pos) - len(false_neg)
    return Counts(tp, len(false_pos), len(false_neg), tn, false_pos, false_neg)


def quality_lines(counts: dict[str, Counts]) -> list[str]:
    """The per-element table: precision, recall, F1 and the counts."""
    lines = [f"{'element':<10} {'P':>5} {'R':>5} {'F1':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4}"]
    for element, c in counts.items():
        lines.append(
            f"{element:<10} {c.precision:5.3f} {c.recall:5.3f} {c.f1:5.3f} "
            f"{c.tp:>4} {c.fp:>4} {c.fn:>4} {c.tn:>4}"
        )
    return lines


def miss_lines(counts: dict[str, Counts]) -> list[str]:
    """The misclassified ids per element (false positives, then false negatives)."""
    lines = []
    for element, c in counts.items():
        lines.append(f"{element} false positives ({c.fp}): {' '.join(c.false_pos) or '-'}")
        lines.append(f"{element} false negatives ({c.fn}): {' '.join(c.false_neg) or '-'}")
    return lines


def pattern_lines(rows: Sequence[Labelled], counts: dict[str, Counts]) -> list[str]:
    """Wrong element labels per pattern, most first, against the pattern's size."""
    pattern_of = {row.id: row.pattern for row in rows}
    size = Counter(row.pattern for row in rows)
    wrong: Counter[str] = Counter()
    for c in counts.values():
        wrong.update(pattern_of[i] for i in (*c.false_pos, *c.false_neg))
    lines = ["wrong element labels by pattern (captions in the pattern):"]
    lines += [f"  {n:>3}  {p} ({size[p]})" for p, n in wrong.most_common()]
    return lines


def demo_captions(sample: int) -> list[str]:
    """A fixed sample of the demo world's captions that have text."""
    from demo.world import build_world  # only for the throughput: building takes about a second

    world = build_world(as_of=DEMO_AS_OF)
    texts = [c for _, row in world.posts if isinstance(c := row["caption"], str) and c.strip()]
    return random.Random(SAMPLE_SEED).sample(texts, min(sample, len(texts)))


def one_core() -> str:
    """Pin this process to one CPU where the platform allows it; say which."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def throughput(texts: Sequence[str]) -> float:
    """Captions per second through ``check_caption``, one by one, after one warm-up call."""
    check_caption(texts[0])  # loads the lexicon and the dictionary
    start = time.perf_counter()
    for text in texts:
        check_caption(text)
    return len(texts) / (time.perf_counter() - start)


def throughput_lines(sample: int) -> list[str]:
    """The throughput over the demo world's captions, as a ratio to the goal."""
    pinned = one_core()
    texts = demo_captions(sample)
    rate = throughput(texts)
    return [
        f"throughput: {rate:,.0f} captions/s over {len(texts)} demo-world captions "
        f"(check_caption one by one, {pinned})",
        f"throughput ratio to goal: {rate / GOAL_PER_SECOND:.2f} (goal >= 1, "
        f"{GOAL_PER_SECOND:,.0f} captions/s)",
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Caption checker quality (issue #19).")
    parser.add_argument("--labelled", type=Path, default=LABELLED, help="the labelled TSV")
    parser.add_argument("--misses", action="store_true", help="list the misclassified ids")
    parser.add_argument(
        "--sample", type=int, default=2000, help="demo captions to time (0: no throughput)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rows = load_labelled(args.labelled)
    found = predict(rows)
    counts = {e: count(rows, found, e) for e in ELEMENT_NAMES}
    sources = Counter(row.source for row in rows)
    print(f"caption checker on {len(rows)} labelled captions ({dict(sources)}):")
    lines = quality_lines(counts)
    if args.misses:
        lines += miss_lines(counts) + pattern_lines(rows, counts)
    if args.sample > 0:
        lines += throughput_lines(args.sample)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
