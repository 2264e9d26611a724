"""`homecoming serve`: the API and the dashboard, on the configured database."""

from __future__ import annotations

import typer

from homecoming.cli.output import console


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8000, help="TCP port."),
    reload: bool = typer.Option(False, help="Restart when the code changes (development)."),
) -> None:
    """Serve the API (/api; its OpenAPI document at /openapi.json) and the dashboard pages with uvicorn."""
    import uvicorn

    console.print(f"Homecoming on http://{host}:{port}/  (OpenAPI document: http://{host}:{port}/openapi.json)")
    uvicorn.run("homecoming.api.asgi:app", host=host, port=port, reload=reload)
