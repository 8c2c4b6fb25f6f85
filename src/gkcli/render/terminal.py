"""Rich tables for a terminal. Registry text is data: it is printed through ``rich.text.Text``
(never parsed as markup), after :func:`gkcli.text.terminal_safe`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from gkcli.check.rules import Diagnostic
from gkcli.render.columns import COLUMNS_BY_KEY, due_text, human, light_text, role_text
from gkcli.text import terminal_safe

STATUS_STYLE = {"not_started": "", "in_progress": "cyan", "done": "green"}
LIGHT_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "green", "done": "green", "done_late": "magenta"}
BAR_WIDTH = 20

# The terminal shows fewer columns than the record: the deadline and its date share a cell, the
# role carries the group it came through, and a unit's listing drops the other units.
TABLE_KEYS: dict[str, list[str]] = {
    "list": ["id", "light", "title", "lead", "responsible", "deadline", "status"],
    "overdue": ["id", "days_overdue", "light", "title", "lead", "responsible", "deadline", "status"],
    "due": ["id", "days_left", "light", "title", "lead", "responsible", "deadline", "status"],
    "unit": ["id", "light", "role", "title", "lead", "deadline", "status"],
}


def console(file: TextIO) -> Any:
    from rich.console import Console

    return Console(file=file, highlight=False, soft_wrap=False)


def cell_len(text: str) -> int:
    """Terminal cells a text takes (CJK characters take two)."""
    from rich.cells import cell_len as rich_cell_len

    return int(rich_cell_len(text))


def _cell(key: str, record: dict[str, Any]) -> str:
    if key == "deadline":
        return f"{record['deadline']}\n{due_text(record.get('due'))}"
    if key == "role":
        via = record.get("via")
        return role_text(record.get("role")) + (f"\n经{via}" if via else "")
    if key in ("lead", "responsible"):
        return "\n".join(record.get(key) or [])
    return human(COLUMNS_BY_KEY[key], record)


def task_table(records: list[dict[str, Any]], keys: list[str], title: str, out: TextIO) -> None:
    from rich.table import Table
    from rich.text import Text

    if not records:
        console(out).print(Text(f"{terminal_safe(title)}: 没有符合条件的任务"))
        return
    table = Table(title=Text(terminal_safe(title), style="bold"), show_lines=True)
    for key in keys:
        header = COLUMNS_BY_KEY[key].header
        if key == "title":
            table.add_column(header, overflow="fold", ratio=3, min_width=12)
        elif key in ("lead", "responsible", "role"):
            table.add_column(header, overflow="fold", ratio=1, min_width=6)
        else:
            numeric = key in ("id", "days_overdue", "days_left")
            table.add_column(header, justify="right" if numeric else "left", no_wrap=True)
    for record in records:
        cells = []
        for key in keys:
            style = ""
            if key == "status":
                style = STATUS_STYLE.get(str(record["status"]), "")
            elif key == "light":
                style = LIGHT_STYLE.get(str(record["light"]), "")
            elif key == "days_overdue":
                style = "bold red"
            cells.append(Text(terminal_safe(_cell(key, record)), style=style))
        table.add_row(*cells)
    console(out).print(table)


def field_table(title: str, rows: Sequence[tuple[str, str]], light: str | None, out: TextIO) -> None:
    """One record as label/value rows (``show``)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(terminal_safe(title), style="bold"), show_header=False, show_lines=True)
    table.add_column("字段", style="bold", no_wrap=True)
    table.add_column("内容", overflow="fold", max_width=60)
    for label, value in rows:
        style = LIGHT_STYLE.get(str(light), "") if label == "灯" else ""
        table.add_row(Text(label), Text(terminal_safe(value), style=style))
    console(out).print(table)


def _bar(done: int, red: int, yellow: int, green: int, total: int) -> Any:
    """done, red, yellow and green as a stacked bar of block characters."""
    from rich.text import Text

    bar = Text()
    if not total:
        return bar
    cells = [(done, "█", "green"), (red, "█", "red"), (yellow, "█", "yellow"), (green, "░", "green")]
    widths = [round(BAR_WIDTH * n / total) for n, _, _ in cells]
    widths[-1] = max(0, BAR_WIDTH - sum(widths[:-1]))
    for (_, char, style), width in zip(cells, widths, strict=True):
        bar.append(char * width, style=style)
    return bar


def stats_table(title: str, first_header: str, records: list[dict[str, Any]], labels: list[str], out: TextIO) -> None:
    """One row per group and a total row last; ``records`` are stats rows as JSON."""
    from rich.table import Table
    from rich.text import Text

    units = "lead" in records[-1] or any("lead" in r for r in records)
    table = Table(title=Text(terminal_safe(title), style="bold"))
    headers = [
        first_header,
        *(["牵头", "责任"] if units else []),
        "任务",
        "已完成",
        "红灯",
        "黄灯",
        "绿灯",
        "完成率",
        "进度",
    ]
    for n, header in enumerate(headers):
        table.add_column(header, justify="left" if n == 0 or header == "进度" else "right", no_wrap=n != 0)
    for n, (record, label) in enumerate(zip(records, labels, strict=True)):
        last = n == len(records) - 1
        cells = [Text(terminal_safe(label), style="bold" if last else "")]
        if units:
            cells += [Text(str(record.get("lead", ""))), Text(str(record.get("responsible", "")))]
        cells += [Text(str(record["total"])), Text(str(record["done"]), style="green"),
                  Text(str(record["red"]), style="red" if record["red"] else ""),
                  Text(str(record["yellow"]), style="yellow" if record["yellow"] else ""), Text(str(record["green"])),
                  Text(f"{record['percent_done']:g}%"),
                  _bar(record["done"], record["red"], record["yellow"], record["green"], record["total"])]  # fmt: skip
        table.add_row(*cells, end_section=n == len(records) - 2)
    console(out).print(table)


def plain_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: set[int], out: TextIO
) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(terminal_safe(title), style="bold"))
    for n, header in enumerate(headers):
        table.add_column(header, justify="right" if n in numeric else "left", no_wrap=True)
    for row in rows:
        table.add_row(*(Text(terminal_safe(str(v))) for v in row))
    console(out).print(table)


def diagnostics_text(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    """Each finding on one line, then the line it points at with a caret under the column."""
    from rich.text import Text

    screen = console(out)
    for diag in diagnostics:
        line = Text(f"{terminal_safe(diag.location, one_line=True)}: ", style="bold")
        line.append(diag.severity, style="bold red" if diag.severity == "error" else "bold yellow")
        line.append(f" {diag.rule} ", style="cyan")
        line.append(terminal_safe(diag.message))
        screen.print(line, soft_wrap=True)
        if diag.line_text is not None:
            screen.print(Text(f"    {terminal_safe(diag.line_text)}"), soft_wrap=True)
            prefix = terminal_safe(diag.line_text[: max(diag.column - 1, 0)])
            screen.print(Text(" " * (4 + cell_len(prefix)) + "^", style="bold red"), soft_wrap=True)


__all__ = ["cell_len", "diagnostics_text", "field_table", "light_text", "plain_table", "stats_table", "task_table"]
