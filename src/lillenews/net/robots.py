"""The site's robots.txt (RFC 9309) is the rule for every request lillenews makes.

- It is fetched at most once a day and kept by the caller (`RobotsStore`: a file in the
  cache dir; `doctor`, which never touches the cache, keeps it for its run only).
- What the server answers: 2xx -> its rules; 4xx -> no rules; 5xx, 429 or no answer ->
  everything is disallowed for an hour (RFC 9309, 2.3.1.4). A command then serves its
  cache; only a command making a single request sends it (it meets the same failure).
- Rules are those of the `lillenews` group, else of `*`, read by protego: `*` and `$`
  wildcards (which urllib.robotparser does not understand) and a fractional Crawl-delay.
  Rules written before any User-agent line (as the record of lille.fr's file shows them)
  are read as the `*` group's: ignoring them would ignore the site's explicit wish."""

import threading
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from lillenews.base.errors import DisallowedError, FetchError, RobotsUnavailableError, SiteDownError
from lillenews.base.i18n import Message, english
from lillenews.base.text import clean
from lillenews.base.urls import same_site
from lillenews.net.causes import describe_status
from lillenews.net.pacing import Pacer

TOKEN = "lillenews"  # the product token of our User-Agent that robots.txt groups name
PATH = "/robots.txt"
MAX_AGE = 24 * 3600.0  # RFC 9309 2.4: a cached robots.txt is used for at most a day
UNAVAILABLE_FOR = 3600.0  # after a 5xx or no answer, nothing is fetched for an hour
MAX_DELAY = 3600.0  # a larger Crawl-delay is read as an hour (a value, not a wish, beyond)
MAX_TEXT = 512 * 1024  # RFC 9309 2.5: crawlers parse at least 500 KiB
MAX_LINES = 50  # of robots.txt in doctor's report
_RULE_FIELDS = ("allow", "disallow", "crawl-delay", "request-rate", "visit-time")


KINDS = ("rules", "none", "unavailable")  # 2xx; 4xx or an unusable answer; 5xx, 429 or no answer


class RobotsRecord(NamedTuple):
    """robots.txt as fetched: what the store keeps (wall-clock time, what it means, text)."""

    fetched_at: float
    kind: str  # one of KINDS
    status: int | None = None  # the HTTP status (None: no answer, or none usable)
    text: str = ""  # the body of a 2xx answer
    error: str = ""  # why it could not be read (English, sanitised; for `doctor`)

    @classmethod
    def of_status(cls, fetched_at: float, status: int, text: str = "") -> "RobotsRecord":
        """What an HTTP answer means (RFC 9309 2.3.1: 2xx rules, 4xx none, 5xx unavailable;
        429 is read as 5xx, as the major crawlers do: the site asks to slow down)."""
        if 200 <= status < 300:
            return cls(fetched_at, "rules", status, text[:MAX_TEXT])
        if 400 <= status < 500 and status != 429:
            return cls(fetched_at, "none", status)
        return cls(fetched_at, "unavailable", status)

    def expires_at(self) -> float:
        return self.fetched_at + (UNAVAILABLE_FOR if self.kind == "unavailable" else MAX_AGE)

    def fresh(self, now: float) -> bool:
        return self.fetched_at <= now < self.expires_at()

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()

    @classmethod
    def from_dict(cls, data: Any) -> "RobotsRecord | None":
        """A record read back from the store (untrusted: a wrong shape is None)."""
        if not isinstance(data, dict):
            return None
        at, kind, status, text, error = (data.get(k) for k in ("fetched_at", "kind", "status", "text", "error"))
        if not isinstance(at, int | float) or isinstance(at, bool) or at != at or kind not in KINDS:
            return None
        if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
            return None
        if not isinstance(text, str) or not isinstance(error, str):
            return None
        return cls(float(at), kind, status, text[:MAX_TEXT], error[:300])


class RobotsStore(Protocol):
    """Where robots.txt is kept between commands (store.robots_file.RobotsFile)."""

    def load(self, site: str) -> dict[str, Any] | None: ...

    def save(self, site: str, data: dict[str, Any]) -> object: ...


def grouped(text: str) -> str:
    """`text`, with a `User-agent: *` line first when rules come before any User-agent line."""
    for line in text.splitlines():
        field = line.split("#", 1)[0].split(":", 1)[0].strip().lower()
        if field in ("user-agent", "useragent", "user agent"):
            return text
        if field in _RULE_FIELDS:
            return "User-agent: *\n" + text
    return text


