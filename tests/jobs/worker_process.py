"""A real `homecoming worker` process for the fault tests, and the kill-then-rescue steps they share.

The worker is stopped in a stage by its test hook (HOMECOMING_JOB_TEST_PAUSE_AT, see homecoming.jobs.worker): it
prints `paused at <stage>` and waits there to be killed.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from job_support import WAIT_LIMIT_S
from sqlalchemy import Engine

from homecoming.jobs.worker import PAUSE_ENV

SRC = Path(__file__).resolve().parents[2] / "src"
LEASE_S = 3  # short, so that the next worker takes a killed worker's job over soon
STARTED = "waiting for jobs"  # what `homecoming worker` prints once its signal handler is in place


class WorkerProcess:
    """`python -m homecoming worker` on the test's database; its output is read line by line as it comes."""

    def __init__(self, database_url: str, pause_at: str | None = None) -> None:
        env = os.environ | {"HOMECOMING_DATABASE_URL": database_url, "PYTHONPATH": str(SRC)}
        env.pop(PAUSE_ENV, None)
        if pause_at is not None:
            env[PAUSE_ENV] = pause_at
        self.process = subprocess.Popen(
            [sys.executable, "-m", "homecoming", "worker", "--poll-seconds", "0.2", "--lease-seconds", str(LEASE_S)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str) -> None:
        if any(text in line for line in self.output):
            return
        deadline = time.monotonic() + WAIT_LIMIT_S
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.output)
                continue
            self.output.append(line)
            if text in line:
                return
        raise AssertionError(f"the worker never said {text!r}:\n{''.join(self.output)}")

    def drain(self) -> list[str]:
        """Everything it has said so far (after it stopped: everything)."""
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return self.output

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait() == -signal.SIGKILL

    def stop(self) -> None:
        """SIGTERM: it stops between jobs and says goodbye (once it is up: before, SIGTERM would just end Python)."""
        self.wait_for(STARTED)
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=WAIT_LIMIT_S) == 0
        self.reader.join(timeout=WAIT_LIMIT_S)


def integrity(engine: Engine) -> str:
    """SQLite's own check of the file (PostgreSQL keeps its own consistency: 'ok')."""
    if engine.dialect.name != "sqlite":
        return "ok"
    path = engine.url.database
    assert path is not None
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def kill_paused(database_url: str, stage: str) -> None:
    """A worker that takes the next job and stops in `stage`, SIGKILLed there: the job stays running under the dead
    worker's lease, and nothing else touches it until the caller starts the next worker (`rescuer`)."""
    worker = WorkerProcess(database_url, pause_at=stage)
    worker.wait_for(f"paused at {stage}")
    worker.kill()


@contextmanager
def rescuer(database_url: str) -> Iterator[WorkerProcess]:
    """The next worker, stopped on leaving. Start it only after checking what the killed one left: one started before
    would take the job over as soon as the dead worker's lease runs out (LEASE_S), and on a busy machine that can
    come before the check has read."""
    worker = WorkerProcess(database_url)
    try:
        yield worker
    finally:
        worker.stop()
