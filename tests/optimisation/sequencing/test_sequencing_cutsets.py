"""The branch and bound's memory of failed states: what a remembered failure rules out, and what it does not."""

from __future__ import annotations

import numpy as np

from homecoming.optimisation.sequencing.cutsets import dominated, key, new_table, remember


def test_a_failed_state_rules_out_later_states_of_the_same_tasks_whose_running_tasks_end_no_sooner() -> None:
    table = new_table(3)
    failed = np.array([2, 5, -1], dtype=np.int64)  # task 0 ended at 2, task 1 runs until 5, task 2 not started
    remember(table, key(failed), 3, failed)
    assert dominated(table, key(failed), 3, failed)
    assert dominated(table, key(failed), 4, np.array([2, 6, -1], dtype=np.int64))  # later, ends later
    assert not dominated(table, key(failed), 2, failed)  # earlier: it may do better
    assert not dominated(table, key(failed), 3, np.array([2, 4, -1], dtype=np.int64))  # task 1 ends sooner
    other = np.array([2, 5, 6], dtype=np.int64)  # task 2 started too: another set
    assert not dominated(table, key(other), 3, other)
