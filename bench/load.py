"""Requests per second and latency of the overview page and list endpoints on national-scale data in PostgreSQL.

    .venv/bin/python bench/load.py [--seconds 10] [--concurrency 16 | --rate R] [--workers 1] [--repeat 1]
                                   [--database-url URL [--reuse]] [--server-src DIR] [--only TEXT]

Loopback only and bounded in time: a throwaway PostgreSQL cluster (Debian's server binaries, as the tests use;
or --database-url to an empty database of your own), the demo's reference territory with the national-scale
synthetic registry (369,643 households / 1.5 million people), `uvicorn` serving the app on 127.0.0.1 in a child
process, then each target driven for --seconds by --concurrency keep-alive clients (asyncio) after a one-second
warm-up. Prints one row per target and round: requests, errors, req/s, p50/p95/p99 latency, the server's CPU time
per request (cpu ms, all its workers together; it hardly depends on what else the machine runs, unlike latency),
the load generator's own (client: on 2 cores it competes with the server) and the machine's one-minute load
average when the round ended; then the median of each column over the rounds. Nothing is asserted.

Two ways to drive a target. Closed loop (the default): --concurrency clients, each sending its next request when
the last is answered; the rate is what the server gives, and at saturation the latency is mostly the queue of
those clients. Open loop (--rate R): R requests a second on a fixed schedule, answered or not, over a pool of
keep-alive connections (--concurrency of them to begin with, more when all are busy), each latency counted from
the request's scheduled time, so a server that falls behind shows it in the latency (no coordinated omission);
req/s is then the rate answered, and a latency percentile "at R req/s" means exactly that.

--reuse skips the load: the database already holds the national registry from an earlier run on the same URL
(only fresh registrar and admin tokens are issued). --server-src runs the server from another source tree (a
checkout of an older commit, say) with this script's client and data, so two versions are measured on the same
database, one after the other. bench/README.md has the before/after recipe.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import UserCreate
from homecoming.db import make_engine, unit_of_work
from homecoming.demo import loader
from homecoming.households import synthetic
from homecoming.households.models import Household
from homecoming.territory.models import Settlement

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only
SECRET = "load-benchmark-secret-key-0123456789abcdef"
WARM_UP_S = 1.0


def targets(tokens: dict[Role, str]) -> list[tuple[str, str, dict[str, str]]]:
    registrar = {"Authorization": f"Bearer {tokens[Role.REGISTRAR]}"}
    admin = {"Authorization": f"Bearer {tokens[Role.ADMIN]}"}
    return [
        ("overview page /", "/", {"accept": "text/html"}),
        ("overview page / (az)", "/", {"accept": "text/html", "accept-language": "az"}),
        ("GET /api/settlements", "/api/settlements?limit=50", {}),
        ("GET /api/households (registrar)", "/api/households?limit=50&offset=1000&district=aghdam", registrar),
        *((f"list GET {path}", path, {}) for path in PUBLIC_LISTS),
        *((f"list GET {path} ({role})", path, {"registrar": registrar, "admin": admin}[role]) for path, role in LISTS),
    ]


# Every other list endpoint of the API, one page each (their tables are small in the national data set: what they
# cost is the framework's and the unit's). Not here: /api/my/bids (a contractor needs a company) and a plan run's
# settlements and tasks (the national data set has no finished plan run).
PUBLIC_LISTS = (
    "/api/districts",
    "/api/projects?limit=50",
    "/api/budget-allocations?limit=50",
    "/api/hazard-areas?limit=50",
    "/api/plan-runs",
    "/api/plan-jobs",
    "/api/jobs",
    "/api/tenders",
    "/api/contracts",
    "/api/price-lists",
)
LISTS = (
    ("/api/return-events?limit=50", "registrar"),
    ("/api/bills-of-quantities", "registrar"),
    ("/api/audit", "admin"),
)


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    """The given database, or a fresh one in a throwaway cluster (tests/pg_cluster.py)."""
    if url:
        yield url
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from pg_cluster import throwaway_cluster  # type: ignore[import-not-found]

    with throwaway_cluster() as server:
        admin = make_engine(server).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE homecoming_load"))
        admin.dispose()
        yield make_url(server).set(database="homecoming_load").render_as_string(hide_password=False)


def load_national(url: str) -> int:
    """The demo's territory and the national-scale registry (bulk insert of the demo loader's synthetic rows)."""
    engine = make_engine(url)
    loader.reset_database(engine, force=True)
    scale = loader.NATIONAL
    with unit_of_work(engine) as session:
        loader.load_reference(session)
        origins = loader.return_origins(session)
        ids = {code: id_ for code, id_ in session.execute(select(Settlement.code, Settlement.id))}
        rows = []
        for row in synthetic.generate_registry(origins, scale.families, scale.people, loader.SEED):
            row["origin_settlement_id"] = ids[row.pop("origin_settlement_code")]
            rows.append(row)
            if len(rows) == 20_000:
                session.execute(insert(Household), rows)
                rows = []
        if rows:
            session.execute(insert(Household), rows)
    # as autovacuum would soon after a bulk load: statistics, and the visibility map index-only scans need
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return len(ids)


def bench_tokens(url: str) -> tuple[dict[Role, str], int, int]:
    """Fresh bearer tokens for the benchmark's registrar and admin (made on first use), and what the registry holds."""
    engine = make_engine(url)
    tokens = {}
    with unit_of_work(engine) as session:
        for role in (Role.REGISTRAR, Role.ADMIN):
            name = "registrar" if role == Role.REGISTRAR else f"bench-{role.value}"  # the registrar of earlier runs
            user = session.scalars(select(User).where(User.username == name)).one_or_none()
            if user is None:
                user = accounts.create_user(session, UserCreate(username=name, password=SECRET, role=role))
            tokens[role] = accounts.issue_token(session, user, "load benchmark")
        settlements = session.scalar(select(func.count()).select_from(Settlement)) or 0
        households = session.scalar(select(func.count()).select_from(Household)) or 0
    engine.dispose()
    return tokens, settlements, households


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def server(url: str, workers: int, src: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = os.environ | {"HOMECOMING_DATABASE_URL": url, "HOMECOMING_SECRET_KEY": SECRET, "PYTHONPATH": str(src)}
    command = [sys.executable, "-m", "uvicorn", "homecoming.server.asgi:app", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/returns/progress", timeout=5).status_code == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {process.returncode}")
            time.sleep(0.2)
        else:
            raise RuntimeError("uvicorn did not answer within 60 s")
        yield base, process.pid  # the server and its workers are one process group (start_new_session)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def cpu_seconds(group: int) -> float:
    """CPU time (user + system) of the processes of one group (the server and its workers), from Linux's /proc:
    unlike latency it hardly depends on what else the machine is doing, so it compares versions fairly."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after the command name: state is field 3
            if int(fields[2]) == group:  # field 5, the process group; 14 and 15 are user and system time
                ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class KeepAlive:
    """One client's HTTP/1.1 keep-alive connection: a request written by hand, the answer read by its length.

    httpx spent more CPU per request (5-7 ms) than the server it measured; on two shared cores the load generator
    must cost far less than the server, so this reads just the status line, the headers and the body."""

    def __init__(self, base: str, path: str, headers: dict[str, str]) -> None:
        self.base, self.path, self.headers = base, path, headers
        url = httpx.URL(base)
        self.host, self.port = str(url.host), int(url.port or 80)
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}", *(f"{k}: {v}" for k, v in headers.items())]
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self) -> int:
        """The status of one answer (599 when the connection broke or no answer came within a minute: it is opened
        again for the next request)."""
        try:
            async with asyncio.timeout(60):
                return await self._get()
        except TimeoutError:
            await self.close()
            return 599

    async def _get(self) -> int:
        try:
            if self.streams is None:
                self.streams = await asyncio.open_connection(self.host, self.port)
            reader, writer = self.streams
            writer.write(self.request)
            head = await reader.readuntil(b"\r\n\r\n")
            fields = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
            fields = {name.strip().lower(): value.strip().lower() for name, value in fields.items()}
            if fields.get(b"transfer-encoding") == b"chunked":
                while size := int((await reader.readline()).split(b";")[0], 16):
                    await reader.readexactly(size + 2)
                await reader.readexactly(2)
            else:
                await reader.readexactly(int(fields.get(b"content-length", b"0")))
            return int(head[9:12])
        except (OSError, asyncio.IncompleteReadError, ValueError):
            await self.close()
            return 599

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


class Recorder:
    """Latencies and errors of the measured requests (those issued after the warm-up)."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0

    def note(self, status: int, seconds: float) -> None:
        self.latencies.append(seconds)
        self.errors += status >= 400


async def closed_loop(clients: list[KeepAlive], seconds: float, record: Recorder | None) -> None:
    """Each client sends its next request as soon as the last one is answered: the rate is whatever the server
    gives, and at saturation the latency is mostly queueing (p99 ~ clients / rate x the slowest share)."""

    async def one_client(client: KeepAlive, until: float) -> None:
        while time.perf_counter() < until:
            start = time.perf_counter()
            status = await client.get()
            if record is not None:
                record.note(status, time.perf_counter() - start)

    until = time.perf_counter() + seconds
    await asyncio.gather(*(one_client(client, until) for client in clients))


async def open_loop(clients: list[KeepAlive], seconds: float, rate: float, record: Recorder | None) -> None:
    """Requests issued on a fixed schedule (`rate` a second) whether or not earlier ones were answered, each on an
    idle keep-alive connection (a new one when all are busy), its latency counted from its scheduled time: a
    server that falls behind shows its queue in the latency instead of slowing the client down (no coordinated
    omission)."""
    idle = collections.deque(clients)  # taken from the left, returned to the right: every connection takes turns
    pending: set[asyncio.Task[None]] = set()

    async def one_request(due: float) -> None:
        client = idle.popleft() if idle else KeepAlive(clients[0].base, clients[0].path, clients[0].headers)
        status = await client.get()
        if record is not None:
            record.note(status, time.perf_counter() - due)
        idle.append(client)

    started = time.perf_counter()
    for number in range(int(seconds * rate)):
        due = started + number / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        task = asyncio.create_task(one_request(due))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    clients[:] = list(idle)  # the connections opened on the way are closed with the others


async def drive(
    base: str, path: str, headers: dict[str, str], seconds: float, concurrency: int, rate: float | None, group: int
) -> dict[str, float]:
    """One target for `seconds` after a warm-up, closed-loop (`concurrency` clients) or open-loop (`rate`)."""
    clients = [KeepAlive(base, path, headers) for _ in range(concurrency)]

    async def run(length: float, record: Recorder | None) -> None:
        if rate is None:
            await closed_loop(clients, length, record)
        else:
            await open_loop(clients, length, rate, record)

    await run(WARM_UP_S, None)
    record = Recorder()
    started, cpu, own = time.perf_counter(), cpu_seconds(group), time.process_time()
    await run(seconds, record)
    elapsed, cpu, own = time.perf_counter() - started, cpu_seconds(group) - cpu, time.process_time() - own
    for client in clients:
        await client.close()
    latencies, errors = sorted(record.latencies), record.errors
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "cpu_ms": 1000 * cpu / max(1, len(latencies)),
        "client_cpu_ms": 1000 * own / max(1, len(latencies)),
        "load_1m": os.getloadavg()[0],
    }


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


