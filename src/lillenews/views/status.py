"""What the housekeeping commands print (`mark`, `cache info`, `cache clear`), in the
interface language: the view model's labels for them, kept apart from the reading views."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lillenews.base.i18n import _, ngettext
from lillenews.base.text import describe_age


def marked(count: int, *, unread: bool) -> str:
    """What `mark` says it did."""
    if unread:
        return ngettext("Marked {count} article as unread.", "Marked {count} articles as unread.", count).format(
            count=count
        )
    return ngettext("Marked {count} article as read.", "Marked {count} articles as read.", count).format(count=count)


def cache_cleared(info: Mapping[str, Any]) -> str:
    """What `cache clear` says it did."""
    articles = ngettext("{count} article", "{count} articles", info["articles"]).format(count=info["articles"])
    pages = info["listing_pages"]
    listing = ngettext("{count} listing page", "{count} listing pages", pages).format(count=pages)
    return _("Cleared {articles} and {pages} from {path}.").format(articles=articles, pages=listing, path=info["path"])


def cache_info_rows(info: Mapping[str, Any]) -> list[tuple[str, str]]:
    """`cache info` as (label, value) rows."""

    def age(key: str) -> str:
        return _("never") if info[key] is None else describe_age(info[key])

    pages = info["listing_pages"]
    headlines = ngettext("{headlines} on {count} listing page", "{headlines} on {count} listing pages", pages)
    return [
        (_("Cache file"), info["path"]),
        (_("Size"), _("{size} KiB").format(size=f"{info['size_bytes'] / 1024:.0f}")),
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
    width = max(len(header[0]), *(len(name) for name, _h, _e in rows))
    numbers = [max(len(header[n]), *(len(str(r[n])) for r in rows)) for n in (1, 2)]

    def line(name: str, headlines: str, events: str) -> str:
        return f"{name:<{width}}  {headlines:>{numbers[0]}}  {events:>{numbers[1]}}"

    return "\n".join([line(*header), *(line(name, str(h), str(e)) for name, h, e in rows)]) + "\n"
