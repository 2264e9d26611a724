"""The composition root: the one app serving the JSON API (homecoming.api) and the pages (homecoming.web)."""
