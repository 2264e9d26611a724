"""How slow the machine is right now: wall seconds per CPU second of this process.

On a shared machine a process gets a share of a core, so a step that takes one CPU second at idle takes several of
wall. A time limit counts wall seconds; reserves estimated in CPU seconds are scaled by what the process has seen.
"""

from __future__ import annotations

SLOWEST = 8.0  # wall seconds per CPU second assumed at most (2 cores, 16 busy processes)
TOO_LITTLE = 0.2  # CPU seconds below which nothing is told: 1


def slowness(wall_s: float, cpu_s: float) -> float:
    """Wall seconds per CPU second over an interval: 1 on an idle machine or when too little ran, at most SLOWEST."""
    if cpu_s < TOO_LITTLE:
        return 1.0
    return min(SLOWEST, max(1.0, wall_s / cpu_s))
