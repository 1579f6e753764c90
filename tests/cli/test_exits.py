"""The one top-level error handler (cli/exits.py), through the real CLI in-process: one
`Error:` line, and with --debug the traceback down to the original exception."""

from __future__ import annotations

import pytest

from lillenews.site import article_fields


@pytest.fixture
def broken_parser(monkeypatch):
    """The article parser fails as a bug would: deep inside site/, not with a LayoutError."""

    def boom(*args, **kwargs):
        raise RuntimeError("boom in parser")

    monkeypatch.setattr(article_fields, "body_blocks", boom)


def test_debug_shows_the_parsers_exception_and_its_traceback(cli, broken_parser):
    assert cli("list").exit_code == 0
    r = cli("--debug", "read", "4")
    assert r.exit_code == 1, r
    assert "RuntimeError: boom in parser" in r.stderr
    assert "The above exception was the direct cause of the following exception" in r.stderr
    # the traceback goes through the parser module, down to the failing call
    assert 'lillenews/site/news.py", line' in r.stderr.replace("\\", "/")
    assert "in parse_article" in r.stderr and "in boom" in r.stderr
    assert r.stderr.rstrip().splitlines()[-1].startswith("Error: could not fetch ")


def test_without_debug_a_parser_failure_is_one_error_line(cli, broken_parser):
    assert cli("list").exit_code == 0
    r = cli("read", "4")
    assert r.exit_code == 1, r
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("Error: could not fetch ") and "(RuntimeError)" in lines[0]
    assert "boom" not in r.stderr and "Traceback" not in r.stderr
