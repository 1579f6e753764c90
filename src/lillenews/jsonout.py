"""JSON of the view model (`--json`): stable keys, documented in the README, the same in
every interface language. Stdlib only: `--json` runs never import Rich."""

from __future__ import annotations

import json
from typing import Any

from .markdown import article_markdown
from .view import ArticleView, HeadlineRow


def headline_dict(row: HeadlineRow) -> dict[str, Any]:
    d: dict[str, Any] = {
        "number": row.number,
        "title": row.title,
        "url": row.url,
        "date": row.date,
        "category": row.category or None,
        "summary": row.listing_summary or None,
        "image": row.image,
        "read": row.read,
    }
    if row.snippet is not None:
        d["snippet"] = row.snippet
    return d


def article_dict(view: ArticleView) -> dict[str, Any]:
    return {
        "number": view.number,
        "title": view.title,
        "url": view.url,
        "date": view.date,
        "category": view.category or None,
        "lead": view.lead or None,
        "text": view.text,
        "markdown": article_markdown(view),
        "images": [{"url": i.url, "alt": i.alt, "caption": i.caption} for i in view.images],
        "related": [{"title": r.title, "url": r.url, "summary": r.summary or None} for r in view.related],
    }


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
