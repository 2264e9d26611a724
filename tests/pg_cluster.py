"""A throwaway PostgreSQL cluster for the test session: Debian's server binaries, a unix socket in a temp folder.

PostgreSQL refuses to run as root, so when the tests run as root the cluster belongs to the `postgres` user and
every server command goes through `runuser`. Set HOMECOMING_TEST_POSTGRES_URL to use a server of your own instead.

The cluster lives in memory (/dev/shm) when there is room: every test's database is created from a template, and
on a disk that takes about half a second each (measured: 530 ms on ext4, 30 ms on tmpfs).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: "
            "run `make test` (it installs Debian's postgresql) or set HOMECOMING_TEST_POSTGRES_URL"
        )
    return Path(found[-1]).parent


ROOM_NEEDED = 4 * 2**30  # free in /dev/shm: two clusters (one per xdist worker), each with up to 1 GB of WAL


def _parent_folder() -> str | None:
    """/dev/shm when it is a tmpfs with room to spare; None (the usual temp folder) otherwise."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= ROOM_NEEDED:
        return str(shm)
    return None


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a private cluster and yield a SQLAlchemy URL to its `postgres` database; stop and delete it after."""
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="homecoming-pg-", dir=_parent_folder()))
    data, socket_dir = root / "data", root / "socket"
    socket_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(socket_dir, "postgres")
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            _as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8"]), **run
        )
        # No autovacuum: its ANALYZE of a freshly copied database takes a transaction id, which starts a new data
        # state for the whole cluster (db/freshness.py), so a test's repeated request could miss its kept answer for
        # a reason outside the test. The cluster lives for one run and is never big enough to need vacuuming.
        options = (
            f"-k {socket_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c autovacuum=off"
        )
        subprocess.run(
            _as_owner(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
            ),
            **run,
        )
        yield f"postgresql+psycopg://{user}@/postgres?host={socket_dir}"
    except subprocess.CalledProcessError as exc:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr}\n{log}") from exc
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), check=False
            )
        shutil.rmtree(root, ignore_errors=True)
