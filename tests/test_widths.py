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
    keys = ["lead", *(["responsible"] if "责任单位" in shown else [])]
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


def test_reconstructed_tasks_are_marked_with_a_footnote(cli: Cli) -> None:
    table = cli("list", "-f", "table", COLUMNS="200").stdout
    assert re.search(r"\b4※", table) and re.search(r"\b38※", table) and "※ 原表单元格残缺" in table
    assert not re.search(r"\b36※", table)


def test_the_stats_bar_is_filled_by_what_is_done(cli: Cli) -> None:
    bars = [
        line for line in cli("stats", "-f", "table", COLUMNS="200").stdout.splitlines() if "░" in line or "█" in line
    ]
    assert bars and all("█" not in line for line in bars)  # nothing is done: no bar is filled
