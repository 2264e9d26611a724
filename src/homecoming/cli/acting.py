"""The account the command line acts as: `homecoming --as USER ...` or HOMECOMING_ACTOR (the `homecoming` group
sets it for the command that runs); resolved into an account by `cli.output.cli_actor`. Imports nothing, so the
group can set it without loading the database layer."""

from __future__ import annotations

import os

ENV = "HOMECOMING_ACTOR"
_chosen: str | None = None
_set = False


def choose(name: str | None) -> None:
    """The name given to this command (None: none given); the `homecoming` group calls this for every command."""
    global _chosen, _set
    _chosen, _set = (name.strip() or None) if name else None, True


def chosen() -> str | None:
    """The name the command acts as, if any (the environment's when the group did not run, as in a direct call)."""
    if _set:
        return _chosen
    return os.environ.get(ENV, "").strip() or None
