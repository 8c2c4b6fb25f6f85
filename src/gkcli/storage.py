"""Writing registry files safely: one writer at a time, and never a half-written file.

- ``locked(folder)`` serialises writers with an exclusive lock on a separate lock
  file, so two people updating different tasks at once both land.
- ``replace_file(path, data)`` writes a temporary file in the same folder, flushes
  and fsyncs it, gives it the old file's permissions, renames it over the old one
  and fsyncs the folder: a reader (or a crash) sees the old or the new file, never
  a mixture.
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

from gkcli.errors import GkError

LOCK_NAME = ".gkcli.lock"
LOCK_TIMEOUT = 30.0


class Busy(GkError):
    """Another writer holds the lock for too long."""


@contextlib.contextmanager
def locked(folder: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the registry folder's write lock for the duration of the block."""
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
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
            raise Busy(f"另一个程序正在修改台账({path} 被锁定超过 {timeout:.0f} 秒)", hint="请稍后再试")
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
            stale.unlink()


def replace_file(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` with ``data``, keeping its permissions."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(path.parent)


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
