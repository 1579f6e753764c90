"""A small www.lille.fr whose news name the quartiers in every way the tagger must know
(and its false friends), for the quartier and `new` tests.

`build_quartier_site(srv)` serves a listing of PAGES pages of PER_PAGE headlines (lille.fr
markup, a `.pagination` block with a `.next` link) and every article. Each `QNews` says
which quartiers it names, and where (title, summary, body): the expectations are data
here, beside the texts. `publish(srv, qnews)` puts one more headline first, as the site
does when it publishes."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from synth_site import SynthArticle, article_html, listing_item_html

PER_PAGE = 6


@dataclass
class QNews:
    title: str
    summary: str
    body: str = "La Ville informe les habitants des nouveautés de la semaine."
    names: tuple[str, ...] = ()  # the quartiers it names (title, summary or body)
    from_body: tuple[str, ...] = ()  # of which these only in its body (known once the article is cached)
    slug: str = ""
    date: str = "2021-03-01"
    extra: dict = field(default_factory=dict)

    def article(self, n: int) -> SynthArticle:
        slug = self.slug or f"Actu-quartier-{n:02d}"
        return SynthArticle(n, f"/Actualites/{slug}", self.title, self.summary, self.summary, [self.body], self.date,
                            "Citoyenneté")  # fmt: skip


# Newest first. Every variant of every quartier, with its case and hyphen forms, and the false friends.
NEWS: list[QNews] = [
    QNews("Fête de quartier à Moulins", "Rendez-vous place Vanhoenacker.", names=("Lille-Moulins",)),
    QNews("Des moulins à eau restaurés", "Le patrimoine des moulins de la Deûle revit.", names=()),
    QNews("Travaux à Fivesville", "Un chantier dans la commune voisine ; rien à Lille.", names=()),
    QNews("Un nouveau centre de loisirs", "Le centre de loisirs ouvre ses portes aux enfants.", names=()),
    QNews("Soldes : le centre-ville piéton", "Les rues commerçantes réservées aux piétons.", names=("Centre",)),
    QNews("Lille se métamorphose", "La Ville de Lille présente ses projets.", names=()),
    # page 2
    QNews("Médiathèque : horaires d'été", "La médiathèque de WAZEMMES ouvre le dimanche.", names=("Wazemmes",)),
    QNews("Concert au vieux lille", "Un concert gratuit place aux Oignons.", names=("Vieux-Lille",)),
    QNews("Jardins partagés", "Deux jardins à Bois Blancs et à Lomme.", names=("Bois-Blancs", "Lomme")),
    QNews(
        "Rénovation du gymnase",
        "Les travaux commencent lundi.",
        body="Le gymnase de Hellemmes rouvrira à la rentrée.",
        names=("Hellemmes",),
        from_body=("Hellemmes",),
    ),
    QNews(
        "Conseil de quartier",
        "Faubourg de Bethune et Lille Sud : les dates.",
        names=("Faubourg de Béthune", "Lille-Sud"),
    ),
    QNews("Saint Maurice : un parc", "Un nouveau parc ouvre ses allées.", names=("Saint-Maurice Pellevoisin",)),
    # page 3
    QNews("Pellevoisin en fête", "Un week-end d'animations.", names=("Saint-Maurice Pellevoisin",)),
    QNews("Esquermes : nouvelle école", "L'école ouvre à la rentrée.", names=("Vauban-Esquermes",)),
    QNews("Balade à Vauban-Esquermes", "Une promenade commentée le long de la Deûle.", names=("Vauban-Esquermes",)),
    QNews("Lille-Centre : la mairie", "Horaires d'ouverture de la mairie de Lille Centre.", names=("Centre",)),
    QNews("Lille-Moulins : le marché", "Le marché du dimanche change de place.", names=("Lille-Moulins",)),
    QNews("FIVES : la fête du printemps", "Des animations rue Pierre Legrand.", names=("Fives",)),
    # page 4
    QNews("Faubourg-de-Béthune : un nouveau square", "Le square ouvre samedi.", names=("Faubourg de Béthune",)),
    QNews("Lille-Sud : la mairie de quartier", "Permanences du maire de quartier.", names=("Lille-Sud",)),
    QNews("Vauban : le jardin en fête", "Animations au jardin.", names=("Vauban-Esquermes",)),
    QNews("Saint-Maurice Pellevoisin : réunion", "Réunion publique.", names=("Saint-Maurice Pellevoisin",)),
    QNews("Bois-Blancs : une passerelle", "La passerelle relie les deux rives.", names=("Bois-Blancs",)),
    QNews("Vieux-Lille : les pavés", "Réfection des pavés rue de la Monnaie.", names=("Vieux-Lille",)),
]
PAGES = -(-len(NEWS) // PER_PAGE)


def page_path(index: int) -> str:
    return "/Actualites" if index == 0 else f"/Actualites/(offset)/{index * PER_PAGE}"


def _listing_html(items: list[SynthArticle], index: int, pages: int) -> str:
    links = []
    for p in range(pages):
        links.append(f'<span class="current">{p + 1}</span>' if p == index else
                     f'<a class="page" href="{html.escape(page_path(p))}">{p + 1}</a>')  # fmt: skip
    if index + 1 < pages:
        links.append(f'<a class="next" href="{html.escape(page_path(index + 1))}">Suivant</a>')
    body = "\n".join(listing_item_html(a) for a in items)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Actualités - Ville de Lille</title></head>'
        f'<body><div id="main"><div class="content"><h1>Actualités</h1><div class="actusMaster">\n{body}\n'
        f'<div class="pagination">{" ".join(links)}</div></div></div></div></body></html>'
    )


@dataclass
class QuartierSite:
    srv: object
    news: list[QNews]

    def articles(self) -> list[SynthArticle]:
        return [q.article(len(self.news) - n) for n, q in enumerate(self.news)]

    def serve(self) -> None:
        """(Re)serve every listing page and article of `news`, newest first."""
        arts = self.articles()
        pages = -(-len(arts) // PER_PAGE)
        for index in range(pages):
            self.srv.route(
                page_path(index), _listing_html(arts[index * PER_PAGE : (index + 1) * PER_PAGE], index, pages)
            )
        for art in arts:
            self.srv.route(art.path, article_html(art))

    def publish(self, item: QNews) -> SynthArticle:
        """The site publishes `item`: first in the listing, every other headline one place down."""
        self.news.insert(0, item)
        self.serve()
        return self.articles()[0]

    def url(self, item: QNews) -> str:
        arts = self.articles()
        return self.srv.base_url + arts[self.news.index(item)].path


def build_quartier_site(srv, news: list[QNews] | None = None) -> QuartierSite:
    site = QuartierSite(srv, list(NEWS if news is None else news))
    site.serve()
    return site
