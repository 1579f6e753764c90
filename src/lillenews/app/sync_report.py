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
        """What a person is told about the failed pages: the first `shown` causes, then a count."""
        # Pages skipped once the site stopped answering are one line, not one each.
        tried = [(url, cause) for url, cause in self.failed if url not in self.not_tried]
        lines = [_("could not fetch {url}: {cause}").format(url=url, cause=cause) for url, cause in tried[:shown]]
        if self.not_tried:
            lines.append(
                ngettext(
                    "the site stopped answering: {count} more article was not tried",
                    "the site stopped answering: {count} more articles were not tried",
                    len(self.not_tried),
                ).format(count=len(self.not_tried))
            )
        count, hidden = len(self.failed), len(tried) - shown
        if self.event_failures:
            failed = ngettext(
                "{count} page failed; it will be tried again at the next sync",
                "{count} pages failed; they will be tried again at the next sync",
                count,
            ).format(count=count)
        else:
            failed = ngettext(
                "{count} article failed; it will be tried again at the next sync",
                "{count} articles failed; they will be tried again at the next sync",
                count,
            ).format(count=count)
        if hidden > 0:
            failed += " " + ngettext("({count} more not shown)", "({count} more not shown)", hidden).format(
                count=hidden
            )
        return [*lines, failed] if self.failed else []

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
