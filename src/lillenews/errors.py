"""Domain exceptions. The CLI edge turns them into one line and an exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # run-time failure: network, site, cache
EXIT_USAGE = 2  # bad usage: unknown option, out-of-range number, bad setting


class LilleNewsError(Exception):
    """Base class: `str(err)` is the one line shown to the user (without 'Error: ')."""

    exit_code = EXIT_FAILURE


class UsageError(LilleNewsError):
    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A setting (option, environment variable or config.toml) has a bad value."""


class FetchError(LilleNewsError):
    """The site could not be reached or answered badly."""

    def __init__(self, url: str, cause: str):
        self.url = url
        self.cause = cause
        super().__init__(f"could not fetch {url}: {cause}")


class LayoutError(FetchError):
    """A page was fetched but nothing could be extracted from it."""

    def __init__(self, url: str, what: str = "no headlines"):
        self.url = url
        self.what = what
        self.cause = f"{what} found; the page layout may have changed"
        LilleNewsError.__init__(self, f"{what} found at {url}; the page layout may have changed")


class NotCachedError(LilleNewsError):
    """--offline was asked for but the data is not in the cache."""


class CacheError(LilleNewsError):
    """The local store cannot be used."""
