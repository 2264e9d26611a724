"""`homecoming allocate ...`: households -> housing units -> convoys (issue 4)."""

import typer

app = typer.Typer(help="Decide which household moves into which house, when, on which convoy.", no_args_is_help=True)
