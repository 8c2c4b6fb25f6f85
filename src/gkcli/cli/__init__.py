"""The command line: one typer app (:mod:`.base`), the context it builds once per run from
``--data``/``--plan`` (:mod:`.context`: the workspace, today's date), the shared option declarations
(:mod:`.options`), where output files go (:mod:`.writing`), the framework's errors in Chinese
(:mod:`.usage`) and the commands by what they are for: questions
(:mod:`.query`), recording work (:mod:`.progress`), reports (:mod:`.reports`), forms (:mod:`.returns`),
work groups and evidence links (:mod:`.reach`), a new year's plan (:mod:`.plan_import`) and the
registry itself (:mod:`.registry`).

The commands register on the app when their module is imported. ``gkcli overdue`` imports only
the module of ``overdue`` (starting fast matters: most runs answer from the cache in a fraction
of the time imports take); ``from gkcli.cli import app`` gives the app with every command.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("app", "main"):
        import importlib

        base = importlib.import_module("gkcli.cli.base")
        base.register_all()
        return getattr(base, name)
    raise AttributeError(name)
