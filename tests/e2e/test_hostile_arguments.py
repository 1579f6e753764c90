"""Arguments and settings an attacker (or a slip) could give: numbers of thousands of digits,
credentials in the base URL, a `--self-url` that is not a web address. Each is a usage error
(exit 2) in one line, quoting no password and no 5,000-digit number."""

from __future__ import annotations

import pytest
from conftest import run_in_process
from test_events_cli import serve_agenda, today  # noqa: F401 - today is a fixture

HUGE = "9" * 5000


@pytest.fixture
def both(cli, site, today):  # noqa: F811 - the fixture imported above
    serve_agenda(site)
    assert run_in_process("list").exit_code == 0
    assert run_in_process("events").exit_code == 0
    return site


def usage_error(result) -> str:
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "unexpected" not in result.stderr and result.stdout == ""
    return result.stderr


# ----------------------------------------------------------------------------- huge numbers
@pytest.mark.parametrize(
    "args, what",
    [
        (("read", HUGE), "article"),
        (("read", "+" + HUGE), "article"),
        (("mark", "1", HUGE), "article"),
        (("open", HUGE), "article"),
        (("event", HUGE), "event"),
        (("event", "-" + HUGE), "event"),
        (("open", "--event", HUGE), "event"),
    ],
)
def test_a_number_of_5000_digits_is_a_usage_error(both, args, what):
    line = usage_error(run_in_process(*args))
    assert line.startswith(f"Error: no {what} ") and "9999999" in line and len(line) < 200


def test_a_number_of_7_digits_is_refused_and_leading_zeros_do_not_count(both):
    before = len(both.requests)
    assert "no article 1000000 (the listing has 1–" in usage_error(run_in_process("read", "1000000"))
    assert len(both.requests) == before  # no walk of the listing towards it
    assert run_in_process("read", "0000000003", "--json").exit_code == 0


def test_a_timeout_of_5000_digits_in_config_toml_is_a_usage_error(cli, dirs):
    dirs["config"].mkdir(parents=True, exist_ok=True)
    config = dirs["config"] / "config.toml"
    config.write_text(f"timeout = {HUGE}\n")
    line = usage_error(run_in_process("list"))
    assert line == f"Error: malformed {config}: a number has too many digits; fix or remove the file\n"


@pytest.mark.parametrize("name", ["LILLENEWS_TIMEOUT", "LILLENEWS_WORKERS"])
def test_numbers_of_5000_digits_in_the_environment_stay_usage_errors(cli, monkeypatch, name):
    monkeypatch.setenv(name, HUGE)
    assert f"invalid {name}" in usage_error(run_in_process("list"))


# ----------------------------------------------------------------------------- credentials in the base URL
def test_a_base_url_with_credentials_is_refused_everywhere_without_printing_them(cli, site, dirs, monkeypatch):
    secret_url = site.base_url.replace("http://", "http://lille:s3cret@")
    monkeypatch.setenv("LILLENEWS_BASE_URL", secret_url)
    line = usage_error(run_in_process("list"))
    assert "s3cret" not in line and "lille:" not in line
    assert "a user name or password in the address is not accepted" in line
    assert "invalid LILLENEWS_BASE_URL 'http://***@127.0.0.1:" in line
    monkeypatch.delenv("LILLENEWS_BASE_URL")
    line = usage_error(run_in_process("--base-url", "https://user@www.lille.fr", "doctor"))
    assert "invalid --base-url 'https://***@www.lille.fr'" in line
    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text(f'base_url = "{secret_url}"\n')
    assert "s3cret" not in usage_error(run_in_process("feed"))
    assert site.requests == []  # nothing was fetched with them


def test_a_malformed_base_url_with_credentials_never_prints_them(cli, monkeypatch):
    monkeypatch.setenv("LILLENEWS_BASE_URL", "http://user:s3cret@[::1")
    assert "s3cret" not in usage_error(run_in_process("list"))


def test_an_at_sign_in_the_base_urls_path_is_no_credential(cli, site, monkeypatch):
    monkeypatch.setenv("LILLENEWS_BASE_URL", site.base_url + "/@lille")
    result = run_in_process("list")
    assert "user name or password" not in result.stderr


# ----------------------------------------------------------------------------- --self-url
@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "not a url", "/relative/feed.atom", "ftp://example.org/feed", "http://", "http://x:99999/"],
)
def test_a_self_url_that_is_not_an_absolute_http_address_is_a_usage_error(both, url):
    line = usage_error(run_in_process("feed", "--self-url", url))
    assert line == f"Error: --self-url expects an absolute http:// or https:// address, got {url!r}\n"


def test_an_absolute_https_self_url_is_kept(both):
    result = run_in_process("feed", "--self-url", "https://exemple.fr/lille.atom")
    assert result.exit_code == 0
    assert '<link rel="self" type="application/atom+xml" href="https://exemple.fr/lille.atom"/>' in result.stdout
