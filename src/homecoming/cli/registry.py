"""`homecoming import` / `homecoming export`: registry tables as CSV or XLSX."""


def import_table() -> None:
    """Import a registry table from CSV or XLSX."""
    raise NotImplementedError


def export_table() -> None:
    """Export a registry table to CSV or XLSX."""
    raise NotImplementedError
