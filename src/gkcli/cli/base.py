"""The typer app: the global options, and the one place where results become output and errors
become messages and exit codes. Commands live in the modules beside this one, grouped by what
they are for; each returns a :class:`gkcli.render.output.Result`."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import TyperException

from gkcli import __version__
from gkcli.errors import EXIT_FAILED, EXIT_OK, GkError, RegistryInvalid, describe_os_error
from gkcli.text import terminal_safe

ENV_DEBUG = "GKCLI_DEBUG"
ENDS_PROCESS = "gkcli_ends_process"  # passed by main() to the root context: see _end_process
SHOWN_PROBLEMS = 10
_FRAMEWORK = (typer.Exit, typer.Abort, TyperException)  # usage errors and exits: typer reports them


class _Chinese:
    """Help in Chinese: the framework's fixed words are translated in one place (:mod:`.usage`)."""

    def get_help(self, ctx: Any) -> str:
        """The help laid out by the framework on one long line per paragraph or option, translated,
        then wrapped by display cells (a Chinese character takes two) to the terminal's width."""
        from gkcli.cli.usage import chinese_help, wrapped_help

        width = help_width(ctx.terminal_width, ctx.max_content_width)
        ctx.terminal_width = ctx.max_content_width = 100_000
        try:
            return wrapped_help(chinese_help(super().get_help(ctx)), width)  # type: ignore[misc]
        finally:
            ctx.terminal_width = ctx.max_content_width = None

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option


def help_width(terminal: int | None, most: int | None) -> int:
    """How wide help is written: the terminal's width (``COLUMNS`` too), at most 80 or what the
    context allows, less a margin of two, as the framework does."""
    import shutil

    columns = terminal or shutil.get_terminal_size((80, 24)).columns
    return max(min(columns, most or 80) - 2, 40)


class ChineseCommand(_Chinese, TyperCommand):
    """A command whose help is in Chinese."""


class ChineseGroup(_Chinese, TyperGroup):
    """A group of commands (``returns``) whose help is in Chinese."""


def command(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command on the app, with Chinese help."""
    return app.command(name, cls=ChineseCommand)


def command_group(name: str, help_text: str) -> typer.Typer:
    """A group of subcommands (``gkcli returns …``, ``gkcli links …``) registered on the app, with
    Chinese help; its commands register with :func:`subcommand`."""
    group = typer.Typer(
        name=name, cls=ChineseGroup, help=help_text, no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]}, rich_markup_mode=None,
    )  # fmt: skip
    app.add_typer(group, name=name)
    return group


def subcommand(group: typer.Typer, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command of a group, with Chinese help."""
    return group.command(name, cls=ChineseCommand)


class _Group(_Chinese, TyperGroup):
    """Renders what a command returns; a GkError is one message and its exit code, a closed
    pipe is a quiet success, a usage error is reported in Chinese, anything else is an
    internal error (exit 2, never a traceback unless GKCLI_DEBUG=1)."""

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
        standalone_mode: bool = True, **extra: Any,
    ) -> Any:  # fmt: skip
        from gkcli.cli.usage import global_options_first

        if os.environ.get(COMPLETE_VAR):  # the shell asks for completions (gkcli completion SHELL)
            from typer._completion_classes import completion_init

            completion_init()
        try:
            code = super().main(global_options_first(args), prog_name, complete_var, False, **extra)
        except TyperException as exc:  # the framework's own errors: unknown option, bad choice ...
            from gkcli.cli.usage import usage_error

            if type(exc).__name__ == "NoArgsIsHelpError":  # `gkcli` alone: the help is the answer
                sys.stdout.write(exc.ctx.get_help() + "\n")  # type: ignore[attr-defined]
            else:
                report(usage_error(exc))
            code = EXIT_FAILED
        except typer.Abort:
            sys.stderr.write("已中断\n")
            code = EXIT_FAILED
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        ends_process = extra.pop(ENDS_PROCESS, False)
        ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta[ENDS_PROCESS] = ends_process
        return ctx

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            _said_skipped(ctx)
            code = _emit(result) if result is not None else EXIT_OK
        except GkError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None
        except (SystemExit, *_FRAMEWORK):
            raise
        except BaseException as exc:
            raise typer.Exit(_unexpected(exc)) from None
        if ctx.meta.get(ENDS_PROCESS):
            _end_process(code)
        if code:
            raise typer.Exit(code)
        return None


def _end_process(code: int) -> None:
    """The command has answered: the process ends here, with everything it built still in place.
    Freeing tens of thousands of tasks, states and records one by one, then every module, takes
    longer than a warm query of a small registry (60 ms of a 20,000-task ``overdue``); the system
    takes the memory back at once. Only the real program does this (``main`` asks for it); the app
    run inside a test's process, or under a profiler or a coverage tracer, returns as usual."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return
    code = _flushed(code)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def _said_skipped(ctx: Any) -> None:
    """The plans a workspace passed over (``--skip-unreadable``), said on standard error."""
    workspace = getattr(ctx.obj, "_workspace", None)
    for said in getattr(workspace, "skipped", ()):
        sys.stderr.write(f"提示: {terminal_safe(said)}\n")


def _emit(result: Any) -> int:
    from gkcli.render.output import emit

    with _reader_may_leave():
        emit(result, sys.stdout)
    for note in result.notes:
        sys.stderr.write(terminal_safe(note) + "\n")
    return int(result.exit_code)


@contextlib.contextmanager
def _reader_may_leave() -> Iterator[None]:
    """Output whose reader may go away (``| head``): the command's exit code still stands."""
    try:
        yield
    except BrokenPipeError:
        _silence_stdout()


