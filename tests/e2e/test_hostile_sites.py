"""Hostile sites at the use-case and CLI level: other hosts, messages, one failing fetch,
Markdown break-outs. The real CLI runs against two local servers on different ports
(two hosts to lillenews: same_site compares host and port)."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re

import pytest
from conftest import run_in_process
from markdown_it import MarkdownIt
from server import FixtureServer
from synth_site import _page, article_html, listing_item_html, make_articles

from lillenews.base.models import Article, Block, Image, Inline, Related
from lillenews.site.news import parse_article
from lillenews.views.markdown import article_markdown, md_url
from lillenews.views.model import article_view

TODAY = datetime.date(2021, 3, 1)  # any day: the parsers read dates without a year against it

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TRACKER = "http://tracker.example/pixel.gif"
BREAK_OUT = f"http://x/y>)![]({TRACKER})"


# ---------------------------------------------------------------------- Markdown
def _html(md: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(md)


def test_a_link_cannot_break_out_into_an_image_of_a_tracker():
    page = (
        "<html><head><title>T</title></head><body><main><h1>Titre</h1><div class='rte'>"
        f'<p>Voir <a href="{BREAK_OUT}">ce lien</a> et <a href="javascript:alert(1)">celui-ci</a>.</p>'
        "<p>" + "Du texte pour que la page soit un article. " * 5 + "</p>"
        "</div></main></body></html>"
    )
    article = parse_article(page, "https://www.lille.fr/Actualites/T", today=TODAY)
    md = article_markdown(article_view(article))
    html = _html(md)
    assert "<img" not in html, md
    assert "tracker.example" not in re.sub(r'href="[^"]*"', "", html)  # only inside the one link's address
    assert "javascript" not in html
    links = re.findall(r'<a href="([^"]*)">ce lien</a>', html)
    assert links == ["http://x/y%3E%29!%5B%5D%28http://tracker.example/pixel.gif%29"]


@pytest.mark.parametrize(
    "url",
    [
        BREAK_OUT,
        "http://x/a b>c",
        "http://x/a)(b",
        "http://x/a\\>![](http://tracker.example/pixel.gif)",
        "http://x/a\n![](http://tracker.example/pixel.gif)",
    ],
)
def test_every_url_written_to_markdown_is_encoded(url):
    """Links, images, embeds (iframes), « Lire aussi » and the source line."""
    article = Article(
        url="https://www.lille.fr/Actualites/M",
        title="Titre",
        blocks=(
            Block("paragraph", inlines=(Inline("lien", href=url),)),
            Block("image", url=url, alt="image"),
            Block("embed", url=url, caption="vidéo"),
        ),
        images=(Image(url),),
        related=(Related("Lire", url),),
    )
    view = article_view(article)._replace(url=url)
    md = article_markdown(view)
    html = _html(md)
    assert 'tracker.example/pixel.gif"' not in html.replace('%29"', "")
    assert html.count("<img") <= 1  # the article's own image block, never a second one
    for src in re.findall(r'<img src="([^"]*)"', html):
        assert "tracker" not in src or src.startswith("http://x/")
    assert md_url(url).count("<") == 1 and md_url(url).count(">") == 1
    assert not re.search(r"[\s()\\]", md_url(url)[1:-1])


def test_javascript_and_data_links_are_never_links():
    article = Article(
        url="https://www.lille.fr/Actualites/M",
        title="Titre",
        blocks=(
            Block(
                "paragraph", inlines=(Inline("a", href="javascript:alert(1)"), Inline(" b", href="data:text/html,x"))
            ),
            Block("image", url="javascript:alert(1)"),
            Block("embed", url="javascript:alert(1)"),
        ),
        related=(Related("Lire", "javascript:alert(1)"),),
    )
    html = _html(article_markdown(article_view(article)))
    assert "<a " not in html.replace('<a href="https://www.lille.fr/Actualites/M">', "")
    assert "<img" not in html and "javascript" not in html and "data:" not in html


# ---------------------------------------------------------------------- other hosts
@pytest.fixture
def hosts(dirs, monkeypatch):
    """Two local servers on two ports: `home` is the configured site, `other` another host."""
    with FixtureServer() as home, FixtureServer() as other:
        monkeypatch.setenv("LILLENEWS_BASE_URL", home.base_url)
        yield home, other


def _listing(items: list, next_href: str | None = None) -> str:
    body = "\n".join(listing_item_html(a) for a in items)
    pagination = f'<div class="pagination"><a class="next" href="{next_href}">Suivant</a></div>' if next_href else ""
    return _page("Actualités", f'<h1>Actualités</h1><div class="actusMaster">{body}{pagination}</div>')


def _serve(srv: FixtureServer, items: list, base: str = "") -> None:
    """Serve each article at its path (or at base + path when `base` names another host's copy)."""
    for art in items:
        srv.route(art.path if not base else art.path, article_html(art))


def _elsewhere(art, base: str):
    return dataclasses.replace(art, path=base + art.path)


def cli_json(*args: str):
    result = run_in_process(*args, "--json")
    assert "unexpected" not in result.stderr, result.stderr
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def test_listing_items_and_next_link_on_other_hosts_are_skipped(hosts):
    home, other = hosts
    arts = make_articles(8)
    ours, theirs = arts[:4], arts[4:]
    port = home.base_url.rsplit(":", 1)[1]
    foreign = [
        _elsewhere(theirs[0], other.base_url),  # another port
        _elsewhere(theirs[1], f"http://localhost:{port}"),  # another host name, same port
        _elsewhere(theirs[2], "http://" + "a" * 70 + ".example"),  # a 70-letter label (IDNA refuses it)
        _elsewhere(theirs[3], "javascript:"),
    ]
    home.route(
        "/Actualites",
        _listing(
            [ours[0], foreign[0], ours[1], foreign[1], ours[2], foreign[2], ours[3], foreign[3]],
            other.base_url + "/Actualites/(offset)/8",
        ),
    )
    _serve(home, ours)
    other.route("/Actualites/(offset)/8", _listing(theirs))
    _serve(other, theirs)

    result, listed = cli_json("list", "--all")
    assert result.exit_code == 0, result.stderr
    assert [i["url"] for i in listed] == [home.base_url + a.path for a in ours]
    result, report = cli_json("sync", "--all")
    assert result.exit_code == 0, result.stderr
    assert (report["headlines"], report["new"], report["failed"]) == (4, 4, [])
    result, listed = cli_json("list", "--offline", "--all")
    assert [i["url"] for i in listed] == [home.base_url + a.path for a in ours]
    for n in range(1, 5):
        result, article = cli_json("read", str(n), "--offline")
        assert article["title"] == ours[n - 1].title
    feed = run_in_process("feed")
    assert feed.exit_code == 0 and feed.stdout.count("<entry>") == 4
    assert other.base_url not in feed.stdout and "localhost" not in feed.stdout and "a" * 70 not in feed.stdout
    assert other.requests == []


def test_a_listing_of_other_hosts_only_never_replaces_the_cache(hosts):
    home, other = hosts
    arts = make_articles(6)
    home.route("/Actualites", _listing([_elsewhere(a, other.base_url) for a in arts[3:]]))
    result = run_in_process("list")
    assert result.exit_code == 1 and "no headlines on the configured site" in result.stderr, result.stderr
    home.route("/Actualites", _listing(arts[:3]))
    assert run_in_process("list").exit_code == 0
    home.route("/Actualites", _listing([_elsewhere(a, other.base_url) for a in arts[3:]]))
    result, listed = cli_json("list", "--refresh")
    assert result.exit_code == 0 and "no headlines on the configured site" in result.stderr
    assert [i["title"] for i in listed] == [a.title for a in arts[:3]]
    assert [i["title"] for i in cli_json("list", "--offline")[1]] == [a.title for a in arts[:3]]
    assert other.requests == []


def test_a_listing_redirected_to_another_host_never_replaces_the_cache(hosts):
    home, other = hosts
    arts = make_articles(6)
    home.route("/Actualites", _listing(arts[:3]))
    _serve(home, arts[:3])
    other.route("/Actualites", _listing(arts[3:]))
    _serve(other, arts[3:])
    assert cli_json("sync")[0].exit_code == 0
    port = home.base_url.rsplit(":", 1)[1]
    for target in (other.base_url + "/Actualites", f"http://localhost:{port}/Actualites"):
        home.route("/Actualites", "", status=302, headers={"Location": target})
        for command in (("list", "--refresh"), ("sync",), ("feed", "--refresh")):
            result = run_in_process(*command)
            assert "unexpected" not in result.stderr
            if command[0] != "feed":  # feed --refresh: the listing is still fresh
                assert "redirected to another site" in result.stderr, (command, result.stderr)
            else:
                assert other.base_url not in result.stdout and "localhost" not in result.stdout
                assert result.stdout.count("<entry>") == 3
        result, listed = cli_json("list", "--offline")
        assert [i["title"] for i in listed] == [a.title for a in arts[:3]]
    assert other.requests == []


def test_an_article_redirected_elsewhere_is_never_stored_under_the_lille_url(hosts):
    home, other = hosts
    arts = make_articles(3)
    home.route("/Actualites", _listing(arts[:2]))
    home.route(arts[1].path, article_html(arts[1]))
    other.route(arts[0].path, article_html(arts[2]))  # another host's article
    home.route(arts[0].path, "", status=302, headers={"Location": other.base_url + arts[0].path})
    # Nothing cached: an error for that URL, nothing stored.
    result = run_in_process("read", "1")
    assert result.exit_code == 1 and "redirected to another site" in result.stderr
    assert "unexpected" not in result.stderr
    assert run_in_process("read", "1", "--offline").exit_code == 1
    result, report = cli_json("sync")
    assert result.exit_code == 1 and report["new"] == 1
    assert [f["url"] for f in report["failed"]] == [home.base_url + arts[0].path]
    assert "redirected to another site" in report["failed"][0]["error"]
    assert run_in_process("read", "1", "--offline").exit_code == 1
    # A good copy cached: the redirect never replaces it.
    home.route(arts[0].path, article_html(arts[0]))
    assert cli_json("sync")[0].exit_code == 0
    home.route(arts[0].path, "", status=302, headers={"Location": other.base_url + arts[0].path})
    result = run_in_process("read", "1", "--refresh")
    assert result.exit_code == 0 and arts[0].title in result.stdout and arts[2].title not in result.stdout
    assert "redirected to another site" in result.stderr
    result, report = cli_json("sync", "--refresh")  # cached articles are re-checked only when asked
    assert len(report["failed"]) == 1
    result, article = cli_json("read", "1", "--offline")
    assert article["title"] == arts[0].title
    assert other.requests == []


def test_links_to_other_sites_inside_an_article_are_shown_never_fetched(hosts):
    home, other = hosts
    art = make_articles(1)[0]
    link = other.base_url + "/ailleurs"
    page = article_html(art).replace(
        "</h1>", f'</h1><div class="rte"><p>Voir <a href="{link}">ailleurs</a>.</p></div>', 1
    )
    home.route("/Actualites", _listing([art]))
    home.route(art.path, page)
    other.route("/ailleurs", _listing(make_articles(2)))
    assert cli_json("sync")[0].exit_code == 0
    for args in (("read", "1", "--markdown"), ("read", "1")):
        result = run_in_process(*args)
        assert result.exit_code == 0 and link in result.stdout, result.stdout
    result, article = cli_json("read", "1")
    assert link in article["markdown"]
    assert other.requests == []


# ---------------------------------------------------------------------- messages
HEADER_ESCAPES = "\x1bc\x1b[?1049h\x1b[?1000h\x1b]52;c;ZXZpbA==\x07\x9b31m"  # latin-1: what a header can carry
ESCAPES = HEADER_ESCAPES + "\u202e"


@pytest.mark.parametrize("isatty", [False, True])
def test_every_terminal_message_is_sanitised(isatty):
    import io

    from lillenews.cli.terminal import Terminal

    err = io.StringIO()
    term = Terminal(stdout=io.StringIO(), stderr=err, stderr_isatty=isatty, environ={"NO_COLOR": "1"}, width=200)
    term.info(f"info {ESCAPES} x")
    term.warn(f"warn {ESCAPES} x")
    term.error(f"error {ESCAPES} x")
    text = re.sub(r"\x1b\[[0-9;]*m", "", err.getvalue())  # Rich's own styling, when a terminal
    assert not UNSAFE.search(text), repr(text)
    assert "info" in text and "Warning: warn" in text and "Error: error" in text


# What Rich itself writes on a terminal (colours, the progress bar's cursor moves): allowed.
RICH_OWN = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\?25[lh]|\x1b\[2K|\x1b\[1A|\r")
# The CLI's own spinner (drawn when a fetch outlasts its delay, e.g. on a loaded
# machine): a frame "\r⠋ <label>\x1b[K" and its erasure "\r\x1b[K", nothing else.
SPINNER_OWN = re.compile(r"\r[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [^\x00-\x1f\x7f-\x9f]*\x1b\[K|\r\x1b\[K")


def _hostile_site(srv: FixtureServer) -> list:
    arts = make_articles(3)
    srv.route("/Actualites", _listing(arts))
    _serve(srv, arts)
    srv.route(arts[1].path, "x", content_type=f"text/plain{HEADER_ESCAPES}; charset=utf{HEADER_ESCAPES}")
    srv.route(arts[2].path, "", status=302, headers={"Location": f"http://ailleurs{HEADER_ESCAPES}.example/x"})
    return arts


def test_escapes_in_headers_and_arguments_never_reach_error_and_warning_lines(hosts, tmp_path, monkeypatch):
    home, _ = hosts
    arts = _hostile_site(home)
    result, report = cli_json("sync")
    assert result.exit_code == 1 and len(report["failed"]) == 2
    assert not UNSAFE.search(result.stdout + result.stderr), repr(result.stdout + result.stderr)
    errors = {f["url"]: f["error"] for f in report["failed"]}
    assert "not an HTML page" in errors[home.base_url + arts[1].path]
    assert "redirected to" in errors[home.base_url + arts[2].path]
    for args in (
        ("read", "2"),
        ("read", "3"),
        ("list", f"--no-such{ESCAPES}"),
        ("read", f"http://x{ESCAPES}/"),
        ("read", "http://x[/"),
    ):
        result = run_in_process(*args)
        assert result.exit_code in (1, 2) and result.stderr.startswith("Error: "), result.stderr
        assert not UNSAFE.search(result.stderr), (args, repr(result.stderr))
        assert "unexpected" not in result.stderr, (args, result.stderr)
    # A path the user chose is quoted in messages too.
    cache = tmp_path / f"cache{ESCAPES.replace(chr(0x9B), '')}"
    monkeypatch.setenv("LILLENEWS_CACHE_DIR", str(cache))
    assert run_in_process("list").exit_code == 0
    result = run_in_process("cache", "clear")
    assert result.exit_code == 0 and "Cleared" in result.stderr
    assert not UNSAFE.search(result.stderr), repr(result.stderr)


def _pty_run(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """The real CLI with stderr on a pseudo-terminal (Rich writes the warnings there)."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lillenews", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, **env},
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.stdout.read()
    code = proc.wait(timeout=60)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_escapes_never_reach_a_real_terminal(hosts):
    home, _ = hosts
    _hostile_site(home)
    env = {"TERM": "xterm-256color", "COLUMNS": "200"}
    for args in (
        ["sync"],
        ["read", "2"],
        ["read", "3"],
        ["list", f"--no-such{ESCAPES}"],
        ["read", f"http://x{ESCAPES}/"],
    ):
        code, err = _pty_run(args, env)
        assert code in (1, 2), (args, err)
        text = RICH_OWN.sub("", SPINNER_OWN.sub("", err))
        assert "Error: " in text or "Warning: " in text, (args, text)
        assert "unexpected" not in text, (args, text)
        assert not UNSAFE.search(text), (args, repr(err))


# ---------------------------------------------------------------------- one failing fetch
def test_a_page_the_parser_chokes_on_is_a_failure_of_that_url(hosts, monkeypatch):
    """Whatever a parser raises on one page (RecursionError, ValueError ...) is a fetch
    error of that URL: sync goes on with the other articles and saves them; read
    serves the cached copy."""
    import lillenews.site.news as parse_module

    home, _ = hosts
    arts = make_articles(6)
    home.route("/Actualites", _listing(arts))
    _serve(home, arts)
    real = parse_module.parse_article
    choke = {arts[2].path: RecursionError("maximum recursion depth exceeded"), arts[4].path: ValueError("x\x1bc")}

    def parse_article(html: str, url: str, *, today):
        for path, exc in choke.items():
            if url.endswith(path):
                raise exc
        return real(html, url, today=today)

    monkeypatch.setattr(parse_module, "parse_article", parse_article)
    result, report = cli_json("sync")
    assert result.exit_code == 1 and report["new"] == 4
    assert sorted(f["url"] for f in report["failed"]) == sorted(home.base_url + arts[n].path for n in (2, 4))
    assert all("could not be read" in f["error"] for f in report["failed"])
    for n in (1, 2, 4, 6):
        assert cli_json("read", str(n), "--offline")[1]["title"] == arts[n - 1].title
    result = run_in_process("read", "3")
    assert result.exit_code == 1 and result.stderr.startswith("Error: could not fetch"), result.stderr
    assert "unexpected" not in result.stderr
    # A cached copy is served when the new page chokes the parser.
    choke[arts[0].path] = RecursionError("deep")
    home.route(arts[0].path, article_html(arts[0], extra="Mis à jour."))  # a 200, not a 304
    result = run_in_process("read", "1", "--refresh")
    assert result.exit_code == 0 and arts[0].title in result.stdout
    assert "could not be read" in result.stderr and "unexpected" not in result.stderr


def test_a_70_letter_host_label_in_links_never_stops_sync(hosts):
    home, _ = hosts
    arts = make_articles(5)
    long_host = "http://" + "a" * 70 + ".example"
    items = [arts[0], _elsewhere(arts[1], long_host), *arts[2:]]
    home.route("/Actualites", _listing(items, long_host + "/Actualites/(offset)/5"))
    _serve(home, arts)
    page = article_html(arts[2]).replace(
        '<div class="rte">', f'<div class="rte"><p><a href="{long_host}/x">lien</a></p>', 1
    )
    home.route(arts[2].path, page)
    result, report = cli_json("sync", "--all")
    assert result.exit_code == 0, result.stderr
    assert (report["new"], report["failed"]) == (4, [])
    for n in range(1, 5):
        assert cli_json("read", str(n), "--offline")[0].exit_code == 0
    result = run_in_process("read", "2", "--markdown")
    assert result.exit_code == 0 and long_host + "/x" in result.stdout


# ---------------------------------------------------------------------- settings
def _usage_error(result, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "unexpected" not in result.stderr and not UNSAFE.search(result.stderr), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize(
    "base_url", ["http://a..b", "http://xn--/", "http://xn--zz.fr", "http://x\x1bc.fr", "http://" + "a" * 70 + ".fr"]
)
def test_a_base_url_with_an_invalid_host_is_bad_usage(dirs, monkeypatch, base_url):
    monkeypatch.setenv("LILLENEWS_BASE_URL", base_url)
    _usage_error(run_in_process("list"), "LILLENEWS_BASE_URL", "host name")
    monkeypatch.delenv("LILLENEWS_BASE_URL")
    (dirs["config"]).mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text(f"base_url = {json.dumps(base_url)}\n", encoding="utf-8")
    _usage_error(run_in_process("list"), "base_url in")


@pytest.mark.parametrize(
    "base_url", ["https://www.lille.fr", "http://127.0.0.1:8080", "http://[::1]:8", "https://café.fr"]
)
def test_valid_base_urls_are_accepted(base_url):
    from lillenews.base.config import load_settings

    assert load_settings({"base_url": base_url}, environ={}).base_url == base_url


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('cache_dir = "~nosuchuser-lillenews/x"', ("no such user",)),
        ('cache_dir = "/tmp/a\\u0000b"', ("NUL",)),
        ("cache_dir = true", ("cache_dir",)),
        ("data_dir = 3", ("data_dir",)),
        ("workers = 2.9", ("workers",)),
        ("workers = 1e400", ("workers",)),
        ("base_url = 1", ("base_url",)),
        ("timeout = " + "[" * 5000 + "]" * 5000, ("nested too deeply",)),
        ("timeout = " + "{a = " * 5000 + "1" + "}" * 5000, ("nested too deeply",)),
    ],
)
def test_bad_settings_in_config_toml_are_one_line_and_exit_2(dirs, tmp_path, monkeypatch, line, words):
    monkeypatch.chdir(tmp_path)
    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text(line + "\n", encoding="utf-8")
    for var in ("LILLENEWS_CACHE_DIR", "LILLENEWS_DATA_DIR"):
        monkeypatch.delenv(var)
    _usage_error(run_in_process("list"), *words)
    assert not (tmp_path / "True").exists() and not (tmp_path / "~nosuchuser-lillenews").exists()


def test_whole_workers_given_as_a_float_are_accepted(dirs):
    from lillenews.base.config import load_settings

    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text("workers = 3.0\n", encoding="utf-8")
    assert load_settings(environ={"LILLENEWS_CONFIG_DIR": str(dirs["config"])}).workers == 3


@pytest.mark.parametrize("var", ["LILLENEWS_CACHE_DIR", "LILLENEWS_CONFIG_DIR", "LILLENEWS_DATA_DIR"])
def test_a_directory_of_an_unknown_user_is_bad_usage(dirs, tmp_path, monkeypatch, var):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(var, "~nosuchuser-lillenews/x")
    _usage_error(run_in_process("list", "--offline"), var, "no such user")
    assert list(tmp_path.iterdir()) == [p for p in tmp_path.iterdir() if p.name in ("cache", "data", "config")]


def test_a_fifo_config_toml_never_hangs(dirs):
    import os
    import threading

    dirs["config"].mkdir(parents=True)
    os.mkfifo(dirs["config"] / "config.toml")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(run_in_process("list", "--offline")), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "lillenews hung reading a FIFO"
    _usage_error(result[0], "not a regular file")


@pytest.mark.parametrize("base_url", ["http://h.fr:99999", "http://[::1", "http://h.fr:-1"])
def test_a_base_url_with_a_bad_port_or_bracket_is_bad_usage(dirs, monkeypatch, base_url):
    monkeypatch.setenv("LILLENEWS_BASE_URL", base_url)
    _usage_error(run_in_process("list"), "LILLENEWS_BASE_URL")
