"""The injectable terminal (cli/terminal.py) and the CLI run in-process through it, the
httpie way: a Terminal on StringIO streams with fixed TTY flags, width and
environment, and a pager that records what it was given."""

from __future__ import annotations

import io
import os
import re

import pytest
from rich.pager import Pager

from lillenews.base.errors import ExitCode
from lillenews.cli.app import main
from lillenews.cli.output import write_output
from lillenews.cli.terminal import Terminal

SGR = re.compile(r"\x1b\[[0-9;]*m")


class RecordingPager(Pager):
    def __init__(self) -> None:
        self.shown: list[str] = []

    def show(self, content: str) -> None:
        self.shown.append(content)


def make_terminal(*, tty: bool = False, width: int = 120, height: int = 25, **environ: str) -> Terminal:
    return Terminal(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ=environ,
        stdout_isatty=tty,
        stderr_isatty=False,
        width=width,
        height=height,
        pager=RecordingPager(),
    )


def out(term: Terminal) -> str:
    return term.stdout.getvalue()  # type: ignore[attr-defined]


def err(term: Terminal) -> str:
    return term.stderr.getvalue()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the terminal alone
def test_flags_come_from_the_streams_when_not_given():
    term = Terminal(stdout=io.StringIO(), stderr=io.StringIO(), environ={})
    assert term.stdout_isatty is False and term.stderr_isatty is False
    assert term.rich_stdout is False


def test_plain_width_is_the_given_width_else_columns_else_80():
    assert make_terminal(width=60).plain_width == 60
    assert Terminal(stdout=io.StringIO(), environ={"COLUMNS": "100"}).plain_width == 100
    assert Terminal(stdout=io.StringIO(), environ={"COLUMNS": "x"}).plain_width == 80
    assert Terminal(stdout=io.StringIO(), environ={}).plain_width == 80
    assert make_terminal(width=5).plain_width == 20


def test_force_color_makes_a_pipe_rich_and_no_color_removes_colours():
    assert make_terminal(FORCE_COLOR="1").rich_stdout
    coloured = make_terminal(tty=True)
    coloured.show(_red("x"))
    assert "\x1b[31m" in out(coloured)
    plain = make_terminal(tty=True, NO_COLOR="1")
    plain.show(_red("x"))
    assert "\x1b[31m" not in out(plain) and "x" in out(plain)  # NO_COLOR: no colour (bold may stay)


def _red(text: str):
    from rich.text import Text

    return Text(text, style="red")


def test_the_console_uses_the_given_width():
    term = make_terminal(tty=True, width=42)
    assert term.out.width == 42 and term.out.is_terminal


def test_messages_go_to_stderr_as_plain_lines_when_it_is_not_a_terminal():
    term = make_terminal()
    term.info("Bonjour")
    term.warn("attention")
    term.error("tout\n  a   échoué")
    assert err(term) == "Bonjour\nWarning: attention\nError: tout a échoué\n"
    assert out(term) == ""


WARNING = (
    "impossible de télécharger http://127.0.0.1:8000/Actualites/La-securite-et-la-prevention : "
    "la connexion à 127.0.0.1 a été refusée ; affichage de la copie mise en cache il y a 1 minute"
)


def terminal_cuts(lines: list[str], width: int) -> list[str]:
    """The words a terminal `width` columns wide would cut in two (its own soft wrap at the
    last column), but for URLs, which are whole on a line of their own."""
    cuts = []
    for line in lines:
        for at in range(width, len(line), width):
            if line[at - 1] != " " and line[at] != " ":
                word = line[line.rfind(" ", 0, at) + 1 :].split(" ")[0]
                if not word.startswith("http"):
                    cuts.append(word)
    return cuts