def report(exc: GkError) -> None:
    """A GkError on standard error: the findings behind it (at most ten), the message and a hint."""
    from gkcli.render.output import format_diagnostic

    err = sys.stderr
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()  # what was printed before the error comes first
    if isinstance(exc, RegistryInvalid):
        problems = [d for d in exc.diagnostics if d.severity == "error"]
        for diag in problems[:SHOWN_PROBLEMS]:
            err.write(format_diagnostic(diag) + "\n")
        if len(problems) > SHOWN_PROBLEMS:
            err.write(f"……另有 {len(problems) - SHOWN_PROBLEMS} 处错误\n")
    err.write(f"错误: {terminal_safe(exc.message)}\n")
    if exc.hint:
        err.write(f"提示: {terminal_safe(exc.hint)}\n")
    err.flush()


def _unexpected(exc: BaseException) -> int:
    """The exit code for an exception no command turned into a GkError."""
    if isinstance(exc, BrokenPipeError):  # the reader left (gkcli ... | head): not an error
        _silence_stdout()
        return EXIT_OK
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("已中断\n")
        return EXIT_FAILED
    if isinstance(exc, OSError):  # output to a full disk, a file over ulimit -f ...
        report(GkError(f"无法完成: {describe_os_error(exc)}", hint="请检查输出位置(磁盘空间、权限)后重试"))
        return EXIT_FAILED
    if os.environ.get(ENV_DEBUG):
        import traceback

        traceback.print_exception(exc)
    report(
        GkError(
            f"内部错误({type(exc).__name__}):这是 gkcli 的缺陷,不是您的输入有误",
            hint=f"请把所用命令报告给维护者;设置 {ENV_DEBUG}=1 可显示调用栈",
        )
    )
    return EXIT_FAILED


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing what is left at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


app = typer.Typer(
    name="gkcli",
    cls=_Group,
    help="政务公开工作要点任务台账:查询任务、单位、逾期和临近到期事项,并校验台账。",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gkcli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            metavar="DIR",
            help="台账文件夹(含 tasks.yaml 与 units.yaml);默认依次为 $GKCLI_DATA、./data、内置台账。"
            "可写多次(简称=文件夹),或给出每份要点一个子文件夹的工作区。",
        ),
    ] = None,
    plan: Annotated[
        list[str] | None,
        typer.Option("--plan", metavar="ID", help="工作区中只看这几份要点(可写多次)。"),
    ] = None,
    skip_unreadable: Annotated[
        bool,
        typer.Option("--skip-unreadable", help="工作区中有读不了的要点时跳过它(并说明),而不是以 2 退出。"),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", help="显示版本并退出。", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """政务公开工作要点任务台账。

    示例: gkcli overdue、gkcli unit 县财政局、gkcli check
    """
    from gkcli.cli.context import Context

    ctx.obj = Context(tuple(data or ()), tuple(plan or ()), skip_unreadable)


# Which module defines each command, in the order help lists them.
COMMAND_MODULES = {
    "query": ("list", "show", "unit", "units", "overdue", "due"),
    "progress": ("done", "accept", "send-back", "progress", "extend", "reopen", "remind", "init"),
    "reports": ("stats", "export", "report", "calendar"),
    "registry": ("check", "schema", "completion"),
    "plan_import": ("import",),
    "returns": ("returns",),
    "reach": ("notify", "links"),
    "plans": ("diff", "carryover"),
}
_GLOBAL_OPTIONS_WITH_VALUE = ("--data", "--plan")


def register_all() -> None:
    """Import every command module (help, completion and tests need them all)."""
    import importlib

    for module in COMMAND_MODULES:
        importlib.import_module(f"gkcli.cli.{module}")


COMPLETE_VAR = "_GKCLI_COMPLETE"  # set by the completion scripts (gkcli completion SHELL)


def register_for(args: list[str]) -> None:
    """Import only the module of the command ``args`` name; every module when there is none
    (``gkcli``, ``gkcli --help``) or the name is unknown (typer then says so, listing them)."""
    import importlib

    words = iter(args)
    for word in words:
        if word in _GLOBAL_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            module = next((m for m, names in COMMAND_MODULES.items() if word in names), None)
            if module is not None:
                importlib.import_module(f"gkcli.cli.{module}")
                _keep_only(word)
                return
            break
    register_all()


def _keep_only(name: str) -> None:
    """Only the command ``name`` stays registered: the framework builds every registered command
    (reading each function's signature and options) before it runs one."""
    app.registered_commands = [c for c in app.registered_commands if c.name == name]
    app.registered_groups = [g for g in app.registered_groups if g.name == name]


def main() -> None:
    """Console entry point: runs the app, then makes sure the output really got out."""
    # A command lives for a second and builds tens of thousands of records, states and rows with
    # no reference cycles among them; the cycle collector would only walk them again and again
    # (a third of `stats` on a large registry). Memory is still freed as soon as it is unused.
    gc.disable()
    register_for(sys.argv[1:])
    for stream in (sys.stdout, sys.stderr):  # a byte that cannot be encoded is shown, not fatal
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        # the same completion variable however gkcli was started (python -m gkcli too); a command
        # that answered ends the process itself (see _end_process)
        app(complete_var=COMPLETE_VAR, **{ENDS_PROCESS: True})
        code: Any = EXIT_OK
    except SystemExit as exc:
        code = exc.code
    except BaseException as exc:  # raised before a command ran (while parsing): still no traceback
        code = _unexpected(exc)
    sys.exit(_flushed(code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_FAILED)))


def _flushed(code: int) -> int:
    """``code``, once standard output is really written out (a reader gone is still a success;
    a failed write, such as a full disk, is an internal error)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        code = _unexpected(exc)
        _silence_stdout()
    return code
