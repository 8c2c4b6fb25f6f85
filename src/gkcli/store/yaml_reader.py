"""Reading one YAML file into plain data while keeping where every value stood.

Values are built from PyYAML's node graph (composed by the C parser where
available), not by PyYAML's constructor, so that:
- every key and value keeps its line and column for messages;
- a duplicate key is reported instead of silently overwriting the first;
- anchors and aliases are refused rather than expanded (an alias bomb costs nothing);
- no tag constructs an object, and YAML 1.1 surprises (``no``, ``010``, ``1:30``) are reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gkcli.check.rules import finding
from gkcli.findings import Diagnostic, Path_, SourceMap
from gkcli.text import INVISIBLE_BMP, NONCHARACTER, NONCHARACTER_BMP

try:
    YAML_LOADER: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    YAML_LOADER = yaml.SafeLoader


_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_SCALAR_TAGS = frozenset(_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_MAP = _CORE + "map"
_SEQ = _CORE + "seq"
_CONSTRUCTOR = yaml.SafeLoader("")
MAX_DEPTH = 64
MAX_KEYS = 256  # keys in one mapping: no mapping of a registry has more than a dozen fields
MAX_DIGITS = 18  # a number longer than this is no id, year or count a registry can hold
MAX_REPORTS = 20  # of one kind in one file; the rest are counted
SHARED_LENGTH = 64  # texts up to this long are kept once however often they are written

# Text that could break a text-hygiene rule (see checks.check_text): control, escape, bidi and
# invisible characters, and any white space. Most values have none and are never looked at again.
SUSPECT_TEXT = re.compile(
    r"[\x00-\x1f\x7f-\x9f\s" + INVISIBLE_BMP.pattern[1:-1] + NONCHARACTER_BMP.pattern[1:-1] + "\U00010000-\U0010ffff]"
)  # any character beyond the BMP is suspect too: the rules that see it check it exactly
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d$")
_INDENT_TAB = re.compile(r"^[ ]*\t", re.M)
_YAML11_BOOL = frozenset({"yes", "no", "on", "off", "y", "n"})
_YAML11_NUMBER = re.compile(r"^[-+]?(0[0-7_]+|0[xob][0-9a-f_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|.*_.*)$", re.I)


@dataclass
class Document:
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]
    oversized: bool = False  # a mapping had far more keys than any record: read past, and not worth reading again


def _diag(smap: SourceMap, pos: tuple[int, int], rule: str, message: str) -> Diagnostic:
    return finding(smap.display, pos, rule, message)


def _mark(node: yaml.Node | yaml.Event) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _capped(found: list[Diagnostic], smap: SourceMap, what: str) -> list[Diagnostic]:
    if len(found) <= MAX_REPORTS:
        return found
    last = found[MAX_REPORTS - 1]
    more = _diag(smap, (last.line, last.column), last.rule, f"……另有 {len(found) - MAX_REPORTS} 处{what}")
    return [*found[:MAX_REPORTS], more]


_RESOLVER = yaml.resolver.Resolver()
_IMPLICIT = _RESOLVER.yaml_implicit_resolvers


def _resolve(value: str, plain: bool) -> str:
    """The tag YAML 1.1 gives an untagged scalar (what PyYAML's composer would choose)."""
    if not plain:
        return _STR
    for tag, regexp in _IMPLICIT.get(value[:1] or "", ()) if value else _IMPLICIT.get("", ()):
        if regexp.match(value):
            return str(tag)
    return _STR


_COMPLEX_KEY = "\0complex-key"


class _Frame:
    __slots__ = ("container", "key", "key_pos", "path", "skip")

    def __init__(self, container: Any, path: Path_, skip: bool) -> None:
        self.container = container
        self.path = path
        self.skip = skip  # building a value nobody keeps (a duplicate key's value, a bad key)
        self.key: str | None = None  # for a mapping: the key whose value comes next
        self.key_pos: tuple[int, int] | None = None


class _Builder:
    """Plain data from PyYAML's event stream (libyaml's parser, without the slower composer)."""

    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap
        self.lean = smap.lean
        self.raw: dict[Path_, str] = {} if smap.lean else smap.raw  # a lean map keeps no source text
        self.diagnostics: list[Diagnostic] = []
        self.texts: dict[str, str] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.overflowing = False  # the mapping being read has reached MAX_KEYS
        self.oversized = False  # some mapping did

    def _report(self, path: Path_, pos: tuple[int, int], rule: str, message: str) -> None:
        self.smap.broken.add(path)
        self.diagnostics.append(_diag(self.smap, pos, rule, message))

    def run(self, events: Any) -> Any:
        scalar_event = yaml.ScalarEvent
        for event in events:
            kind = type(event)
            if kind is scalar_event:
                self._scalar(event)
                if self.overflowing:
                    self._skip_rest_of_mapping(events)
            elif kind is yaml.MappingStartEvent:
                self._open(event, {}, _MAP)
            elif kind is yaml.SequenceStartEvent:
                self._open(event, [], _SEQ)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self._close()
            elif kind is yaml.AliasEvent:
                path, pos, skip = self._slot(event)
                if not skip:
                    self._report(path, pos, "GK102", f"不支持 YAML 别名 *{event.anchor}:请把内容直接写出")
                self._place(None, skip)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise _SecondDocument(_mark(event))
        return self.root

    def _skip_rest_of_mapping(self, events: Any) -> None:
        """Read past the rest of an oversized mapping without building it (the work stays linear
        and small), then report how many keys it had."""
        self.overflowing = False
        self.oversized = True
        frame = self.stack[-1]
        depth, nodes = 0, 1  # the key just read
        starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        for event in events:
            kind = type(event)
            if kind in starts:
                nodes += depth == 0
                depth += 1
            elif kind in ends:
                if depth == 0:
                    total = len(frame.container) + (nodes + 1) // 2
                    self._report(
                        frame.path, self.smap.position(frame.path), "GK111",
                        f"这个映射有 {total} 个键,远多于任何可用字段(上限 {MAX_KEYS} 个);只读取了前 {MAX_KEYS} 个",
                    )  # fmt: skip
                    self._close()
                    return
                depth -= 1
            elif depth == 0:
                nodes += 1

    def _slot(self, event: yaml.Event) -> tuple[Path_, tuple[int, int], bool]:
        """Where the value that ``event`` starts goes: its path, position, and whether it is kept."""
        pos = _mark(event)
        if not self.stack:
            return (), pos, False
        frame = self.stack[-1]
        if type(frame.container) is list:
            return (*frame.path, len(frame.container)), pos, frame.skip
        if frame.key is None:  # a mapping key that is not a scalar
            self._report(frame.path, pos, "GK112", "键必须是简单文本")
            frame.key = _COMPLEX_KEY
            return (*frame.path, _COMPLEX_KEY), pos, True
        return (*frame.path, frame.key), pos, frame.skip

    def _keep(self, path: Path_, pos: tuple[int, int], event: yaml.NodeEvent, skip: bool) -> None:
        if skip:
            return
        if not self.lean or len(path) <= 2:
            self.smap.values[path] = pos
        if event.anchor:
            self._report(path, pos, "GK102", f"不支持 YAML 锚点 &{event.anchor}:请把内容直接写出")

    def _place(self, value: Any, skip: bool) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        container = frame.container
        if type(container) is list:
            container.append(value)
            return
        key, frame.key = frame.key, None
        if key == _COMPLEX_KEY:
            frame.key = ""  # the value that follows the bad key is read and dropped
        elif not skip and key and not frame.skip:
            container[key] = value

    def _open(self, event: yaml.CollectionStartEvent, container: Any, core: str) -> None:
        path, pos, skip = self._slot(event)
        self._keep(path, pos, event, skip)
        if not skip and event.tag not in (None, "!", core):
            self._report(path, pos, "GK103", f"不支持的 YAML 标签 {event.tag}:台账只用普通文本、数字、日期和列表")
        if not skip and len(path) > MAX_DEPTH:
            self._report(path, pos, "GK104", f"嵌套超过 {MAX_DEPTH} 层")
            skip = True
        self._place(container, skip)
        self.stack.append(_Frame(container, path, skip))

    def _close(self) -> None:
        self.stack.pop()

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.key is None and type(frame.container) is dict:
            self._key(frame, event)
            return
        path, pos, skip = self._slot(event)
        self._keep(path, pos, event, skip)
        self._place(None if skip else self._value(event, path, pos), skip)

    def _key(self, frame: _Frame, event: yaml.ScalarEvent) -> None:
        if not frame.skip and len(frame.container) >= MAX_KEYS:
            self.overflowing = True
            return
        if event.anchor and not frame.skip:
            self._report(
                (*frame.path, event.value), _mark(event), "GK102", f"不支持 YAML 锚点 &{event.anchor}:请把内容直接写出"
            )
        key = self._shared(event.value)
        if event.tag is not None or (event.implicit[0] and key[:1] in _IMPLICIT):  # may not be text
            tag = event.tag if event.tag not in (None, "!") else _resolve(key, event.implicit[0])
            if tag not in _SCALAR_TAGS:
                self._report(frame.path, _mark(event), "GK112", "键必须是简单文本")
                frame.key = ""
                return
        if frame.skip:
            frame.key = key
            return
        if key in frame.container:
            first = self.smap.keys.get((*frame.path, key), (0, 0))  # a lean map: the full reading says
            self.diagnostics.append(
                _diag(
                    self.smap,
                    _mark(event),
                    "GK101",
                    f"重复的键 '{key}'(第 {first[0]} 行已有):YAML 只会保留后一个,请删去其一",
                )
            )
            frame.key = ""  # the value that follows is read and dropped
            return
        if not self.lean or not frame.path:
            self.smap.keys[(*frame.path, key)] = _mark(event)
        frame.key = key

    def _shared(self, text: str) -> str:
        """One object for each short text met again (keys, unit names, statuses, phrases, notes): a
        registry of 100,000 tasks repeats a few hundred of them millions of times."""
        return self.texts.setdefault(text, text) if len(text) <= SHARED_LENGTH else text

    def _value(self, event: yaml.ScalarEvent, path: Path_, pos: tuple[int, int]) -> Any:
        value = event.value
        if event.tag is None and not (event.implicit[0] and value[:1] in _IMPLICIT):  # text as written: most values
            if SUSPECT_TEXT.search(value):
                self.smap.suspect_text.append((path, value))
            return self._shared(value)
        if event.tag is None and event.implicit[0] and "0" <= value[:1] <= "9":
            # the two plain forms a registry is full of, read without the general resolver
            if value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
                self.raw[path] = value
                if len(value) > MAX_DIGITS:
                    self._report(path, pos, "GK113", f"数 {value[:20]}… 过大({len(value)} 位)")
                    return None
                return int(value)
            if len(value) == 10 and _ISO_DATE.match(value):
                self.raw[path] = value
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    self._report(path, pos, "GK113", f"{value} 不是有效的日期")
                    return None
        tag = event.tag if event.tag not in (None, "!") else _resolve(value, event.implicit[0])
        if tag == _STR:
            if SUSPECT_TEXT.search(value):
                self.smap.suspect_text.append((path, value))
            return value
        if tag not in _SCALAR_TAGS:
            self._report(path, pos, "GK103", f"不支持的 YAML 标签 {tag}:台账只用普通文本、数字、日期和列表")
            return None
        self.raw[path] = value
        if tag == _CORE + "bool" and value.lower() in _YAML11_BOOL:
            self._report(
                path, pos, "GK114",
                f"YAML 会把未加引号的 {value} 读成布尔值:若是文字请写成 \"{value}\",若是布尔值请写 true 或 false",
            )  # fmt: skip
            return None
        if tag in (_CORE + "int", _CORE + "float") and _YAML11_NUMBER.match(value):
            self._report(
                path, pos, "GK114",
                f"YAML 会把未加引号的 {value} 读成别的数(八进制、十六进制或六十进制):若是文字请写成 \"{value}\",若是数请写十进制",
            )  # fmt: skip
            return None
        # bool, int, float, null, date or datetime: a field of another type
        # rejects it and the message quotes the raw text kept above.
        if len(value) > MAX_DIGITS and tag in (_CORE + "int", _CORE + "float"):
            self._report(path, pos, "GK113", f"数 {value[:20]}… 过大({len(value)} 位)")
            return None
        try:
            return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            self._report(path, pos, "GK113", f"{value[:40]} 不是有效的值")
            return None


class _SecondDocument(Exception):
    def __init__(self, pos: tuple[int, int]) -> None:
        self.pos = pos


def _tab_diagnostics(text: str, smap: SourceMap) -> list[Diagnostic]:
    found = []
    for match in _INDENT_TAB.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.end() - match.start()
        found.append(_diag(smap, (line, column), "GK109", "缩进中有制表符(Tab):YAML 只能用空格缩进"))
    return _capped(found, smap, "制表符缩进")


# Characters YAML does not allow anywhere in a file (YAML 1.1, "printable").
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unreadable_character(text: str, smap: SourceMap) -> Diagnostic:
    match = _NOT_YAML.search(text)
    if match is None:  # pragma: no cover - the reader refused something this pattern allows
        return _diag(smap, (1, 1), "GK100", "YAML 语法错误: 文件中有不允许的字符")
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    code = ord(match.group())
    if NONCHARACTER.match(match.group()):  # no file format carries it, escaped or not
        return _diag(smap, (line, column), "GK608", f"文件中有任何文件格式都写不出的字符 U+{code:04X}:请删去它")
    return _diag(
        smap, (line, column), "GK601",
        f"文件中有 YAML 不允许的字符 U+{code:04X}:请删去它(若要写进文字,在双引号内写成 \\u{code:04x})",
    )  # fmt: skip


_OPENERS = {
    "flow sequence": "[",
    "flow mapping": "{",
    "quoted scalar": "引号",
    "block mapping": "",
    "block collection": "",
}


def _syntax_error(exc: yaml.MarkedYAMLError, smap: SourceMap) -> Diagnostic:
    """libyaml's error in Chinese, at the place a person should look."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    start = exc.context_mark
    where = f"第 {start.line + 1} 行第 {start.column + 1} 列" if start else ""
    opener = next((sign for name, sign in _OPENERS.items() if name in context), None)
    if opener in ("[", "{") and start is not None:
        close = "]" if opener == "[" else "}"
        message = f"{where}的 {opener} 没有闭合:请补上 {close},或检查其中的逗号"
        pos = (start.line + 1, start.column + 1)
    elif opener == "引号" and start is not None:
        message = (
            f"{where}的引号中有无法识别的转义(\\ 后的字符):请改正,或改用单引号"
            if "escape" in problem
            else f"{where}开始的引号没有闭合:请补上对应的引号"
        )
        pos = (start.line + 1, start.column + 1) if "escape" not in problem else pos
    elif "expected <document start>" in problem:
        message = "文档结束标记(...)或指令(% 开头)之后不能再有内容:一个文件只能有一个文档,请删去那一行"
    elif "mapping values are not allowed" in problem:
        message = "这里不能出现“冒号+空格”:若值中含有“: ”,请给整个值加引号;也请检查上一行的缩进"
    elif "could not find expected ':'" in problem:
        message = "这一行缺少“键: 值”中的冒号,或上一行的引号没有闭合"
    elif opener == "" or "expected <block end>" in problem or "did not find expected key" in problem:
        message = "缩进不一致:这一行与同一层的其他键没有对齐(YAML 靠缩进表示层次)"
    elif "cannot start any token" in problem:
        message = "这一行有 YAML 不能作为开头的字符(如 Tab、@、`):请给这个值加引号"
    elif "tag" in problem or "tag" in context:
        message = "标签(! 开头)的写法无效:若是文字,请加引号"
    elif "alias" in context or "anchor" in context:
        message = "锚点或别名(& 或 * 开头)的写法无效:若是文字,请加引号"
    else:
        message = "无法解析这一行:请检查缩进、冒号和引号"
    return _diag(smap, pos, "GK100", f"YAML 语法错误: {message}")


def parse_text(text: str, display: str, *, lean: bool = False) -> Document:
    """Parse ``text`` and build plain data from it, with positions (see SourceMap for ``lean``)."""
    smap = SourceMap(display, text, lean)
    tabs = _tab_diagnostics(text, smap)
    if tabs:
        return Document(None, smap, tabs)
    builder = _Builder(smap)
    loader = YAML_LOADER(text)
    try:
        # iter(get_event, None) walks libyaml's events without a Python generator frame per event
        data = builder.run(iter(loader.get_event, None))
    except yaml.reader.ReaderError:
        return Document(None, smap, [_unreadable_character(text, smap)])
    except yaml.MarkedYAMLError as exc:
        return Document(None, smap, [_syntax_error(exc, smap)])
    except yaml.YAMLError:
        return Document(None, smap, [_diag(smap, (1, 1), "GK100", "YAML 语法错误")])
    except _SecondDocument as exc:
        return Document(None, smap, [_diag(smap, exc.pos, "GK100", "YAML 语法错误: 一个文件只能有一个文档(---)")])
    finally:
        loader.dispose()
    if builder.documents == 0 or (data is None and not builder.diagnostics):
        return Document(None, smap, [_diag(smap, (1, 1), "GK105", "文件是空的")])
    anchors = [d for d in builder.diagnostics if d.rule == "GK102"]
    others = [d for d in builder.diagnostics if d.rule != "GK102"]
    return Document(data, smap, [*_capped(anchors, smap, "锚点或别名"), *others], builder.oversized)


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


def read_document(path: Path, display: str, raw: bytes | None = None, *, lean: bool = False) -> Document:
    """Read and parse one registry file (or its ``raw`` bytes, already read); decoding problems become diagnostics."""
    smap = SourceMap(display)
    text, problems = decode(path.read_bytes() if raw is None else raw, smap)
    if text is None:
        return Document(None, smap, problems)
    return parse_text(text, display, lean=lean)
