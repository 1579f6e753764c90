"""main() hands typer only the invoked command (its click tree is built at every start),
and the whole app whenever the full tree is what click needs: group help, --version, an
unknown or misspelt command, shell completion."""

from __future__ import annotations

import pytest

from lillenews.cli.app import _tree_for, app, main


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
    assert _tree_for(args, {}) is app


def test_shell_completion_gets_the_whole_app():
    assert _tree_for(["list"], {"_LILLENEWS_COMPLETE": "complete_bash"}) is app


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


EVERY_COMMAND = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]


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
