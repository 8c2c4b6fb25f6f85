"""The README, the CI script and the command line stay in step."""

from __future__ import annotations

import re

import yaml

from gkcli.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks() -> list[str]:
    return re.findall(r"```(?:sh|console|text)?\n(.*?)```", README, flags=re.S)


def _commands() -> list[str]:
    return [c.name or "" for c in app.registered_commands]


def test_readme_opens_with_the_install_and_test_commands() -> None:
    first, second = _code_blocks()[:2]
    assert "pip install" in first and "gkcli overdue" in first
    assert "pip install" in second and "pytest" in second


def test_ci_runs_the_readme_test_command() -> None:
    test_line = _code_blocks()[1].strip()
    command = test_line.split("&& ", 2)[-1]  # after creating and activating the venv
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci


def test_every_command_is_documented_and_has_help() -> None:
    for command in app.registered_commands:
        assert command.callback is not None and command.callback.__doc__, command.name
        assert f"`gkcli {command.name}" in README, command.name
    assert set(_commands()) == {
        "list", "show", "unit", "units", "overdue", "due", "check", "schema", "done", "progress", "extend", "reopen", "remind",
        "init", "stats", "export", "report", "calendar", "completion", "import", "diff", "carryover", "accept",
        "send-back", "notify",
    }  # fmt: skip


def test_every_rule_the_code_names_is_in_the_rule_table() -> None:
    from gkcli.check.rules import RULES

    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "gkcli").rglob("*.py"))
    assert set(re.findall(r'"(GK\d{3})"', source)) <= set(RULES)


def test_generated_readme_sections_are_current() -> None:
    from gkcli.render.reference import readme_sections

    for name, text in readme_sections().items():
        block = re.search(rf"<!-- generated: {name} -->\n(.*?)\n<!-- end: {name} -->", README, flags=re.S)
        assert block is not None, f"README lacks the generated section {name}"
        assert block.group(1) == text, f"run: python scripts/update_readme.py ({name} is out of date)"


def test_shipped_schemas_match_the_models() -> None:
    from gkcli.store.schema import json_schema

    for name in ("tasks", "units", "log"):
        shipped = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert shipped == json_schema(name) + "\n", f"run: gkcli schema {name} > schemas/{name}.schema.json"


def test_pre_commit_hook_runs_check() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "gkcli-check"
    assert hook["entry"].startswith("gkcli check")
    assert re.search(hook["files"], "data/tasks.yaml")


def test_every_picture_the_readme_shows_is_in_the_repository() -> None:
    """The pictures are made by scripts/make_pictures.py (Chromium, pdftoppm) and committed;
    the README shows the bulletin at a phone's, a tablet's and a desktop's width and printed."""
    pictures = re.findall(r'!\[[^\]]*\]\(([^)]+)\)|<img src="([^"]+)"', README)
    paths = [a or b for a, b in pictures]
    assert {f"docs/bulletin-{w}.png" for w in (390, 768, 1280)} <= set(paths)
    assert any(p.startswith("docs/bulletin-print-") for p in paths)
    missing = [p for p in paths if not (ROOT / p).is_file()]
    assert not missing
