"""Works (projects, OC4IDS-shaped), their dependencies and the housing stock they build."""
