"""What a sync did: its counters, the summary line, the warnings and `sync --json`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lillenews.app.cached_fetch import Outcome
from lillenews.app.sync_events import AgendaReport
from lillenews.base.i18n import Message, _, english, ngettext


@dataclass
class SyncReport:
    """The counters of `sync --json` (documented in the README's JSON section)."""

    new: int = 0  # articles fetched for the first time
    updated: int = 0  # re-checked (--refresh) and changed
    unchanged: int = 0  # re-checked (--refresh): not modified, or the same content
    cached: int = 0  # listed articles already cached, not asked for again (without --refresh)
    disallowed: int = 0  # listed articles robots.txt asks not to fetch: never requested
    failed: list[tuple[str, str | Message]] = field(default_factory=list)  # (url, cause: English in JSON)
    interrupted: bool = False
    headlines: int = 0
    not_tried: set[str] = field(default_factory=set)  # failed URLs skipped: the site had stopped answering
    event_failures: set[str] = field(default_factory=set)  # failed URLs that are event pages
    events: AgendaReport | None = None  # the agenda's part (None: not synced, or the site has none)
    requests: int = 0  # HTTP requests made (robots.txt aside)
    delay: float | None = None  # the Crawl-delay the sync ran at (None: no pause)
    robots_unavailable: bool = False  # robots.txt could not be read: nothing was fetched

    def counts(self, kind: str) -> SyncReport | AgendaReport:
        """The counters of articles ("article") or of event pages ("event")."""
        if kind == "event":
            if self.events is None:
                self.events = AgendaReport()
            return self.events
        return self

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.NEW:
            self.new += 1
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            raise ValueError(f"a sync does not count {outcome}")

    def count_event(self, outcome: str) -> None:
        events = self.counts("event")
        setattr(events, outcome, getattr(events, outcome) + 1)

    def summary(self) -> str:
        text = _("{new} new, {updated} updated, {unchanged} unchanged, {failed} failed").format(
            new=self.new, updated=self.updated, unchanged=self.unchanged, failed=len(self.failed)
        )
        more = []
        if self.cached:
            more.append(_("{count} already cached").format(count=self.cached))
        if self.disallowed:
            more.append(_("{count} not fetched (robots.txt)").format(count=self.disallowed))
        events = self.events
        if events is not None and (events.new or events.updated or events.unchanged or events.cached):
            more.append(
                ngettext(
                    "events: {new} new page, {cached} already cached",
                    "events: {new} new pages, {cached} already cached",
                    events.new,
                ).format(new=events.new, cached=events.cached + events.unchanged + events.updated)
            )
        for part in more:
            text = _("{summary}; {more}").format(summary=text, more=part)
        return text + (_(" (interrupted)") if self.interrupted else "")

    def warnings(self, shown: int = 10) -> list[str]:
        """What a person is told about the failed pages: the first `shown` causes, then one
        sentence with the one count (the pages skipped once the site stopped answering are
        in it, never a line each nor a count of their own)."""
        tried = [(url, cause) for url, cause in self.failed if url not in self.not_tried]
        lines = [_("could not fetch {url}: {cause}").format(url=url, cause=cause) for url, cause in tried[:shown]]
        count, hidden, skipped = len(self.failed), len(tried) - shown, len(self.not_tried)
        if not count:
            return []
        failed = self._failed(count, skipped).format(count=count, skipped=skipped)
        if hidden > 0:
            failed += " " + ngettext("({count} more not shown)", "({count} more not shown)", hidden).format(
                count=hidden
            )
        return [*lines, failed]

    def _failed(self, count: int, skipped: int) -> str:
        """The sentence of the count: articles, or pages when event pages failed too (each
        noun its own sentence: the French participles agree with it)."""
        if skipped == count and self.event_failures:
            return ngettext(
                "the site is not answering: {count} page was not fetched; it will be tried at the next sync",
                "the site is not answering: {count} pages were not fetched; they will be tried at the next sync",
                count,
            )
        if skipped == count:
            return ngettext(
                "the site is not answering: {count} article was not fetched; it will be tried at the next sync",
                "the site is not answering: {count} articles were not fetched; they will be tried at the next sync",
                count,
            )
        if skipped and not self.event_failures:
            return ngettext(
                "{count} article failed, {skipped} of them not tried once the site stopped answering; "
                "they will be tried again at the next sync",
                "{count} articles failed, {skipped} of them not tried once the site stopped answering; "
                "they will be tried again at the next sync",
                count,
            )
        if skipped:
            return ngettext(
                "{count} page failed, {skipped} of them not tried once the site stopped answering; "
                "they will be tried again at the next sync",
                "{count} pages failed, {skipped} of them not tried once the site stopped answering; "
                "they will be tried again at the next sync",
                count,
            )
        if self.event_failures:
            return ngettext(
                "{count} page failed; it will be tried again at the next sync",
                "{count} pages failed; they will be tried again at the next sync",
                count,
            )
        return ngettext(
            "{count} article failed; it will be tried again at the next sync",
            "{count} articles failed; they will be tried again at the next sync",
            count,
        )

    def to_dict(self) -> dict[str, Any]:
        """`sync --json` (the README's JSON section says what each key counts)."""
        return {
            "headlines": self.headlines,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "cached": self.cached,
            "disallowed": self.disallowed,
            "events": None if self.events is None else self.events.to_dict(),
            "requests": self.requests,
            "crawl_delay": self.delay,
            "robots_unavailable": self.robots_unavailable,
            "interrupted": self.interrupted,
            "failed": [{"url": u, "error": english(c)} for u, c in self.failed],
        }
