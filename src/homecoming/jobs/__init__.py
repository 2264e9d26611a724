"""Durable jobs: long work (plan runs, risk runs, sweeps, imports) queued in the database, taken by worker processes."""
