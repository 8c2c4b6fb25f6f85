"""Reference tables the README shows, generated from the definitions they describe
(``python scripts/update_readme.py`` writes them; tests/test_docs.py checks they are current)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

# gkcli's layers, bottom first: a module imports only from its own layer and those below it
# (tests/test_layers.py walks every import). ``gkcli`` is the package itself (its version).
LAYERS = ["gkcli", "text", "findings", "errors", "domain", "check", "store", "importing", "core", "render", "cli"]
_PACKAGE = Path(__file__).resolve().parent.parent


def layers_table() -> str:
    """The README's map of the code: each layer, top first, with what each of its modules is for,
    from the first sentence of the module's (or package's) own docstring."""
    rows = ["| 层 | 模块 | 职责(取自文档字符串) |", "|---|---|---|"]
    for layer in reversed(LAYERS[1:]):
        folder = _PACKAGE / layer
        if folder.is_dir():
            rows.append(f"| `{layer}/` | | {_summary(folder / '__init__.py')} |")
            for path in sorted(folder.glob("*.py")):
                if path.name != "__init__.py":
                    rows.append(f"| | `{path.name}` | {_summary(path)} |")
        else:
            rows.append(f"| `{layer}.py` | | {_summary(_PACKAGE / f'{layer}.py')} |")
    return "\n".join(rows)


def _summary(path: Path) -> str:
    """The first sentence of a module's docstring, on one line (a package without one: its modules say)."""
    if not path.exists():
        return "(见各模块)"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split())
    if ". " in text:
        text = text.split(". ", 1)[0] + "."
    return text.replace("|", "\\|")


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

    return {
        "rules": readme_table(), "task-keys": task_keys_table(), "entry-kinds": entry_kinds_table(),
        "layers": layers_table(),
    }  # fmt: skip


def entry_kinds_table() -> str:
    """The kinds of log entry, from the one table that defines them (``domain.records.ENTRY_KINDS``)."""
    from gkcli.domain.records import ENTRY_KINDS

    rows = [f"| `{kind}` | {rule.label} | {rule.changes} | {rule.contradicts} |" for kind, rule in ENTRY_KINDS.items()]
    return "\n".join(["| 类别 `kind` | 名称 | 改变什么 | 何时矛盾 |", "|---|---|---|---|", *rows])
