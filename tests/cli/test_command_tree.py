"""main() hands typer only the invoked command (its click tree is built at every start),
and the whole app whenever the full tree is what click needs: group help, --version, an
unknown or misspelt command, shell completion."""

from __future__ import annotations

import importlib
import sys

import pytest
import typer

from lillenews.cli.app import ELSEWHERE, _tree_for, app, main, whole_app


def names(tree) -> list[str]:
    return [c.name for c in tree.registered_commands] + [g.name for g in tree.registered_groups]


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["list"], "list"),
        (["read", "4"], "read"),
        (["--base-url", "read", "list"], "list"),  # an option's value is not the command
        (["--language", "fr", "--debug", "events", "--limit", "5"], "events"),
        (["cache", "info"], "cache"),
    ],
)
def test_a_named_command_gets_a_tree_of_that_command_alone(args, command):
    tree = _tree_for(args, {})
    assert names(tree) == [command]
    assert tree.registered_callback is app.registered_callback  # the same global options
    assert _tree_for(args, {}) is tree  # built once per process


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["lst"], ["--", "list"], ["--base-url"]])
def test_help_version_and_unknown_commands_get_the_whole_app(args):
    assert _tree_for(args, {}) is whole_app()


def test_shell_completion_gets_the_whole_app():
    assert _tree_for(["list"], {"_LILLENEWS_COMPLETE": "complete_bash"}) is whole_app()


def test_the_whole_app_lists_every_command_in_the_order_of_the_help():
    assert names(whole_app()) == [
        "list", "read", "search", "mark", "open", "feed",
        "events", "event", "sync", "doctor", "browse", "quartiers", "new", "cache",
    ]  # fmt: skip


@pytest.mark.parametrize("module", sorted(set(ELSEWHERE.values())))
def test_each_command_module_registers_exactly_the_commands_named_for_it(module):
    fresh = typer.Typer()
    importlib.import_module(f"lillenews.cli.{module}").register(fresh)
    assert sorted(names(fresh)) == sorted(name for name, home in ELSEWHERE.items() if home == module)


def test_a_command_from_its_own_module_imports_no_other_command_module_but_the_shared_quartier_options():
    code = (
        "import sys\n"
        "from lillenews.cli.app import _tree_for\n"
        "_tree_for(['events'], {})\n"
        "print(sorted(m for m in sys.modules if m.startswith('lillenews.cli.')))\n"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(eval(out))  # noqa: S307 - our own process's printed list
    assert "lillenews.cli.events" in loaded
    assert not loaded & {
        "lillenews.cli.sync",
        "lillenews.cli.cache",
        "lillenews.cli.doctor",
        "lillenews.cli.new",
        "lillenews.cli.browse",
    }


def test_a_misspelt_command_is_still_suggested_from_every_command(capsys):
    assert main(["evnts"]) == 2
    assert "events" in capsys.readouterr().err


def test_a_command_s_help_is_its_own(capsys):
    assert main(["list", "--help"]) == 0
    out = capsys.readouterr().out
    assert "lillenews list [OPTIONS]" in out and "--unread" in out


def run_main(args, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


EVERY_COMMAND = names(whole_app())


@pytest.mark.parametrize(
    "args",
    [
        *([name, "--help"] for name in EVERY_COMMAND),
        ["--language", "fr", "list", "--help"],
        ["--language", "fr", "cache", "info", "--help"],
        ["list", "--bogus"],
        ["--language", "fr", "list", "--limit", "x"],
        ["cache"],
        ["read"],
    ],
    ids=lambda args: " ".join(args),
)
def test_one_command_s_tree_says_what_the_whole_app_says(args, capsys, monkeypatch):
    lean = run_main(args, capsys)
    monkeypatch.setattr("lillenews.cli.app._tree_for", lambda args, environ: app)
    assert run_main(args, capsys) == lean
