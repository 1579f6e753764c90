"""A tiny lille.fr for the politeness tests: a one-page listing of a few articles (the
synthetic site's markup, tests/synth_site.py), one of them at a path robots.txt
disallows, an optional agenda (tests/fixtures/make_events.py's pages) and a robots.txt
with a Disallow and a fractional Crawl-delay. Few requests and a small delay keep the
tests fast; request start times come from the server's own clock (server.Request.at)."""

from __future__ import annotations

import dataclasses
import importlib.util
import pathlib

from server import FixtureServer
from synth_site import PAGE_PATHS, SynthArticle, article_html, listing_html, make_articles

DELAY = 0.2
ROBOTS = f"User-agent: *\nDisallow: /content/\nDisallow: /*.pdf$\nCrawl-delay: {DELAY}\n"
LISTING = "/Actualites"
# eZ Publish's system address of an article: listed, but robots.txt asks not to fetch it
DISALLOWED = "/content/view/full/4242"

_spec = importlib.util.spec_from_file_location(
    "lillenews_make_events_polite", pathlib.Path(__file__).resolve().parent / "fixtures" / "make_events.py"
)
events = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(events)  # type: ignore[union-attr]


class TinySite:
    def __init__(self, srv: FixtureServer, n: int = 3, *, disallowed: bool = True) -> None:
        self.srv = srv
        self.articles: list[SynthArticle] = make_articles(n)
        if disallowed:
            self.articles[-1] = dataclasses.replace(self.articles[-1], path=DISALLOWED)
        for art in self.articles:
            srv.route(art.path, article_html(art))
        self.publish()

    def publish(self) -> None:
        self.srv.route(LISTING, listing_html(self.articles, 0, 1))

    def add_headline(self) -> SynthArticle:
        """One more article, first in the listing (the newest)."""
        new = dataclasses.replace(make_articles(1)[0], number=99, path="/Actualites/Nouvelle-du-jour", title="Du jour")
        self.srv.route(new.path, article_html(new))
        self.articles.insert(0, new)
        self.publish()
        return new

    def two_pages(self) -> None:
        """Twenty headlines on two listing pages of ten, as lille.fr pages its news: the
        default `list` (20) needs both."""
        self.articles = make_articles(20)
        for art in self.articles:
            self.srv.route(art.path, article_html(art))
        self.srv.route(LISTING, listing_html(self.articles[:10], 0, 2))
        self.srv.route(PAGE_PATHS[1], listing_html(self.articles[10:], 1, 2))

    def robots(self, text: str = ROBOTS, status: int = 200) -> None:
        self.srv.route("/robots.txt", text, status=status, content_type="text/plain")

    def agenda(self) -> None:
        for path, html in events.all_pages().items():
            self.srv.route(path, html, last_modified=events.LAST_MODIFIED)

    # -- what the server saw --------------------------------------------------------
    def paths(self) -> list[str]:
        return [r.route_path for r in self.srv.requests]

    def pages(self) -> list[str]:
        """The requested paths but robots.txt."""
        return [p for p in self.paths() if p != "/robots.txt"]

    def starts(self) -> list[float]:
        """When each request but robots.txt's reached the server, in order (server clock)."""
        return [r.at for r in self.srv.requests if r.route_path != "/robots.txt"]


def gaps(starts: list[float]) -> list[float]:
    return [b - a for a, b in zip(starts, starts[1:], strict=False)]


def disallowed_requests(paths: list[str], robots: str = ROBOTS) -> list[str]:
    """The requested paths robots.txt disallows (protego: another reader than ours)."""
    from protego import Protego

    parser = Protego.parse(robots)
    return [p for p in paths if not parser.can_fetch("http://127.0.0.1" + p, "lillenews")]
