"""The glue between the registry and the optimisation engines: readiness, problems built from data, plan runs."""
