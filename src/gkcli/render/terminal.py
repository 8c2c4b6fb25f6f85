"""Rich tables for a terminal. Registry text is data: it is printed through ``rich.text.Text``
(never parsed as markup), after :func:`gkcli.text.terminal_safe`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from gkcli.render.columns import COLUMNS_BY_KEY, due_text, human, light_text, role_text
from gkcli.text import terminal_safe, wrap_cells

if TYPE_CHECKING:
    from gkcli.findings import Diagnostic

STATUS_STYLE = {
    "not_started": "",
    "in_progress": "cyan",
    "awaiting_review": "blue",
    "done": "green",
    "carried_over": "dim",
}
LIGHT_STYLE = {
    "red": "bold red", "yellow": "bold yellow", "green": "green", "done": "green", "done_late": "magenta",
    "carried": "dim",
}  # fmt: skip
BAR_WIDTH = 20

# The terminal shows fewer columns than the record: the deadline and its date share a cell, the
# role carries the group it came through, and a unit's listing drops the other units.
TABLE_KEYS: dict[str, list[str]] = {
    "list": ["id", "light", "title", "lead", "responsible", "deadline", "status"],
    "overdue": ["id", "days_overdue", "light", "title", "lead", "responsible", "deadline", "status"],
    "due": ["id", "days_left", "light", "title", "lead", "responsible", "deadline", "status"],
    "unit": ["id", "light", "role", "title", "lead", "deadline", "status"],
    "checkpoints": ["id", "checkpoint", "missing", "title", "lead", "deadline", "status"],
}


def console(file: TextIO) -> Any:
    from rich.console import Console

    return Console(file=file, highlight=False, soft_wrap=False)


def cell_len(text: str) -> int:
    """Terminal cells a text takes (CJK characters take two)."""
    from rich.cells import cell_len as rich_cell_len

    return int(rich_cell_len(text))


RECONSTRUCTED = "※"
FOOTNOTE = "※ 原表单元格残缺,已按残片重建;依据见 gkcli show 序号"
# Table borders and padding: each column adds three cells (a rule and a space each side), plus one.
_PER_COLUMN, _EDGE = 3, 1


def _id_text(record: dict[str, Any]) -> str:
    return f"{record['id']}{RECONSTRUCTED if record.get('provenance') else ''}"


def _cell(key: str, record: dict[str, Any]) -> str:
    if key == "id":
        return _id_text(record)
    if key == "deadline":
        return f"{record['deadline']}\n{due_text(record.get('due'))}"
    if key == "role":
        via = record.get("via")
        return role_text(record.get("role")) + (f"\n经{via}" if via else "")
    if key in ("lead", "responsible"):
        return "\n".join(record.get(key) or [])
    return human(COLUMNS_BY_KEY[key], record)


def _widest(texts: list[str]) -> int:
    """The cells the widest line of any text takes (a line is never broken inside it)."""
    return max((cell_len(line) for text in texts for line in text.split("\n")), default=0)


_WRAPPED = {"title": 12}  # columns that wrap, with the least they are given
# dropped in this order when a table would not fit even with the title at its narrowest: the other
# units go before the light and the status, which are what a unit's staff look for
_OPTIONAL = ["responsible", "lead", "status", "light"]


def task_table(
    records: list[dict[str, Any]], keys: list[str], title: str, out: TextIO, total: int = 0,
    headers: dict[str, str] | None = None,
) -> None:  # fmt: skip
    """A task listing: a table when the terminal is wide enough to keep every unit name, id and date
    whole (optional columns are dropped first), else one card per task. ``total`` is the number of
    tasks listed, when ``records`` are only the first of them: a note then says how to see the rest."""
    from rich.text import Text

    screen = console(out)
    if not records:
        screen.print(Text(f"{terminal_safe(title)}: 没有符合条件的任务"))
        return
    _task_rows(records, keys, title, screen, {k: (headers or {}).get(k) or COLUMNS_BY_KEY[k].header for k in keys})
    if total > len(records):
        screen.print(
            Text(
                f"(共 {total} 项,只显示前 {len(records)} 项;--limit 0 显示全部,-f csv 导出全部)",
                style="dim",
            )
        )


def _task_rows(
    records: list[dict[str, Any]], keys: list[str], title: str, screen: Any, headers: dict[str, str]
) -> None:
    from rich.table import Table
    from rich.text import Text

    width = screen.width
    cells = {key: [terminal_safe(_cell(key, r)) for r in records] for key in keys}
    need = {key: max(_WRAPPED.get(key, 0) or _widest(cells[key]), cell_len(headers[key])) for key in keys}
    shown = list(keys)
    for optional in [None, *_OPTIONAL]:
        if optional in shown:
            shown.remove(optional)
        if sum(need[k] for k in shown) + _PER_COLUMN * len(shown) + _EDGE <= width:
            break
    else:
        _cards(records, title, screen)
        return
    table = Table(title=Text(terminal_safe(title), style="bold"), show_lines=True)
    others = sum(need[k] for k in shown if k not in _WRAPPED) + _PER_COLUMN * len(shown) + _EDGE
    for key in shown:
        header = headers[key]
        if key in _WRAPPED:  # as wide as the rest leaves, its text broken as Chinese is set
            wrap = min(max(width - others, need[key]), max(_widest(cells[key]), cell_len(header)))
            cells[key] = ["\n".join(wrap_cells(text, wrap)) for text in cells[key]]
            table.add_column(header, no_wrap=True, width=wrap)
        else:
            numeric = key in ("days_overdue", "days_left")
            table.add_column(header, justify="right" if numeric else "left", no_wrap=True, min_width=need[key])
    for n, record in enumerate(records):
        row = []
        for key in shown:
            style = ""
            if key == "status":
                style = STATUS_STYLE.get(str(record["status"]), "")
            elif key == "light":
                style = LIGHT_STYLE.get(str(record["light"]), "")
            elif key == "days_overdue":
                style = "bold red"
            row.append(Text(cells[key][n], style=style))
        table.add_row(*row)
    screen.print(table)
    if any(r.get("provenance") for r in records):
        screen.print(Text(FOOTNOTE, style="dim"))
    hidden = [headers[k] for k in keys if k not in shown]
    if hidden:
        screen.print(
            Text(f"(终端宽 {width} 列,未显示: {'、'.join(hidden)};加宽终端,或用 -f csv 查看全部列)", style="dim")
        )


def _full(cells: dict[str, list[str]], shown: list[str]) -> int:
    """The width the table takes with nothing wrapped."""
    return sum(max(_widest(cells[k]), 4) for k in shown) + _PER_COLUMN * len(shown) + _EDGE


def _cards(records: list[dict[str, Any]], title: str, screen: Any) -> None:
    """One block per task, for a terminal too narrow for a table: every line fits its width."""
    from rich.text import Text

    width = screen.width
    screen.print(Text(terminal_safe(title), style="bold"))
    for record in records:
        head = Text(_id_text(record), style="bold")
        light = light_text(record)
        head.append(f"  {light}", style=LIGHT_STYLE.get(str(record.get("light")), ""))
        for key, label in (("days_overdue", "逾期 {} 天"), ("days_left", "还剩 {} 天")):
            if record.get(key) is not None:
                head.append("  " + label.format(record[key]))
        if record.get("role"):
            head.append(f"  {role_text(record['role'])}" + (f"(经{record['via']})" if record.get("via") else ""))
        screen.print("")
        screen.print(head)
        screen.print(Text(terminal_safe(record["title"])), width=width)
        screen.print(
            Text(f"{record['deadline']}({due_text(record.get('due'))})· {human(COLUMNS_BY_KEY['status'], record)}")
        )
        for key, label in (("lead", "牵头"), ("responsible", "责任")):
            names = [terminal_safe(n) for n in record.get(key) or []]
            if names:
                for line in _packed(f"{label}: ", names, width):
                    screen.print(Text(line))
    if any(r.get("provenance") for r in records):
        screen.print("")
        screen.print(Text(FOOTNOTE, style="dim"))


def _packed(label: str, names: list[str], width: int) -> list[str]:
    """Names joined with 、, a line broken only between names (a name longer than a line stands alone)."""
    lines, line = [], label
    for n, name in enumerate(names):
        piece = name + ("、" if n < len(names) - 1 else "")
        if cell_len(line) + cell_len(piece) > width and line.strip():
            lines.append(line)
            line = " " * cell_len(label)
        line += piece
    lines.append(line)
    return lines


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
    """Done as the filled part of the bar, the rest open (red, yellow, green in colour): it reads
    right without colour too, and 0% done is an empty bar."""
    from rich.text import Text

    bar = Text()
    if not total:
        return bar
    cells = [(done, "█", "green"), (red, "░", "red"), (yellow, "░", "yellow"), (green, "░", "green")]
    widths = [round(BAR_WIDTH * n / total) for n, _, _ in cells]
    widths[-1] = max(0, BAR_WIDTH - sum(widths[:-1]))
    for (_, char, style), width in zip(cells, widths, strict=True):
        bar.append(char * width, style=style)
    return bar


def _fits(widths: list[int], width: int) -> bool:
    return sum(widths) + _PER_COLUMN * len(widths) + _EDGE <= width


def stats_table(title: str, first_header: str, records: list[dict[str, Any]], labels: list[str], out: TextIO) -> None:
    """One row per group and a total row last; ``records`` are stats rows as JSON. Group names stay
    whole: narrower terminals lose the bar, then the lead/responsible split, then get one line per group."""
    from rich.table import Table
    from rich.text import Text

    screen = console(out)
    names = [terminal_safe(label) for label in labels]
    units = any("lead" in r for r in records)
    numbers = [("任务", "total"), ("已完成", "done"), ("红灯", "red"), ("黄灯", "yellow"), ("绿灯", "green")]
    split = [("牵头", "lead"), ("责任", "responsible")] if units else []
    label_width = max(cell_len(first_header), _widest(names))
    for with_bar, with_split in ((True, True), (False, True), (False, False)):
        columns = [*(split if with_split else []), *numbers]
        widths = [label_width, *(max(cell_len(h), 4) for h, _ in columns), 6, *([BAR_WIDTH] if with_bar else [])]
        if _fits(widths, screen.width):
            break
    else:
        screen.print(Text(terminal_safe(title), style="bold"))
        for name, record in zip(names, records, strict=True):
            screen.print(Text(f"{name}: 任务 {record['total']},已完成 {record['done']}({record['percent_done']:g}%),"
                              f"红 {record['red']},黄 {record['yellow']},绿 {record['green']}"), width=screen.width)  # fmt: skip
        return
    table = Table(title=Text(terminal_safe(title), style="bold"))
    table.add_column(first_header, no_wrap=True, min_width=label_width)
    for header, _ in columns:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("完成率", justify="right", no_wrap=True)
    if with_bar:
        table.add_column("进度", no_wrap=True, min_width=BAR_WIDTH)
    for n, (name, record) in enumerate(zip(names, records, strict=True)):
        last = n == len(records) - 1
        styles = {
            "done": "green",
            "red": "red" if record["red"] else "",
            "yellow": "yellow" if record["yellow"] else "",
        }
        row = [Text(name, style="bold" if last else "")]
        row += [Text(str(record.get(key, "")), style=styles.get(key, "")) for _, key in columns]
        row.append(Text(f"{record['percent_done']:g}%"))
        if with_bar:
            row.append(_bar(record["done"], record["red"], record["yellow"], record["green"], record["total"]))
        table.add_row(*row, end_section=n == len(records) - 2)
    screen.print(table)


def plain_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: set[int], out: TextIO,
                *, optional: Sequence[int] = ()) -> None:  # fmt: skip
    """A table of short cells that are never broken; ``optional`` columns go first when it would not
    fit, and below that every row becomes ``header: value`` lines."""
    from rich.table import Table
    from rich.text import Text

    screen = console(out)
    cells = [[terminal_safe(str(v)) for v in row] for row in rows]
    widths = [max(_widest([h]), _widest([r[n] for r in cells])) for n, h in enumerate(headers)]
    shown = list(range(len(headers)))
    for drop in [None, *optional]:
        if drop is not None:
            shown.remove(drop)
        if _fits([widths[n] for n in shown], screen.width):
            break
    else:
        screen.print(Text(terminal_safe(title), style="bold"))
        for row in cells:
            screen.print(Text(row[0], style="bold"))
            pairs = [f"{headers[n].replace(chr(10), '')} {row[n]}" for n in range(1, len(headers))]
            for line in _packed("  ", pairs, screen.width):
                screen.print(Text(line))
        return
    table = Table(title=Text(terminal_safe(title), style="bold"))
    for n in shown:
        table.add_column(headers[n], justify="right" if n in numeric else "left", no_wrap=True, min_width=widths[n])
    for row in cells:
        table.add_row(*(Text(row[n]) for n in shown))
    screen.print(table)


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
