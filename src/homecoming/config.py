"""The one Settings object; every knob comes from the environment with the prefix HOMECOMING_."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

WEAK_SECRETS = {"", "change-me", "secret", "dev", "password"}
MIN_SECRET_CHARS = 32


def is_weak_secret(key: str) -> bool:
    """A key anyone could guess: a well-known word or too short to be random."""
    return key in WEAK_SECRETS or len(key) < MIN_SECRET_CHARS


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOMECOMING_", extra="ignore")

    environment: str = "dev"
    database_url: str = "sqlite:///./homecoming.db"
    # PostgreSQL with two roles (docs/operations.md): the schema owner's connection. `homecoming init` and `restore`
    # run as it and grant the role of database_url everything but changing the audit trail. None: database_url.
    migration_database_url: str | None = None
    # Signs the session cookie. None (the default): a random key made on first use and kept in secret_key_file.
    secret_key: str | None = None
    secret_key_file: Path = Path("homecoming-secret.key")  # beside the default database; mode 0600; back it up
    session_idle_minutes: int = Field(default=60, ge=1)  # a page session unused this long ends
    session_lifetime_hours: int = Field(default=8, ge=1)  # and every page session ends this long after its log-in
    token_lifetime_days: int = Field(default=90, ge=1)  # a bearer token stops working this long after it is issued
    login_window_minutes: int = Field(default=15, ge=1)  # failed log-ins are counted over this window
    login_failures_per_account: int = Field(default=5, ge=1)  # this many in the window: that name waits (429)
    login_failures_per_address: int = Field(default=20, ge=1)  # this many from one address: that address waits
    login_lock_after: int = Field(default=10, ge=1)  # this many failures in a row lock the account until unlocked
    echo_sql: bool = False
    sqlite_busy_timeout_s: float = Field(default=5.0, gt=0)  # a write waits this long for another's lock, then 503
    # Sectors whose works must be complete before a settlement of each kind is ready (JSON in the environment).
    required_services: dict[str, list[str]] = {
        kind: ["power", "water", "road", "school", "health"] for kind in ("city", "town", "village")
    }
    # Rule names of homecoming.mine_action.priority, first applies first; default: the national order.
    clearance_priority: str = (
        "life_threatening,socio_economic,displaced_resettlement,funded_reconstruction,food_security,other"
    )
    files_dir: Path = Path("homecoming-files")  # photographs and documents (issue 9)
    files_store: Literal["folder", "s3"] = "folder"  # s3: an S3-compatible object store, set below
    s3_endpoint_url: str | None = None  # e.g. http://minio:9000; None: AWS itself
    s3_bucket: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None  # None: boto3's own chain (AWS_* variables, instance role)
    s3_secret_access_key: SecretStr | None = None
    max_file_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    max_import_bytes: int = Field(default=50 * 1024 * 1024, gt=0)  # a registry file uploaded to POST /api/imports
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)  # any other request body (JSON, a form): 413 above
    # A field submission (POST /odk/submission: the form's XML and its photographs), told to ODK Collect as
    # X-OpenRosa-Accept-Content-Length; each photograph is also held to max_file_bytes.
    max_submission_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    unit_costs_file: Path | None = None  # the needs estimate's cost table; None: the shipped assumptions
    # Days after an award during which bidders may complain and the contract cannot be signed (issue 22)
    standstill_days: int = Field(default=10, ge=0)
    small_count_threshold: int = Field(default=5, ge=1)  # public figures below this many households hidden
    # Grievances (docs/grievances.md): days to answer per category ("default" for the rest), then escalated to admin
    grievance_service_days: dict[str, int] = {
        "default": 14, "question": 7, "safety": 3, "fraud_or_corruption": 10, "feedback": 30,
    }  # fmt: skip
    grievance_filings_per_hour: int = Field(default=5, ge=1)  # POST /api/grievances per client address: 429 above
    build_back_better_uplift: float = Field(default=0.10, ge=0, le=1)  # an assumption, see damage/data/README.md
    dask_scheduler: str | None = None  # risk runs and sweeps: tcp://host:8786; None: a local cluster (docs/risk.md)

    @model_validator(mode="after")
    def _refuse_weak_secret_outside_dev(self) -> Settings:
        if self.environment != "dev" and self.secret_key is not None and is_weak_secret(self.secret_key):
            raise ValueError(
                f"HOMECOMING_SECRET_KEY must be a random string of at least {MIN_SECRET_CHARS} characters "
                f"when HOMECOMING_ENVIRONMENT={self.environment!r} (or leave it unset: a random key is kept in "
                "HOMECOMING_SECRET_KEY_FILE)"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
