"""A time limit given to the `homecoming` program counts from the process's start, imports included."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from homecoming.cli import clock

PROBE = textwrap.dedent(
    """
    import time
    time.sleep(0.6)  # a slow start: the interpreter and the engines' imports
    from homecoming.cli import clock
    {program}
    before = time.monotonic()
    clock.command_started()
    print(before - clock._started)
    """
)


def _counted_before_the_command(program: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(program=program)], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def test_the_program_counts_its_start_up_against_the_limit() -> None:
    assert _counted_before_the_command("clock.process_started()") >= 0.6


def test_a_command_run_inside_another_process_counts_from_its_own_start() -> None:
    assert _counted_before_the_command("") <= 0.0  # started when it was called, not before


def test_only_the_first_command_of_the_program_is_backdated() -> None:
    clock.process_started()
    first = time.monotonic()
    clock.command_started()
    assert clock._started < first  # back to this (test) process's start
    second = time.monotonic()
    clock.command_started()  # a second command in the same process (as the tests run them)
    assert clock._started >= second
