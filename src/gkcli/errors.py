"""The one error type of gkcli and its documented exit codes.

Every layer raises these; only the command line (``cli/base.py``) turns them into a message and an
exit code.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gkcli.findings import Diagnostic

EXIT_OK = 0
EXIT_FOUND = 1  # the command found what it was asked to fail on (check problems, overdue --exit-code)
EXIT_FAILED = 2  # the command could not do its job (usage, unknown name, bad date, invalid registry)


class GkError(Exception):
    """Base class: a message for the user and the exit code to leave with."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class RegistryNotFound(GkError):
    """No registry files where one was asked for."""


class RegistryInvalid(GkError):
    """The registry could not be read or failed validation."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__(f"台账有 {len(errors)} 处错误,无法使用", hint="运行 gkcli check 查看全部问题")
        self.diagnostics = list(diagnostics)


class UnknownUnit(GkError):
    """A unit or group name that resolves to nothing."""

    def __init__(self, name: str, suggestions: Sequence[str]) -> None:
        hint = ("您是不是要找: " + "、".join(suggestions)) if suggestions else "运行 gkcli units 查看全部单位"
        super().__init__(f"未知单位: {name}", hint=hint)
        self.name = name
        self.suggestions = list(suggestions)


class AmbiguousUnit(GkError):
    """A short name or pinyin that could mean more than one unit."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        super().__init__(f"{name} 可能指 {len(candidates)} 个单位: {'、'.join(candidates)}", hint="请写出全称或别名")
        self.candidates = list(candidates)


class TaskNotFound(GkError):
    """A task id that is not in the registry."""


class BadValue(GkError):
    """A value given on the command line that cannot be used (a date, a duration, a section...)."""


class WriteFailed(GkError):
    """A file could not be written (or was refused as a target); nothing was changed."""


class Busy(WriteFailed):
    """Another writer holds the lock for too long."""


class CannotEdit(GkError):
    """The task is written in a form that cannot be changed safely in place."""


class ReadOnlyRegistry(GkError):
    """The registry installed with the package is never written."""


class UpdateRefused(RegistryInvalid):
    """The update would leave the registry invalid; nothing was written."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(diagnostics)
        self.message = "这次更新会让台账出错,已放弃,文件未改动"
        self.hint = None


_OS_ERRORS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "权限不足",
    errno.EPERM: "操作不被允许",
    errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超过了允许的大小(ulimit -f)",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ELOOP: "符号链接过多或不允许的符号链接",
    errno.EEXIST: "已经存在",
    errno.ENAMETOOLONG: "名称过长",
    errno.EIO: "输入输出错误",
    errno.EBUSY: "设备或资源忙",
    errno.ENXIO: "没有读取方(管道或设备未打开)",
    errno.EINVAL: "参数无效",
    errno.EXDEV: "不能跨文件系统替换",
}


def describe_os_error(exc: OSError) -> str:
    """An operating-system error in Chinese (the system's own text is English)."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    return f"系统错误(errno {exc.errno})" if exc.errno else "系统错误"


class UnreadableFile(GkError):
    """A file handed to gkcli (a filled form, a plan to import) that cannot be read as one."""


class UnreadablePlan(UnreadableFile):
    """A file given to gkcli import that cannot be read as a plan."""
