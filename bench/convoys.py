"""Vehicle packing on random groups: how far above a lower bound each group's vehicles are, and how long it took.

    python bench/convoys.py                          # both families, this tree's packing
    python bench/convoys.py --engine-src /tmp/old/src  # another copy's packing, measured against this tree's bound

Families: `mix45` (45 seats, the registry's size mix, a random mix or one to three sizes, 1 to 5,000 households)
and `varied` (8 to 60 seats, sizes up to the seats, some just over a half, a third or a quarter of them). Each
group's vehicles are compared with this tree's packing bound, or where they are more than one above it, with the
cutting-stock bound (convoys.strong_bound); the floor of issue 18 is one vehicle above the bound. Printed: groups,
groups above bound + 1, the worst excess, and the slowest group.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(HERE))

from homecoming.optimisation.allocation.convoys import packing_bound, strong_bound  # noqa: E402

SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
WEIGHTS = (6, 10, 15, 22, 21, 14, 8, 4)


def _mix45(rng: random.Random) -> tuple[list[int], int]:
    n = rng.choice([rng.randint(1, 60), rng.randint(40, 400), rng.randint(400, 5000)])
    mode = rng.random()
    if mode < 0.5:
        return rng.choices(SIZES, weights=WEIGHTS, k=n), 45
    if mode < 0.75:
        return rng.choices(SIZES, weights=[rng.random() for _ in SIZES], k=n), 45
    return rng.choices(rng.sample(SIZES, rng.randint(1, 3)), k=n), 45


def _varied(rng: random.Random) -> tuple[list[int], int]:
    seats = rng.choice([8, 10, 12, 20, 30, 45, 50, 60])
    top = min(seats, rng.choice([4, 8, 12, 16]))
    sizes = list(range(1, top + 1))
    n = rng.choice([rng.randint(1, 60), rng.randint(40, 400), rng.randint(400, 3000)])
    mode = rng.random()
    if mode < 0.4:
        return rng.choices(sizes, weights=[rng.random() for _ in sizes], k=n), seats
    if mode < 0.7:
        some = rng.sample(sizes, min(top, rng.randint(1, 3)))
        return rng.choices(some, weights=[rng.random() for _ in some], k=n), seats
    odd = [seats // 2 + 1, seats // 3 + 1, seats // 4 + 1]
    return [min(seats, rng.choice([*odd, 1 + rng.randrange(top)])) for _ in range(n)], seats


FAMILIES = {"mix45": _mix45, "varied": _varied}


def _engine(src: str | None) -> ModuleType:
    """The convoys module to measure: this tree's, or another copy's loaded from its file (with this tree's
    imports for anything it imports)."""
    path = Path(src or HERE) / "homecoming/optimisation/allocation/convoys.py"
    spec = importlib.util.spec_from_file_location("measured_convoys", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=2500, help="per family")
    parser.add_argument("--engine-src", help="measure the packing of this src folder (e.g. an older commit's)")
    parser.add_argument("--group-seconds", type=float, default=0.2, help="CP-SAT's time per group")
    args = parser.parse_args()
    engine = _engine(args.engine_src)
    print(f"{'family':>8} {'groups':>7} {'above+1':>8} {'worst':>6} {'slowest ms':>11} {'total s':>8}")
    for name, make in FAMILIES.items():
        above, worst, slowest, started = 0, 0, 0.0, time.perf_counter()
        for seed in range(args.groups):
            sizes, seats = make(random.Random(seed))
            t = time.perf_counter()
            vehicles = engine.pack(sizes, seats, args.group_seconds)
            slowest = max(slowest, time.perf_counter() - t)
            if sorted(i for v in vehicles for i in v) != list(range(len(sizes))):
                raise SystemExit(f"{name} group {seed}: a household is missing or split")
            if any(sum(sizes[i] for i in v) > seats for v in vehicles):
                raise SystemExit(f"{name} group {seed}: a vehicle carries more people than its seats")
            excess = len(vehicles) - packing_bound(sizes, seats)
            if excess > 1:  # the dearer bound only where the cheap one leaves the group above the floor
                excess = len(vehicles) - strong_bound(sizes, seats)
            above += excess > 1
            worst = max(worst, excess)
        total = time.perf_counter() - started
        print(f"{name:>8} {args.groups:>7} {above:>8} {worst:>6} {1000 * slowest:>11.1f} {total:>8.1f}")


if __name__ == "__main__":
    main()