COLUMNS = ("requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms", "cpu_ms", "client_cpu_ms", "load_1m")
HEADER = (
    f"{'target':<52} {'requests':>8} {'errors':>6} {'req/s':>7}"
    + "".join(f" {name:>8}" for name in ("p50 ms", "p95 ms", "p99 ms", "cpu ms", "client"))
    + f" {'load':>5}"
)


def row_text(name: str, row: dict[str, float]) -> str:
    return (f"{name:<52} {row['requests']:>8.0f} {row['errors']:>6.0f} {row['rps']:>7.1f} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['cpu_ms']:>8.2f} {row['client_cpu_ms']:>8.2f} "
            f"{row['load_1m']:>5.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per target")
    parser.add_argument("--concurrency", type=int, default=16, help="clients sending at once")
    parser.add_argument("--rate", type=float, help="open loop: this many requests a second, on schedule")
    parser.add_argument("--only", help="the targets whose name contains this text (default: all)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over all targets; medians are printed last")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a throwaway cluster)")
    parser.add_argument("--reuse", action="store_true", help="--database-url already holds the national registry")
    parser.add_argument("--server-src", type=Path, default=ROOT / "src", help="the source tree the server runs")
    args = parser.parse_args()
    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url")
    with database(args.database_url) as url:
        if not args.reuse:
            clock = time.perf_counter()
            load_national(url)
            print(f"national scale loaded in {time.perf_counter() - clock:.0f} s")
        tokens, settlements, households = bench_tokens(url)
        print(f"{settlements} settlements, {households:,} households (synthetic); server code: {args.server_src}")
        with server(url, args.workers, args.server_src) as (base, group):
            mode = f"{args.concurrency} clients" if args.rate is None else f"{args.rate:.0f} requests/s on schedule"
            print(f"uvicorn on {base}: {args.workers} worker(s); {mode}; {args.seconds:.0f} s per target after "
                  f"{WARM_UP_S:.0f} s of warm-up; load = 1-minute load average")  # fmt: skip
            rounds: dict[str, list[dict[str, float]]] = {}
            for number in range(1, args.repeat + 1):
                print(f"round {number}/{args.repeat}\n{HEADER}")
                for name, path, headers in targets(tokens):
                    if args.only and args.only not in name:
                        continue
                    run = drive(base, path, headers, args.seconds, args.concurrency, args.rate, group)
                    row = asyncio.run(run)
                    rounds.setdefault(name, []).append(row)
                    print(row_text(name, row), flush=True)
            if args.repeat > 1:
                print(f"median of {args.repeat} rounds\n{HEADER}")
                for name, rows in rounds.items():
                    print(row_text(name, {c: statistics.median(r[c] for r in rows) for c in COLUMNS}))


if __name__ == "__main__":
    main()