@pytest.mark.parametrize("width", [40, 57, 80, 120])
def test_messages_at_a_terminal_are_wrapped_between_words_never_inside_one(width):
    """The terminal would cut a long line mid-word (`connex` / `ion`): it is wrapped first,
    between words, its continuation lines indented; a URL stays whole; colours kept."""
    term = make_terminal(width=width)
    term.stderr_isatty = True
    term.warn(WARNING)
    term.info(WARNING)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", err(term)).splitlines()
    words = ("Warning: " + WARNING + " " + WARNING).split()
    assert " ".join(lines).split() == words
    assert not terminal_cuts(lines, width), lines
    assert not any(line.lstrip().startswith((":", ";")) for line in lines), lines
    assert "\x1b[1;33mWarning: \x1b[0m" in err(term) and "\x1b[2m" in err(term)
    piped = make_terminal(width=width)
    piped.warn(WARNING)
    assert err(piped) == f"Warning: {WARNING}\n"  # one line for scripts


def test_piped_show_strips_the_padding_rich_adds():
    term = make_terminal(width=40)
    term.show(_red("court"))
    assert out(term) == "court\n"


def test_progress_is_silent_without_a_terminal():
    update, stop = make_terminal().progress("Syncing")
    assert update is None
    stop()


def test_write_output_to_a_new_file(tmp_path):
    target = tmp_path / "feed.atom"
    term = make_terminal()
    assert write_output(term, str(target), "contenu é".encode()) is True
    assert target.read_text(encoding="utf-8") == "contenu é"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.atom"]
    assert write_output(term, "-", b"<feed/>") is False and out(term) == "<feed/>"


# ---------------------------------------------------------------- the CLI through an injected terminal
@pytest.fixture
def env(dirs, site, monkeypatch):
    monkeypatch.setenv("LILLENEWS_BASE_URL", site.base_url)
    return dict(os.environ)


def run(*args: str, tty: bool = False, width: int = 120, height: int = 25, **extra: str) -> tuple[int, Terminal]:
    environ = dict(os.environ, **extra)
    term = Terminal(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ=environ,
        stdout_isatty=tty,
        stderr_isatty=False,
        width=width,
        height=height,
        pager=RecordingPager(),
    )
    return main(list(args), terminal=term), term


def test_version_and_usage_errors_use_the_terminal(env):
    code, term = run("--version")
    assert code == ExitCode.OK and out(term).startswith("lillenews ")
    code, term = run("list", "--no-such-option")
    assert code == ExitCode.USAGE
    assert err(term).startswith("Error: ") and "lillenews list --help" in err(term)


def test_list_on_a_terminal_is_a_rich_table_at_the_terminal_width(env):
    code, term = run("list", "-n", "5", tty=True, width=100, NO_COLOR="1")
    assert code == ExitCode.OK
    lines = SGR.sub("", out(term)).splitlines()
    assert re.match(r"^\s*#\s+Date\s+Category\s+Title", lines[0])
    assert max(len(line) for line in lines) <= 100
    assert "More with --limit N or --all" in err(term)  # the hint only a terminal gets


def test_list_piped_is_plain_text_at_the_given_width(env):
    code, term = run("list", "-n", "5", width=80)
    assert code == ExitCode.OK
    assert "\x1b" not in out(term)
    assert max(len(line) for line in out(term).splitlines()) <= 80
    assert err(term) == ""


def test_read_pages_long_articles_through_the_pager(env):
    assert run("list", "-n", "5")[0] == ExitCode.OK
    code, term = run("read", "4", tty=True, width=80, height=10)
    assert code == ExitCode.OK
    pager = term.pager
    assert isinstance(pager, RecordingPager) and len(pager.shown) == 1
    assert "Sécurité" in SGR.sub("", pager.shown[0])
    assert out(term) == ""  # all of it went to the pager


def test_read_no_pager_and_short_articles_print_directly(env):
    assert run("list", "-n", "5")[0] == ExitCode.OK
    code, term = run("read", "4", "--no-pager", tty=True, width=80, height=10)
    assert code == ExitCode.OK and term.pager.shown == []  # type: ignore[union-attr]
    assert "Sécurité" in SGR.sub("", out(term))
    code, term = run("read", "4", tty=True, width=80, height=10_000)
    assert term.pager.shown == [] and "Sécurité" in SGR.sub("", out(term))  # type: ignore[union-attr]


def test_failures_are_one_error_line_on_the_terminals_stderr(env):
    code, term = run("read", "999", "--offline")
    assert code in (ExitCode.FAILURE, ExitCode.USAGE)
    [line] = err(term).splitlines()
    assert line.startswith("Error: ") and out(term) == ""
