"""Migration 0025 (both engines): the jobs' kind CHECK takes `duplicate_search` and `member_merges` exists after an
upgrade; a downgrade drops the search jobs and the table and refuses the kind again; upgrading once more restores both.
"""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from homecoming.db.migrate import alembic_config, upgrade

INSERT = (
    "INSERT INTO jobs (code, kind, payload, status, stage, percent, attempts, cancel_requested, requested_by, "
    "created_at) VALUES (:code, 'duplicate_search', '{}', 'queued', 'queued', 0, 0, false, 'registrar', :at)"
)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def search_jobs(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT code FROM jobs WHERE kind = 'duplicate_search'")))


def insert_search(engine: Engine, code: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(INSERT), {"code": code, "at": dt.datetime(2026, 12, 2, 6, 0)})


def test_0025_up_down_up_widens_and_narrows_the_job_kinds_and_keeps_merges_in_their_table(engine: Engine) -> None:
    insert_search(engine, "search-1")
    assert "member_merges" in inspect(engine).get_table_names()
    downgrade(engine, "0024")
    assert search_jobs(engine) == [] and "member_merges" not in inspect(engine).get_table_names()
    with pytest.raises(IntegrityError):
        insert_search(engine, "search-2")  # the old CHECK is back
    upgrade(engine)
    insert_search(engine, "search-3")
    assert search_jobs(engine) == ["search-3"]
    assert {c["name"] for c in inspect(engine).get_columns("member_merges")} == {
        "id", "merged_member_id", "kept_member_id", "candidate_id", "merged_by", "merged_at", "forced"}  # fmt: skip
