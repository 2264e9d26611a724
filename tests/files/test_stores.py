"""The two stores keep the same promises; the S3 one also has the server check each upload's SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image
from store_support import s3_settings

from homecoming.config import Settings
from homecoming.errors import DomainError, RuleViolation
from homecoming.files.service import default_store
from homecoming.files.store import FileStore, FolderStore
from homecoming.files.store_s3 import S3Store


def test_the_same_content_under_the_same_key_is_written_once(store: FileStore) -> None:
    assert store.put("private/ab/abc.jpg", b"content") is True
    assert store.put("private/ab/abc.jpg", b"content") is False
    assert store.read("private/ab/abc.jpg") == b"content"
    assert store.keys() == ["private/ab/abc.jpg"]
    store.remove("private/ab/abc.jpg")
    store.remove("private/ab/abc.jpg")  # removing twice is harmless
    assert store.keys() == []


def test_reading_a_missing_key_is_file_not_found(store: FileStore) -> None:
    with pytest.raises(FileNotFoundError):
        store.read("public/00/missing.png")


def test_the_settings_choose_the_store(tmp_path: Path, s3_endpoint: str) -> None:
    assert isinstance(default_store(Settings(files_dir=tmp_path)), FolderStore)
    chosen = default_store(s3_settings(s3_endpoint, "chosen"))
    assert isinstance(chosen, S3Store) and chosen.bucket == "chosen"
    assert chosen.client.meta.endpoint_url == s3_endpoint


def test_s3_without_a_bucket_is_refused_by_name() -> None:
    with pytest.raises(RuleViolation) as caught:
        default_store(Settings(files_store="s3"))
    assert caught.value.code == "files.store_not_configured"
    assert "HOMECOMING_S3_BUCKET" in caught.value.message


def test_the_s3_object_carries_its_sha256_checked_by_the_server(s3_endpoint: str, tmp_path: Path) -> None:
    store = default_store(s3_settings(s3_endpoint, "checksums"))
    assert isinstance(store, S3Store)
    store.client.create_bucket(Bucket="checksums", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    Image.new("RGB", (8, 8)).save(tmp_path / "a.png")
    content = (tmp_path / "a.png").read_bytes()
    store.put("private/aa/a.png", content)
    head = store.client.head_object(Bucket="checksums", Key="private/aa/a.png", ChecksumMode="ENABLED")
    assert head["Metadata"] == {"sha256": hashlib.sha256(content).hexdigest()}
    assert head["ContentLength"] == len(content)


def test_a_bucket_that_does_not_exist_is_reported_as_the_store_unavailable(s3_endpoint: str) -> None:
    store = default_store(s3_settings(s3_endpoint, "never-created"))
    with pytest.raises(DomainError) as caught:
        store.put("private/aa/a.png", b"x")
    assert (caught.value.code, caught.value.status) == ("files.store_unavailable", 503)
    assert "never-created" in caught.value.message
