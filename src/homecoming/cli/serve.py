"""`homecoming serve`: the API and the dashboard, on the configured database, with one job worker beside them."""

from __future__ import annotations

import ipaddress

import typer

from homecoming.cli.output import console, errors, user_errors
from homecoming.config import get_settings, is_weak_secret
from homecoming.db import get_engine
from homecoming.db.roles import upgrade_as_owner
from homecoming.jobs import worker as jobs_worker

WORKER_STOP_S = 30.0  # how long a stopping server waits for its job worker to put a job under way back in the queue


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8000, help="TCP port."),
    reload: bool = typer.Option(False, help="Restart when the code changes (development)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Web server processes (uvicorn workers)."),
    job_worker: bool = typer.Option(
        True,
        "--worker/--no-worker",
        help="Run one job worker in this process (plan runs, risk runs, sweeps, imports); "
        "--no-worker when `homecoming worker` processes run elsewhere.",
    ),
) -> None:
    """Serve the API (/api; its OpenAPI document at /openapi.json) and the dashboard pages with uvicorn.

    Any number of web processes is safe: they only queue jobs; the workers coordinate through the jobs table. The
    schema is brought up to date first, as `homecoming init` does (as HOMECOMING_MIGRATION_DATABASE_URL's role if set).
    """
    import uvicorn

    _refuse_weak_key_on_network(host)
    with user_errors():
        upgrade_as_owner()  # the server's start is, with `homecoming init`, where migrations run
    console.print(f"Homecoming on http://{host}:{port}/  (OpenAPI document: http://{host}:{port}/openapi.json)")
    embedded = jobs_worker.start_in_thread(get_engine()) if job_worker else None
    if embedded is not None:
        console.print(f"job worker {embedded[0].name} runs beside the server (--no-worker to leave jobs to others)")
    try:
        options: dict[str, object] = {"host": host, "port": port, "reload": reload}
        if workers > 1:
            options["workers"] = workers
        uvicorn.run("homecoming.server.asgi:app", **options)  # type: ignore[arg-type]
    finally:
        if embedded is not None:
            runner, thread = embedded
            runner.stopping.set()
            thread.join(timeout=WORKER_STOP_S)


def _refuse_weak_key_on_network(host: str) -> None:
    """Anyone who can reach the server could sign a session cookie with a guessable key: on any interface other than
    the loopback, an explicitly set weak key stops the start (unset, the installation's own random key is used)."""
    key = get_settings().secret_key
    if key is None or not is_weak_secret(key) or _is_loopback(host):
        return
    errors.print(
        f"[bold red]error[/bold red] [dim](serve.weak_secret_key)[/dim]: refusing to serve on {host}: "
        "HOMECOMING_SECRET_KEY is weak (a well-known value or under 32 characters), so anyone could forge a "
        "session. Unset it (a random key is kept in HOMECOMING_SECRET_KEY_FILE) or set a random one: "
        'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
    )
    raise typer.Exit(2)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface
