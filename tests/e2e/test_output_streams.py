"""What a stdout that is not UTF-8, or cannot be written at all, gets: text degrades to
stand-ins (’ -> ', ┃ -> |, é -> e in ASCII), --json stays the same JSON (with \\u escapes),
the Atom feed and the iCalendar file stay UTF-8 documents; a full device is one error line
(exit 1); a reader that goes away (`| head`) is no error at all.

In-process runs give the Terminal a real TextIOWrapper in the encoding under test (as
Python's own stdout with PYTHONIOENCODING); real processes prove the same for the real
stdout (PYTHONIOENCODING=latin-1, LC_ALL=C with PYTHONUTF8=0)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import run_in_process
from test_events_cli import PAGES, serve_agenda, today  # noqa: F401 - today is a fixture

from lillenews.cli.app import main
from lillenews.cli.terminal import Terminal

ENERGY = "Économies d’énergie : les solutions lilloises"  # a headline of the fixture site (’ is not latin-1)
C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


@pytest.fixture
def both(cli, site, today):  # noqa: F811 - the fixture imported above
    serve_agenda(site)
    assert run_in_process("list").exit_code == 0
    return site


def undated(calendar: str) -> str:
    """Without its DTSTAMP lines (the time of the run)."""
    return re.sub(r"DTSTAMP:[0-9TZ]+\r\n", "", calendar)


def run_with_stdout(encoding: str, *args: str) -> tuple[int, bytes, str]:
    """The CLI with a stdout encoding `encoding`, strict as Python's own (no error handler)."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, errors="strict", write_through=True)
    err = io.StringIO()
    code = main(list(args), terminal=Terminal(stdout=out, stderr=err, environ=dict(os.environ)))
    out.flush()
    return code, raw.getvalue(), err.getvalue()


def ok(encoding: str, *args: str) -> bytes:
    code, data, err = run_with_stdout(encoding, *args)
    assert code == 0 and "unexpected" not in err, err
    return data


def real_process(*args: str, env: dict[str, str], stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG", "PYTHONUTF8")}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "lillenews", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=full,
        timeout=60,
    )


# ----------------------------------------------------------------------------- text degrades
@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_text_to_a_stdout_that_lacks_characters_degrades_to_stand_ins(both, encoding):
    listing = ok(encoding, "list").decode(encoding)
    expected = ENERGY.replace("’", "'")
    assert (expected if encoding == "latin-1" else "Economies d'energie : les solutions lilloises") in listing
    article = ok(encoding, "read", "3").decode(encoding)
    assert "\n| Places, parcs, rues" in article  # the lead's ┃
    conference = "Conférence" if encoding == "latin-1" else "Conference"
    assert conference in ok(encoding, "events", "--all").decode(encoding)
    event = ok(encoding, "event", "1").decode(encoding)
    assert event.startswith("1. Visite guidée" if encoding == "latin-1" else "1. Visite guidee")


def test_stand_ins_keep_every_line_of_the_plain_listing(both):
    assert len(ok("ascii", "list").splitlines()) == len(run_in_process("list").stdout.splitlines())


# ----------------------------------------------------------------------------- JSON, feed, calendar
@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("command", [("list", "--json"), ("events", "--all", "--json"), ("read", "3", "--json")])
def test_json_to_such_a_stdout_is_the_same_json_with_ascii_escapes(both, encoding, command):
    data = ok(encoding, *command)
    assert data.isascii()
    assert json.loads(data) == json.loads(run_in_process(*command).stdout)


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_the_feed_and_the_calendar_are_utf8_whatever_stdout(both, encoding):
    feed = ok(encoding, "feed")
    assert feed.decode("utf-8") == run_in_process("feed").stdout and ENERGY.encode() in feed
    ics = ok(encoding, "events", "--all", "--ics")
    printed = run_in_process("events", "--all", "--ics").stdout
    assert undated(ics.decode("utf-8")) == undated(printed) and "œ".encode() in ics


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "latin-1"}, C_LOCALE], ids=["latin-1", "C locale"])
def test_a_real_process_with_such_a_stdout(both, env):
    listing = real_process("list", env=env)
    assert listing.returncode == 0 and b"unexpected" not in listing.stderr, listing.stderr
    assert b"d'" in listing.stdout and b"\xe2\x80\x99" not in listing.stdout
    as_json = real_process("list", "--json", env=env)
    assert as_json.returncode == 0 and as_json.stdout.isascii()
    assert json.loads(as_json.stdout)[19]["title"] == ENERGY
    feed = real_process("feed", env=env)
    assert feed.returncode == 0 and ENERGY.encode() in feed.stdout


# ----------------------------------------------------------------------------- unwritable stdout
@pytest.mark.parametrize("command", [("list",), ("list", "--json"), ("read", "3"), ("feed",), ("events", "--ics"),
                                     ("--help",), ("cache", "info")])  # fmt: skip
def test_a_full_stdout_is_one_error_line_and_exit_1(both, command):
    if command[0] == "events":  # a real process's today is the machine's: an event it sees ahead, so a calendar
        both.route("/Evenements", PAGES["/Evenements"].replace("Du 1 au 02 juin 2024", "Du 1 au 02 juin 2199", 1))
    with open("/dev/full", "wb") as full:
        result = real_process(*command, env={}, stdout=full)
    assert result.returncode == 1
    assert result.stderr.decode() == "Error: cannot write the output: no space left on device\n"


def test_a_full_stdout_in_french(both):
    with open("/dev/full", "wb") as full:
        result = real_process("list", env={"LILLENEWS_LANGUAGE": "fr"}, stdout=full)
    assert result.returncode == 1
    assert result.stderr.decode() == "Error: impossible d'écrire la sortie : plus de place sur le périphérique\n"


@pytest.mark.parametrize("command", [("list",), ("feed",), ("list", "--json")])
def test_a_reader_that_went_away_is_no_error(both, command):
    """`lillenews list | head -1`: the pipe closes before the output is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = real_process(*command, env={}, stdout=write_end)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, b"")
