"""Hazard areas and land release (IMSMA / IMAS vocabulary)."""
