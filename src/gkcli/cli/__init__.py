"""The command line: one typer app, its shared options and its commands by group."""

from gkcli.cli.app import app, main

__all__ = ["app", "main"]
