"""A small lille.fr-like site for the reading-experience tests: N headlines
on listing pages with a pagination block, and article pages that may lack a lead,
a date or a category (so the listing's data must stand in)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from synth_site import _a, _page, _t, listing_item_html

from lillenews.views.model import long_date


@dataclass
class Item:
    number: int
    path: str
    title: str
    summary: str
    lead: str
    paragraphs: list[str]
    date: str
    category: str
    page_has_meta: bool = True  # the article page shows its own date, category and lead


def page_path(index: int, per_page: int) -> str:
    return "/Actualites" if index == 0 else f"/Actualites/(offset)/{index * per_page}"


def _listing_item(item: Item) -> str:
    html = listing_item_html(item)  # type: ignore[arg-type]
    if not item.category:  # a site without categories has no category element at all
        html = html.replace('        <div class="event-type"></div>\n', "")
    return html


def listing_page(items: list[Item], index: int, n_pages: int, per_page: int) -> str:
    links = [
        f'<span class="current">{p + 1}</span>'
        if p == index
        else f'<a class="page" href="{_a(page_path(p, per_page))}">{p + 1}</a>'
        for p in range(n_pages)
    ]
    if index + 1 < n_pages:
        links.append(f'<a class="next" href="{_a(page_path(index + 1, per_page))}">Suivant</a>')
    body = "\n".join(_listing_item(i) for i in items)
    content = (
        f'    <h1>Actualités</h1>\n    <div class="actusMaster">\n{body}\n'
        f'    <div class="pagination">{" ".join(links)}</div>\n    </div>'
    )
    return _page("Actualités", content)


def article_page(item: Item, related: list[Item] = ()) -> str:  # type: ignore[assignment]
    paras = "\n".join(f"      <p>{_t(p)}</p>" for p in item.paragraphs)
    meta = ""
    if item.page_has_meta:
        meta = (
            f'    <div class="dateInfo"><span>Publié le {long_date(dt.date.fromisoformat(item.date))}</span></div>\n'
            f'    <div class="event-type">{_t(item.category)}</div>\n'
            f'    <div class="chapo"><p>{_t(item.lead)}</p></div>\n'
        )
    see_also = ""
    if related:
        links = "".join(f'<li><a href="{_a(r.path)}">{_t(r.title)}</a></li>' for r in related)
        see_also = f'    <div class="lireAussi"><div class="title">Lire aussi</div><ul>{links}</ul></div>\n'
    content = f"""    <h1>{_t(item.title)}</h1>
{meta}    <div class="rte">
{paras}
    </div>
{see_also}"""
    return _page(item.title, content)


def make_items(n: int, *, categories: bool = True) -> list[Item]:
    items = []
    for k in range(1, n + 1):
        day = 28 - (k % 27)
        items.append(
            Item(
                number=k,
                path=f"/Actualites/Nouvelle-{k}",
                title=f"Nouvelle numéro {k} de la Ville",
                summary=f"Le résumé complet de la nouvelle {k}.",
                lead=f"Le chapô de la nouvelle {k}.",
                paragraphs=[f"Le texte de la nouvelle {k}, assez long pour être un article de la Ville de Lille."],
                date=f"2021-02-{day:02d}",
                category="Sport" if categories else "",
            )
        )
    return items


def serve(srv, items: list[Item], per_page: int = 10, related: dict[int, list[int]] | None = None) -> None:
    """Every listing page and article of `items` on `srv`."""
    pages = [items[i : i + per_page] for i in range(0, len(items), per_page)]
    for index, chunk in enumerate(pages):
        srv.route(page_path(index, per_page), listing_page(chunk, index, len(pages), per_page))
    by_number = {i.number: i for i in items}
    for item in items:
        rel = [by_number[n] for n in (related or {}).get(item.number, [])]
        srv.route(item.path, article_page(item, rel))
