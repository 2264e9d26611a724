"""The command's own clock: a time limit given on the command line counts from the command's start.

A user who types `--time-limit 10` expects the answer in about ten seconds of wall time, so the time spent importing
the engine and reading the input comes out of the engine's budget, and a little is kept back for writing the answer.
On a shared machine a second of CPU takes several of wall: what the command has seen so far (`slowness`) scales the
time kept back for writing. Run as the `homecoming` program, a command counts from the process's own start, so
starting the interpreter and importing the engines (seconds on a busy machine) come out of the limit too.
"""

from __future__ import annotations

import os
import time

from homecoming.optimisation import pace

_started = time.monotonic()
_started_cpu = time.process_time()
_age_s: float | None = None  # the process's age when `process_started` was called; the next command starts back then


def process_started() -> None:
    """The process is the `homecoming` program: its next command counts from the process's start."""
    global _age_s
    _age_s = process_age_s()


def command_started() -> None:
    """A command starts now, or at the process's start when it is the program's own command (`process_started`);
    the `homecoming` group calls this, and a test runs many commands in one process."""
    global _started, _started_cpu, _age_s
    if _age_s is None:
        _started, _started_cpu = time.monotonic(), time.process_time()
    else:  # process_time() counts from the process's start already
        _started, _started_cpu, _age_s = time.monotonic() - _age_s, 0.0, None


def process_age_s() -> float:
    """Wall seconds since this process started (Linux's /proc; 0 where it cannot be read)."""
    try:
        with open("/proc/self/stat", "rb") as stat, open("/proc/uptime", "rb") as uptime:
            # the fields after the command's name (which may hold spaces); the 22nd field is the start in clock ticks
            started_ticks = int(stat.read().rsplit(b")", 1)[1].split()[19])
            up_s = float(uptime.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return max(0.0, up_s - started_ticks / os.sysconf("SC_CLK_TCK"))


def slowness() -> float:
    """Wall seconds per CPU second since the command started (optimisation/pace.py)."""
    return pace.slowness(time.monotonic() - _started, time.process_time() - _started_cpu)


# The share of a time limit an engine command keeps spare beyond its estimates: an engine stops between steps it
# does not cut short (a neighbourhood's CP-SAT run, the bound's process, the allocation's last re-solves), and the
# reserves below are CPU seconds times a pace that changes with the machine's load (off by 1-2 s at 350,000
# households and at 1,000 settlements, bench/README.md): the command aims to end by 95 % of its limit (57 s of 60).
SPARE_SHARE = 0.05


def engine_seconds(limit_s: float, writing_cpu_s: float | None = None) -> float:
    """What is left of `limit_s` for the engine: the limit less the time since the command started, less a reserve
    for writing (`writing_cpu_s`, the CPU seconds writing is expected to take, times the slowness seen so far and a
    quarter more, when the command can estimate it; else 5%, at most 1 s), less SPARE_SHARE of the limit; never under
    a tenth of the limit, so a command whose start was slow still answers."""
    reserve_s = min(1.0, 0.05 * limit_s) if writing_cpu_s is None else 1.25 * writing_cpu_s * slowness()
    left_s = limit_s - (time.monotonic() - _started) - reserve_s - SPARE_SHARE * limit_s
    return max(0.1 * limit_s, left_s)
