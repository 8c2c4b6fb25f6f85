"""Reading and validating a registry: what the findings say beyond their rule and line (those
are checked for every rule by the catalogue, tests/test_catalogue.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkcli.errors import RegistryInvalid, RegistryNotFound
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder, bundled_directory, locate
from gkcli.store.validate import inspect_registry

from .conftest import Edit


def _problems(folder: Path) -> list[tuple[str, int, str, str]]:
    _, found = inspect_registry(RegistryFolder(folder, "option"))
    return [(Path(d.file).name, d.line, d.severity, d.rule) for d in found]


def _line_of(folder: Path, filename: str, text: str) -> int:
    lines = (folder / filename).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_the_shipped_registry_is_clean(data_copy: Path) -> None:
    assert _problems(data_copy) == []


def test_location_order(tmp_path: Path, data_copy: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for name in ("tasks.yaml", "units.yaml"):
        (other / name).write_bytes((data_copy / name).read_bytes())
    env = {"GKCLI_DATA": str(other)}
    assert locate(data_copy, env, tmp_path).directory == data_copy  # --data first
    assert locate(None, env, tmp_path).directory == other  # then $GKCLI_DATA
    assert locate(None, {}, tmp_path).directory == tmp_path / "data"  # then ./data
    empty = tmp_path / "empty"
    empty.mkdir()
    bundled = locate(None, {}, empty)
    assert bundled.origin == "bundled"
    assert bundled.directory == bundled_directory()
    assert (bundled.directory / "tasks.yaml").is_file()


def test_a_missing_folder_or_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RegistryNotFound):
        locate(tmp_path / "nope", {}, tmp_path)
    (tmp_path / "tasks.yaml").write_text("plan: {}\n", encoding="utf-8")
    with pytest.raises(RegistryNotFound, match=r"units\.yaml"):
        locate(tmp_path, {}, tmp_path)


def test_a_file_path_means_its_folder(data_copy: Path, tmp_path: Path) -> None:
    assert locate(data_copy / "tasks.yaml", {}, tmp_path).directory == data_copy


def test_unknown_unit_names_the_line_and_a_suggestion(edit: Edit) -> None:
    folder = edit("tasks.yaml", "lead: [县税务局]", "lead: [县税务]")
    line = _line_of(folder, "tasks.yaml", "lead: [县税务]")
    _, found = inspect_registry(RegistryFolder(folder, "option"))
    assert [(d.line, d.rule, d.task) for d in found] == [(line, "GK301", 6)]
    assert "县税务局" in found[0].message


def test_unknown_deadline_phrase(edit: Edit) -> None:
    folder = edit("tasks.yaml", "deadline: 7月底前", "deadline: 下个月")
    line = _line_of(folder, "tasks.yaml", "deadline: 下个月")
    _, found = inspect_registry(RegistryFolder(folder, "option"))
    assert [(d.line, d.column, d.rule) for d in found] == [(line, 15, "GK401")]
    assert "下个月" in found[0].message


def test_yaml_boolean_where_a_status_was_meant(edit: Edit) -> None:
    folder = edit("tasks.yaml", "    status: not_started\n", "    status: no\n")
    line = _line_of(folder, "tasks.yaml", "status: no")
    _, found = inspect_registry(RegistryFolder(folder, "option"))
    assert [(d.line, d.rule) for d in found] == [(line, "GK114")]
    assert '"no"' in found[0].message


def test_yaml_number_where_text_was_meant(edit: Edit) -> None:
    folder = edit("tasks.yaml", "deadline: 7月底前", "deadline: 2022")
    _, found = inspect_registry(RegistryFolder(folder, "option"))
    assert [d.rule for d in found] == ["GK112"]
    assert '"2022"' in found[0].message


def test_unknown_key_suggests_the_right_one(edit: Edit) -> None:
    folder = edit("tasks.yaml", "    deadline: 7月底前", "    deadlin: 7月底前")
    line = _line_of(folder, "tasks.yaml", "deadlin:")
    found = _problems(folder)
    assert ("tasks.yaml", line, "error", "GK111") in found
    task_line = _line_of(folder, "tasks.yaml", "- id: 36")
    assert ("tasks.yaml", task_line, "error", "GK110") in found  # missing 'deadline', at the task's start
    _, diags = inspect_registry(RegistryFolder(folder, "option"))
    assert any("'deadline'" in d.message for d in diags if d.rule == "GK111")


def test_duplicate_keys_are_found_not_overwritten(edit: Edit) -> None:
    folder = edit("tasks.yaml", "    deadline: 7月底前\n", "    deadline: 7月底前\n    deadline: 全年\n")
    found = _problems(folder)
    assert [rule for *_, rule in found] == ["GK101"]
    text = (folder / "tasks.yaml").read_text(encoding="utf-8").splitlines()
    assert text[found[0][1] - 1].strip() == "deadline: 全年"


def test_gbk_file_gets_a_conversion_hint(data_copy: Path) -> None:
    path = data_copy / "units.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    _, found = inspect_registry(RegistryFolder(data_copy, "option"))
    assert [d.rule for d in found] == ["GK106"]
    assert "GB18030" in found[0].message and "UTF-8" in found[0].message


def test_bom_and_crlf_are_accepted(data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert _problems(data_copy) == []


def test_duplicate_task_id_and_gap(edit: Edit) -> None:
    folder = edit("tasks.yaml", "  - id: 46\n", "  - id: 45\n")
    rules = [(sev, rule) for _, _, sev, rule in _problems(folder)]
    assert ("error", "GK201") in rules
    assert ("warning", "GK202") not in rules  # 46 missing at the end is not a gap below the maximum


def test_explicit_due_overrides_the_phrase(edit: Edit) -> None:
    folder = edit("tasks.yaml", "    deadline: 7月底前\n", "    deadline: 7月底前\n    due: 2022-08-15\n")
    registry = load_registry(RegistryFolder(folder, "option"))
    assert registry.due(registry.tasks_by_id[36]).isoformat() == "2022-08-15"


def test_load_registry_raises_on_errors(edit: Edit) -> None:
    folder = edit("tasks.yaml", "lead: [县税务局]", "lead: [县税务]")
    with pytest.raises(RegistryInvalid) as caught:
        load_registry(RegistryFolder(folder, "option"))
    assert caught.value.diagnostics[0].rule == "GK301"
