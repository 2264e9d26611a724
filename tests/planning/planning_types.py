"""Types the planning tests share (a module of its own name, so imports are unambiguous)."""

from collections.abc import Callable

from homecoming.territory.models import Settlement

Village = Callable[..., Settlement]
