"""Options shared by several commands, each declared once: dates and task ids are parsed as the
command line is read, choices are Enums, and the task filter of ``list`` and ``export`` is one
bundle of options (:func:`with_task_filter`). What the global options resolve to (the workspace,
the day) is the command's context (:mod:`.context`)."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
import sys
from collections.abc import Callable
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from gkcli.cli import context
from gkcli.core import queries
from gkcli.domain.deadlines import DATE_FORMS, parse_date, parse_days
from gkcli.domain.registry import Registry
from gkcli.domain.units import Entity
from gkcli.errors import BadValue
from gkcli.render.writers import ALIASES as FORMAT_ALIASES
from gkcli.render.writers import EXTENSIONS
from gkcli.text import ASCII_DIGITS, fold_digits, terminal_safe

# ---- values parsed as they are read ---------------------------------------------------------


def date_parser(option: str) -> Callable[[str], dt.date]:
    def parse(text: str) -> dt.date:
        try:
            return parse_date(text, context.today())
        except ValueError as exc:
            raise BadValue(f"{option} {exc}", hint=f"日期写法: {DATE_FORMS}") from None

    return parse


def days_parser(option: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return parse_days(text)
        except ValueError as exc:
            raise BadValue(f"{option} {exc}") from None

    return parse


def task_id(text: str) -> int:
    """A task id as typed: ASCII or full-width digits only (not ٣, 1_0, " 5" or -1)."""
    digits = fold_digits(text)
    if not ASCII_DIGITS.fullmatch(digits) or len(digits) > 9:
        raise BadValue(f"任务序号应为正整数: {terminal_safe(text, one_line=True)}", hint="例如 gkcli show 36")
    return int(digits)


def given(value: str | None, option: str) -> str | None:
    """An option's text, refused when it is given but blank (``--unit ""`` filters nothing)."""
    if value is not None and not value.strip():
        raise BadValue(f"{option} 不能为空", hint=f"不需要这个条件时,请不写 {option}")
    return value


