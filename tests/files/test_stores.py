"""The two stores keep the same promises; the S3 one also has the server check each upload's SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image
from store_support import s3_settings

from cli_support import import_territory, run
from homecoming.config import Settings, get_settings
from homecoming.db import session as db_session
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


def test_the_cli_stores_into_the_bucket_the_environment_names(
    s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {
        "HOMECOMING_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "HOMECOMING_FILES_STORE": "s3",
        "HOMECOMING_S3_ENDPOINT_URL": s3_endpoint,
        "HOMECOMING_S3_BUCKET": "from-environment",
        "HOMECOMING_S3_REGION": "eu-central-1",
        "HOMECOMING_S3_ACCESS_KEY_ID": "test-key",
        "HOMECOMING_S3_SECRET_ACCESS_KEY": "test-secret",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    try:
        store = default_store()
        assert isinstance(store, S3Store)
        store.client.create_bucket(
            Bucket="from-environment", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
        run("init")  # commands other than init, serve and demo never migrate
        import_territory(tmp_path)
        run("damage", "add", "zabukh-school-1", "--settlement", "zabukh", "--kind", "school", "--level", "partial",
             "--method", "field_survey")  # fmt: skip
        Image.new("RGB", (8, 8)).save(tmp_path / "front.png")
        sha256 = hashlib.sha256((tmp_path / "front.png").read_bytes()).hexdigest()
        output = run("damage", "attach", "zabukh-school-1", str(tmp_path / "front.png"))
        assert f"sha256 {sha256}" in output
        assert store.keys() == [f"private/{sha256[:2]}/{sha256}.png", f"public/{sha256[:2]}/{sha256}.png"]
    finally:
        get_settings.cache_clear()
        db_session._engine_for.cache_clear()
