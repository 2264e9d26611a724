"""The app built from the environment's settings, for `homecoming serve` or any ASGI server."""

from __future__ import annotations

import os

from homecoming.api.app import create_app
from homecoming.config import get_settings

os.umask(0o077)  # the database, attachments and anything else the server writes: readable by its owner only
app = create_app(get_settings())
