"""Reading one YAML file into plain data while keeping where every value stood.

Values are built from PyYAML's node graph (composed by the C parser where
available), not by PyYAML's constructor, so that:
- every key and value keeps its line and column for messages;
- a duplicate key is reported instead of silently overwriting the first;
- anchors and aliases are refused rather than expanded (an alias bomb costs nothing);
- no tag constructs an object, and YAML 1.1 surprises (``no``, ``010``, ``1:30``) are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gkcli.diagnostics import Diagnostic

try:
    YAML_LOADER: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    YAML_LOADER = yaml.SafeLoader

Path_ = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_SCALAR_TAGS = frozenset(_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_MAP = _CORE + "map"
_SEQ = _CORE + "seq"
_CONSTRUCTOR = yaml.SafeLoader("")
MAX_DEPTH = 64
MAX_REPORTS = 20  # of one kind in one file; the rest are counted

_INDENT_TAB = re.compile(r"^[ ]*\t", re.M)
_YAML11_BOOL = frozenset({"yes", "no", "on", "off", "y", "n"})
_YAML11_NUMBER = re.compile(r"^[-+]?(0[0-7_]+|0[xob][0-9a-f_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|.*_.*)$", re.I)


@dataclass
class SourceMap:
    """Line and column (1-based) of each value and each mapping key, by path."""

    display: str
    lines: list[str] = field(default_factory=list)
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

    def line_text(self, line: int) -> str | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None


@dataclass
class Document:
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]


def _diag(smap: SourceMap, pos: tuple[int, int], rule: str, message: str) -> Diagnostic:
    return Diagnostic(smap.display, pos[0], pos[1], "error", rule, message)


def _mark(node: yaml.Node | yaml.Event) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _capped(found: list[Diagnostic], smap: SourceMap, what: str) -> list[Diagnostic]:
    if len(found) <= MAX_REPORTS:
        return found
    last = found[MAX_REPORTS - 1]
    more = _diag(smap, (last.line, last.column), last.rule, f"……另有 {len(found) - MAX_REPORTS} 处{what}")
    return [*found[:MAX_REPORTS], more]


class _Builder:
    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()

    def _report(self, path: Path_, pos: tuple[int, int], rule: str, message: str) -> None:
        self.smap.broken.add(path)
        self.diagnostics.append(_diag(self.smap, pos, rule, message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        pos = _mark(node)
        self.smap.values[path] = pos
        if id(node) in self.seen:  # an alias: reported from the event stream
            self.smap.broken.add(path)
            return None
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            self._report(path, pos, "GK104", f"嵌套超过 {MAX_DEPTH} 层")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._bad_tag(node, path, pos)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path, pos)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        if node.tag != _MAP:
            self._bad_tag(node, path, _mark(node))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_pos = _mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self._report(path, key_pos, "GK112", "键必须是简单文本")
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
        raw = node.value
        self.smap.raw[path] = raw
        if node.tag == _CORE + "bool" and raw.lower() in _YAML11_BOOL:
            self._report(
                path, pos, "GK114",
                f"YAML 会把未加引号的 {raw} 读成布尔值:若是文字请写成 \"{raw}\",若是布尔值请写 true 或 false",
            )  # fmt: skip
            return None
        if node.tag in (_CORE + "int", _CORE + "float") and _YAML11_NUMBER.match(raw):
            self._report(
                path, pos, "GK114",
                f"YAML 会把未加引号的 {raw} 读成别的数(八进制、十六进制或六十进制):若是文字请写成 \"{raw}\",若是数请写十进制",
            )  # fmt: skip
            return None
        # bool, int, float, null, date or datetime: a field of another type
        # rejects it and the message quotes the raw text kept above.
        try:
            return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            self._report(path, pos, "GK113", f"{raw} 不是有效的值")
            return None

    def _bad_tag(self, node: yaml.Node, path: Path_, pos: tuple[int, int]) -> None:
        self._report(path, pos, "GK103", f"不支持的 YAML 标签 {node.tag}:台账只用普通文本、数字、日期和列表")


def _tab_diagnostics(text: str, smap: SourceMap) -> list[Diagnostic]:
    found = []
    for match in _INDENT_TAB.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.end() - match.start()
        found.append(_diag(smap, (line, column), "GK109", "缩进中有制表符(Tab):YAML 只能用空格缩进"))
    return _capped(found, smap, "制表符缩进")


def _anchor_diagnostics(text: str, smap: SourceMap) -> list[Diagnostic]:
    """Anchors and aliases, from the event stream (only read when the text could hold one)."""
    if "&" not in text and "*" not in text:
        return []
    found = []
    for event in yaml.parse(text, Loader=YAML_LOADER):
        if isinstance(event, yaml.AliasEvent):
            found.append(_diag(smap, _mark(event), "GK102", f"不支持 YAML 别名 *{event.anchor}:请把内容直接写出"))
        elif anchor := getattr(event, "anchor", None):
            found.append(_diag(smap, _mark(event), "GK102", f"不支持 YAML 锚点 &{anchor}:请把内容直接写出"))
    return _capped(found, smap, "锚点或别名")


def parse_text(text: str, display: str) -> Document:
    """Compose ``text`` and build plain data from it, with positions."""
    smap = SourceMap(display, text.splitlines())
    tabs = _tab_diagnostics(text, smap)
    if tabs:
        return Document(None, smap, tabs)
    try:
        node = yaml.compose(text, Loader=YAML_LOADER)
        anchors = _anchor_diagnostics(text, smap)
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
    return Document(data, smap, [*anchors, *builder.diagnostics])


def decode(raw: bytes, smap: SourceMap) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text (a BOM is dropped), or a diagnostic saying what the bytes look like."""
    try:
        return raw.decode("utf-8-sig"), []
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
        return None, [_diag(smap, (line, column), "GK106", message)]


def read_document(path: Path, display: str) -> Document:
    """Read and parse one registry file; decoding problems become diagnostics."""
    smap = SourceMap(display)
    text, problems = decode(path.read_bytes(), smap)
    if text is None:
        return Document(None, smap, problems)
    return parse_text(text, display)
