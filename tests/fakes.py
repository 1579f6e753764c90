"""In-memory stand-ins for the use-case unit tests: a fetcher serving canned pages
(no sockets, no waits) and a clock that only moves when told to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lillenews.base.config import Settings
from lillenews.base.errors import FetchError
from lillenews.net.fetch import Page
from lillenews.net.pacing import Pacer
from lillenews.net.robots import RobotsGate

BASE = "https://www.lille.fr"


class Clock:
    """Wall-clock time that moves only when a test says so."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class Answer:
    status: int = 200
    text: str = ""
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FakeFetcher:
    """GET answers from a dict {url: Answer | FetchError}; 304 when the request's
    If-None-Match equals the answer's etag. Every request is recorded.

    robots.txt rules as the real Fetcher applies them: `robots` answers BASE/robots.txt
    (None: 404, no rules); the pacer runs on a clock that only moves when it sleeps
    (`slept` lists the waits it asked for)."""

    routes: dict[str, Answer | FetchError] = field(default_factory=dict)
    requests: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    closed: bool = False
    robots_answer: Answer | FetchError | None = None
    slept: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pacer = Pacer(lambda: sum(self.slept), self.slept.append)
        self.robots = RobotsGate(BASE, self._answer, lambda: None, None, lambda: 1_700_000_000.0, self.pacer)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        self.robots.check(url)
        with self.pacer.turn(url):
            self.requests.append((url, etag, last_modified))
            return self._answer(url, etag)

    def _answer(self, url: str, etag: str | None = None) -> Page:
        if url == self.robots.url:
            answer: Answer | FetchError | None = self.robots_answer
        else:
            answer = self.routes.get(url)
        if answer is None:
            raise FetchError(url, "the server answered 404 Not Found", status=404)
        if isinstance(answer, FetchError):
            raise answer
        if answer.status == 200 and etag is not None and etag == answer.etag:
            return Page(url, 304, "", answer.etag, answer.last_modified)
        return Page(url, answer.status, answer.text, answer.etag, answer.last_modified)

    def urls(self) -> list[str]:
        return [url for url, _, _ in self.requests]

    def close(self) -> None:
        self.closed = True


def settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = dict(
        base_url=BASE,
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        timeout=5.0,
        listing_max_age=15.0,
        workers=4,
        max_retry_wait=10.0,
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
