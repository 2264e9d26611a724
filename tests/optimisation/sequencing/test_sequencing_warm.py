"""The installation step that compiles the engine's Numba code."""

from __future__ import annotations

from homecoming.optimisation.sequencing import branch, genetic
from homecoming.optimisation.sequencing.warm import main


def test_warming_compiles_the_branch_and_bound_and_the_genetic_decoder() -> None:
    main()
    assert branch._explore.signatures
    assert genetic._decode_c.signatures
