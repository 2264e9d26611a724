"""Two PostgreSQL roles: the owner, who migrates and restores, and the application, which may not change the trail.

The owner of a table may do anything to it (drop its triggers, TRUNCATE it, grant itself rights back), so the
application must not be the owner of the audit trail. With HOMECOMING_MIGRATION_DATABASE_URL set, the schema is
made as that role, and the role the application connects as (HOMECOMING_DATABASE_URL's) is granted SELECT, INSERT,
UPDATE and DELETE on every table but `audit_entries` (SELECT and INSERT only) and `alembic_version` (SELECT only),
and the use of the sequences. No TRUNCATE anywhere: `TRUNCATE users CASCADE` would empty the trail too.

The grants are made again after every upgrade and restore (a new table, or one a restore made anew, starts with
none), from the tables that exist, so there is no list of tables to keep in step. SQLite has no roles: one file,
whoever can write it can change it; there the hash chain and `homecoming audit verify` are the protection.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from homecoming.config import get_settings
from homecoming.db.migrate import upgrade
from homecoming.db.session import get_engine
from homecoming.errors import RuleViolation

APPLICATION_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
NARROWER_RIGHTS = {"audit_entries": "SELECT, INSERT", "alembic_version": "SELECT"}


def owner_engine() -> Engine:
    """The engine migrations and restores run on: the owner's when one is set, else the application's."""
    settings = get_settings()
    return get_engine(settings.migration_database_url or settings.database_url)


def upgrade_as_owner() -> str | None:
    """Create or upgrade the schema as its owner, then grant the application role its rights (see the module's text);
    returns that role, or None when there is one role only."""
    engine = owner_engine()
    upgrade(engine)
    return grant_to_application(engine)


def grant_to_application(owner: Engine) -> str | None:
    """Grant the application role (HOMECOMING_DATABASE_URL's) its rights on the tables `owner` made; None when the
    owner and the application are one connection or the database is not PostgreSQL."""
    settings = get_settings()
    if settings.migration_database_url in (None, settings.database_url) or owner.dialect.name != "postgresql":
        return None
    with get_engine(settings.database_url).connect() as connection:
        role = str(connection.execute(text("SELECT current_user")).scalar_one())
    with owner.begin() as connection:
        grant_application_rights(connection, role)
    return role


def grant_application_rights(connection: Connection, role: str) -> None:
    """On the current schema: everything `role` needs to run Homecoming, and no way to change the audit trail."""
    _refuse_owner_as_application(connection, role)
    quote = connection.dialect.identifier_preparer.quote
    schema = quote(str(connection.execute(text("SELECT current_schema()")).scalar_one()))
    grantee = quote(role)
    connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {grantee}"))
    connection.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {grantee}"))
    for table in inspect(connection).get_table_names():
        rights = NARROWER_RIGHTS.get(table, APPLICATION_RIGHTS)
        connection.execute(text(f"GRANT {rights} ON TABLE {schema}.{quote(table)} TO {grantee}"))
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {grantee}"))


def _refuse_owner_as_application(connection: Connection, role: str) -> None:
    powers = connection.execute(
        text("SELECT rolsuper OR pg_has_role(:role, current_user, 'USAGE') FROM pg_roles WHERE rolname = :role"),
        {"role": role},
    ).scalar()
    if powers:
        raise RuleViolation(
            "db.application_role_owns_schema",
            f"the application connects as {role!r}, which is a superuser or holds the owner's rights: it could "
            "empty the audit trail. Set HOMECOMING_DATABASE_URL to a role of its own (docs/operations.md).",
            {"role": role},
        )
