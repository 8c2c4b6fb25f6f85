"""No answer depends on hidden module state. What a loaded registry remembers (its trust, its
source layout, its replay memo) travels on the registry and dies with it; a module keeps no
container that it fills at run time except the few caches listed here, each keyed by value, and
nothing anywhere is keyed by object identity at module level (no ``weakref``, no ``id()`` in a
function that touches module state)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "gkcli"
CONTAINERS = {
    "dict",
    "list",
    "set",
    "defaultdict",
    "OrderedDict",
    "Counter",
    "WeakKeyDictionary",
    "WeakValueDictionary",
}
MUTATORS = {"setdefault", "update", "add", "append", "extend", "pop", "clear", "insert", "remove", "discard", "popitem"}

# module state filled at run time, and why its key is a value
KNOWN_CACHES = {
    ("store/cache.py", "_last_decoded"): "the rows last decoded per record type, compared by value before reuse",
    ("store/cache.py", "_last_fetched"): "the cache entry last read, keyed by its folder and file name",
}


@functools.cache  # every test reads the same sources; none changes a tree
def _modules() -> list[tuple[str, ast.Module]]:
    return [(p.relative_to(SOURCE).as_posix(), ast.parse(p.read_text(encoding="utf-8"))) for p in SOURCE.rglob("*.py")]


def _module_names(tree: ast.Module) -> dict[str, ast.AST]:
    """Names bound at module level to a container (a literal, a comprehension or a constructor call)
    or rebound through ``global``."""
    found: dict[str, ast.AST] = {}
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        is_container = isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
            isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", None)) in CONTAINERS
        )
        for target in targets:
            if isinstance(target, ast.Name) and is_container:
                found[target.id] = node
    return found


def _filled_at_run_time(tree: ast.Module) -> set[str]:
    """Module-level names that code changes: a container mutated in place, or a name rebound via ``global``."""
    containers = _module_names(tree)
    filled: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            filled.update(node.names)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id in containers and node.func.attr in MUTATORS:
                filled.add(owner.id)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                owner = target.value if isinstance(target, ast.Subscript) else None
                if isinstance(owner, ast.Name) and owner.id in containers:
                    filled.add(owner.id)
    return filled


def test_module_state_filled_at_run_time_is_only_the_known_value_keyed_caches() -> None:
    found = {(name, variable) for name, tree in _modules() for variable in _filled_at_run_time(tree)}
    assert found == set(KNOWN_CACHES)


def test_no_module_keys_anything_by_object_identity() -> None:
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imported = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert "weakref" not in imported, f"{name}:{node.lineno} imports weakref"
        state = _filled_at_run_time(tree)
        outermost = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        outermost += [
            m for c in tree.body if isinstance(c, ast.ClassDef) for m in c.body if isinstance(m, ast.FunctionDef)
        ]
        for function in outermost:  # a nested function is walked with the one around it
            names = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
            uses_id = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "id"
                for n in ast.walk(function)
            )
            assert not (uses_id and names & state), f"{name}:{function.lineno} keys module state by id()"


def test_the_scan_sees_a_module_level_memo_keyed_by_identity() -> None:
    """The scan is not blind: a memo of the old kind is found."""
    tree = ast.parse("_MEMOS: dict[int, object] = {}\n\ndef memo(registry):\n    _MEMOS[id(registry)] = 1\n")
    assert _filled_at_run_time(tree) == {"_MEMOS"}
    tree = ast.parse("_flag = None\n\ndef mark(x):\n    global _flag\n    _flag = id(x)\n")
    assert _filled_at_run_time(tree) == {"_flag"}
