"""Random damage to the real registry never crashes gkcli.

Mutations: lines deleted, duplicated, swapped, re-indented, random bytes inserted,
values retyped. Every command must end with exit code 0, 1 or 2 and no traceback.
Set GKCLI_FUZZ_EXAMPLES to run more examples (the default keeps CI quick).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gkcli.cli import app

from .conftest import DATA

FILES = {name: (DATA / name).read_bytes() for name in ("tasks.yaml", "units.yaml")}
RETYPED = [b"no", b"on", b"010", b"1:30", b"2022-01-01", b"~", b"[]", b"{}", b"-1", b"1.5", b"!!python/name:os.system",
           b"&a x", b"*a", b'"\\e[31m"', b"'", b"[", b"2022-13-45", b"!!binary AAAA", b"{a: {b: [c]}}", b"null"]  # fmt: skip
COMMANDS = [
    ["check", "-f", "json"],
    ["list", "-f", "json"],
    ["overdue", "-f", "table"],
    ["unit", "县财政局", "-f", "json"],
    ["show", "10", "-f", "table"],
    ["units", "-f", "csv"],
    ["due", "--within", "60d", "-f", "markdown"],
]


@st.composite
def mutation(draw: st.DrawFn, lines: list[bytes]) -> list[bytes]:
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "bytes", "retype"]))
    i = draw(st.integers(0, len(lines) - 1))
    line = lines[i]
    if kind == "delete":
        return lines[:i] + lines[i + 1 :]
    if kind == "duplicate":
        return [*lines[: i + 1], line, *lines[i + 1 :]]
    if kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        swapped = list(lines)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        return swapped
    if kind == "indent":
        shift = draw(st.sampled_from([-4, -2, -1, 1, 2, 4]))
        stripped = line.lstrip(b" ")
        width = max(0, len(line) - len(stripped) + shift)
        return [*lines[:i], b" " * width + stripped, *lines[i + 1 :]]
    if kind == "bytes":
        noise = draw(st.binary(min_size=1, max_size=6))
        at = draw(st.integers(0, len(line)))
        return [*lines[:i], line[:at] + noise + line[at:], *lines[i + 1 :]]
    value = draw(st.sampled_from(RETYPED))
    head, sep, _ = line.partition(b": ")
    replaced = head + sep + value + b"\n" if sep else line
    return [*lines[:i], replaced, *lines[i + 1 :]]


@st.composite
def damaged_registry(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(FILES)))
    lines = FILES[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        lines = draw(mutation(lines))
        if not lines:
            break
    return name, b"".join(lines)


EXAMPLES = int(os.environ.get("GKCLI_FUZZ_EXAMPLES", "150"))


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(damaged=damaged_registry(), commands=st.lists(st.sampled_from(COMMANDS), min_size=1, max_size=3, unique_by=str))
def test_damaged_registries_never_crash(damaged: tuple[str, bytes], commands: list[list[str]]) -> None:
    name, content = damaged
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        for other, original in FILES.items():
            Path(folder, other).write_bytes(content if other == name else original)
        env = {"GKCLI_DATA": folder, "GKCLI_TODAY": "2022-10-01", "COLUMNS": "120", "NO_COLOR": "1"}
        for command in commands:
            result = runner.invoke(app, command, env=env)
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                command,
                repr(result.exception),
            )
            assert result.exit_code in (0, 1, 2), (command, result.exit_code, result.output)
            assert "Traceback" not in result.output
