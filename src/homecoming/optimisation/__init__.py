"""Pure optimisation core: frozen dataclasses in, dataclasses out; no database, web or CLI imports."""
