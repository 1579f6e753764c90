"""JSON of the view model (`--json`): stable keys, documented in the README, the same in
every interface language. Stdlib only: `--json` runs never import Rich."""

from __future__ import annotations

import json
from typing import Any

from lillenews.views.markdown import article_markdown
from lillenews.views.model import ArticleView, HeadlineRow


def _identity(item: HeadlineRow | ArticleView) -> dict[str, Any]:
    """The keys a headline and an article share, in the documented order."""
    return {
        "number": item.number,
        "title": item.title,
        "url": item.url,
        "date": item.dates.iso_start,
        "date_end": item.dates.iso_end,
        "category": item.category or None,
    }


def headline_dict(row: HeadlineRow) -> dict[str, Any]:
    d: dict[str, Any] = {
        **_identity(row),
        "summary": row.listing_summary or None,
        "summary_truncated": row.summary_truncated,
        "image": row.image,
        "read": row.read,
        "quartiers": list(row.quartiers),
    }
    if row.snippet is not None:
        d["snippet"] = row.snippet
    return d


def article_dict(view: ArticleView) -> dict[str, Any]:
    return {
        **_identity(view),
        "lead": view.lead or None,
        "lead_source": view.lead_source if view.lead else None,
        "listing_summary": view.listing_summary or None,
        "text": view.text,
        "markdown": article_markdown(view),
        "images": [{"url": i.url, "alt": i.alt, "caption": i.caption, "credit": i.credit} for i in view.images],
        "related": [{"title": r.title, "url": r.url, "summary": r.summary or None} for r in view.related],
        "quartiers": list(view.quartiers),
    }


def to_json(data: Any, *, ascii_only: bool = False) -> str:
    return json.dumps(data, ensure_ascii=ascii_only, indent=2)
