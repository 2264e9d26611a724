"""The migrations and the models describe the same schema, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import homecoming.db.models  # noqa: F401  (registers every domain's tables on Base.metadata)
from homecoming.db.base import Base
from homecoming.db.migrate import downgrade_to_empty, upgrade


def _tables(engine: Engine) -> dict[str, set[str]]:
    inspector = inspect(engine)
    return {
        t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names() if t != "alembic_version"
    }


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert _tables(engine) == {t.name: {c.name for c in t.columns} for t in Base.metadata.sorted_tables}


def test_downgrade_empties_and_upgrade_rebuilds(engine: Engine) -> None:
    before = _tables(engine)
    downgrade_to_empty(engine)
    assert _tables(engine) == {}
    upgrade(engine)
    assert _tables(engine) == before
