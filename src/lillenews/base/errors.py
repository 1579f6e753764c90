"""Domain exceptions and exit codes. The CLI edge turns them into one line and an exit code."""

from __future__ import annotations

from enum import IntEnum

from lillenews.base.i18n import Message, _


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # run-time failure: network, site, cache
    USAGE = 2  # bad usage: unknown option, out-of-range number, bad setting
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


class LilleNewsError(Exception):
    """Base class: `str(err)` is the one line shown to the user (without 'Error: ')."""

    exit_code: ExitCode = ExitCode.FAILURE


class UsageError(LilleNewsError):
    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """A setting (option, environment variable or config.toml) has a bad value."""


class FetchError(LilleNewsError):
    """The site could not be reached or answered badly.

    `status` is the HTTP status when the server answered with an error status,
    so callers test `exc.status == 404` instead of searching the message."""

    def __init__(self, url: str, cause: str | Message, *, status: int | None = None):
        self.url = url
        self.cause = cause  # a Message when lillenews wrote it: translated when shown, English in JSON
        self.status = status
        super().__init__(Message("could not fetch {url}: {cause}", url=url, cause=cause))

    @property
    def advice(self) -> str:
        """What to do about an HTTP failure ("" when its status says nothing more)."""
        if self.status in (404, 410):
            return _("the article may have been removed; check the address")
        if self.status == 429 or (self.status is not None and 500 <= self.status <= 599):
            return _("the site is having trouble; try again later")
        return ""

    def explained(self) -> str:
        """The message with its advice: "could not fetch URL: HTTP 404; the article may ..."."""
        advice = self.advice
        return _("{message}; {advice}").format(message=self, advice=advice) if advice else str(self)


NO_HEADLINES = Message("no headlines")


class SiteDownError(FetchError):
    """Not fetched at all: the site had already failed to answer during this command."""


class DisallowedError(FetchError):
    """Not requested: the site's robots.txt asks automated clients not to fetch this path."""

    def __init__(self, url: str, cause: str | Message | None = None):
        super().__init__(url, cause or Message("the site asks automated clients not to fetch this page (robots.txt)"))


class RobotsUnavailableError(DisallowedError):
    """Not requested: robots.txt could not be read (5xx or no answer), so for an hour
    nothing more is fetched (RFC 9309, 2.3.1.4)."""


class LayoutError(FetchError):
    """A page was fetched but nothing could be extracted from it."""

    def __init__(self, url: str, what: str | Message = NO_HEADLINES):
        self.url = url
        self.what = what
        self.status = None
        self.cause = Message("{what} found; the page layout may have changed", what=what)
        LilleNewsError.__init__(
            self, Message("{what} found at {url}; the page layout may have changed", what=what, url=url)
        )


class NotCachedError(LilleNewsError):
    """--offline was asked for but the data is not in the cache."""


class CacheError(LilleNewsError):
    """The local store cannot be used."""


class OutputError(LilleNewsError):
    """stdout refused what was written (a full disk, /dev/full): one line, exit 1."""
