"""What the housekeeping commands print (`mark`, `cache info`, `cache clear`), in the
interface language: the view model's labels for them, kept apart from the reading views."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lillenews.base.i18n import _, ngettext, number
from lillenews.base.text import describe_age


def marked(count: int, *, unread: bool) -> str:
    """What `mark` says it did."""
    if unread:
        return ngettext("Marked {count} article as unread.", "Marked {count} articles as unread.", count).format(
            count=count
        )
    return ngettext("Marked {count} article as read.", "Marked {count} articles as read.", count).format(count=count)


def cache_cleared(info: Mapping[str, Any]) -> str:
    """What `cache clear` says it did: what it deleted, the events' included, and the room
    its compacted files take now."""
    articles, pages, events, agenda = (info[k] for k in ("articles", "listing_pages", "events", "event_listing_pages"))
    parts = [
        ngettext("{count} article", "{count} articles", articles).format(count=number(articles)),
        ngettext("{count} listing page", "{count} listing pages", pages).format(count=number(pages)),
        ngettext("{count} event", "{count} events", events).format(count=number(events)),
        ngettext("{count} agenda page", "{count} agenda pages", agenda).format(count=number(agenda)),
    ]
    return _("Cleared {what} and {last} from {dir}; its files were compacted: {before} → {after}.").format(
        what=", ".join(parts[:-1]),
        last=parts[-1],
        dir=info["cache_dir"],
        before=kib(info["size_before"]),
        after=kib(info["size_after"]),
    )


def kib(size: int) -> str:
    """A size in KiB, as the interface writes numbers (`1 234 Kio` in French)."""
    return _("{size} KiB").format(size=number(round(size / 1024)))


def cache_info_rows(info: Mapping[str, Any]) -> list[tuple[str, str]]:
    """`cache info` as (label, value) rows."""

    def age(key: str) -> str:
        return _("never") if info[key] is None else describe_age(info[key])

    pages = info["listing_pages"]
    headlines = ngettext("{headlines} on {count} listing page", "{headlines} on {count} listing pages", pages)
    return [
        (_("Cache file"), info["path"]),
        (_("Size"), kib(info["size_bytes"])),
        (_("Headlines"), headlines.format(headlines=info["headlines"], count=pages)),
        (_("Articles"), str(info["articles"])),
        (_("Last fetch"), age("newest_fetch_age_s")),
        (_("Oldest fetch"), age("oldest_fetch_age_s")),
        (_("Read marks"), info["data_dir"]),
        (
            _("Config file"),
            info["config_file"] + ("" if info.get("config_file_exists", True) else _(" (does not exist)")),
        ),
    ]


def quartiers_text(rows: Sequence[tuple[str, int, int]]) -> str:
    """`lillenews quartiers`: (name, headlines, events) in aligned columns."""
    header = (_("Quartier"), _("Headlines"), _("Events"))
    cells = [header, *((name, number(h), number(e)) for name, h, e in rows)]
    widths = [max(len(cell[n]) for cell in cells) for n in range(3)]
    return "\n".join(f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:>{widths[2]}}" for a, b, c in cells) + "\n"