def nonblank(option: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        given(text, option)
        return text

    return parse


def format_parser(choices: tuple[str, ...]) -> Callable[[str], str]:
    """``-f`` of a file-writing command: one of ``choices`` (``md`` for markdown and the like)."""

    def parse(text: str) -> str:
        value = FORMAT_ALIASES.get(text.strip().lower(), text.strip().lower())
        if value not in choices:
            raise BadValue(f"-f 不能是 {text}", hint=f"可用: {'、'.join(choices)}")
        return value

    return parse


def file_format_option(choices: tuple[str, ...], help: str) -> Any:
    """The ``-f`` option of a command that writes a file in one of ``choices``:
    ``fmt: Annotated[str | None, file_format_option(...)] = None``."""
    return typer.Option("--format", "-f", parser=format_parser(choices), metavar="FORMAT", help=help)


def file_format(chosen: str | None, output: str | None, choices: tuple[str, ...], default: str) -> str:
    """The format a file is written in: ``-f`` if given, else what the file name's extension says,
    else ``default``. ``-f`` that contradicts the extension is an error, not a surprise, and so is
    a file name whose extension is none of the formats the command writes (清单.doc), or that has
    none without ``-f``: the file would otherwise hold something its name does not promise."""
    named = output not in (None, "-", "/dev/stdout") and not _is_device(Path(str(output)))
    suffix = Path(str(output)).suffix.lower() if named else ""
    implied = EXTENSIONS.get(suffix) if named else None
    if named and (implied not in choices if suffix else chosen is None):
        written = "、".join(ext for ext, fmt in EXTENSIONS.items() if fmt in choices)
        said = f"的扩展名 {suffix} 不是这个命令能写的格式" if suffix else " 没有扩展名,不知道要写成哪种格式"
        raise BadValue(f"{output}{said}", hint=f"能写的: {written};或用 -f 指定格式")
    if chosen is not None:
        if implied is not None and implied != chosen:
            raise BadValue(
                f"-f {chosen} 与文件名 {output} 不符", hint=f"改用 -f {implied},或把文件名改成 .{chosen} 结尾"
            )
        return chosen
    if implied is not None and implied in choices:
        return implied
    return default


def _is_device(path: Path) -> bool:
    """A character device or a FIFO (written in place, whatever its name)."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


# ---- choices --------------------------------------------------------------------------------


# the choices of --sort, from the one place it is defined
Sort = StrEnum("Sort", [(key, key) for key in queries.SORT_KEYS])  # type: ignore[misc]
BY_ID = Sort("id")  # the default order


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class TextFormat(StrEnum):
    text = "text"
    json = "json"


def output_format(chosen: Enum | None) -> str:
    """The format asked for; without one, a table on a terminal and JSON in a pipe."""
    if chosen is not None:
        return str(chosen.value)
    return "table" if sys.stdout.isatty() else "json"


# ---- values of a plan -----------------------------------------------------------------------


def task_ref(text: str) -> str:
    """A task as typed: its id (12), or a plan's id and its id (2023:12)."""
    plan, sep, number = text.rpartition(":")
    task_id(number)  # the number part is checked now: a wrong one is a usage error
    if sep and not plan.strip():
        raise BadValue(f"任务应写作 序号 或 要点简称:序号: {terminal_safe(text, one_line=True)}", hint="例如 2023:12")
    return text


def unit(registry: Registry, name: str | None) -> Entity | None:
    """The unit or group ``--unit`` names, or None when it is not given."""
    return registry.directory.resolve(name) if name is not None else None


# ---- completion -----------------------------------------------------------------------------


def complete_unit(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Unit and group names (aliases too) that begin with what was typed; typed in Latin letters,
    the pinyin spellings (whole or by initials) that begin with it, each with the unit it names."""
    try:
        directory = context.of(ctx).registry().directory
        names = [(name, unit.name) for unit in directory.units for name in (unit.name, *unit.aliases)]
        names += [(name, group.name) for group in directory.groups for name in (group.name, *group.aliases)]
        if incomplete.isascii() and incomplete.isalpha():
            names += [(spelling, e.name) for spelling, e in directory.pinyin_index()]
        found = {
            name: meant
            for name, meant in names
            if name.startswith(incomplete.casefold() if incomplete.isascii() else incomplete)
        }
        return [(_for_the_shell(name), meant) for name, meant in found.items()]
    except Exception:  # completion must never fail the shell
        return []


def _for_the_shell(value: str) -> str:
    """A completion as the shell being served inserts it. bash puts it into the line as it is, so
    it is quoted here; zsh and fish quote what they insert themselves."""
    from gkcli.text import shell_word

    return shell_word(value) if os.environ.get("_GKCLI_COMPLETE") == "complete_bash" else value


def complete_task_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Task ids that begin with what was typed, each with the start of its title."""
    try:
        tasks = context.of(ctx).registry().tasks
        return [(str(t.id), t.title[:20]) for t in tasks if str(t.id).startswith(incomplete)]
    except Exception:  # completion must never fail the shell
        return []


# ---- shared options -------------------------------------------------------------------------

AsOf = Annotated[
    dt.date | None,
    typer.Option("--as-of", parser=date_parser("--as-of"), metavar="DATE",
                 help="按哪一天计算:2022-10-01、2022/10/1、2022年10月1日 或 today(默认今天)。"),
]  # fmt: skip
KnownOn = Annotated[
    dt.date | None,
    typer.Option("--known-on", parser=date_parser("--known-on"), metavar="DATE",
                 help="只用这一天之前登记的记录:重现台账在那天的样子(如 report --as-of D --known-on D 重出当天的通报)。"),
]  # fmt: skip
WarnDays = Annotated[
    int | None,
    typer.Option(
        "--warn-days",
        min=0,
        max=366,
        metavar="DAYS",
        help="到期前多少天亮黄灯;默认取台账 plan.warn_days(未写时为 30)。",
    ),
]
UnitName = Annotated[
    str | None,
    typer.Option("--unit", "-u", parser=nonblank("--unit"), metavar="UNIT", help="只看这个单位(可用简称、别名)。"),
]
Format = Annotated[
    ListFormat | None,
    typer.Option("--format", "-f", help="输出格式;默认在终端显示表格,管道中输出 JSON。"),
]
TaskId = Annotated[
    int,
    typer.Argument(
        metavar="ID", parser=task_id, help="任务序号。", show_default=False, autocompletion=complete_task_id
    ),
]
TaskRef = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        parser=task_ref,
        help="任务序号;工作区中有几份要点时写 要点简称:序号(如 2023:12)。",
        show_default=False,
        autocompletion=complete_task_id,
    ),
]


def role_option(help: str) -> Any:
    """``--role``: lead or responsible, in English or Chinese (牵头/责任)."""

    def parse(text: str) -> str:
        return queries.parse_role(text)

    return typer.Option("--role", parser=parse, metavar="ROLE", help=help + "写 牵头/责任(或 lead/responsible)。")


