"""The reader's network calls (refresh, the agenda, an event) each get a façade of their
own; they take turns with one pacer, so robots.txt's Crawl-delay holds across them."""

from __future__ import annotations

from fakes import settings

from lillenews.tui.source import Source


def test_every_network_call_of_the_reader_shares_one_pace_and_says_it_needs_several_requests(tmp_path):
    source = Source(settings(tmp_path))
    try:
        with source._online(several=True) as first, source._online() as second:
            one, two = first.news.ctx.fetcher, second.news.ctx.fetcher
            assert one is not two and one.pacer is two.pacer
            assert one.robots.several and not two.robots.several
    finally:
        source.close()
