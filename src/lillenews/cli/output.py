"""`-o FILE` of `feed` and `events --ics`: what is written where depends on what the path is
(stat, links followed), so that a link, a FIFO or a device is never replaced by a file.

- `-`: stdout.
- A regular file: replaced whole (a new file renamed over it) at its real path, keeping its
  mode: a symbolic link to it stays a link, and its target gets the new content (as editors do).
- A FIFO, a character device (/dev/null, /dev/stdout, a terminal) or a socket: written to
  as it is; our own stdout (/dev/stdout, /proc/self/fd/1) is written as stdout.
- Nothing there: a new file, created whole.
- A dangling symbolic link, a directory or a block device: refused (exit 2)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lillenews.base.errors import LilleNewsError, UsageError
from lillenews.base.files import reason, replace_file
from lillenews.base.i18n import _
from lillenews.cli.terminal import Terminal

__all__ = ["write_output"]


def write_output(term: Terminal, path: str, data: bytes) -> bool:
    """Write `data` (a UTF-8 document) where `path` says; False when it went to stdout (`-`)."""
    if path == "-":
        term.write_bytes(data)
        return False
    target = Path(path)
    try:
        try:
            info = os.stat(target)
        except FileNotFoundError as missing:
            if os.path.islink(target):
                dangling = _(
                    "{path} is a symbolic link to {target}, which does not exist; remove it or choose another file"
                )
                raise UsageError(dangling.format(path=path, target=os.readlink(target))) from missing
            replace_file(target, data)  # created whole: a reader never sees half a feed
            return True
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(_("{path} is a directory; give a file name").format(path=path))
        if term.is_stdout(info):
            term.write_bytes(data)
        elif stat.S_ISREG(mode):
            replace_file(Path(os.path.realpath(target)), data, mode=stat.S_IMODE(mode))
        elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
            _write_through(path, data, socket=stat.S_ISSOCK(mode))
        else:
            kind = _("{path} is not a file, a FIFO or a character device; choose another file")
            raise UsageError(kind.format(path=path))
    except OSError as exc:
        raise LilleNewsError(_("cannot write {path}: {reason}").format(path=path, reason=reason(exc))) from exc
    return True


def _write_through(path: str, data: bytes, *, socket: bool) -> None:
    """Write to a FIFO, a device or a Unix socket as it is (never created, never truncated)."""
    if socket:
        import socket as sockets

        with sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM) as sock:
            sock.connect(path)
            sock.sendall(data)
        return
    # No O_CREAT, no O_TRUNC: whatever is there now is written to, never made a file. A FIFO
    # waits for its reader, as a shell's `>` does.
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "wb") as out:
        if stat.S_ISREG(os.fstat(out.fileno()).st_mode):  # swapped for a file since the stat
            raise UsageError(_("{path} changed while it was being written; try again").format(path=path))
        out.write(data)
