"""Grievances and feedback from anyone, about a settlement, a project, a tender, a house allocation or a convoy."""
