"""`homecoming sequence ...`: solve and check works-sequencing problems (issue 3)."""

import typer

app = typer.Typer(help="Order the works so that the most people get home soonest.", no_args_is_help=True)
