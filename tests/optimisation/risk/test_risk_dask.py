"""A real local Dask cluster (two worker processes) gives exactly the single-process numbers for the same seed."""

from __future__ import annotations

import numpy as np

from homecoming.optimisation.risk import RiskInput, ThreePoint, compile_input, dask_client, simulate, summarise
from homecoming.optimisation.risk.distribute import map_ordered
from homecoming.optimisation.sequencing.generate import generate
from homecoming.optimisation.sequencing.sgs import activity_list, goal_rules, layout, serial_sgs, task_priority


def _square(x: int) -> int:
    return x * x


def test_two_dask_workers_give_the_single_process_outcome_for_the_same_seed() -> None:
    problem = generate(20, seed=2)
    lay = layout(problem)
    start = serial_sgs(lay, activity_list(lay, task_priority(lay, goal_rules(lay)["planner"])))
    assert start is not None
    plan = {t.id: s for t, s in zip(problem.tasks, start, strict=True)}
    shapes = {t.id: "triangular" if "school" in t.id else "pert" for t in problem.tasks}
    spread = {t: ThreePoint(0.8, 1.0, 1.6, shape=shape) for t, shape in shapes.items()}  # type: ignore[arg-type]
    c = compile_input(RiskInput(problem, plan, spread))
    alone = simulate(c, 230, seed=11, chunk=50)
    seen: list[int] = []
    with dask_client(workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        spread_out = simulate(c, 230, seed=11, chunk=50, client=client, progress=seen.append)
        assert map_ordered(client, _square, [3, 1, 2], lambda _: None) == [9, 1, 4]
        with dask_client(scheduler=client.scheduler.address) as named:  # --scheduler: an existing cluster
            by_address = simulate(c, 100, seed=11, chunk=50, client=named)
    assert sorted(seen) == [30, 50, 50, 50, 50]
    assert np.array_equal(alone.ready, spread_out.ready)
    assert np.array_equal(alone.critical, spread_out.critical)
    assert summarise(c, alone, by=40) == summarise(c, spread_out, by=40)
    assert not np.array_equal(alone.ready, simulate(c, 230, seed=12, chunk=50).ready)
    assert np.array_equal(by_address.ready, alone.ready[:100])  # its two chunks are the first two of the 230
