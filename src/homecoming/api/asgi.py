"""The app built from the environment's settings, for `homecoming serve` or any ASGI server."""

from __future__ import annotations

from homecoming.api.app import create_app
from homecoming.config import get_settings

app = create_app(get_settings())
