"""Duplicate search on a synthetic registry with planted duplicates: precision, recall and time, by size.

    .venv/bin/python bench/dedupe.py                    # 10,000 and 100,000 people, 5% registered twice
    .venv/bin/python bench/dedupe.py --people 10000 --repeat 3

Each size: the planted registry (households.synthetic_members: typos, another alphabet or romanisation, day and
month swapped, the document left out), the search as `homecoming households dedupe` runs it (households.dedupe:
splink on an in-process DuckDB), then precision and recall of the pairs found at the model's threshold and at a few
others, and the median seconds of the search (`--repeat` runs). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time

from homecoming.households.dedupe import THRESHOLD, Candidate, find_duplicates
from homecoming.households.synthetic_members import PlantedRegistry, planted_registry

THRESHOLDS = (0.1, 0.3, THRESHOLD, 0.7, 0.9)


def scores(found: list[Candidate], registry: PlantedRegistry, threshold: float) -> tuple[int, float, float]:
    pairs = {(c.member_id, c.other_member_id) for c in found if c.match_probability >= threshold}
    true_pairs = len(pairs & registry.duplicates)
    return len(pairs), true_pairs / max(1, len(pairs)), true_pairs / len(registry.duplicates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000], help="distinct people, each size")
    parser.add_argument("--share", type=float, default=0.05, help="share of them registered a second time")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the search per size (median seconds)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{'records':>9} {'planted':>8} {'threshold':>9} {'pairs':>7} {'precision':>9} {'recall':>7} {'median s':>9}")
    for people in args.people:
        registry = planted_registry(people, duplicate_share=args.share, seed=args.seed)
        seconds, found = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            found = find_duplicates(registry.people, threshold=min(THRESHOLDS), seed=0)
            seconds.append(time.perf_counter() - started)
        for threshold in THRESHOLDS:
            pairs, precision, recall = scores(found, registry, threshold)
            mark = "*" if threshold == THRESHOLD else " "
            print(f"{len(registry.people):>9,} {len(registry.duplicates):>8,} {threshold:>8}{mark} {pairs:>7,} "
                  f"{precision:>9.4f} {recall:>7.4f} {statistics.median(seconds):>9.1f}")  # fmt: skip
    print(f"* the model's threshold (households.dedupe.THRESHOLD = {THRESHOLD}): pairs at or above it are listed")


if __name__ == "__main__":
    main()
