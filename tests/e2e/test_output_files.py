"""`feed -o PATH` and `events --ics -o PATH`, decided by what PATH is: a regular file is
replaced whole at its real path (a link to it stays a link), a FIFO, a character device or a
socket is written to as it is, our own stdout (/dev/stdout, /proc/self/fd/1) is stdout, a
missing file is created whole, `-` is stdout; a dangling link or a directory is refused.

Devices are reached through links made in the test's directory (`tmp/null -> /dev/null`): a
regression would replace the link, never a device of the machine."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import threading

import pytest
from conftest import run_in_process
from test_events_cli import serve_agenda, today  # noqa: F401 - today is a fixture

FEED = ("feed",)
ICS = ("events", "--all", "--ics")
COMMANDS = pytest.mark.parametrize("command", [FEED, ICS], ids=["feed", "ics"])


@pytest.fixture
def both(cli, site, today):  # noqa: F811 - the fixture imported above
    """The news (listing cached) and the agenda on one site."""
    serve_agenda(site)
    assert run_in_process("list").exit_code == 0
    return site


@pytest.fixture
def here(tmp_path):
    """An empty directory for the outputs (tmp_path holds the cache)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def stdout_of(command: tuple[str, ...]) -> str:
    result = run_in_process(*command)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def same_document(data: bytes | str, command: tuple[str, ...]) -> bool:
    """`data` is what `command` prints (but the calendar's DTSTAMP: the time of the run)."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return undated(text) == undated(stdout_of(command))


def undated(text: str) -> str:
    return re.sub(r"DTSTAMP:[0-9TZ]+\r\n", "", text)


def write(command: tuple[str, ...], path: object):
    return run_in_process(*command, "-o", str(path))


def one_error_line(result, code: int, text: str) -> None:
    assert result.exit_code == code, result.stderr
    assert result.stderr == f"Error: {text}\n"
    assert result.stdout == ""


# ----------------------------------------------------------------------------- regular files
@COMMANDS
def test_a_link_to_a_file_stays_a_link_and_its_target_gets_the_content(both, here, command):
    target = here / "real" / "agenda.out"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o640)
    link = here / "link.out"
    link.symlink_to(target)
    result = write(command, link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert same_document(target.read_bytes(), command)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file it replaced keeps its mode
    assert sorted(p.name for p in target.parent.iterdir()) == ["agenda.out"]  # no temporary file left


@COMMANDS
def test_a_missing_file_is_created_whole(both, here, command):
    result = write(command, here / "new.out")
    assert result.exit_code == 0 and same_document((here / "new.out").read_bytes(), command)
    assert sorted(p.name for p in here.iterdir()) == ["new.out"]


# ----------------------------------------------------------------------------- FIFOs, devices, sockets
@COMMANDS
def test_a_fifo_is_written_to_and_stays_a_fifo(both, here, command):
    fifo = here / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = write(command, fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert len(received) == 1 and same_document(received[0], command)


@COMMANDS
def test_dev_null_through_a_link_is_written_to_not_replaced(both, here, command):
    null = here / "null"
    null.symlink_to("/dev/null")
    result = write(command, null)
    assert result.exit_code == 0, result.stderr
    assert null.is_symlink() and stat.S_ISCHR(os.stat(null).st_mode)
    assert result.stdout == ""


@COMMANDS
def test_a_full_device_is_one_line_and_exit_1(both, here, command):
    full = here / "full"
    full.symlink_to("/dev/full")
    one_error_line(write(command, full), 1, f"cannot write {full}: no space left on device")
    assert full.is_symlink()


@COMMANDS
def test_a_unix_socket_gets_the_document(both, here, command):
    path = here / "sock"
    received = bytearray()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)

        def serve() -> None:
            conn, _ = server.accept()
            with conn:
                while chunk := conn.recv(65536):
                    received.extend(chunk)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        result = write(command, path)
        thread.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert same_document(bytes(received), command)


@pytest.mark.parametrize("name", ["/dev/stdout", "/proc/self/fd/1"])
@pytest.mark.parametrize("stdout_kind", ["pipe", "file"])
def test_our_own_stdout_by_its_name_is_stdout(both, here, name, stdout_kind):
    """A real process: its stdout a pipe (`| cat`) or a file (`> out`), never replaced.
    /dev/stdout is reached through a link in the test's directory: a regression would
    replace that link, not the machine's /dev/stdout."""
    expected = stdout_of(FEED).encode("utf-8")
    path = here / "stdout"
    path.symlink_to(name)
    out = here / "out.xml"
    with open(out, "wb") as file:
        proc = subprocess.run(
            [sys.executable, "-m", "lillenews", "feed", "-o", str(path)],
            stdout=subprocess.PIPE if stdout_kind == "pipe" else file,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout if stdout_kind == "pipe" else out.read_bytes()) == expected
    assert proc.stderr.decode().endswith(f"to {path}.\n")
    assert path.is_symlink() and os.readlink(path) == name


# ----------------------------------------------------------------------------- stdout, refusals
@COMMANDS
def test_dash_is_stdout(both, here, monkeypatch, command):
    monkeypatch.chdir(here)
    result = write(command, "-")
    assert result.exit_code == 0 and same_document(result.stdout, command)
    assert "Wrote" not in result.stderr
    assert not (here / "-").exists()


@COMMANDS
def test_a_dangling_link_is_refused(both, here, command):
    link = here / "dangling"
    link.symlink_to(here / "nowhere")
    result = write(command, link)
    one_error_line(result, 2, f"{link} is a symbolic link to {here / 'nowhere'}, which does not exist; "
                              "remove it or choose another file")  # fmt: skip
    assert link.is_symlink() and not (here / "nowhere").exists()


@COMMANDS
def test_a_directory_is_refused(both, here, command):
    one_error_line(write(command, here), 2, f"{here} is a directory; give a file name")
    assert list(here.iterdir()) == []
