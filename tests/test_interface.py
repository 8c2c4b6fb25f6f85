"""One Chinese interface: every help text and every usage error speaks Chinese; the only ASCII
words are the ones a user types (option names, choices, placeholders) or names of formats."""

from __future__ import annotations

import re

import pytest

from gkcli.cli import app
from gkcli.text import cells, wrap_cells

from .conftest import Cli

COMMANDS = [[c.name or ""] for c in app.registered_commands] + [
    ["returns"],
    ["returns", "export"],
    ["returns", "import"],
    ["returns", "status"],
    ["links"],
    ["links", "check"],
]
# ASCII words a Chinese help text may hold: what a user types and the names of formats and programs.
ALLOWED = {
    "gkcli", "today", "JSON", "CSV", "XLSX", "YAML", "HTML", "Markdown", "iCalendar", "GitHub", "Actions", "Excel",
    "WPS", "LibreOffice", "Schema", "completion", "bash", "zsh", "fish", "bashrc", "zshrc", "config", "completions",
    "czj", "http", "https", "xlsx", "ics", "csv", "yaml", "tasks", "units", "plan", "warn_days",
    "GKCLI_DATA", "GKCLI_TODAY", "data", "done", "not_started", "in_progress", "lead", "responsible", "red", "yellow",
    "green", "done_late", "table", "json", "markdown", "text", "github", "html", "id", "due", "section", "status",
    "unit", "deadline", "check", "select", "ignore", "office", "progress", "reopen", "extend", "init", "diff", "carryover", "list", "show", "overdue", "remind", "stats", "export", "report", "calendar", "schema", "returns", "import", "GK",
    "review",  # the YAML key an import leaves on what a person must check
    "accept", "send", "back", "closing", "log", "notify", "links", "dingtalk", "wecom", "robots", "toml", "SHA", "period", "awaiting_review", "carried_over", "checkpoints",  # commands and YAML keys
    "date",  # the YAML key of a progress entry's date (check --fix writes it for the older on:)
    "docx", "pdf", "PDF", "Word",  # the official documents and what opens them
}  # fmt: skip


def english_words(text: str) -> set[str]:
    """ASCII words of three letters or more that are not option names, placeholders, rule ids or allowed."""
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", " ", text)  # option names
    text = re.sub(r"\b[A-Z]{2,}\b", " ", text)  # placeholders: DATE, UNIT, DIR ...
    text = re.sub(r"\bGK\d+\b|\$\w+|\b\w+\.(yaml|xlsx|html|md|ics|json|csv|txt|docx|pdf)\b", " ", text)
    return {w for w in re.findall(r"[A-Za-z_]{3,}", text) if w not in ALLOWED}


@pytest.mark.parametrize("width", ["200", "80"])
@pytest.mark.parametrize("command", [[], *COMMANDS], ids=lambda c: " ".join(c) or "gkcli")
def test_every_help_is_chinese(cli: Cli, command: list[str], width: str) -> None:
    result = cli(*command, "--help", COLUMNS=width)  # at 80 columns a bracket may be wrapped
    assert result.exit_code == 0, result.output
    assert re.search(r"[\u4e00-\u9fff]", result.stdout) and "用法:" in result.stdout
    assert english_words(result.stdout) == set(), result.stdout
    widest = max(cells(line) for line in result.stdout.splitlines())
    assert widest <= int(width), f"a help line is {widest} cells wide at {width} columns"


USAGE_ERRORS = [
    ["show", "abc"],
    ["show"],
    ["show", "1", "2"],
    ["show", "-1"],
    ["nothing"],
    ["list", "--sort", "x"],
    ["list", "--format", "xml"],
    ["list", "--unit"],
    ["list", "--no-such-option"],
    ["list", "--role", "", "--unit", "县财政局"],
    ["stats", "--by", "nothing"],
    ["export", "-f", "odt"],
    ["report", "-f", "doc"],
    ["check", "--format", "xml"],
    ["check", "--select", "GK999"],
    ["schema", "nothing"],
    ["due", "--within", "soon"],
    ["overdue", "--warn-days", "abc"],
    ["overdue", "--warn-days", "999"],
    ["calendar", "--alarm-days", "abc"],
    ["returns", "import"],
    ["returns", "nothing"],
    ["init"],
    ["unit"],
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=" ".join)
def test_usage_errors_are_chinese_with_exit_2(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert re.search(r"[\u4e00-\u9fff]", result.stderr)
    assert "Traceback" not in result.output and "Error" not in result.output and "Usage" not in result.output
    typed = {w for a in args for w in re.findall(r"[A-Za-z_]{3,}", a)}  # the error may quote what was typed
    assert english_words(result.stderr) - typed == set(), result.stderr


def test_a_global_option_after_the_command_still_works(cli: Cli) -> None:
    folder = cli.env["GKCLI_DATA"]
    result = cli("overdue", "--data", folder, "-f", "json", GKCLI_DATA="")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("[")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("gkcli unit cz", "czj"),  # pinyin initials: a spelling that names 县财政局
        ("gkcli unit 县财", "县财政局"),
        ("gkcli show 4", "46"),
        ("gkcli ov", "overdue"),
        ("gkcli list --un", "--unit"),
    ],
)
def test_completion_offers_commands_options_units_and_ids(cli: Cli, words: str, expected: str) -> None:
    result = cli(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1), _GKCLI_COMPLETE="complete_bash")
    assert expected in result.stdout.split(), result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(cli: Cli, shell: str) -> None:
    script = cli("completion", shell).stdout
    assert "_GKCLI_COMPLETE" in script


def test_an_unknown_command_is_answered_in_chinese_with_the_likely_one(cli: Cli) -> None:
    result = cli("lsit")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["错误: 没有命令 lsit", "提示: 您是不是要写: gkcli list"]


@pytest.mark.parametrize("width", [6, 9, 14, 20, 33])
def test_chinese_is_broken_as_chinese_is_set(width: int) -> None:
    text = (
        "推动各类政务平台数据融合共享,在2022年底前完成“1+N”矩阵建设。详见 https://www.shengsi.gov.cn/col/ 页面(试行)。"
    )
    lines = wrap_cells(text, width)
    assert all(cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added
    assert not any(line[0] in "，。、;,.;:)）》”" for line in lines)  # no line starts with closing punctuation
    assert not any(line[-1] in "(（《“" for line in lines[:-1])  # none ends with opening punctuation
    assert any("2022" in line for line in lines)  # a number is never split
    assert any("1+N" in line for line in lines)
    url = "https://www.shengsi.gov.cn/col/"
    assert any(url in line for line in lines) == (width >= len(url))  # nor a link that fits a line
