"""Real small, full or read-only file systems for the store's fault tests, for root and
for an ordinary user alike.

`run_with_own_mounts(scenario)` runs `scenario` in a forked child that has a mount
namespace of its own (inside a user namespace when not root: there the child is root
of its own mounts, as `unshare --user --map-root-user --mount` makes it). In it,
`tmpfs`, `resize` and `read_only` call mount(2) for real; the kernel then refuses
writes (ENOSPC, EROFS) as it would on a full or read-only disk. Nothing is mounted
outside the child, so nothing is left behind and tests running in parallel never see
each other's mounts. The child's failure (its traceback) is the test's failure.

Needs Linux mount namespaces, and for an ordinary user unprivileged user namespaces
(user.max_user_namespaces > 0; kernel.unprivileged_userns_clone = 1 where it exists).
Where the kernel refuses, the test fails and says so: it is never skipped."""

from __future__ import annotations

import ctypes
import os
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_RDONLY = 0x1
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000

_libc = ctypes.CDLL(None, use_errno=True)


def _call(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: Path | str, fstype: str | None, flags: int, data: str | None) -> None:
    def c(text: str | Path | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    _call(_libc.mount(c(source), c(target), c(fstype), ctypes.c_ulong(flags), c(data)), f"mount {target}")


def _enter_own_mount_namespace() -> None:
    uid, gid = os.geteuid(), os.getegid()
    if uid == 0:  # root (CI): a mount namespace is enough
        _call(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    else:  # an ordinary user: root of a user namespace of its own, which owns the mounts
        _call(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS), "unshare(CLONE_NEWUSER | CLONE_NEWNS)")
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"0 {uid} 1")
        Path("/proc/self/gid_map").write_text(f"0 {gid} 1")
    _mount(None, "/", None, MS_REC | MS_PRIVATE, None)  # no mount made here propagates out


def tmpfs(path: Path, size: str = "4m") -> Path:
    """A new file system of `size` bytes at `path` (inside `run_with_own_mounts`)."""
    path.mkdir(parents=True, exist_ok=True)
    # mode only: uid= and gid= would name ids as the kernel sees them outside a user namespace
    _mount("tmpfs", path, "tmpfs", 0, f"size={size},mode=0755")
    return path


def resize(path: Path, size: str) -> None:
    """The tmpfs at `path` grows (or shrinks) to `size`, its files kept."""
    _mount(None, path, None, MS_REMOUNT, f"size={size}")


def read_only(path: Path) -> None:
    """The tmpfs at `path`, or the file `path` (bind-mounted on itself), becomes read-only
    for everyone, root included; checked with a write that must fail."""
    if path.is_dir():
        _mount(None, path, None, MS_REMOUNT | MS_RDONLY, None)
    else:
        _mount(str(path), path, None, MS_BIND, None)
        _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
    probe = path / "probe" if path.is_dir() else path
    with pytest.raises(OSError), open(probe, "ab") as f:
        f.write(b"x")
        f.flush()
        os.fsync(f.fileno())


def run_with_own_mounts(scenario: Callable[[], object]) -> None:
    """Run `scenario` in a forked child with a mount namespace of its own; fail the test
    with the child's traceback if it fails. The child sees the parent's memory as it was
    (fixtures, environment); a server the test started keeps running in the parent and
    answers the child over the loopback."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code, report = 0, b""
        try:
            os.close(read_end)
            try:
                _enter_own_mount_namespace()
            except OSError as exc:
                raise RuntimeError(
                    f"this machine gives this user no mount namespace of its own ({exc}); the store's "
                    "full-disk and read-only tests need one (see tests/mounts.py)"
                ) from exc
            scenario()
        except BaseException:  # everything, pytest's own outcomes included, goes to the parent
            code, report = 1, traceback.format_exc().encode("utf-8", "replace")
        finally:
            try:
                view = memoryview(report)
                while view:
                    view = view[os.write(write_end, view) :]
            finally:
                os._exit(code)
    os.close(write_end)
    chunks = []
    with os.fdopen(read_end, "rb") as pipe:
        while chunk := pipe.read(65536):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        report = b"".join(chunks).decode("utf-8", "replace")
        why = f"in the child with its own mounts:\n{report}" if report else f"the child ended: {status}"
        pytest.fail(why, pytrace=False)
