"""One definition per record: a field declared in gkcli.domain.records reaches every output.

`link` on progress entries was added by declaring it there and nowhere else; these tests
follow it into validation, the YAML edits, the cache, JSON, CSV, XLSX, the schema and the README.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from gkcli.core.queries import Item
from gkcli.core.updates import add_progress
from gkcli.domain.records import ProgressEntry
from gkcli.domain.registry import Registry
from gkcli.render.columns import LATEST_KEYS, as_json, latest_json
from gkcli.store import cache
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder
from gkcli.store.schema import json_schema
from gkcli.store.yaml_edit import TaskChange, edit_task

from .conftest import ROOT, Cli

LINK = "https://www.shengsi.gov.cn/art/2022/8/1/art_1.html"


def _with_linked_entry(folder: Path) -> None:
    text = (folder / "tasks.yaml").read_text(encoding="utf-8")
    entry = ProgressEntry(dt.date(2022, 8, 1), "已发布", "县政府办公室", LINK)
    change = TaskChange(status="in_progress", entries=[entry])
    (folder / "tasks.yaml").write_text(edit_task(text, 36, change), encoding="utf-8")


def test_an_edit_writes_every_field_of_an_entry_and_validation_reads_it_back(data_copy: Path) -> None:
    _with_linked_entry(data_copy)
    assert f"link: {LINK}" in (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    registry = load_registry(RegistryFolder(data_copy, "option"), {"GKCLI_NO_CACHE": "1"})
    assert registry.tasks_by_id[36].progress[0].link == LINK


def test_the_cache_keeps_the_field(data_copy: Path, private_cache: Path) -> None:
    _with_linked_entry(data_copy)
    folder = RegistryFolder(data_copy, "option")
    load_registry(folder)
    [entry] = private_cache.glob("*.reg")
    cached = cache.fetch(private_cache, entry.name)
    assert cached is not None and cached.tasks_by_id[36].progress[0].link == LINK


def test_json_csv_and_xlsx_carry_the_field(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = Path(cli.env["GKCLI_DATA"])
    _with_linked_entry(folder)
    shown = json.loads(cli("show", "36", "-f", "json").stdout)
    assert shown["progress"][0]["link"] == LINK
    structured = json.loads(cli("export", "-f", "json").stdout)
    tasks = [t for p in structured["parts"] for s in p["sections"] for t in s["tasks"]]
    assert next(t for t in tasks if t["id"] == 36)["progress"][0]["link"] == LINK
    assert LINK in cli("export", "-f", "csv").stdout
    assert cli("export", "-f", "xlsx", "-o", str(tmp_path / "a.xlsx")).exit_code == 0
    cells = [str(c.value) for row in load_workbook(tmp_path / "a.xlsx").worksheets[0].iter_rows() for c in row]
    assert any(LINK in cell for cell in cells)


def test_the_schema_and_the_readme_describe_the_field() -> None:
    schema = json.loads(json_schema("tasks"))
    link = schema["$defs"]["ProgressEntry"]["properties"]["link"]
    assert link["anyOf"][0]["pattern"].startswith("^https?://") and "网址" in link["description"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"`link`\(可查看成果的网址", readme)


def test_a_link_that_is_not_a_web_address_is_refused(data_copy: Path) -> None:
    folder = RegistryFolder(data_copy, "option")
    text = (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    entry = ProgressEntry(dt.date(2022, 8, 1), "已发布", None, "javascript:alert(1)")
    change = TaskChange(status="in_progress", entries=[entry])
    (data_copy / "tasks.yaml").write_text(edit_task(text, 36, change), encoding="utf-8")
    from gkcli.store.validate import inspect_registry

    _, found = inspect_registry(folder)
    assert [(d.rule, d.task) for d in found] == [("GK113", 36)]
    assert "http" in found[0].message


def test_writes_keep_the_field_in_order(data_copy: Path) -> None:
    result = add_progress(RegistryFolder(data_copy, "option"), 36, as_of=dt.date(2022, 8, 2), note="进行中")
    assert result.entry is not None and result.entry.link is None


def test_the_latest_entry_in_a_listing_carries_every_latest_key_as_json(registry: Registry) -> None:
    """``latest_json`` writes its keys out for speed: they are LATEST_KEYS, each as ``as_json`` gives it."""
    entry = ProgressEntry(dt.date(2022, 8, 1), "申请延期", "县财政局", LINK, "request", dt.date(2022, 8, 2),
                          "form#3", dt.date(2022, 10, 31))  # fmt: skip
    task = dataclasses.replace(registry.tasks_by_id[1], progress=(entry,))
    record = latest_json(Item(task, None))
    assert record is not None and tuple(record) == LATEST_KEYS
    assert record == {key: as_json(getattr(entry, key)) for key in LATEST_KEYS}
    plain = dataclasses.replace(entry, link=None, due=None, unit=None, kind="progress")
    assert latest_json(Item(dataclasses.replace(task, progress=(plain,)), None)) == {
        key: as_json(getattr(plain, key)) for key in LATEST_KEYS
    }
    assert latest_json(Item(dataclasses.replace(task, progress=()), None)) is None


@pytest.mark.parametrize("kind", ["list", "overdue", "due", "unit", "show"])
@pytest.mark.parametrize("plans", [False, True])
def test_records_made_together_are_the_records_made_one_by_one(registry: Registry, kind: str, plans: bool) -> None:
    """``task_records`` reads the plain columns together: the same keys, in the same order, with
    the same values as ``task_record`` column by column, for every kind of listing."""
    from gkcli.core import queries
    from gkcli.domain.units import Entity
    from gkcli.render.columns import columns_for, task_record, task_records

    finance: Entity = registry.directory.resolve("县财政局")
    items = queries.unit_tasks(registry, finance, as_of=dt.date(2022, 10, 1))
    items = [queries.item_with(i, overdue=3, left=5, plan="2022") for i in items]
    columns = columns_for(kind, overdue=kind == "list", plans=plans)  # type: ignore[arg-type]
    together = task_records(items, columns)
    one_by_one = [task_record(i, columns) for i in items]
    assert [list(r) for r in together] == [list(r) for r in one_by_one] and together == one_by_one
    assert len(together) > 10 and {r.get("role") for r in together} >= (
        {"lead", "responsible"} if kind == "unit" else {None}
    )
    assert task_records(items, columns[:1]) == [{columns[0].key: r[columns[0].key]} for r in one_by_one]
    assert task_records(items, [c for c in columns if c.path is None]) == [
        {c.key: r[c.key] for c in columns if c.path is None} for r in one_by_one
    ]
