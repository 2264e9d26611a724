"""One piece of work in a forked child process, beside the parent's own, collected by a deadline (issue 18).

The merged relaxation's LP of a large part (network.py) takes 22-29 s of CPU at 350,000 households: too long to
wait for before the sweep's plan, which must come whatever happens. On two cores it runs in a child while the
parent sweeps, prices and re-solves; the parent takes the child's answer if it has come by the deadline and
kills the child otherwise. The child is forked, so it shares the parent's problem without copying it, and sends
back only its answer (pickled through a pipe). Nothing the child does touches the parent's state.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`work(tell)` in a forked child, which may `tell` the parent several answers, each better than the last;
    `result(deadline)` the last one told by then, or None if none was."""

    def __init__(self, work: Callable[[Callable[[T], None]], None]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, send), daemon=True)
        self._process.start()
        send.close()

    def result(self, deadline: float) -> T | None:
        last: T | None = None
        try:
            while self._receive.poll(max(0.0, deadline - time.perf_counter())):
                last = self._receive.recv()
        except (EOFError, OSError):  # the child has told everything it will
            pass
        finally:
            self.stop()
        return last

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()


def _run(work: Callable[[Callable[[object], None]], None], send: Connection) -> None:
    try:
        work(send.send)
    except Exception:  # the parent carries on with its own plan and bound
        pass
    finally:
        send.close()
        os._exit(0)  # no atexit handlers or inherited resources of the parent's run in the child
