"""The command-line framework's errors in Chinese: one place that reads typer's (click's)
exceptions and says what they mean, so that no English reaches the user."""

from __future__ import annotations

import re
from typing import Any

from gkcli.errors import GkError


def _param(exc: Any) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    if hint:
        return str(hint).strip("'\"")
    if param is not None:
        opts = getattr(param, "opts", None) or []
        return (
            opts[0]
            if opts and opts[0].startswith("-")
            else (getattr(param, "metavar", None) or param.name or "").upper()
        )
    return "参数"


def usage_error(exc: Any) -> GkError:
    """A usage error as a GkError with a Chinese message and hint."""
    name = type(exc).__name__
    message = str(getattr(exc, "message", "") or "")
    if name == "NoSuchOption":
        option = getattr(exc, "option_name", "")
        close = list(getattr(exc, "possibilities", None) or [])
        hint = f"您是不是要写: {'、'.join(close)}" if close else "运行 gkcli 命令 --help 查看可用选项"
        if option == "--data":
            hint = "--data 是全局选项,要写在命令之前:gkcli --data 台账 list"
        return GkError(f"没有选项 {option}", hint=hint)
    if name == "MissingParameter":
        return GkError(f"缺少 {_param(exc)}", hint="运行 gkcli 命令 --help 查看用法")
    if name == "BadParameter":
        choices = re.search(r"'(.*)' is not one of (.*)\.$", message)
        if choices:
            value = choices.group(1)
            options = "、".join(re.findall(r"'([^']*)'", choices.group(2)))
            if not value.strip():
                return GkError(f"{_param(exc)} 不能为空", hint=f"可用: {options}")
            return GkError(f"{_param(exc)} 不能是 {value}", hint=f"可用: {options}")
        number = re.search(r"'(.*)' is not a valid (integer|float)", message)
        if number:
            return GkError(f"{_param(exc)} 应为{'整数' if number.group(2) == 'integer' else '数'}: {number.group(1)}")
        bounds = re.search(r"(.+) is not in the range (.+)\.$", message)
        if bounds:
            return GkError(f"{_param(exc)} 超出范围: {bounds.group(1)}(应为 {bounds.group(2)})")
        return GkError(f"{_param(exc)} 的值无效")
    if name == "BadOptionUsage":
        option = getattr(exc, "option_name", "")
        return GkError(f"选项 {option} 用法不对" + (":需要一个值" if "requires an argument" in message else ""))
    if "Got unexpected extra argument" in message:
        extra = re.findall(r"\(([^()]*)\)$", message)
        return GkError(f"多余的参数: {extra[0] if extra else ''}", hint="运行 gkcli 命令 --help 查看用法")
    if "No such command" in message:
        command = re.search(r"No such command '([^']*)'", message)
        close = re.findall(r"Did you mean '([^']*)'", message)
        hint = f"您是不是要写: gkcli {close[0]}" if close else "运行 gkcli --help 查看全部命令"
        return GkError(f"没有命令 {command.group(1) if command else ''}", hint=hint)
    return GkError("命令行用法不对", hint="运行 gkcli --help 查看用法")


# The framework's fixed words in help texts, and what they are in Chinese.
_HELP_WORDS = [
    (re.compile(r"^Usage: ", re.M), "用法: "),
    (re.compile(r"\[OPTIONS\]"), "[选项]"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "命令 [参数]..."),
    (re.compile(r"^Options:$", re.M), "选项:"),
    (re.compile(r"^Commands:$", re.M), "命令:"),
    (re.compile(r"^Arguments:$", re.M), "参数:"),
    (re.compile(r"\[default:\s+([^\]]*)\]"), r"[默认: \1]"),  # the bracket may be wrapped to the next line
    (re.compile(r"\[required\]"), "[必填]"),
    (re.compile(r"\[(\d+)<=x<=(\d+)\]"), r"[\1–\2]"),
    (re.compile(r"\[x>=(\d+)\]"), r"[≥\1]"),
    (re.compile(r"Show this message and exit\."), "显示本帮助并退出。"),
]


def chinese_help(text: str) -> str:
    """A help text with the framework's English words in Chinese."""
    for pattern, chinese in _HELP_WORDS:
        text = pattern.sub(chinese, text)
    return text


_DEFINITION = re.compile(r"^( {1,6}\S(?:\S| (?! ))*)( {2,})(?=\S)")  # "  --to DATE   新的截止日期。"


def wrapped_help(text: str, width: int) -> str:
    """Help whose lines are at most ``width`` cells: a paragraph's lines keep its indentation, an
    option's description hangs under its first line; Chinese is broken as Chinese is set."""
    from gkcli.text import cells, wrap_cells

    out: list[str] = []
    for line in text.split("\n"):
        if cells(line) <= width:
            out.append(line)
            continue
        term = _DEFINITION.match(line)
        if term is not None and cells(term.group(0)) <= width // 2:
            head, body = term.group(0), line[term.end() :]
        else:
            head = line[: len(line) - len(line.lstrip(" "))]
            body = line[len(head) :]
        hang = " " * cells(head)
        pieces = wrap_cells(body, width - len(hang))
        out.append(head + pieces[0])
        out += [hang + piece for piece in pieces[1:]]
    return "\n".join(out)


_GLOBAL_WITH_VALUE = ("--data", "--plan")


def global_options_first(args: Any) -> Any:
    """``gkcli list --data 台账`` (the most common slip) read as ``gkcli --data 台账 list``: a global
    option written after the command is moved in front of it. ``--`` ends the moving."""
    if args is None:
        import sys

        args = sys.argv[1:]
    args = list(args)
    moved: list[str] = []
    rest: list[str] = []
    words = iter(args)
    seen_command = False
    for word in words:
        if word == "--":
            rest += [word, *words]
            break
        name, _, value = word.partition("=")
        if seen_command and name in _GLOBAL_WITH_VALUE:
            moved += [word] if value else [word, next(words, "")]
            continue
        if not word.startswith("-"):
            seen_command = True
        elif name in _GLOBAL_WITH_VALUE and not value:
            rest.append(word)
            word = next(words, "")
        rest.append(word)
    return [*moved, *rest] if moved else args
