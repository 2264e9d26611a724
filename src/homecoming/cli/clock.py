"""The command's own clock: a time limit given on the command line counts from the command's start.

A user who types `--time-limit 10` expects the answer in about ten seconds of wall time, so the time spent importing
the engine and reading the input comes out of the engine's budget, and a little is kept back for writing the answer.
On a shared machine a second of CPU takes several of wall: what the command has seen so far (`slowness`) scales the
time kept back for writing.
"""

from __future__ import annotations

import time

from homecoming.optimisation import pace

_started = time.monotonic()
_started_cpu = time.process_time()


def command_started() -> None:
    """A command starts now (the `homecoming` group calls this; a test runs many commands in one process)."""
    global _started, _started_cpu
    _started = time.monotonic()
    _started_cpu = time.process_time()


def slowness() -> float:
    """Wall seconds per CPU second since the command started (optimisation/pace.py)."""
    return pace.slowness(time.monotonic() - _started, time.process_time() - _started_cpu)


def engine_seconds(limit_s: float, writing_cpu_s: float | None = None) -> float:
    """What is left of `limit_s` for the engine: the limit less the time since the command started, less a reserve
    for writing (`writing_cpu_s`, the CPU seconds writing is expected to take, times the slowness seen so far and a
    quarter more, when the command can estimate it; else 5%, at most 1 s); never under a tenth of the limit, so a
    command whose start was slow still answers."""
    reserve_s = min(1.0, 0.05 * limit_s) if writing_cpu_s is None else 1.25 * writing_cpu_s * slowness()
    left_s = limit_s - (time.monotonic() - _started) - reserve_s
    return max(0.1 * limit_s, left_s)
