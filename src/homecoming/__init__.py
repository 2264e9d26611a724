"""Homecoming: plan and track the recovery of war-damaged territories and the return of displaced families."""

__version__ = "0.1.0"
