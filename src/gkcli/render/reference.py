"""Reference tables the README shows, generated from the definitions they describe
(``python scripts/update_readme.py`` writes them; tests/test_docs.py checks they are current)."""

from __future__ import annotations

import dataclasses


def task_keys_table() -> str:
    """The JSON keys of a task object, from the output field table."""
    from gkcli.domain.records import ProgressEntry, description
    from gkcli.render.columns import DETAIL_KEYS, TASK_COLUMNS

    entry_keys = "、".join(
        f"`{f.name}`({description(ProgressEntry, f.name)})" for f in dataclasses.fields(ProgressEntry)
    )
    rows = ["| 键 | 表头 | 含义 |", "|---|---|---|"]
    for column in TASK_COLUMNS:
        meaning = column.description
        if column.key == "progress":
            meaning += f"(仅 `show`,导出时为整个记录);每条含 {entry_keys}"
        rows.append(f"| `{column.key}` | {column.header} | {meaning} |")
    rows += [f"| `{key}` | | {meaning} |" for key, meaning in DETAIL_KEYS.items()]
    return "\n".join(rows)


def readme_sections() -> dict[str, str]:
    """Each generated README section by name (``<!-- generated: NAME -->`` … ``<!-- end: NAME -->``)."""
    from gkcli.check.rules import readme_table

    return {"rules": readme_table(), "task-keys": task_keys_table(), "entry-kinds": entry_kinds_table()}


def entry_kinds_table() -> str:
    """The kinds of log entry, from the one table that defines them (``domain.records.ENTRY_KINDS``)."""
    from gkcli.domain.records import ENTRY_KINDS

    rows = [f"| `{kind}` | {rule.label} | {rule.changes} | {rule.contradicts} |" for kind, rule in ENTRY_KINDS.items()]
    return "\n".join(["| 类别 `kind` | 名称 | 改变什么 | 何时矛盾 |", "|---|---|---|---|", *rows])
