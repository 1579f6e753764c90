"""What a failed connection is called, in words a person reads (the Fetcher's causes):
the name that does not resolve, the refused connection, an HTTP status, the first line of
an error, a URL cut to a readable length. Sanitised: servers and resolvers choose what goes in."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx

from lillenews.base.i18n import Message
from lillenews.base.text import clean


def connect_cause(exc: httpx.ConnectError, url: str) -> Message:
    host = urlsplit(url).hostname or url
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return Message("the name {host} could not be resolved (are you online?)", host=host)
        if isinstance(cause, ConnectionRefusedError):
            return Message("the connection to {host} was refused", host=host)
        cause = cause.__cause__ or cause.__context__
    text = str(exc).lower()
    if "name or service not known" in text or "nodename nor servname" in text or "name resolution" in text:
        return Message("the name {host} could not be resolved (are you online?)", host=host)
    if "refused" in text:
        return Message("the connection to {host} was refused", host=host)
    return Message("could not connect to {host} ({error})", host=host, error=first_line(exc))


def describe_status(code: int) -> Message:
    phrase = httpx.codes.get_reason_phrase(code)  # "" for a code it does not know
    if phrase:
        return Message("the server answered {code} {phrase}", code=code, phrase=phrase)
    return Message("the server answered {code}", code=code)


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]


def short(url: str) -> str:
    url = clean(url)
    return url if len(url) <= 80 else url[:77] + "..."
