"""Both file stores behind one fixture: a folder, and a bucket on a real S3-protocol server spoken to over HTTP.

The S3 server is moto's (ThreadedMotoServer), started once per run on a free port; boto3 reaches it through its
endpoint URL exactly as it would reach MinIO or AWS. Each test gets a bucket of its own.
"""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer
from store_support import s3_settings

from homecoming.config import Settings
from homecoming.files.service import default_store
from homecoming.files.store import FileStore

_buckets = itertools.count()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    """The store the settings choose, built by the same function the application uses."""
    if request.param == "folder":
        return default_store(Settings(files_store="folder", files_dir=tmp_path / "files"))
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"homecoming-test-{next(_buckets)}"
    chosen = default_store(s3_settings(endpoint, bucket))
    chosen.client.create_bucket(  # type: ignore[attr-defined]
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    return chosen
