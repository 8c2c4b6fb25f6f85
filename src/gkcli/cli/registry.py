"""Keeping the registry sound: check (with the rule table behind it) and schema."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gkcli.cli import context
from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.errors import EXIT_FOUND, BadValue, GkError
from gkcli.findings import Diagnostic
from gkcli.render.views import Findings, Lines, Result
from gkcli.store.locate import locate_path
from gkcli.store.workspace import PlanFolder


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class SchemaFile(StrEnum):
    tasks = "tasks"
    units = "units"
    log = "log"


def _codes(values: list[str] | None, option: str) -> list[str]:
    from gkcli.check.rules import matching

    codes = [code for value in values or [] for code in value.split(",") if code.strip()]
    try:
        matching(codes)
    except ValueError as exc:
        raise BadValue(f"{option}: 没有规则 {exc}", hint="写 GK301 这样的规则号、GK3 这样的前缀,或 ALL") from None
    return codes


def explain(rule_id: str) -> Result:
    from gkcli.check.rules import RULES, SEVERITY_LABELS

    rule = RULES.get(rule_id.strip().upper())
    if rule is None:
        raise BadValue(f"没有规则 {rule_id}", hint="README 的“校验规则”一节列出了全部规则")
    lines = [
        f"{rule.id}({SEVERITY_LABELS[rule.severity]}){rule.title}",
        "",
        rule.explanation,
        "",
        "例如:",
        *(f"    {line}" for line in rule.example.splitlines()),
        "",
        "这条规则总会报告(读不懂的文件无法使用)。"
        if rule.always_on
        else f"不想报告它时:check --ignore {rule.id};在 tasks.yaml 中写 check: {{ignore: [{rule.id}]}};"
        f"或在出问题的那一行末尾写 # gkcli: ignore[{rule.id}]。",
    ]
    return Result(Lines(lines))


@command("check")
def check_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PATH]...", help="台账文件夹或其中的 tasks.yaml/units.yaml;默认为当前使用的台账。"),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束。")] = False,
    fmt: Annotated[
        CheckFormat | None,
        typer.Option("--format", "-f", help="输出格式;默认 text,在 GitHub Actions 中为 github。"),
    ] = None,
    as_of: opt.AsOf = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="RULES", help="只报告这些规则(可写前缀,如 GK3;逗号分隔或写多次)。"),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", metavar="RULES", help="不报告这些规则(如 GK605)。")
    ] = None,
    explain_rule: Annotated[
        str | None, typer.Option("--explain", metavar="RULE", help="说明一条规则(如 GK301)并退出。")
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="先改正能自动改正的问题(GK115:旧键 on: 改为 date:,其他字节不变),再校验。")
    ] = False,
) -> Result:
    """校验台账:YAML 陷阱、结构、序号、小节、单位、完成时限、进度和文字。无问题退出码 0,发现问题 1,无法校验 2。

    示例: gkcli check --strict data、gkcli check --explain GK301
    """
    if explain_rule is not None:
        return explain(explain_rule)
    from gkcli.store.validate import inspect_registry

    chosen = fmt.value if fmt else ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    selected, ignored = _codes(select, "--select"), _codes(ignore, "--ignore")
    day = context.day(as_of)
    notes = []
    if fix:
        from gkcli.core.updates import with_current_keys

        for folder in (
            [locate_path(p) for p in paths] if paths else [p.folder for p in context.of(ctx).workspace.folders]
        ):
            count = with_current_keys(folder, context.today())
            if count:
                notes.append(f"已把 {folder.display(folder.tasks_path)} 中 {count} 处旧键 on: 改为 date:")
    diagnostics = []
    if paths:
        for folder in dict.fromkeys(locate_path(p) for p in paths):
            diagnostics += inspect_registry(folder, as_of=day, build=False, select=selected, ignore=ignored)[1]
    else:  # every plan of the workspace, and the links between them
        diagnostics = _check_workspace(list(context.of(ctx).workspace.folders), day, selected, ignored)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    failed = errors or (strict and warnings)
    summary = f"检查完成: {errors} 个错误, {warnings} 个警告"
    return Result(Findings(diagnostics), chosen, notes=[*notes, summary], exit_code=EXIT_FOUND if failed else 0)


def _check_workspace(
    plans: list[PlanFolder], day: dt.date, selected: list[str], ignored: list[str]
) -> list[Diagnostic]:
    """Each plan checked, with GK510 (links between plans) where there are several."""
    from gkcli.check.plans import bad_links, check_links
    from gkcli.store.load import load_registry
    from gkcli.store.validate import inspect_registry

    bad = {}
    if len(plans) > 1:
        tasks = {}
        for plan in plans:
            with contextlib.suppress(GkError):  # a plan that cannot be read has its own findings below
                tasks[plan.id] = load_registry(plan.folder).tasks
        bad = bad_links(tasks)
    found: list[Diagnostic] = []
    for plan in plans:
        more = functools.partial(check_links, plan.id, bad) if bad else None
        found += inspect_registry(plan.folder, as_of=day, build=False, select=selected, ignore=ignored, more=more)[1]
    return found


@command("schema")
def schema_command(
    which: Annotated[SchemaFile, typer.Argument(metavar="FILE", help="tasks、units 或 log。")] = SchemaFile.tasks,
) -> Result:
    """输出 tasks.yaml、units.yaml 或 log.yaml(办公室记录)的 JSON Schema,供编辑器边写边校验。

    示例: gkcli schema units
    """
    from gkcli.store.schema import json_schema

    return Result(Lines([json_schema(which.value)]))


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


@command("completion")
def completion_command(
    shell: Annotated[Shell, typer.Argument(metavar="SHELL", help="bash、zsh 或 fish。")],
) -> Result:
    """输出命令补全脚本:补全命令、选项、单位名称(含别名和拼音)和任务序号。

    示例: gkcli completion bash >> ~/.bashrc(zsh 写入 ~/.zshrc;fish 存为 ~/.config/fish/completions/gkcli.fish)
    """
    from typer._completion_shared import get_completion_script

    script = get_completion_script(prog_name="gkcli", complete_var="_GKCLI_COMPLETE", shell=shell.value)
    return Result(Lines([script]))
