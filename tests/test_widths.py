"""Tables that fit the terminal: at every width from 60 to 200 columns every line fits (CJK
characters count two), and every unit name, task id and date stays whole."""

from __future__ import annotations

import json
import re

import pytest

from gkcli.render.terminal import cell_len

from .conftest import Cli

WIDTHS = [60, 80, 100, 120, 200]
TABLES = [
    ["list"],
    ["overdue"],
    ["due", "--within", "120d", "--as-of", "2022-09-01"],
    ["unit", "县财政局"],
    ["unit", "菜园镇"],
    ["units"],
    ["stats"],
    ["stats", "--by", "section"],
    ["stats", "--by", "deadline"],
    ["show", "38"],
    ["show", "10"],
]


def _names(cli: Cli, args: list[str], shown: str) -> tuple[set[str], set[str]]:
    """The unit names and dates the table must show whole, from the same question's JSON: lead
    units always, responsible units where the table has that column, group names of units/stats."""
    data = json.loads(cli(*args, "-f", "json").stdout)
    if args[0] in ("units", "stats"):
        rows = data["rows"] if isinstance(data, dict) else data
        key = "name" if args[0] == "units" else "label"
        return ({r[key] for r in rows} if "--by" not in args else set()), set()
    records = data if isinstance(data, list) else [data]
    header = next((line for line in shown.splitlines() if "┃" in line and "序号" in line), shown)  # show: no header
    keys = [k for k, title in (("lead", "牵头单位"), ("responsible", "责任单位")) if title in header]
    names = {n for r in records for k in keys for n in r.get(k) or []}
    return names, {r["due"] for r in records if r.get("due")}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_every_table_fits_and_keeps_names_whole(cli: Cli, args: list[str], width: int) -> None:
    result = cli(*args, "-f", "table", COLUMNS=str(width))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, "\n".join(too_wide)
    names, dates = _names(cli, args, result.stdout)
    text = "\n".join(re.sub(r"[│┃]", "\n", line) for line in lines)  # a cell's text, not across cells
    for name in names:
        assert name in text, (name, width)
    for date in dates:
        assert date in text, (date, width)
    header = next((line for line in lines if "┃" in line and "序号" in line), None)
    if header is not None and args[0] != "show":  # a column the table leaves out is named under it
        for title in ("灯", "状态", "牵头单位", "责任单位"):
            wanted = title in _HEADERS.get(args[0], ()) and title not in header
            assert not wanted or re.search(f"未显示: [^;]*{title}", result.stdout.replace("\n", "")), (title, width)


_HEADERS = {"list": ("灯", "状态", "牵头单位", "责任单位"), "overdue": ("灯", "状态", "牵头单位", "责任单位"),
            "due": ("灯", "状态", "牵头单位", "责任单位"), "unit": ("灯", "状态", "牵头单位")}  # fmt: skip


@pytest.mark.parametrize(
    "args", [["unit", "县财政局"], ["overdue"], ["due", "--within", "120d", "--as-of", "2022-09-01"]]
)
def test_a_units_table_keeps_the_light_and_the_status_at_80_columns(cli: Cli, args: list[str]) -> None:
    header = next(line for line in cli(*args, "-f", "table", COLUMNS="80").stdout.splitlines() if "序号" in line)
    assert "灯" in header and "状态" in header


def test_reconstructed_tasks_are_marked_with_a_footnote(cli: Cli) -> None:
    table = cli("list", "-f", "table", COLUMNS="200").stdout
    assert re.search(r"\b4※", table) and re.search(r"\b38※", table) and "※ 原表单元格残缺" in table
    assert not re.search(r"\b36※", table)


def test_the_stats_bar_is_filled_by_what_is_done(cli: Cli) -> None:
    bars = [
        line for line in cli("stats", "-f", "table", COLUMNS="200").stdout.splitlines() if "░" in line or "█" in line
    ]
    assert bars and all("█" not in line for line in bars)  # nothing is done: no bar is filled
