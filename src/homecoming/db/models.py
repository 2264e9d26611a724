"""Imports every domain's models so that Base.metadata holds the whole schema (for Alembic and tests)."""
