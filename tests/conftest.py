"""Shared test fixtures: a local fixture server, isolated directories, and a way
to run the real CLI (in-process or as a subprocess) with separate stdout/stderr."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field

import pytest
from server import FixtureServer, lille_site  # tests/ is on pythonpath (pyproject.toml)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class FakeClock:
    """A monotonic clock whose sleep() returns at once and moves time forward.

    Real time still runs underneath (a real server answers in real time), so the
    clock is `time.monotonic() + everything slept`. Tests assert the waits the code
    *asked for* (`slept`) instead of waiting them out."""

    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return time.monotonic() + sum(self.slept)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def fake_clock(monkeypatch) -> FakeClock:
    """Every Fetcher the CLI makes in this test uses one FakeClock (clock and sleep)."""
    import lillenews.fetch as fetch

    clock = FakeClock()
    real_init = fetch.Fetcher.__init__

    # Patched on the class, so it holds however the code imported Fetcher.
    def clocked_init(self, settings, **kwargs):
        kwargs.update(sleep=clock.sleep, clock=clock)
        real_init(self, settings, **kwargs)

    monkeypatch.setattr(fetch.Fetcher, "__init__", clocked_init)
    return clock


@pytest.fixture
def site():
    """A running local copy of the site (every fixture at its lille.fr path)."""
    with FixtureServer() as srv:
        lille_site(srv)
        yield srv


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch):
    """Tests read English unless they choose a language: the machine's locale must not matter."""
    from lillenews import i18n

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LILLENEWS_LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """Isolated cache/data/config dirs through the environment; no colour, no debug."""
    paths = {name: tmp_path / name for name in ("cache", "data", "config")}
    for name, path in paths.items():
        monkeypatch.setenv(f"LILLENEWS_{name.upper()}_DIR", str(path))
    for var in (
        "LILLENEWS_BASE_URL",
        "LILLENEWS_TIMEOUT",
        "LILLENEWS_DEBUG",
        "LILLENEWS_LISTING_MAX_AGE",
        "LILLENEWS_WORKERS",
        "LILLENEWS_MAX_RETRY_WAIT",
        "PAGER",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return paths


@pytest.fixture
def cli(dirs, site, monkeypatch):
    """Run the real CLI in-process against the local site: cli("list", "--json")."""
    monkeypatch.setenv("LILLENEWS_BASE_URL", site.base_url)
    return run_in_process


def run_in_process(*args: str) -> Result:
    from lillenews.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Result(code, out.getvalue(), err.getvalue())


def run_subprocess(*args: str, env: dict | None = None, timeout: float = 60) -> Result:
    """Run `python -m lillenews` for real (a fresh interpreter, real stdio pipes)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "lillenews", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
