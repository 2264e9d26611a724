"""The app built from the environment's settings, for `homecoming serve` or any ASGI server."""

from __future__ import annotations

import os

from homecoming.config import get_settings
from homecoming.server.app import create_app

os.umask(0o077)  # the database, attachments and anything else the server writes: readable by its owner only
app = create_app(get_settings())