Output = Annotated[
    str | None, typer.Option("--output", "-o", parser=nonblank("-o"), metavar="FILE", help="写入文件;- 表示标准输出。")
]
Force = Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")]
TABLE_ROWS = 100  # a table longer than this is cut, with a note: laying out thousands of rows takes minutes


def limit_option(help: str) -> Any:
    """``--limit N``: how many rows a table or list shows (0: all); its default is in ``help``."""
    return Annotated[int, typer.Option("--limit", "-n", min=0, metavar="N", show_default=False, help=help)]


Limit = limit_option(f"表格最多显示多少项(默认 {TABLE_ROWS},0 为全部);其他格式总是全部输出。")

# The task filter of list and export.
_FILTER_OPTIONS: dict[str, tuple[Any, Any]] = {
    "unit": (UnitName, None),
    "role": (Annotated[str | None, role_option("与 --unit 合用:只看牵头或责任。")], None),
    "direct": (
        Annotated[bool, typer.Option("--direct", help="与 --unit 合用:只看直接点名的任务,不含经群组分派的。")],
        False,
    ),
    "section": (
        Annotated[str | None, typer.Option("--section", "-s", parser=nonblank("--section"), metavar="SECTION", help="部分或小节,如 2 或 2.3。")],
        None,
    ),
    "status": (
        Annotated[
            str | None,
            typer.Option("--status", parser=nonblank("--status"), metavar="STATUS",
                         help="状态: 未开始/进行中/已完成(或 not_started/in_progress/done)。"),
        ],
        None,
    ),
    "deadline": (
        Annotated[str | None, typer.Option("--deadline", parser=nonblank("--deadline"), metavar="PHRASE", help="完成时限原文,如 全年、12月底前。")],
        None,
    ),
    "due_before": (
        Annotated[dt.date | None, typer.Option("--due-before", parser=date_parser("--due-before"), metavar="DATE",
                                               help="截止日期不晚于这一天(含)。")],
        None,
    ),
    "due_after": (
        Annotated[dt.date | None, typer.Option("--due-after", parser=date_parser("--due-after"), metavar="DATE",
                                               help="截止日期不早于这一天(含)。")],
        None,
    ),
    "search": (
        Annotated[str | None, typer.Option("--search", parser=nonblank("--search"), metavar="WORDS", help="在重点工作、单位、来源说明中查找文字。")],
        None,
    ),
    "overdue": (Annotated[bool, typer.Option("--overdue", help="只看已逾期未完成的任务(按 --as-of 计算)。")], False),
    "light": (
        Annotated[
            str | None,
            typer.Option("--light", parser=nonblank("--light"), metavar="LIGHT",
                         help="只看某种灯: red、yellow、green、done、done_late(或 红、黄、绿)。"),
        ],
        None,
    ),
    "as_of": (AsOf, None),
    "known_on": (KnownOn, None),
    "warn_days": (WarnDays, None),
}  # fmt: skip


def _task_filter(registry: Registry, values: dict[str, Any], sort: str) -> queries.TaskFilter:
    if values["role"] is not None and values["unit"] is None:
        raise BadValue("--role 需要与 --unit 一起使用")
    if values["direct"] and values["unit"] is None:
        raise BadValue("--direct 需要与 --unit 一起使用")
    return queries.TaskFilter(
        unit=unit(registry, values["unit"]),
        role=values["role"],
        direct=values["direct"],
        section=queries.validate_section(registry, values["section"]) if values["section"] else None,
        status=queries.parse_status(values["status"]) if values["status"] else None,
        deadline=values["deadline"],
        due_before=values["due_before"],
        due_after=values["due_after"],
        search=values["search"],
        as_of=context.day_in_plan(registry, values["as_of"]),
        warn_days=values["warn_days"],
        light=queries.parse_light(values["light"]) if values["light"] else None,
        overdue=values["overdue"],
        sort=sort,
        known_on=values["known_on"],
    )


TaskFilterFactory = Callable[[Registry, str], queries.TaskFilter]


def with_task_filter(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give ``command`` the task filter options; it receives ``task_filter``, a function that
    builds the filter from a loaded registry and a sort key."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for name, p in signature.parameters.items() if name != "task_filter"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, (annotation, default) in _FILTER_OPTIONS.items()
    ]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _FILTER_OPTIONS}
        return command(task_filter=lambda reg, sort: _task_filter(reg, values, sort), **kwargs)

    parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + added
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    del wrapper.__wrapped__  # typer must read the new signature, not the command's own
    return wrapper


FormPeriod = Annotated[
    str | None,
    typer.Option("--period", metavar="YYYY-MM", help="与 --missing-forms 同用:填报期,默认最近一次发出的。"),
]
