"""`homecoming demo`: a fresh database with the Karabakh demo data, then a readable summary."""


def demo() -> None:
    """Build the demo database and print its summary."""
    raise NotImplementedError
