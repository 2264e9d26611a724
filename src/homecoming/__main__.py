from homecoming.cli.main import app

app(prog_name="homecoming")
