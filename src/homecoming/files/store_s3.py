"""File contents in an S3-compatible object store (AWS S3, MinIO, Ceph, Garage, ...), through boto3.

Same keys and guarantees as the folder store: content-addressed (the SHA-256 is the key, and is also sent so the
server checks what it received), a key already holding the content is not written again, and only `public/` keys
hold copies fit for display (grant public read on that prefix alone, if at all).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from homecoming.errors import DomainError

NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


class StoreUnavailable(DomainError):
    """The object store cannot be reached or refuses the request: a setting to fix, not the user's file."""

    status = 503


class S3Store:
    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def put(self, key: str, content: bytes) -> bool:
        if self._size(key) == len(content):
            return False  # content-addressed: same key, same content
        digest = hashlib.sha256(content).digest()
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=content,
                ChecksumSHA256=base64.b64encode(digest).decode("ascii"),  # the server refuses a corrupted upload
                Metadata={"sha256": digest.hex()},
            )
        except (BotoCoreError, ClientError) as exc:
            raise _unavailable(self.bucket, key, exc) from None
        return True

    def read(self, key: str) -> bytes:
        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if _code(exc) in NOT_FOUND:
                raise FileNotFoundError(key) from None
            raise _unavailable(self.bucket, key, exc) from None
        return body

    def remove(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)  # deleting a missing key is not an error in S3
        except (BotoCoreError, ClientError) as exc:
            raise _unavailable(self.bucket, key, exc) from None

    def keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def _size(self, key: str) -> int | None:
        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as exc:
            if _code(exc) in NOT_FOUND:
                return None
            raise _unavailable(self.bucket, key, exc) from None


def s3_client(endpoint_url: str | None, region: str, access_key_id: str | None, secret_access_key: str | None) -> Any:
    """A boto3 client; without keys boto3's own chain applies (AWS_* variables, instance roles, ...)."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        # path-style addressing: what MinIO, Ceph and most self-hosted stores expect
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3, "mode": "standard"}),
    )


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _unavailable(bucket: str, key: str, exc: Exception) -> StoreUnavailable:
    return StoreUnavailable(
        "files.store_unavailable",
        f"the object store refused {key} in bucket {bucket}: {exc}; check HOMECOMING_S3_* settings",
        {"bucket": bucket, "key": key},
    )
