"""Writing files safely: one writer at a time, never a half-written file, never the wrong file.

- ``registry_target(path)`` is the file a registry write really changes: a symbolic link is
  followed to its target (and the lock sits beside the target, so writers through the link
  and through the real path queue on one lock); a file with several hard links is refused,
  because replacing it would leave the other names on the old content.
- ``locked(folder)`` serialises writers with an exclusive lock on ``.gkcli.lock``, a regular
  file opened without following links.
- ``replace_file(path, data)`` writes a temporary file in the same folder, flushes and fsyncs
  it, gives it the old file's permissions, owner and group, renames it over the old one and
  fsyncs the folder: a reader (or a crash) sees the old or the new file, never a mixture.
- ``write_output(path, data, force)`` is ``-o FILE``: a regular file is replaced (only with
  ``--force``), a character device or FIFO (``/dev/stdout``, a named pipe) is written in
  place, anything else is refused.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from gkcli.errors import Busy, WriteFailed, describe_os_error
from gkcli.text import terminal_safe

LOCK_NAME = ".gkcli.lock"
LOCK_TIMEOUT = 30.0
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def shown(path: Path | str) -> str:
    """A path as a message shows it: relative to the working folder when inside it, escaped."""
    text = str(path)
    with contextlib.suppress(ValueError):
        relative = os.path.relpath(text)
        text = relative if not relative.startswith("..") else text
    return terminal_safe(text, one_line=True)


def failed(action: str, path: Path | str, exc: OSError, hint: str | None = "文件未改动") -> WriteFailed:
    """The error for an OSError met while ``action`` (写入, 读取...) ``path``."""
    return WriteFailed(f"无法{action} {shown(path)}: {describe_os_error(exc)}", hint=hint)


def registry_target(path: Path) -> Path:
    """The regular file a write to ``path`` changes: links followed, hard links refused."""
    real = Path(os.path.realpath(path))
    try:
        info = os.stat(real)
    except OSError as exc:
        raise failed("读取", path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteFailed(f"{shown(path)} 不是普通文件,不能写入")
    if info.st_nlink > 1:
        raise WriteFailed(
            f"{shown(path)} 有 {info.st_nlink} 个硬链接:整体替换后其他链接仍会是旧内容,所以不写入",
            hint="请先复制出一份独立的文件(cp 后再 mv 回来),或改用符号链接",
        )
    return real


@contextlib.contextmanager
def locked(folder: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the folder's write lock for the duration of the block."""
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o644)
    except OSError as exc:
        if os.path.islink(path):
            raise WriteFailed(
                f"锁文件 {shown(path)} 是符号链接,为安全起见不使用", hint="请删除它后重试(它不含任何数据)"
            ) from None
        if os.path.isdir(path):
            raise WriteFailed(f"锁文件 {shown(path)} 是一个文件夹", hint="请删除它后重试") from None
        raise failed("创建锁文件", path, exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise WriteFailed(f"锁文件 {shown(path)} 不是普通文件", hint="请删除它后重试")
        _acquire(fd, path, timeout)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not _try_lock(fd):
        if time.monotonic() > deadline:
            raise Busy(f"另一个程序正在修改台账({shown(path)} 被锁定超过 {timeout:.0f} 秒)", hint="请稍后再试")
        time.sleep(0.01)


if sys.platform == "win32":  # pragma: no cover
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files a killed writer left behind; call only while holding the lock."""
    for stale in path.parent.glob(_temporary_prefix(path) + "*.tmp"):
        with contextlib.suppress(OSError):
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()


def replace_file(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Atomically replace ``path`` with ``data``, keeping its permissions, owner and group.
    ``durable``: the data is on disk before the file is replaced, and the folder after (a file
    that can be made again, such as a cache entry checked by its digest, need not wait for that).

    Raises OSError; the old file is then untouched and no temporary file is left.
    """
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    fd, temp = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            if old is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(old.st_mode))
                _keep_owner(handle.fileno(), old)
            else:
                os.fchmod(handle.fileno(), 0o644 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        _fsync_folder(path.parent)


def _keep_owner(fd: int, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group; a user who may not (only root may give
    a file away) keeps at least the group, as the system allows."""
    if not hasattr(os, "fchown"):  # pragma: no cover - Windows
        return
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (old.st_uid, old.st_gid):
        return
    try:
        os.fchown(fd, old.st_uid, old.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, old.st_gid)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - folders cannot be opened on Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def output_place(path: Path, *, force: bool) -> tuple[Path, str]:
    """Where ``-o FILE`` writes and how: ``("new" | "replace", the file)`` or ``("in_place", the
    device or FIFO)``; WriteFailed for anything it must not write (a folder, a dangling link, a
    missing folder, an existing file without ``force``). Asked before anything is written, so a
    command that writes two files (a document and its PDF) writes neither when one cannot be."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise failed("写入", path, exc) from None
    if info is None:
        if os.path.islink(path):
            raise WriteFailed(f"{shown(path)} 是指向不存在位置的符号链接,不写入")
        if not path.parent.is_dir():
            raise WriteFailed(f"文件夹 {shown(path.parent)} 不存在")
        return path, "new"
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return path, "in_place"
    if not stat.S_ISREG(info.st_mode):
        kind = "文件夹" if stat.S_ISDIR(info.st_mode) else "设备或特殊文件"
        raise WriteFailed(f"{shown(path)} 是{kind},不是普通文件,不写入")
    if not force:
        raise WriteFailed(f"{shown(path)} 已存在,未覆盖", hint="换一个文件名,或加 --force 覆盖")
    return Path(os.path.realpath(path)), "replace"  # through a link to its target, which stays a link's target


def write_output(path: Path, data: bytes, *, force: bool) -> None:
    """``-o FILE``: replace a regular file (with ``force``), write a character device or FIFO in
    place, create a new file in an existing folder; refuse anything else (see :func:`output_place`)."""
    target, how = output_place(path, force=force)
    if how == "in_place":
        _write_in_place(path, data, fifo=stat.S_ISFIFO(os.stat(path).st_mode))
        return
    try:
        replace_file(target, data)
    except OSError as exc:
        raise failed("写入", path, exc) from None


def _write_in_place(path: Path, data: bytes, *, fifo: bool) -> None:
    flags = os.O_WRONLY | _CLOEXEC | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(path, flags)
        try:
            if fifo:
                os.set_blocking(fd, True)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise failed("写入", path, exc) from None
