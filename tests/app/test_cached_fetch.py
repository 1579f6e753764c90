"""Unit tests of the one cache-through-fetch rule (lillenews.app.cached_fetch): fresh,
not modified (304), new / updated, stale with one warning, the maintenance-page
guard. An in-memory fetcher and an injected clock: no sockets, no waits."""

from __future__ import annotations

import pytest
from fakes import BASE, Answer, Clock, FakeFetcher, settings

from lillenews.app.cached_fetch import (
    STAND_IN,
    Copy,
    Fetched,
    Outcome,
    Through,
    article_through,
    cache_through,
    cached_article,
    conditional_get,
    looks_like_a_stand_in,
)
from lillenews.app.context import Context
from lillenews.base.errors import FetchError, LayoutError
from lillenews.base.models import Article, Block, Inline
from lillenews.store.cache import Validators

URL = BASE + "/Actualites/Un-article"


class Recorder:
    """A Through over plain strings that records what the rule asked it to do."""

    def __init__(self, check=None) -> None:
        self.saved: list[tuple[str, str | None, str | None, float]] = []
        self.touched: list[tuple[str, float]] = []
        self.through = Through(self.parse, self.save, self.touch, check)

    @staticmethod
    def parse(url: str, page) -> str:
        return page.text.upper()

    def save(self, url: str, fetched: Fetched[str], now: float) -> None:
        self.saved.append((fetched.value, fetched.etag, fetched.last_modified, now))

    def touch(self, url: str, fetched: Fetched[str], now: float) -> None:
        self.touched.append((url, now))


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def warnings():
    return []


def make_ctx(tmp_path, fetcher, clock, warnings) -> Context:
    return Context(settings(tmp_path), warn=warnings.append, now=clock, fetcher=fetcher)


def test_a_fresh_copy_is_used_without_a_request(tmp_path, clock, warnings):
    fetcher = FakeFetcher({URL: Answer(text="new")})
    rec = Recorder()
    got = cache_through(
        make_ctx(tmp_path, fetcher, clock, warnings), URL, Copy("old", clock() - 60, '"e1"'), rec.through, fresh=True
    )
    assert (got.value, got.outcome, got.fetched_at) == ("old", Outcome.CACHED, clock() - 60)
    assert got.from_cache
    assert fetcher.requests == [] and rec.saved == [] and rec.touched == [] and warnings == []


def test_not_modified_keeps_the_copy_and_records_that_it_is_current(tmp_path, clock, warnings):
    fetcher = FakeFetcher({URL: Answer(text="new", etag='"e1"', last_modified="Mon, 08 Feb 2021 09:00:00 GMT")})
    rec = Recorder()
    cached = Copy("old", clock() - 3600, '"e1"', "Mon, 08 Feb 2021 09:00:00 GMT")
    clock.advance(5)
    got = cache_through(make_ctx(tmp_path, fetcher, clock, warnings), URL, cached, rec.through)
    assert fetcher.requests == [(URL, '"e1"', "Mon, 08 Feb 2021 09:00:00 GMT")]  # conditional
    assert (got.value, got.outcome, got.fetched_at) == ("old", Outcome.UNCHANGED, clock())
    assert got.from_cache
    assert rec.touched == [(URL, clock())] and rec.saved == [] and warnings == []


def test_a_new_page_is_parsed_and_saved(tmp_path, clock, warnings):
    fetcher = FakeFetcher({URL: Answer(text="fresh text", etag='"e2"', last_modified="lm")})
    rec = Recorder()
    got = cache_through(make_ctx(tmp_path, fetcher, clock, warnings), URL, None, rec.through)
    assert fetcher.requests == [(URL, None, None)]  # nothing cached: unconditional
    assert (got.value, got.outcome, got.fetched_at, got.from_cache) == ("FRESH TEXT", Outcome.NEW, clock(), False)
    assert rec.saved == [("FRESH TEXT", '"e2"', "lm", clock())]


def test_a_changed_page_replaces_the_copy(tmp_path, clock, warnings):
    fetcher = FakeFetcher({URL: Answer(text="changed", etag='"e2"')})
    rec = Recorder()
    got = cache_through(
        make_ctx(tmp_path, fetcher, clock, warnings), URL, Copy("old", clock() - 10, '"e1"'), rec.through
    )
    assert (got.value, got.outcome) == ("CHANGED", Outcome.UPDATED)
    assert rec.saved == [("CHANGED", '"e2"', None, clock())]


def test_a_failed_fetch_serves_the_stale_copy_with_one_warning(tmp_path, clock, warnings):
    fetcher = FakeFetcher({URL: FetchError(URL, "the site did not answer")})
    rec = Recorder()
    ctx = make_ctx(tmp_path, fetcher, clock, warnings)
    cached = Copy("old", clock() - 2 * 3600, '"e1"')
    got = cache_through(ctx, URL, cached, rec.through)
    assert (got.value, got.outcome, got.fetched_at) == ("old", Outcome.STALE, cached.fetched_at)
    assert got.from_cache
    assert warnings == [f"could not fetch {URL}: the site did not answer; showing the copy cached 2 hours ago"]
    assert rec.saved == [] and rec.touched == []
    # A second stale copy in the same command says nothing new.
    assert cache_through(ctx, URL, cached, rec.through).outcome is Outcome.STALE
    assert len(warnings) == 1


