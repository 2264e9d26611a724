"""Backup and restore: one file holding the database dump, the stored files and a manifest of checksums.

`service.create_backup` and `service.restore_backup` are the two use-cases; the CLI (`homecoming backup`,
`homecoming restore`) is a thin door over them. Nothing here imports Typer or FastAPI.
"""
