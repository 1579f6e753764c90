"""The command line (typer): the commands, the one error handler, the injectable terminal."""
