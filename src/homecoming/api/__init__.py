"""The JSON API under /api: thin routers over the domains' use-cases (the app that serves it: homecoming.server)."""
