"""Cost of sealing and opening bids: key making, sealing, opening, per bid (medians of a few runs).

Run: PYTHONPATH=src python bench/sealed_bids.py [BIDS] [RUNS]. Prints numbers; nothing is asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal

from homecoming.procurement import sealing


def run_once(bids: int) -> dict[str, float]:
    started = time.perf_counter()
    keys = sealing.make_tender_keys("BENCH", threshold=3, members=5)
    made = time.perf_counter()
    sealed = [sealing.seal_bid(keys.public_key, "BENCH", f"b{i}", Decimal(100_000 + i), "AZN") for i in range(bids)]
    sealed_at = time.perf_counter()
    private = sealing.unwrap_private_key("BENCH", keys.wrapped_private_key, list(keys.shares[:3]))
    opened = [sealing.open_bid(private, "BENCH", f"b{i}", s).price for i, s in enumerate(sealed)]
    done = time.perf_counter()
    assert opened[-1] == Decimal(100_000 + bids - 1)
    return {
        "make keys + split (ms)": (made - started) * 1e3,
        "seal one bid (µs)": (sealed_at - made) / bids * 1e6,
        "open one bid (µs)": (done - sealed_at) / bids * 1e6,
        f"open all {bids} (ms)": (done - sealed_at) * 1e3,
    }


def main() -> None:
    bids = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    results = [run_once(bids) for _ in range(runs)]
    print(f"{'measure':<28}{'median':>12}{'min':>12}{'max':>12}   ({runs} runs, {bids} bids)")
    for name in results[0]:
        values = [r[name] for r in results]
        print(f"{name:<28}{statistics.median(values):>12.1f}{min(values):>12.1f}{max(values):>12.1f}")


if __name__ == "__main__":
    main()
