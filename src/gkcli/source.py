"""Reading one YAML file into plain data while keeping where every value stood.

Values are built from PyYAML's node graph (composed by the C parser where
available), not by PyYAML's constructor, so that:
- every key and value keeps its line and column for messages;
- a duplicate key is reported instead of silently overwriting the first;
- an alias is refused rather than expanded, and no tag constructs an object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gkcli.diagnostics import Diagnostic

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset("tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_CONSTRUCTOR = yaml.SafeLoader("")
MAX_DEPTH = 64


@dataclass
class SourceMap:
    """Line and column (1-based) of each value and each mapping key, by path."""

    display: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)  # source text of non-string scalars
    broken: set[Path_] = field(default_factory=set)  # values already reported as unreadable

    def is_broken(self, path: Path_) -> bool:
        """True when ``path`` or a parent was already reported, so schema errors there add nothing."""
        return any(tuple(path[:n]) in self.broken for n in range(len(path) + 1))

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where the value at ``path`` stands (or its key), else its nearest parent."""
        probe = tuple(path)
        while True:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]


@dataclass
class Document:
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]


def _diag(smap: SourceMap, pos: tuple[int, int], rule: str, message: str) -> Diagnostic:
    return Diagnostic(smap.display, pos[0], pos[1], "error", rule, message)


def _broken(smap: SourceMap, path: Path_, pos: tuple[int, int], rule: str, message: str) -> Diagnostic:
    smap.broken.add(path)
    return _diag(smap, pos, rule, message)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        pos = _mark(node)
        self.smap.values[path] = pos
        if id(node) in self.seen:
            self.diagnostics.append(
                _broken(self.smap, path, pos, "GK102", "不支持 YAML 锚点和别名(&/*):请把内容直接写出")
            )
            return None
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            self.diagnostics.append(_broken(self.smap, path, pos, "GK104", f"嵌套超过 {MAX_DEPTH} 层"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._bad_tag(node, path, pos)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path, pos)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        if node.tag != _MAP:
            self._bad_tag(node, path, _mark(node))
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_pos = _mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.diagnostics.append(_broken(self.smap, path, key_pos, "GK112", "键必须是简单文本"))
                continue
            key = key_node.value
            if key in result:
                first = self.smap.keys[(*path, key)]
                self.diagnostics.append(
                    _diag(
                        self.smap,
                        key_pos,
                        "GK101",
                        f"重复的键 '{key}'(第 {first[0]} 行已有):YAML 只会保留后一个,请删去其一",
                    )
                )
                continue
            self.smap.keys[(*path, key)] = key_pos
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_, pos: tuple[int, int]) -> Any:
        if node.tag == _STR:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self._bad_tag(node, path, pos)
            return None
        self.smap.raw[path] = node.value
        # bool, int, float, null, date or datetime: a field of another type
        # rejects it and the message quotes the raw text kept above.
        return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)

    def _bad_tag(self, node: yaml.Node, path: Path_, pos: tuple[int, int]) -> None:
        self.diagnostics.append(
            _broken(self.smap, path, pos, "GK103", f"不支持的 YAML 标签 {node.tag}:台账只用普通文本、数字、日期和列表")
        )


def parse_text(text: str, display: str) -> Document:
    """Compose ``text`` and build plain data from it, with positions."""
    smap = SourceMap(display)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "语法错误"
        return Document(None, smap, [_diag(smap, pos, "GK100", f"YAML 语法错误: {problem}")])
    except yaml.YAMLError as exc:
        return Document(None, smap, [_diag(smap, (1, 1), "GK100", f"YAML 语法错误: {exc}")])
    except RecursionError:
        return Document(None, smap, [_diag(smap, (1, 1), "GK104", "嵌套过深,无法读取")])
    if node is None:
        return Document(None, smap, [_diag(smap, (1, 1), "GK105", "文件是空的")])
    builder = _Builder(smap)
    data = builder.build(node, ())
    return Document(data, smap, builder.diagnostics)


def read_document(path: Path, display: str) -> Document:
    """Read and parse one registry file; decoding problems become diagnostics."""
    smap = SourceMap(display)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"不是 UTF-8 编码(第 {exc.start} 字节起无法解码)"
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            message += ":请把文件另存为 UTF-8"
        else:
            message += (
                ":文件看来是 GBK/GB18030 编码(Windows 中文编辑器常见),请另存为 UTF-8,或运行 iconv -f GB18030 -t UTF-8"
            )
        return Document(None, smap, [_diag(smap, (line, column), "GK106", message)])
    return parse_text(text, display)
