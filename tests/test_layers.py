"""The module graph runs one way. Every import in gkcli, those inside functions and under
TYPE_CHECKING included, goes from a layer to the same layer or one below it, in the order the
README's development map gives (generated from the packages' docstrings by
scripts/update_readme.py). A module never imports the layer above it, so there is no circle."""

from __future__ import annotations

import ast
from pathlib import Path

from gkcli.render.reference import LAYERS

SOURCE = Path(__file__).resolve().parent.parent / "src" / "gkcli"


def _layer(module: str) -> int:
    """The layer a module ``gkcli.x.y`` belongs to (its package, or itself for a top-level module)."""
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "gkcli"
    return LAYERS.index(name)


def _imports() -> list[tuple[str, str, int]]:
    """Every (importing module, imported module, line) in the source."""
    found = []
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gkcli"):
                named = [node.module]
                if node.module == "gkcli":  # from gkcli import __version__ / from gkcli import text
                    named = [f"gkcli.{a.name}" if (SOURCE / f"{a.name}.py").exists() else "gkcli" for a in node.names]
                found += [(module, target, node.lineno) for target in named]
            elif isinstance(node, ast.Import):
                found += [(module, a.name, node.lineno) for a in node.names if a.name.startswith("gkcli")]
    return found


def test_every_module_belongs_to_a_layer() -> None:
    modules = {path.relative_to(SOURCE).parts[0].removesuffix(".py") for path in SOURCE.glob("*")}
    modules -= {"__pycache__", "py.typed", "data"}
    assert modules <= set(LAYERS) | {"__init__", "__main__"}, modules - set(LAYERS)


def test_no_import_goes_up_a_layer() -> None:
    upward = [
        f"{module}:{line} imports {target}"
        for module, target, line in _imports()
        if module not in ("gkcli.__main__",) and _layer(target) > _layer(module)
    ]
    assert upward == [], "\n".join(upward)