class RobotsRules:
    """What one robots.txt allows lillenews to fetch, and how fast."""

    def __init__(self, record: RobotsRecord):
        self.record = record
        self._parser: Any = None
        if record.kind == "rules" and record.text.strip():
            from protego import Protego  # imported only when a site has rules

            self._parser = Protego.parse(grouped(record.text))

    @property
    def unavailable(self) -> bool:
        return self.record.kind == "unavailable"

    def allowed(self, url: str) -> bool:
        if self.unavailable:
            return False
        return self._parser is None or bool(self._parser.can_fetch(url, TOKEN))

    @property
    def delay(self) -> float | None:
        """The Crawl-delay for lillenews in seconds (None: none asked)."""
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(TOKEN)
        return min(float(delay), MAX_DELAY) if delay else None

    def summary(self, url: str) -> dict[str, Any]:
        """What `doctor` reports (its --json "robots"): the answer, what it means for
        lillenews, and the file's directive lines (sanitised, at most MAX_LINES)."""
        lines = [clean(line.split("#", 1)[0]) for line in grouped(self.record.text).splitlines()]
        return {
            "url": url,
            "status": self.record.status,
            "meaning": self.record.kind,
            "crawl_delay": self.delay,
            "lines": [line for line in lines if line][:MAX_LINES],
            "error": self.record.error or None,
        }

    def cause(self) -> Message:
        """Why robots.txt could not be read (for the unavailable case)."""
        if self.record.status is not None:
            return describe_status(self.record.status)
        if self.record.error:
            return Message("the site did not answer ({error})", error=self.record.error)
        return Message("the site did not answer")


def robots_url(site: str) -> str:
    return site.rstrip("/") + PATH


def read_robots(get: Callable[[], Any], down: Callable[[], str | None], now: float) -> RobotsRecord:
    """GET robots.txt with `get()` (a Page: status and text) and say what the answer means;
    `down()` is why the site did not answer at all (None when it answered)."""
    try:
        page = get()
    except FetchError as exc:
        if exc.status is not None:
            return RobotsRecord.of_status(now, exc.status)
        why = down()
        if why is not None:  # no answer at all
            return RobotsRecord(now, "unavailable", error=clean(english(why))[:300])
        return RobotsRecord(now, "none", error=clean(english(exc.cause))[:300])  # answered, nothing usable
    return RobotsRecord.of_status(now, page.status, page.text)


class RobotsGate:
    """Asked before every request of a Fetcher: may this URL be fetched?

    The rules are read once per gate (one command): from the store when fresh, else
    fetched and stored. `several`:
    the command needs more than one request, so while robots.txt is unavailable it
    fetches nothing at all (a single-request command sends its one request)."""

    def __init__(
        self,
        site: str,
        get: Callable[[str], Any],
        down: Callable[[], str | None],
        store: RobotsStore | None,
        now: Callable[[], float],
        pacer: Pacer | None = None,
    ) -> None:
        """`get(url)`: a plain GET, neither gated nor paced, returning a Page (status, text);
        `down()`: why the site did not answer at all (None when it answered)."""
        self.site = site.rstrip("/")
        self._get = get
        self._down = down
        self._store = store
        self._now = now
        self._lock = threading.Lock()
        self._rules: RobotsRules | None = None
        self.several = False
        self.fetched = False  # robots.txt was requested during this run
        self._let_through = 0  # requests sent while robots.txt is unavailable
        self.pacer = pacer
        self._failure: FetchError | None = None  # why robots.txt failed: the cause --debug shows

    @property
    def url(self) -> str:
        return robots_url(self.site)

    def rules(self) -> RobotsRules:
        """The rules (read once); the pacer, when there is one, takes their Crawl-delay."""
        with self._lock:
            if self._rules is None:
                self._rules = RobotsRules(self._load())
                if self.pacer is not None:
                    self.pacer.delay = self._rules.delay
            return self._rules

    def _load(self) -> RobotsRecord:
        now = self._now()
        if self._store is not None:
            kept = RobotsRecord.from_dict(self._store.load(self.site))
            if kept is not None and kept.fresh(now):
                return kept
        record = read_robots(self._get_robots, self._down, now)
        self.fetched = True
        if self._store is not None:
            self._store.save(self.site, record.to_dict())
        return record

    def _get_robots(self) -> Any:
        try:
            return self._get(self.url)
        except FetchError as exc:
            self._failure = exc
            raise

    def refuses_all(self) -> bool:
        """robots.txt is unavailable and the site did answer during this run (or the record is
        an earlier run's): a command needing several requests fetches nothing at all."""
        return self.rules().unavailable and self._down() is None

    def cause(self) -> Message:
        return unavailable_cause(self.rules())

    def check(self, url: str) -> None:
        """Raise DisallowedError when `url` must not be requested; SiteDownError when the
        site has stopped answering (no request would be made: it never waits for a turn)."""
        if not same_site(url, self.site):
            return  # never requested at all (the fetcher refuses other sites): no robots.txt to read
        rules = self.rules()
        down = self._down()
        if rules.unavailable:
            self._unavailable(url, rules, down)
        elif down is not None:
            raise _skipped(url, down)
        elif not rules.allowed(url):
            raise DisallowedError(url)

    def _unavailable(self, url: str, rules: RobotsRules, down: str | None) -> None:
        with self._lock:
            first = not self._let_through
            self._let_through += 1
        if down is not None:
            # The site did not answer robots.txt during this run: every request fails as it
            # would without robots.txt (the first with the cause, the others skipped).
            if first:
                raise FetchError(url, down) from self._failure
            raise _skipped(url, down)
        if self.several or not first:
            raise RobotsUnavailableError(url, unavailable_cause(rules))


def _skipped(url: str, down: str) -> SiteDownError:
    return SiteDownError(url, Message("skipped: the site did not answer a moment ago ({reason})", reason=down))


def unavailable_cause(rules: RobotsRules) -> Message:
    return Message(
        "robots.txt could not be read ({cause}); nothing is fetched from the site for an hour (RFC 9309)",
        cause=rules.cause(),
    )
