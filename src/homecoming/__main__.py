from homecoming.cli.main import run

run()
