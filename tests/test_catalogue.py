"""The catalogue of bad registries: each case file marks the lines it breaks with
``# <- GKxxx``; gkcli check must report exactly those rules at exactly those lines,
in every output format, and exit 1."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gkcli.domain.registry import MAX_FILE_BYTES

from .conftest import Cli

CATALOGUE = Path(__file__).resolve().parent / "catalogue"
CASES = sorted((CATALOGUE / "cases").glob("*.yaml"))
MARKER = re.compile(r"#\s*<-\s*((?:GK\d{3}\s*)+)")


def _registry_with(case: Path, tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "registry"
    shutil.copytree(CATALOGUE / "base", folder)
    kind = case.name.split(".")[-2]  # NAME.tasks.yaml or NAME.units.yaml
    shutil.copyfile(case, folder / f"{kind}.yaml")
    return folder, f"{kind}.yaml"


def _expected(case: Path) -> set[tuple[str, int]]:
    found = set()
    for number, line in enumerate(case.read_text(encoding="utf-8").splitlines(), 1):
        for match in MARKER.finditer(line):
            found.update((rule, number) for rule in match.group(1).split())
    return found


def test_every_rule_has_a_case() -> None:
    readme = (CATALOGUE.parent.parent / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| (GK\d{3}) \|", readme, flags=re.M))
    covered = {rule for case in CASES for rule, _ in _expected(case)} | {"GK106", "GK107"}  # byte-level, below
    covered.add("GK510")  # links between the plans of a workspace: tests/test_trust.py
    assert documented <= covered


def test_the_base_registry_is_clean(cli: Cli) -> None:
    result = cli("check", "--strict", "--as-of", "2022-10-01", str(CATALOGUE / "base"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", CASES, ids=[c.name.split(".")[0] for c in CASES])
def test_case(cli: Cli, case: Path, tmp_path: Path) -> None:
    folder, filename = _registry_with(case, tmp_path)
    expected = _expected(case)
    assert expected, "a case must mark at least one line"
    args = ["check", "--strict", "--as-of", "2022-10-01", str(folder)]

    result = cli(*args, "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)
    assert {(d["rule"], d["line"]) for d in found} == expected
    assert {Path(d["file"]).name for d in found} == {filename}

    text = cli(*args, "--format", "text")
    assert text.exit_code == 1
    for rule, line in expected:
        assert re.search(rf"{filename}:{line}:\d+: (error|warning) {rule} ", text.stdout), (rule, line)

    github = cli(*args, "--format", "github")
    assert github.exit_code == 1
    for rule, line in expected:
        assert re.search(
            rf"^::(error|warning) file=[^,]*{filename},line={line},col=\d+,title={rule}::", github.stdout, re.M
        )


def test_every_command_refuses_a_broken_registry(cli: Cli, tmp_path: Path) -> None:
    folder, _ = _registry_with(CATALOGUE / "cases" / "GK301_unknown_unit.tasks.yaml", tmp_path)
    for command in (["overdue"], ["list"], ["unit", "县财政局"], ["units"], ["due"], ["show", "1"]):
        result = cli("--data", str(folder), *command)
        assert result.exit_code == 2, command
        assert re.search(r"tasks\.yaml:\d+:\d+: error GK301 ", result.stderr), command


def test_gbk_file(cli: Cli, tmp_path: Path) -> None:
    folder, _ = _registry_with(CATALOGUE / "base" / "units.yaml", tmp_path)
    path = folder / "units.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    result = cli("check", str(folder), "-f", "json")
    assert result.exit_code == 1
    [diag] = json.loads(result.stdout)
    assert (diag["rule"], diag["line"]) == ("GK106", 2)
    assert "GB18030" in diag["message"]


def test_undecodable_bytes_name_offset_and_line(cli: Cli, tmp_path: Path) -> None:
    folder, _ = _registry_with(CATALOGUE / "base" / "tasks.yaml", tmp_path)
    path = folder / "tasks.yaml"
    data = path.read_bytes()
    offset = data.index("第二项".encode())
    path.write_bytes(data[:offset] + b"\xff\xfe\xfa" + data[offset:])
    [diag] = json.loads(cli("check", str(folder), "-f", "json").stdout)
    assert diag["rule"] == "GK106"
    assert diag["line"] == data[:offset].count(b"\n") + 1
    assert str(offset) in diag["message"]


def test_huge_file_is_refused_without_reading_it(cli: Cli, tmp_path: Path) -> None:
    folder, _ = _registry_with(CATALOGUE / "base" / "tasks.yaml", tmp_path)
    with (folder / "tasks.yaml").open("ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    result = cli("check", str(folder), "-f", "json")
    assert result.exit_code == 1
    assert [d["rule"] for d in json.loads(result.stdout)] == ["GK107"]


def test_alias_bomb_is_refused(cli: Cli, tmp_path: Path) -> None:
    folder, _ = _registry_with(CATALOGUE / "base" / "tasks.yaml", tmp_path)
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    (folder / "units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("check", str(folder), "-f", "json")
    assert result.exit_code == 1
    rules = {d["rule"] for d in json.loads(result.stdout)}
    assert "GK102" in rules


def test_github_escaping() -> None:
    from gkcli.findings import Diagnostic
    from gkcli.render.output import format_github

    diag = Diagnostic("a,b:c.yaml", 3, 4, "warning", "GK604", "100% done\r\nnext")
    assert format_github(diag) == "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=GK604::100%25 done%0D%0Anext"


def test_github_format_is_chosen_under_github_actions(cli: Cli, tmp_path: Path) -> None:
    folder, _ = _registry_with(CATALOGUE / "cases" / "GK301_unknown_unit.tasks.yaml", tmp_path)
    result = cli("check", str(folder), GITHUB_ACTIONS="true")
    assert result.stdout.startswith("::error file=")
