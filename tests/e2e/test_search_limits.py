"""`search --full` answers any query quickly: at most MAX_WORDS words, and at most
MAX_POSTINGS (word, article) pairs for FTS5 to read (a prefix counts every indexed word it
begins). Past either, exit 2 with the limit in the message. Before: 2,000 `a*` terms took
8 s on 35 articles. CPU time is measured, never wall time."""

from __future__ import annotations

import json
import time

import pytest
from conftest import run_in_process
from server import FixtureServer
from synth_site import N_ARTICLES, build_site

import lillenews.store.search_index as search_index
from lillenews.app.search import MAX_WORDS

cli = run_in_process


@pytest.fixture
def synced(dirs, monkeypatch):
    with FixtureServer() as srv:
        site = build_site(srv, failing=False)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        assert cli("sync").stdout == f"{N_ARTICLES} new, 0 updated, 0 unchanged, 0 failed\n"
        yield site


def refused(*words: str) -> str:
    start = time.process_time()
    result = cli("search", "--full", *words)
    assert time.process_time() - start < 1.0
    assert result.exit_code == 2 and result.stdout == "", result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and "unexpected" not in line
    return line


@pytest.mark.parametrize(
    "words",
    [["a*"] * 2000, ["a"] * 2000, " OR ".join(["a*"] * 1000).split(), ["NEAR(" + " ".join(["a*"] * 500) + ")"]],
    ids=["2000 a*", "2000 a", "a* OR a* ...", "NEAR of 500"],
)
def test_a_query_of_thousands_of_words_is_refused_with_the_limit(synced, words):
    line = refused(*words)
    assert f"at most {MAX_WORDS} words" in line


def test_the_longest_query_allowed_answers_within_a_second_of_cpu(synced):
    start = time.process_time()
    result = cli("search", "--full", *(["a*", "OR"] * (MAX_WORDS // 2))[:-1], "--json")
    assert time.process_time() - start < 1.0
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)


def test_a_query_that_would_read_too_much_of_the_index_is_refused_with_the_limit(synced, monkeypatch):
    """A few very common prefixes over a large cache: here the limit is lowered to the
    size of the 36-article test cache instead of building a large one."""
    assert cli("search", "--full", "a", "--json").exit_code == 0
    monkeypatch.setattr(search_index, "MAX_POSTINGS", 40)
    line = refused("a", "d", "l")
    assert "too broad" in line and "(at most 40)" in line
    assert cli("search", "--full", "cyclables", "--json").exit_code == 0  # a rarer word still answers


def test_postings_count_every_word_a_prefix_begins_and_the_excluded_words(tmp_path):
    from lillenews.base.models import Article, Block, Inline
    from lillenews.store.cache import Cache
    from lillenews.store.query import parse_full

    cache = Cache(tmp_path / "cache.db", print)
    for n, text in enumerate(["vélo vélos véloroute travaux", "vélo tram", "tram bus"]):
        url = f"https://www.lille.fr/Actualites/A{n}"
        article = Article(url=url, title=f"T{n}", blocks=(Block("paragraph", inlines=(Inline(text),)),))
        cache.save_article(url, article, article.plain_text(), None, None, 1.0)

    def postings(*words: str) -> int:
        return search_index.postings(cache._fts_read, parse_full(list(words)))

    assert postings('"velo"') == 2  # the word in two articles
    assert postings("velo") == 2 + 1 + 1  # velo, velos, veloroute
    assert postings("velo", "-travaux") == 4 + 1
    assert postings("tram", "OR", "tram") == 2 + 2  # each occurrence is read again
    assert postings('"tram bus"') == 2 + 1
    assert postings("zzz") == 0
    cache.close()
