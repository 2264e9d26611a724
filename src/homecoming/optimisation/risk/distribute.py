"""Running many independent pieces of work on Dask: a local cluster on this machine's cores, or an existing one.

The same code runs on one laptop and on a cluster: work goes out as Dask futures, results stream back with
`as_completed` (so the progress bar moves as each piece finishes) and are put back in submission order, so the
outcome never depends on the number of workers or the order in which they finish.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from homecoming.errors import RuleViolation
from homecoming.optimisation.risk.model import Compiled
from homecoming.optimisation.risk.summary import ChunkResult, Outcome, merge, run_chunk

T = TypeVar("T")
Progress = Callable[[int], None]  # called with the number of scenarios (or items) just finished


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client: to `scheduler` (e.g. tcp://host:8786) if given, else to a local cluster of worker processes,
    one single-threaded worker per core (NumPy releases the GIL only in parts; processes scale cleanly)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise RuleViolation(
                "risk.scheduler_unreachable",
                f"no Dask scheduler answers at {scheduler} ({exc}): check the address or leave --scheduler out",
                {"scheduler": scheduler},
            ) from None
        with client:
            yield client
        return
    count = workers or os.cpu_count() or 1
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    # Dask's default MALLOC_TRIM_THRESHOLD_ also freezes glibc's mmap threshold, so every temporary array of the
    # re-timing is mapped and unmapped afresh: 2-3x the CPU time. Local workers keep glibc's adaptive default.
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=count, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        )
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def chunk_sizes(scenarios: int, chunk: int) -> list[int]:
    if scenarios < 1 or chunk < 1:
        raise RuleViolation("risk.bad_count", "scenarios and chunk size must be 1 or more", {"scenarios": scenarios})
    return [min(chunk, scenarios - k * chunk) for k in range(math.ceil(scenarios / chunk))]


def simulate(
    c: Compiled,
    scenarios: int,
    seed: int,
    *,
    chunk: int = 1000,
    client: Any = None,
    progress: Progress | None = None,
) -> Outcome:
    """`scenarios` scenarios in chunks of `chunk`; in this process when `client` is None, else on its cluster."""
    sizes = chunk_sizes(scenarios, chunk)
    tell = progress or (lambda _: None)
    if client is None:
        results = []
        for index, size in enumerate(sizes):
            results.append(run_chunk(c, seed, index, size))
            tell(size)
        return merge(results)
    shared = client.scatter(c, broadcast=True, hash=False)  # a fresh key: never one being released
    items = [(shared, seed, index, size) for index, size in enumerate(sizes)]
    chunks: list[ChunkResult] = map_ordered(client, _chunk, items, lambda r: tell(int(r.ready.shape[0])))
    return merge(chunks)


def _chunk(args: tuple[Compiled, int, int, int]) -> ChunkResult:
    return run_chunk(*args)


def map_ordered(client: Any, fn: Callable[[Any], T], items: Sequence[Any], done: Callable[[T], None]) -> list[T]:
    """`fn` over `items` on the cluster; `done` is called as each result arrives; results in `items` order."""
    from distributed import as_completed

    futures = [client.submit(fn, item, pure=False) for item in items]
    position = {future.key: k for k, future in enumerate(futures)}
    results: list[T | None] = [None] * len(items)
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        result: T = future.result()
        results[position[future.key]] = result
        done(result)
    return [r for r in results if r is not None]
