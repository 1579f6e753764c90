"""Shared test fixtures: a local fixture server, isolated directories, and a way
to run the real CLI (in-process or as a subprocess) with separate stdout/stderr."""

from __future__ import annotations

import contextlib
import io
import os
import pathlib
import subprocess
import sys
import time
from dataclasses import dataclass, field

import pytest
from server import FixtureServer, lille_site  # tests/ is on pythonpath (pyproject.toml)

# With PYTHONDONTWRITEBYTECODE set (CI, some shells) pytest redid the assert rewriting of
# every test module at each run (~3 s of CPU), and every `python -m lillenews` of the
# tests recompiled every module it imports (~40 ms a run). The bytecode goes instead to
# pytest's own git-ignored cache directory: the source tree stays as clean as the
# variable meant. (Set before the test modules are imported: pytest checks at each.)
PYCACHE = pathlib.Path(__file__).resolve().parent.parent / ".pytest_cache" / "pycache"
if sys.dont_write_bytecode and sys.pycache_prefix is None:
    sys.pycache_prefix = str(PYCACHE)
    sys.dont_write_bytecode = False


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


@pytest.fixture(scope="session", autouse=True)
def _subprocesses_keep_their_bytecode(tmp_path_factory):
    """`python -m lillenews` runs of the tests reuse the bytecode of earlier ones (see
    PYCACHE): a subprocess told not to write bytecode recompiled every module it imports."""
    with pytest.MonkeyPatch.context() as mp:
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            mp.delenv("PYTHONDONTWRITEBYTECODE")
            mp.setenv("PYTHONPYCACHEPREFIX", sys.pycache_prefix or str(tmp_path_factory.mktemp("pycache")))
        yield


@pytest.fixture(scope="session", autouse=True)
def _one_tls_context():
    """One certificate store for every in-process Fetcher of the session.

    Each Fetcher builds an httpx client, and httpx loads a whole CA bundle
    into a new SSLContext for each (~30 ms, a third of an in-process `list`). The
    default verifying context does not depend on the client, and httpx accepts one
    context for many clients, so the session builds it once per CA setting
    (SSL_CERT_FILE / SSL_CERT_DIR); any other kind (verify=False, a context, a client
    certificate) is built as before."""
    import httpx._transports.default as transport

    real = transport.create_ssl_context
    built: dict[tuple, object] = {}

    def create_ssl_context(verify=True, cert=None, trust_env=True):
        if verify is not True or cert is not None:
            return real(verify=verify, cert=cert, trust_env=trust_env)
        # what the default context is built from (httpx reads these two when trust_env)
        key = (trust_env, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
        if key not in built:
            built[key] = real(verify=verify, cert=cert, trust_env=trust_env)
        return built[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(transport, "create_ssl_context", create_ssl_context)
        yield


LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "LILLENEWS_LANGUAGE")


@pytest.fixture(scope="session", autouse=True)
def _one_click_command():
    """The in-process CLI builds its click command once per session, not once per run.

    typer's `app(...)` rebuilds the whole click tree from the decorated functions
    (signatures, annotations, every option) on each call: ~10 ms of a ~60 ms in-process
    run, paid once per process by the real CLI. The tree is the same while no command
    is registered and the environment it reads is unchanged, so it is kept per app,
    per set of registered commands and per such environment."""
    import typer.main

    from lillenews.base.i18n import language

    real = typer.main.get_command
    built: dict[tuple, object] = {}

    def get_command(typer_instance):
        # The environment a build may read: typer's completion switch, and the locale
        # (in case help texts are ever translated when the tree is built).
        env = tuple(os.environ.get(name) for name in (*LOCALE_VARS, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"))
        # Help texts are translated when the tree is built, in the language main() chose.
        lang = language()
        counts = (len(typer_instance.registered_commands), len(typer_instance.registered_groups))
        key = (id(typer_instance), counts, env, lang)
        if key not in built:
            built[key] = real(typer_instance)
        return built[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.main, "get_command", get_command)
        yield


@pytest.fixture
def fake_clock(monkeypatch) -> FakeClock:
    """Every Fetcher the CLI makes in this test uses one FakeClock (clock and sleep)."""
    import lillenews.net.fetch as fetch

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
    from lillenews.base import i18n

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
        "LILLENEWS_QUARTIER",
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
    from lillenews.cli.app import main

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
