"""Regions, districts and settlements: the places the programme rebuilds."""
