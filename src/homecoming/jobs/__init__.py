"""Durable jobs: long work (plan runs, risk runs, sweeps) queued in the database and taken by worker processes."""
