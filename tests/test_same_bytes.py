"""What a reader compares is the same bytes from any process: every command that writes a document,
a table or a file, run in processes with different string hashing (``PYTHONHASHSEED``), on a
registry whose shared tasks, groups, parts, requests and extensions give every list something
to order."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA

DAY = "2022-10-08"
SEEDS = ("0", "1", "2")
ENTRIES = [  # (command...), each run on GKCLI_TODAY = its --on
    ("progress", "27", "--unit", "县司法局", "--note", "起草目录", "--on", "2022-08-15"),
    (
        "extend",
        "27",
        "--request",
        "--unit",
        "县司法局",
        "--to",
        "2022-11-30",
        "--note",
        "征求意见",
        "--on",
        "2022-09-05",
    ),
    (
        "extend",
        "20",
        "--request",
        "--unit",
        "县财政局",
        "--to",
        "2022-12-15",
        "--note",
        "系统升级",
        "--on",
        "2022-09-06",
    ),
    ("done", "40", "--unit", "菜园镇", "--on", "2022-09-10"),
    ("done", "40", "--unit", "县财政局", "--on", "2022-09-11"),
    ("done", "5", "--on", "2022-09-12"),
    ("extend", "36", "--to", "2022-10-31", "--note", "统一延期", "--on", "2022-09-13"),
]
COMMANDS = {
    "report.md": ("report", "-f", "markdown"),
    "report.html": ("report", "-f", "html"),
    "report.docx": ("report", "-o", "{out}"),
    "export.json": ("export", "-f", "json"),
    "export.csv": ("export", "-o", "{out}"),
    "export.xlsx": ("export", "-o", "{out}"),
    "export.md": ("export", "-f", "markdown"),
    "export.docx": ("export", "-o", "{out}"),
    "export.yaml": ("export", "-f", "yaml"),
    "calendar.ics": ("calendar", "-o", "{out}"),
    "stats.json": ("stats", "--by", "unit", "-f", "json"),
    "remind.txt": ("remind",),
    "unit.json": ("unit", "县属有关单位", "-f", "json"),
    "overdue.csv": ("overdue", "-f", "csv"),
    "show.md": ("show", "40", "-f", "markdown"),
}


def _gkcli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "gkcli", *args], env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("same") / "data"
    shutil.copytree(DATA, folder)
    env = {**os.environ, "GKCLI_DATA": str(folder), "GKCLI_CACHE_DIR": str(folder.parent / "cache")}
    for args in ENTRIES:
        day = args[args.index("--on") + 1]
        done = _gkcli(*args, env={**env, "GKCLI_TODAY": day})
        assert done.returncode == 0, done.stderr.decode()
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_same_bytes_from_every_process(worked: Path, tmp_path: Path, name: str) -> None:
    outputs = []
    for seed in SEEDS:
        out = tmp_path / f"{seed}-{name}"
        args = [a.replace("{out}", str(out)) for a in COMMANDS[name]]
        if args[0] != "show":
            args += ["--as-of", DAY]
        if args[0] in ("report", "export", "stats", "remind", "unit", "overdue"):
            args += ["--known-on", DAY]
        env = {
            **os.environ, "GKCLI_DATA": str(worked), "GKCLI_TODAY": DAY, "PYTHONHASHSEED": seed,
            "GKCLI_CACHE_DIR": str(tmp_path / f"cache-{seed}"),  # each process reads the files itself
        }  # fmt: skip
        result = _gkcli(*args, env=env)
        assert result.returncode == 0, result.stderr.decode()
        outputs.append(out.read_bytes() if out.exists() else result.stdout)
    assert outputs[0], name
    assert outputs[0] == outputs[1] == outputs[2], name
