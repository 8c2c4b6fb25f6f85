"""The one error type of gkcli and its documented exit codes.

The core raises these; only ``cli.py`` turns them into a message and an exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gkcli.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_FOUND = 1  # the command found what it was asked to fail on (check problems, overdue --exit-code)
EXIT_FAILED = 2  # the command could not do its job (usage, unknown name, bad date, invalid registry)


class GkError(Exception):
    """Base class: a message for the user and the exit code to leave with."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class RegistryNotFound(GkError):
    """No registry files where one was asked for."""


class RegistryInvalid(GkError):
    """The registry could not be read or failed validation."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__(f"台账有 {len(errors)} 处错误,无法使用", hint="运行 gkcli check 查看全部问题")
        self.diagnostics = list(diagnostics)


class UnknownUnit(GkError):
    """A unit or group name that resolves to nothing."""

    def __init__(self, name: str, suggestions: Sequence[str]) -> None:
        hint = ("您是不是要找: " + "、".join(suggestions)) if suggestions else "运行 gkcli units 查看全部单位"
        super().__init__(f"未知单位: {name}", hint=hint)
        self.name = name
        self.suggestions = list(suggestions)


class TaskNotFound(GkError):
    """A task id that is not in the registry."""


class BadValue(GkError):
    """A value given on the command line that cannot be used (a date, a duration, a section...)."""
