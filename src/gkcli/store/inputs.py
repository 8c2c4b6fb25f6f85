"""Files a user hands gkcli (a plan to import, filled returns forms), read within fixed bounds
before anything in them is expanded.

- A file is read only when it is a regular file (a FIFO, a device or a folder is refused without
  waiting on it) and no larger than its caller allows.
- An archive (XLSX, DOCX) is refused when it has too many parts or declares too much, and its
  parts are inflated in chunks, counting the bytes actually inflated against one budget for the
  whole archive: the sizes an archive declares are only what it claims.
- XML is parsed as a stream (never a whole tree of a large part), and refused at its DTD, in
  whatever encoding the part is written: no entity is ever declared, let alone expanded.
- Rows and columns are bounded as a spreadsheet's are, text in one cell as Excel's, and the
  number of rows that hold anything by what a plan or a form can hold.

Everything here raises :class:`Refused` with the reason in Chinese; the caller adds which file.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

MAX_INFLATED_BYTES = 32 * 1024 * 1024  # all parts of one archive, as inflated
MAX_PARTS = 1000
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of one cell
MAX_SHEET_ROWS = 1_048_576  # Excel's last row and column
MAX_SHEET_COLUMNS = 16_384
CHUNK = 1 << 16
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Refused(ValueError):
    """Why a file handed in is not read (in Chinese, without the file's name)."""


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``max_bytes``. OSError as raised."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)  # a FIFO opens at once and is refused below
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("不是普通文件(是文件夹、命名管道或设备),不读取")
        if info.st_size > max_bytes:
            raise Refused(f"有 {_size(info.st_size)},超过 {_size(max_bytes)} 的上限,不读取")
        chunks, left = [], max_bytes + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:  # it grew while being read
        raise Refused(f"超过 {_size(max_bytes)} 的上限,不读取")
    return data


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.0f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"


class Archive:
    """A ZIP-based Office file whose parts are inflated within one budget."""

    def __init__(self, data: bytes, budget: int = MAX_INFLATED_BYTES) -> None:
        import io

        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            members = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise Refused("不是完整的 Office 文件(ZIP 包损坏)") from None
        if len(members) > MAX_PARTS:
            raise Refused(f"有 {len(members)} 个部件,不像 Office 文件")
        if sum(m.file_size for m in members) > budget:
            raise Refused(f"解压后过大(超过 {_size(budget)}),不读取")
        self.names = {m.filename for m in members}
        self._left = budget

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part ``name``, inflated piece by piece; Refused once the archive's budget is spent."""
        if name not in self.names:
            raise Refused(f"缺少部件 {name}")
        try:
            with self._zip.open(name) as stream:
                while chunk := stream.read(CHUNK):
                    self._left -= len(chunk)
                    if self._left < 0:
                        raise Refused(f"解压后过大(超过 {_size(MAX_INFLATED_BYTES)}),不读取")
                    yield chunk
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            if isinstance(exc, Refused):
                raise
            raise Refused(f"部件 {name} 无法解压(文件损坏或已加密)") from None

    def parse(self, name: str, target: Any) -> Any:
        """Feed the part ``name`` to ``target`` as XML (see :func:`parse_xml`)."""
        return parse_xml(self.chunks(name), target, name)

    def tree(self, name: str) -> ElementTree.Element:
        """A small part (workbook, relations, styles) as an element tree."""
        found: ElementTree.Element = self.parse(name, SafeTree())
        return found


def parse_xml(chunks: Iterator[bytes], target: Any, name: str) -> Any:
    """Push ``chunks`` of XML through a streaming parser into ``target`` (ElementTree's target
    protocol). A DTD is refused where it starts, in any encoding the parser reads."""
    guarded = _Guarded(target)
    parser = ElementTree.XMLParser(target=guarded)
    try:
        for chunk in chunks:
            parser.feed(chunk)
        return parser.close()
    except ElementTree.ParseError:
        raise Refused(f"部件 {name} 不是有效的 XML") from None


class _Guarded:
    """A parser target that refuses a DTD and hands every other event to ``inner``."""

    def __init__(self, inner: Any) -> None:
        self.start, self.end, self.data, self.close = inner.start, inner.end, inner.data, inner.close

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise Refused("含有 DTD 或实体声明,不读取")


class SafeTree(ElementTree.TreeBuilder):
    """An element tree (for small parts), refusing a DTD."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise Refused("含有 DTD 或实体声明,不读取")


class Text:
    """Text gathered from an element's character data, no longer than one cell may be."""

    __slots__ = ("parts", "size")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, data: str) -> None:
        self.size += len(data)
        if self.size > MAX_CELL_CHARS:
            raise Refused(f"有一个单元格的文字超过 {MAX_CELL_CHARS} 个字符(Excel 单元格的上限)")
        self.parts.append(data)

    def value(self) -> str:
        return "".join(self.parts)
