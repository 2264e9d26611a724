"""Settings that point the application at the test S3 server."""

from __future__ import annotations

from homecoming.config import Settings


def s3_settings(endpoint: str, bucket: str) -> Settings:
    return Settings(
        files_store="s3",
        s3_endpoint_url=endpoint,
        s3_bucket=bucket,
        s3_region="eu-central-1",
        s3_access_key_id="test-key",
        s3_secret_access_key="test-secret",  # type: ignore[arg-type]
    )
