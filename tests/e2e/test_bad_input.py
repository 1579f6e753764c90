"""Bad input from the user: every mistake ends with exit 2 and exactly one
`Error: ` line saying what is wrong and what is accepted; never a traceback, and
a bad setting never reaches the network."""

from __future__ import annotations

import re

import pytest
from conftest import run_subprocess
from server import LISTING_PATHS


def usage_error(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr, got {result.stderr!r}"
    assert lines[0].startswith("Error: "), lines[0]
    assert result.stdout == ""
    return lines[0]


@pytest.fixture
def listed(cli, site):
    """A cached listing of 20 headlines (numbers 1..20)."""
    result = cli("list")
    assert result.exit_code == 0, result.stderr
    site.clear_requests()
    return cli


# ---------------------------------------------------------------------------- article numbers
def test_article_number_zero_is_out_of_range(listed, site):
    line = usage_error(listed("read", "0"))
    assert "no article 0" in line
    assert re.search(r"1[–-]20", line), f"the accepted range is not given: {line!r}"
    assert site.requests == [], "an out-of-range number must not fetch anything"


def test_a_number_beyond_the_whole_listing_names_its_range(listed, site):
    """`read 999` reads the listing to its end (95 headlines), then says which numbers
    exist; it never fetches an article, and the pages read are cached."""
    line = usage_error(listed("read", "999"))
    assert "no article 999" in line
    assert re.search(r"1[–-]95\b", line), f"the accepted range is not given: {line!r}"
    fetched = [r.route_path for r in site.requests]
    assert fetched and set(fetched) <= set(LISTING_PATHS), fetched  # listing pages only, never an article
    assert set(LISTING_PATHS[2:]) <= set(fetched)  # the pages after the cached two
    site.clear_requests()
    assert re.search(r"1[–-]95\b", usage_error(listed("read", "999")))
    assert site.requests == [], "the pages read the first time are cached and fresh"


def test_a_number_beyond_the_cached_listing_is_out_of_range_offline(listed, site):
    line = usage_error(listed("read", "21", "--offline"))
    assert "no article 21" in line and re.search(r"1[–-]20", line)
    assert site.requests == []


def test_out_of_range_without_a_cached_listing(cli):
    line = usage_error(cli("read", "999"))
    assert "no article 999" in line and re.search(r"1[–-]95\b", line)


@pytest.mark.parametrize("target", ["abc", "1.5", "3x", ""])
def test_non_numeric_article(listed, site, target):
    line = usage_error(listed("read", target))
    assert repr(target) in line or target in line, line
    assert "number" in line and "URL" in line, f"what is accepted is not said: {line!r}"
    assert site.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/Actualites/X",
        "http://www.lille.fr.evil.example/Actualites/X",
        "ftp://www.lille.fr/Actualites/X",
        "javascript:alert(1)",
    ],
)
def test_a_url_from_another_site_is_refused(listed, site, url):
    line = usage_error(listed("read", url))
    host = site.base_url.split("://", 1)[1]
    assert host in line, f"the accepted site is not named: {line!r}"
    assert site.requests == []


# ---------------------------------------------------------------------------- options
def test_limit_zero(cli, site):
    line = usage_error(cli("list", "--limit", "0"))
    assert "--limit" in line and "0" in line
    assert re.search(r">=\s*1|at least 1|1 or more|from 1", line), f"what is accepted is not said: {line!r}"
    assert site.requests == []


def test_limit_not_a_number(cli, site):
    line = usage_error(cli("list", "--limit", "abc"))
    assert "--limit" in line and "abc" in line and "int" in line
    assert site.requests == []


def test_unknown_option(cli, site):
    line = usage_error(cli("list", "--nope"))
    assert "--nope" in line and "--help" in line
    assert site.requests == []


def test_unknown_command(cli):
    line = usage_error(cli("lsit"))
    assert "lsit" in line


@pytest.mark.parametrize("value", ["abc", "-5", "0", "nan"])
def test_bad_timeout_option(cli, site, value):
    line = usage_error(cli("--timeout", value, "list"))
    assert "timeout" in line.lower() and repr(value) in line
    assert "0.1 to 300" in line
    assert site.requests == []


# ---------------------------------------------------------------------------- settings
def test_malformed_config_toml(cli, site, dirs):
    dirs["config"].mkdir(parents=True, exist_ok=True)
    path = dirs["config"] / "config.toml"
    path.write_text('timeout = 5\nbase_url = "https://www.lille.fr\n', encoding="utf-8")
    line = usage_error(cli("list"))
    assert str(path) in line and "malformed" in line
    assert site.requests == []


def test_config_toml_that_is_not_utf8(cli, site, dirs):
    dirs["config"].mkdir(parents=True, exist_ok=True)
    path = dirs["config"] / "config.toml"
    path.write_bytes(b"timeout = 5 # d\xe9lai\n")
    line = usage_error(cli("list"))
    assert str(path) in line
    assert site.requests == []


def test_config_toml_with_an_unknown_key(cli, site, dirs):
    dirs["config"].mkdir(parents=True, exist_ok=True)
    path = dirs["config"] / "config.toml"
    path.write_text("timeout = 5\ncolour = true\n", encoding="utf-8")
    line = usage_error(cli("list"))
    assert "colour" in line and str(path) in line
    assert "accepted" in line and "timeout" in line and "base_url" in line
    assert site.requests == []


def test_config_toml_with_a_bad_value(cli, site, dirs):
    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text('timeout = "soon"\n', encoding="utf-8")
    line = usage_error(cli("list"))
    assert "timeout" in line and "soon" in line and "0.1 to 300" in line
    assert site.requests == []


@pytest.mark.parametrize("value", ["abc", "-5", "0", "1e9", "nan", "inf"])
def test_bad_lillenews_timeout(cli, site, monkeypatch, value):
    monkeypatch.setenv("LILLENEWS_TIMEOUT", value)
    line = usage_error(cli("list"))
    assert "LILLENEWS_TIMEOUT" in line and repr(value) in line
    assert "0.1 to 300" in line, f"what is accepted is not said: {line!r}"
    assert site.requests == []


@pytest.mark.parametrize("value", ["ftp://x", "notaurl", "http://", "file:///etc/passwd", "https://www.lille.fr/?q=1"])
def test_bad_lillenews_base_url(cli, site, monkeypatch, value):
    monkeypatch.setenv("LILLENEWS_BASE_URL", value)
    line = usage_error(cli("list"))
    assert "LILLENEWS_BASE_URL" in line and repr(value) in line
    assert "http" in line and "https" in line, f"what is accepted is not said: {line!r}"
    assert site.requests == []


# ---------------------------------------------------------------------------- a real process
def test_exit_codes_and_stderr_of_a_real_process(site, dirs):
    env = {
        "LILLENEWS_BASE_URL": site.base_url,
        "LILLENEWS_CACHE_DIR": str(dirs["cache"]),
        "LILLENEWS_DATA_DIR": str(dirs["data"]),
        "LILLENEWS_CONFIG_DIR": str(dirs["config"]),
        "NO_COLOR": "1",
    }
    for args, extra in ((("list", "--nope"), {}), (("read", "abc"), {}), (("list",), {"LILLENEWS_TIMEOUT": "abc"})):
        result = run_subprocess(*args, env={**env, **extra})
        line = usage_error(result)
        assert line.startswith("Error: "), (args, line)
    assert site.requests == [], "a usage error must not reach the network"
