"""Files written and read on the user's behalf, where someone else may have put something
first: a file is written whole under a new name and renamed over its own (an entry already
there, a symbolic link included, is replaced, never followed), and read only when it is a
regular file of a bounded size (a FIFO never blocks, /dev/zero never fills the memory).
Stdlib only."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from lillenews.base.i18n import _

__all__ = ["FileTooLarge", "NotARegularFile", "new_file_mode", "read_regular", "reason", "replace_file"]


class NotARegularFile(OSError):
    """The path names a directory, a FIFO, a device or a socket (links followed)."""


class FileTooLarge(OSError):
    """The file holds more bytes than the reader accepts."""


def new_file_mode() -> int:
    """The mode the umask gives a new file (e.g. 0644): a temporary file is private (0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def replace_file(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write `data` to a new temporary file in `path`'s directory, then rename it over `path`:
    a reader sees the old file or the new one, never half of it, and whatever entry was at
    `path` (a symbolic link to a file elsewhere included) is replaced, never written through.
    `mode`: the new file's permissions (default: what the umask gives a new file)."""
    import tempfile

    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), new_file_mode() if mode is None else mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # the rename must not publish a file still empty on disk
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path` (links followed), at most `limit` of them.

    Raises NotARegularFile for anything else (checked before opening, so a FIFO never
    blocks and a device is never opened, and again on the open file), FileTooLarge past
    `limit` bytes (a sparse file is refused by its size, never read), OSError otherwise."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotARegularFile(errno.EINVAL, "not a regular file", str(path))
    # O_NONBLOCK: a FIFO swapped in after the check still cannot block the open.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > limit:
            raise FileTooLarge(errno.EFBIG, "file too large", str(path))
        data = source.read(limit + 1)  # the file may have grown since fstat
    if len(data) > limit:
        raise FileTooLarge(errno.EFBIG, "file too large", str(path))
    return data


def reason(exc: OSError) -> str:
    """Why a file operation failed, in a few words of the interface language (the system's
    message, lower-cased, for the rare errors without a translation)."""
    known = {
        errno.ENOSPC: _("no space left on device"),
        errno.EDQUOT: _("disk quota exceeded"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("operation not permitted"),
        errno.EROFS: _("read-only file system"),
        errno.ENOENT: _("no such file or directory"),
        errno.EISDIR: _("is a directory"),
        errno.EIO: _("input/output error"),
        errno.EFBIG: _("file too large"),
    }
    if exc.errno in known:
        return known[exc.errno]
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]
