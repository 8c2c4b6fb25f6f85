"""The command line: one typer app (:mod:`.app`), its shared options (:mod:`.options`) and its
commands by what they are for: questions (:mod:`.query`), recording work (:mod:`.progress`),
reports (:mod:`.reports`) and the registry itself (:mod:`.registry`)."""

from gkcli.cli import progress, query, registry, reports  # noqa: F401  (the commands register on import)
from gkcli.cli.app import app, main

__all__ = ["app", "main"]