def test_a_failed_fetch_without_a_copy_is_the_callers_error(tmp_path, clock, warnings):
    fetcher = FakeFetcher({URL: FetchError(URL, "the server answered 500", status=500)})
    with pytest.raises(FetchError) as err:
        cache_through(make_ctx(tmp_path, fetcher, clock, warnings), URL, None, Recorder().through)
    assert err.value.status == 500 and warnings == []


def test_no_fallback_lets_chosen_errors_through_despite_a_copy(tmp_path, clock, warnings):
    fetcher = FakeFetcher()  # 404 for everything
    with pytest.raises(FetchError) as err:
        cache_through(
            make_ctx(tmp_path, fetcher, clock, warnings),
            URL,
            Copy("old", clock()),
            Recorder().through,
            no_fallback=lambda exc: exc.status == 404,
        )
    assert err.value.status == 404 and warnings == []


def test_the_check_can_refuse_a_page_and_the_copy_is_served(tmp_path, clock, warnings):
    def refuse_short(url: str, old: str, new: str) -> None:
        if len(new) < len(old):
            raise LayoutError(url, STAND_IN)

    fetcher = FakeFetcher({URL: Answer(text="short")})
    rec = Recorder(check=refuse_short)
    got = cache_through(
        make_ctx(tmp_path, fetcher, clock, warnings), URL, Copy("a much longer text", clock() - 60), rec.through
    )
    assert (got.value, got.outcome) == ("a much longer text", Outcome.STALE)
    assert rec.saved == []
    assert len(warnings) == 1 and STAND_IN in warnings[0]


def test_conditional_get_sends_validators_and_reports_not_modified():
    fetcher = FakeFetcher({URL: Answer(text="body", etag='"e1"', last_modified="lm")})
    fetched = conditional_get(fetcher, URL, Validators('"e1"', "lm"), Recorder.parse)
    assert fetched.value is None, "None: 304 Not Modified"
    assert (fetched.etag, fetched.last_modified) == ('"e1"', "lm")
    fetched = conditional_get(fetcher, URL, None, Recorder.parse)
    assert fetched.value == "BODY"
    assert fetcher.requests == [(URL, '"e1"', "lm"), (URL, None, None)]


# ---------------------------------------------------------------------- the maintenance-page guard
LONG = " ".join(["Le conseil municipal a voté le budget de la Ville pour l'année à venir."] * 30)


def article(title: str, text: str) -> Article:
    return Article(url=URL, title=title, blocks=(Block("paragraph", inlines=(Inline(text),)),))


def test_looks_like_a_stand_in_needs_a_new_title_and_a_fraction_of_the_text():
    old = article("Budget 2025", LONG)
    maintenance = article("Site en maintenance", "Revenez plus tard.")
    assert looks_like_a_stand_in(old, maintenance, maintenance.plain_text())
    shorter_same_title = article("Budget 2025", "Revenez plus tard.")
    assert not looks_like_a_stand_in(old, shorter_same_title, shorter_same_title.plain_text())
    renamed_full = article("Budget 2025 : le vote", LONG)
    assert not looks_like_a_stand_in(old, renamed_full, renamed_full.plain_text())


MAINTENANCE_HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Maintenance - Ville de Lille</title></head><body><div id="main"><div class="content">
<h1>Site en maintenance</h1><div class="rte"><p>Le site est en maintenance. Revenez plus tard.</p></div>
</div></div></body></html>"""


def test_a_maintenance_page_never_replaces_a_cached_article(tmp_path, clock, warnings):
    ctx = make_ctx(tmp_path, FakeFetcher({URL: Answer(text=MAINTENANCE_HTML, etag='"m"')}), clock, warnings)
    good = article("Budget 2025", LONG)
    ctx.cache.save_article(URL, good, good.plain_text(), '"good"', None, clock() - 600)
    got = cache_through(ctx, URL, cached_article(ctx, URL), article_through(ctx))
    assert got.outcome is Outcome.STALE and got.value == good
    assert len(warnings) == 1 and STAND_IN in warnings[0]
    kept = ctx.cache.article(URL)
    assert kept is not None and kept.article == good and kept.etag == '"good"'
    ctx.close()


def test_the_same_page_is_saved_when_nothing_was_cached(tmp_path, clock, warnings):
    """The guard compares with a cached article; without one the page is what there is."""
    ctx = make_ctx(tmp_path, FakeFetcher({URL: Answer(text=MAINTENANCE_HTML, etag='"m"')}), clock, warnings)
    got = cache_through(ctx, URL, cached_article(ctx, URL), article_through(ctx))
    assert got.outcome is Outcome.NEW and got.value.title == "Site en maintenance"
    assert ctx.cache.article(URL).etag == '"m"'
    ctx.close()


def test_a_parser_failure_is_a_fetch_error_of_that_url_chained_to_its_cause():
    def broken(url: str, page) -> str:
        raise RuntimeError("boom in parser")

    with pytest.raises(FetchError) as info:
        conditional_get(FakeFetcher({URL: Answer(text="body")}), URL, None, broken)
    assert info.value.url == URL and "RuntimeError" in str(info.value)
    assert isinstance(info.value.__cause__, RuntimeError), "the parser's exception is kept for --debug"
    assert str(info.value.__cause__) == "boom in parser"
