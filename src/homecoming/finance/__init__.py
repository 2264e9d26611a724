"""Budgets by year, source and currency."""
