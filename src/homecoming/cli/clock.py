"""The command's own clock: a time limit given on the command line counts from the command's start.

A user who types `--time-limit 10` expects the answer in about ten seconds of wall time, so the time spent importing
the engine and reading the input comes out of the engine's budget, and a little is kept back for writing the answer.
"""

from __future__ import annotations

import time

_started = time.monotonic()


def command_started() -> None:
    """A command starts now (the `homecoming` group calls this; a test runs many commands in one process)."""
    global _started
    _started = time.monotonic()


def engine_seconds(limit_s: float, writing_s: float | None = None) -> float:
    """What is left of `limit_s` for the engine: the limit less the time since the command started, less a reserve
    for writing (`writing_s` when the command can estimate it, else 5%, at most 1 s); never under a tenth of the
    limit, so a command whose start was slow still answers."""
    reserve_s = min(1.0, 0.05 * limit_s) if writing_s is None else writing_s
    left_s = limit_s - (time.monotonic() - _started) - reserve_s
    return max(0.1 * limit_s, left_s)
