"""Solving the aggregated network with its convoy rows as a linear programme (HiGHS), integral by repair.

HiGHS's dual simplex solves these network-shaped LPs about twice as fast as GLOP (35,000 households of the national
shape: 5.1 s against 10.7 s; 350,000: 89 s, where GLOP had not finished in 120 s).

The model goes to the solver as one free-MPS text: building it row by row through the Python wrapper took three
times as long as solving it.
"""

from __future__ import annotations

import importlib
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from homecoming.optimisation.allocation.network import Network

# Imported by name: a static import of this typed subpackage makes mypy lose ortools.linear_solver.pywraplp, which
# the sequencing engine uses.
mbh: Any = importlib.import_module("ortools.linear_solver.python.model_builder_helper")

INTEGRAL = 1e-6


@dataclass
class Prices:
    """LP duals as Lagrangian prices (>= 0): one arrival at (settlement, period), one house of (s, rooms, ready)."""

    convoy: dict[tuple[str, int], float] = field(default_factory=dict)
    house: dict[tuple[str, int, int], float] = field(default_factory=dict)


def _prices(net: Network, lp: Any, prices: Prices) -> None:
    """The duals of the convoy rows and the reduced costs of the batch arcs (house counts are their bounds)."""
    duals = np.asarray(lp.dual_values())
    reduced = np.asarray(lp.reduced_costs())
    if len(duals) < net.num_nodes + len(net.convoy_rows) or len(reduced) < len(net.tails):
        return
    for k, key in enumerate(net.convoy_rows):
        prices.convoy[key] = max(0.0, -float(duals[net.num_nodes + k]))
    for batch, arc in net.batch_arcs.items():
        prices.house[batch] = max(0.0, -float(reduced[arc]))


class OutOfTime(Exception):
    """The LP or the integer model did not finish within its time limit."""


def _mps(net: Network, integer: bool) -> str:
    total = -net.supplies.get(0, 0)
    convoy_row: dict[int, int] = {}
    for k, arcs in enumerate(net.convoy_rows.values()):
        for a in arcs:
            convoy_row[a] = k
    lines = ["NAME allocation", "ROWS", " N cost"]
    lines.extend(f" E n{v}" for v in range(net.num_nodes))
    lines.extend(f" L c{k}" for k in range(len(net.convoy_rows)))
    lines.append("COLUMNS")
    if integer:
        lines.append(" MARKER 'MARKER' 'INTORG'")
    for a, (tail, head, cost) in enumerate(zip(net.tails, net.heads, net.costs, strict=True)):
        lines.append(f" x{a} cost {cost} n{tail} 1")
        lines.append(f" x{a} n{head} -1" + (f" c{convoy_row[a]} 1" if a in convoy_row else ""))
    if integer:
        lines.append(" MARKER 'MARKER' 'INTEND'")
    lines.append("RHS")
    lines.extend(f" rhs n{v} {n}" for v, n in net.supplies.items() if n)
    lines.extend(f" rhs c{k} {net.convoy_limits[key]}" for k, key in enumerate(net.convoy_rows))
    lines.append("BOUNDS")
    lines.extend(f" UP bnd x{a} {min(cap, total)}" for a, cap in enumerate(net.capacities))
    lines.append("ENDATA")
    return "\n".join(lines)


def _solve(net: Network, solver: str, integer: bool, seconds: float) -> Any:
    model = mbh.ModelBuilderHelper()
    if not model.import_from_mps_string(_mps(net, integer)):
        raise ValueError("the allocation network did not make a valid linear programme")
    engine = mbh.ModelSolverHelper(solver)
    engine.set_time_limit_in_seconds(seconds)
    if solver == "highs":
        # the CLI's output is its own; presolve finds next to nothing to remove in a network LP and cost 3 to 7 times
        # the solve itself (35,000 households, national shape, 2 loaded cores: 347 s with it, 50 s without)
        engine.set_solver_specific_parameters("output_flag=false\npresolve=off")
    engine.solve(model)
    return engine


def _min_cost_flow(net: Network) -> tuple[list[int], int, bool] | None:
    """Without convoy rows the network is a pure min-cost flow: OR-Tools' network simplex solves it exactly and
    integrally, far faster than an LP solver (None if it reports anything but optimal)."""
    total = -net.supplies.get(0, 0)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(net.tails, dtype=np.int32),
        np.asarray(net.heads, dtype=np.int32),
        np.minimum(np.asarray(net.capacities, dtype=np.int64), total),
        np.asarray(net.costs, dtype=np.int64),
    )
    nodes = np.arange(net.num_nodes, dtype=np.int32)
    supplies = np.zeros(net.num_nodes, dtype=np.int64)
    for v, n in net.supplies.items():
        supplies[v] = n
    flow.set_nodes_supplies(nodes, supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    flows = flow.flows(np.arange(len(net.tails), dtype=np.int32))
    return [int(f) for f in flows], int(flow.optimal_cost()), True


def solve_network(net: Network, *, time_limit: float, prices: Prices | None = None) -> tuple[list[int], int, bool]:
    """Integral arc flows, a lower bound (the LP optimum, rounded up), and whether the flows are proven optimal;
    `prices`, when given, receives the LP's convoy and house prices (not for a pure min-cost flow)."""
    deadline = time.perf_counter() + time_limit
    if not net.convoy_rows and net.tails:
        solved = _min_cost_flow(net)
        if solved is not None:
            return solved
    lp = _optimal_lp(net, time_limit)
    if prices is not None:
        _prices(net, lp, prices)
    bound = rounded_up(lp.objective_value())
    values = lp.variable_values()
    rounded = np.rint(values)
    if len(values) == 0 or float(np.abs(values - rounded).max()) <= INTEGRAL:
        flows = rounded.astype(np.int64)
        return flows.tolist(), int(np.dot(np.asarray(net.costs, dtype=np.int64), flows)), True
    left = deadline - time.perf_counter()
    if left <= 0.05:
        raise OutOfTime("no time left for the integer allocation model")
    mip = _solve(net, "scip", True, left)
    if mip.status() not in (mbh.SolveStatus.OPTIMAL, mbh.SolveStatus.FEASIBLE):
        raise OutOfTime(f"the integer allocation model ended with status {mip.status()}")
    flows = np.rint(mip.variable_values()).astype(np.int64).tolist()
    exact = mip.status() == mbh.SolveStatus.OPTIMAL
    return flows, max(bound, rounded_up(mip.best_objective_bound())), exact


def _optimal_lp(net: Network, time_limit: float) -> Any:
    """The network's LP solved by HiGHS to optimality; OutOfTime when it is not within `time_limit`."""
    lp = _solve(net, "highs", False, time_limit)
    if lp.status() != mbh.SolveStatus.OPTIMAL:
        raise OutOfTime(f"the LP of the allocation network ended with status {lp.status()}")
    return lp


def relaxation_bound(net: Network, *, time_limit: float) -> int:
    """The LP optimum rounded up: a lower bound of whatever `net` relaxes (network.build's coarser steps);
    OutOfTime when it is not solved within `time_limit`."""
    return rounded_up(_optimal_lp(net, time_limit).objective_value())


def rounded_up(value: float) -> int:
    """An integer bound from a floating-point one, allowing for the solver's relative tolerance."""
    return math.ceil(value - INTEGRAL * max(1.0, abs(value)))
