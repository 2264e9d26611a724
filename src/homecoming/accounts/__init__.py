"""User accounts, roles, password hashing and API tokens."""
