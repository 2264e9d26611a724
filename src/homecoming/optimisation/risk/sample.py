"""Sampled durations: one NumPy Generator per chunk, seeded from (run seed, chunk index).

The stream of a chunk depends only on the run's seed, the chunk's index and its size, so the same seed gives the
same scenarios whether the chunks run in one process or on a hundred Dask workers, in any order.
"""

from __future__ import annotations

import numpy as np

from homecoming.optimisation.risk.model import Compiled, FloatArray, IntArray


def chunk_generator(seed: int, chunk: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, chunk])))


def multipliers(c: Compiled, rng: np.random.Generator, size: int) -> FloatArray:
    """[size, tasks] multipliers: PERT (a Beta on [low, high] with mean (low + 4 mode + high) / 6) or triangular."""
    spread = c.high - c.low
    flat = spread <= 0
    safe = np.where(flat, 1.0, spread)
    alpha = np.where(flat, 1.0, 1 + 4 * (c.mode - c.low) / safe)
    beta = np.where(flat, 1.0, 1 + 4 * (c.high - c.mode) / safe)
    pert = c.low + spread * rng.beta(alpha, beta, size=(size, len(c.low)))
    u = rng.random((size, len(c.low)))
    cut = np.where(flat, 0.5, (c.mode - c.low) / safe)
    rising = c.low + np.sqrt(u * spread * (c.mode - c.low))
    falling = c.high - np.sqrt((1 - u) * spread * (c.high - c.mode))
    triangular = np.where(u < cut, rising, falling)
    sample: FloatArray = np.where(c.pert, pert, triangular)
    return sample


def durations(c: Compiled, seed: int, chunk: int, size: int) -> IntArray:
    """[size, tasks] whole periods: ceil(work x multiplier), or ceil(work / multiplier) for productivities;
    at least one period for a task that takes any time at all."""
    factor = multipliers(c, chunk_generator(seed, chunk), size)
    months = np.where(c.productivity, c.base_months / factor, c.base_months * factor)
    whole = np.ceil(months - 1e-9).astype(np.int64)
    out: IntArray = np.where(c.nominal > 0, np.maximum(whole, 1), 0)
    return out
