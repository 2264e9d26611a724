"""Damage register: what was destroyed, per settlement, and what it costs to rebuild."""
