"""Reading where a real terminal matters: the real CLI (`python -m lillenews`) on a
pseudo-terminal of a given size, its screen read back with pyte: links under tmux,
the measure in a wide window, the pager's fallbacks and LESS, the spinner."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable

import pyte
import pytest
from reading_site import make_items, serve
from server import FixtureServer

OSC8 = b"\x1b]8;"


def run_pty(
    args: list[str],
    env: dict[str, str],
    *,
    rows: int = 24,
    cols: int = 80,
    keys: bytes = b"",
    stderr_tty: bool = True,
    timeout: float = 30,
    on_output: Callable[[bytes], object] | None = None,
) -> tuple[int, bytes, bytes]:
    """Run the CLI with a pty of rows x cols as its controlling terminal (stdin, stdout
    and, unless told, stderr); `keys` are typed once output has appeared (e.g. `q` for
    less); `on_output` sees everything received so far, each time more arrives.
    Returns (exit code, everything the terminal received, piped stderr)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}

    def controlling_tty() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-m", "lillenews", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave if stderr_tty else subprocess.PIPE,
        env=env,
        start_new_session=True,
        preexec_fn=controlling_tty,  # less reads its keys from /dev/tty
    )
    os.close(slave)
    received = bytearray()
    deadline = time.monotonic() + timeout
    typed = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                received += data
                if on_output is not None:
                    on_output(bytes(received))
            elif proc.poll() is not None:
                break
            if keys and not typed and received and time.monotonic() > 0:
                time.sleep(0.3)
                os.write(master, keys)
                typed = True
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read() if proc.stderr else b""
    return proc.returncode, bytes(received), err


def screen_of(data: bytes, rows: int, cols: int) -> list[str]:
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)
    stream.feed(data.replace(b"\n", b"\r\n"))
    return [line.rstrip() for line in screen.display]


@pytest.fixture
def pty_env(dirs, monkeypatch):
    """The CLI's environment at a plain xterm (no known OSC 8 support), colours on."""
    env = dict(os.environ, TERM="xterm-256color")
    for name in ("NO_COLOR", "TMUX", "STY", "TERM_PROGRAM", "VTE_VERSION", "WT_SESSION", "KITTY_WINDOW_ID", "LESS"):
        env.pop(name, None)
    return env


@pytest.fixture
def small_site(pty_env):
    items = make_items(12)
    items[0].paragraphs = ["Une phrase de la Ville de Lille qui revient encore et encore. " * 10] * 6
    with FixtureServer() as srv:
        serve(srv, items, related={1: [3]})
        pty_env["LILLENEWS_BASE_URL"] = srv.base_url
        srv.items = items  # type: ignore[attr-defined]
        yield srv


def test_links_under_tmux_are_printed_not_osc8(small_site, pty_env):
    assert run_pty(["list"], pty_env)[0] == 0
    env = dict(pty_env, TMUX="/tmp/tmux-0/default,1,0", TERM="tmux-256color")
    code, out, _ = run_pty(["read", "1", "--no-pager"], env, rows=200, cols=120)
    assert code == 0 and OSC8 not in out
    screen = "\n".join(screen_of(out, 200, 120))
    assert f"<{small_site.url('/Actualites/Nouvelle-3')}>" in screen
    assert "→ lillenews read 3" in screen
    code, out, _ = run_pty(["read", "1", "--no-pager"], dict(pty_env, TERM_PROGRAM="WezTerm"), rows=200, cols=120)
    assert OSC8 in out


def test_the_measure_in_a_200_column_terminal(small_site, pty_env):
    assert run_pty(["list"], pty_env)[0] == 0
    code, out, _ = run_pty(["read", "1", "--no-pager"], pty_env, rows=100, cols=200)
    lines = [line for line in screen_of(out, 100, 200) if line]
    assert code == 0 and max(len(line) for line in lines) <= 88
    assert sum(1 for line in lines if len(line) > 80) >= 6  # the body fills the measure


