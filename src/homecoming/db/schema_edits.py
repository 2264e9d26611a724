"""Schema edits the migrations share: widening or narrowing a CHECK that lists a column's allowed values.

SQLite cannot alter a constraint, and a batch copy of a table others point at is refused once they hold rows, so on
SQLite the table's stored CREATE statement is edited in place (SQLite's documented procedure for a change that
leaves the stored rows valid); PostgreSQL drops the named constraint and creates it again."""

from __future__ import annotations

from alembic import op


def values_check(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def sqlite_rewrite(table: str, old: str, new: str) -> None:
    """Replace `old` by `new` in the CREATE TABLE statement SQLite keeps for `table`."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar_one()
    if old not in sql:
        raise RuntimeError(f"expected {old!r} in the {table} table's definition: {sql}")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql.replace(old, new), table)
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def swap_values_check(table: str, constraint: str, column: str, old: tuple[str, ...], new: tuple[str, ...]) -> None:
    """The CHECK `constraint` on `table` lists `new` instead of `old` as the values `column` may take."""
    if op.get_bind().dialect.name == "sqlite":
        sqlite_rewrite(table, values_check(column, old), values_check(column, new))
    else:
        op.drop_constraint(op.f(constraint), table, type_="check")
        op.create_check_constraint(op.f(constraint), table, values_check(column, new))
