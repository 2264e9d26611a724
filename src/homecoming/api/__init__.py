"""The HTTP API and the dashboard pages, served by one FastAPI app (homecoming.api.app.create_app)."""
