"""Schedule risk and scenario sweeps of stored plans (issue 8): the database side of `homecoming.optimisation.risk`."""