def test_a_missing_pager_prints_the_article_and_warns_once(small_site, pty_env):
    assert run_pty(["list"], pty_env)[0] == 0
    env = dict(pty_env, PAGER="/nonexistent/pager")
    code, out, err = run_pty(["read", "1"], env, rows=10, cols=100, stderr_tty=False)
    assert code == 0
    assert b"Nouvelle num\xc3\xa9ro 1 de la Ville" in out and b"qui revient encore" in out
    assert err.decode().count("Warning: ") == 1 and "/nonexistent/pager" in err.decode()


def test_less_without_r_still_shows_colours_not_codes(small_site, pty_env):
    assert run_pty(["list"], pty_env)[0] == 0
    env = dict(pty_env, PAGER="less", LESS="-X")
    code, out, _ = run_pty(["read", "1"], env, rows=20, cols=100, keys=b"q")
    screen = screen_of(out, 20, 100)
    assert code == 0
    text = "\n".join(screen)
    assert "Nouvelle numéro 1 de la Ville" in text
    assert "ESC[" not in text and "^[" not in text  # what less shows of raw colour codes without R


def test_the_spinner_shows_while_waiting_on_a_slow_site(pty_env):
    """The listing's answer waits until the spinner is on the screen (at most 30 s), so
    the machine's load cannot decide which comes first."""
    items = make_items(5)
    with FixtureServer() as srv:
        serve(srv, items)
        body = srv._routes["/Actualites"].body  # type: ignore[attr-defined]
        spinner_seen = threading.Event()
        hold = {"seconds": 30.0}

        def slow(h) -> None:
            spinner_seen.wait(hold["seconds"])
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)

        srv.handler("/Actualites", slow)
        env = dict(pty_env, LILLENEWS_BASE_URL=srv.base_url)

        def seen(received: bytes) -> None:
            if b"Reading the listing" in received:
                spinner_seen.set()

        code, out, _ = run_pty(["list"], env, rows=40, cols=100, on_output=seen)
        assert code == 0 and "Reading the listing" in out.decode()
        assert re.search("[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]".encode(), out)
        screen = "\n".join(screen_of(out, 40, 100))
        assert "Reading the listing" not in screen  # cleared before the table
        assert "Nouvelle numéro 1" in screen
        # stderr piped: no spinner at all, though the answer takes longer than the spinner's delay
        spinner_seen.clear()
        hold["seconds"] = 0.7
        env["LILLENEWS_LISTING_MAX_AGE"] = "0"
        code, out, err = run_pty(["list", "--refresh"], env, rows=40, cols=100, stderr_tty=False)
        assert code == 0 and b"Reading" not in out + err


# Rich's modules a `list` or `read` at a terminal must not pay for (Markdown, syntax
# highlighting, live displays): the table, text and console are enough.
HEAVY = ("rich.markdown", "rich.syntax", "rich.progress", "rich.live", "pygments", "markdown_it")


@pytest.mark.parametrize(
    ("args", "drawn_by"),
    [(["list"], ("rich.console", "rich.table")), (["read", "1", "--no-pager"], ("rich.console", "rich.text"))],
)
def test_list_and_read_at_a_terminal_are_drawn_by_rich_without_its_heavy_modules(small_site, pty_env, args, drawn_by):
    """Rich on a terminal (the product rule), at the cost of its table and console only."""
    assert run_pty(["list"], pty_env)[0] == 0
    import threading

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))

    def drain() -> None:  # a full pty buffer would block the child
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "lillenews", *args],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            env={k: v for k, v in pty_env.items() if k not in ("COLUMNS", "LINES")},
            timeout=60,
        )
    finally:
        os.close(slave)
        reader.join(5)
        os.close(master)
    imported = [line.split("|")[-1].strip() for line in proc.stderr.decode().splitlines() if "|" in line]
    assert proc.returncode == 0 and "lillenews.cli.app" in imported
    assert "lillenews.views.rich_news" in imported and all(name in imported for name in drawn_by)
    assert not [name for name in imported if name.startswith(HEAVY)]
