"""A small synthetic www.lille.fr for the sync / full-text / feed tests.

`build_site(srv)` registers a listing of two pages (lille.fr markup: `.actusMaster
.actualite .right > span > a`, a `.pagination` block with a `.next` link on the
first page only) linking to N generated articles (`.content > h1`, `.chapo p`,
`.rte p`).  A few articles carry the words the full-text tests look for; the
others are filler that matches none of them.

Listing numbers (1 = newest) of the special articles are module constants, so
tests can say `read {VELO_TITLE_N}` and mean it.
"""
from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field

N_ARTICLES = 36
PER_PAGE = 18
PAGE_PATHS = ["/Actualites", f"/Actualites/(offset)/{PER_PAGE}"]

# listing numbers of the special articles
VELO_TITLE_N = 3      # "vélo" in the title and twice in the body
SECURITE_N = 8        # "Sécurité" in the body
VELO_ONCE_N = 11      # "vélo" once, in a long body
VELOS_N = 20          # only the plural "vélos"
ELECTIONS_N = 25      # "élections" in the body, "Élections" in the title
FAILING_N = 30        # answered 500 by default

FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")

FILLER = ("La Ville informe les habitants du quartier des nouveautés de la semaine. "
          "Les services municipaux restent mobilisés pour accompagner chacun.")


@dataclass
class SynthArticle:
    number: int
    path: str
    title: str
    summary: str
    lead: str
    paragraphs: list[str]
    date: str  # ISO
    category: str

    @property
    def body_text(self) -> str:
        return " ".join(self.paragraphs)


def _special(n: int) -> tuple[str, str, list[str]] | None:
    if n == VELO_TITLE_N:
        return ("Le vélo à l'honneur : de nouvelles pistes cyclables",
                "Le réseau cyclable s'agrandit.",
                ["Vingt kilomètres de pistes pour circuler à vélo en toute tranquillité.",
                 "Le vélo devient le moyen le plus simple de traverser la ville."])
    if n == SECURITE_N:
        return ("Tranquillité publique dans les quartiers",
                "Un plan pour la tranquillité publique.",
                ["La Sécurité des piétons aux abords des écoles est renforcée.",
                 "Des médiateurs seront présents aux heures de sortie."])
    if n == VELO_ONCE_N:
        return ("Travaux rue Nationale",
                "La rue Nationale se refait une beauté.",
                [FILLER, FILLER,
                 "Pendant les travaux, un itinéraire bis est proposé aux piétons et au vélo.",
                 FILLER, FILLER])
    if n == VELOS_N:
        return ("Stationnement : des arceaux pour les deux-roues",
                "Plus de places pour se garer.",
                ["Deux cents vélos pourront stationner près de la gare.", FILLER])
    if n == ELECTIONS_N:
        return ("Élections : où voter dans votre quartier",
                "Les bureaux de vote sont ouverts de 8 h à 20 h.",
                ["Les élections se tiennent dans les écoles de la ville.", FILLER])
    return None


def make_articles(n_articles: int = N_ARTICLES) -> list[SynthArticle]:
    out = []
    for n in range(1, n_articles + 1):
        special = _special(n)
        if special:
            title, lead, paragraphs = special
        else:
            title = f"Nouvelle municipale numéro {n}"
            lead = f"Le résumé de la nouvelle numéro {n}."
            paragraphs = [f"Texte complet de la nouvelle numéro {n}.", FILLER]
        day = 28 - (n - 1) % 28
        month = 3 if n <= 28 else 2
        out.append(SynthArticle(number=n, path=f"/Actualites/Nouvelle-synthetique-{n:02d}", title=title,
                                summary=f"Résumé {n} : {lead}", lead=lead, paragraphs=paragraphs,
                                date=f"2021-{month:02d}-{day:02d}", category="Citoyenneté"))
    return out


def _t(text: str) -> str:
    return html.escape(text, quote=False)


def _a(text: str) -> str:
    return html.escape(text, quote=True)


def _long_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d}{'er' if d == 1 else ''} {FR_MONTHS[m - 1]} {y}"


def _page(title: str, content: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{_t(title)} - Ville de Lille</title>
<meta property="og:title" content="{_a(title)}">
</head>
<body class="actualites">
<header id="header">
  <nav class="menu"><ul><li><a href="/">Accueil</a></li><li><a href="/Actualites">Actualités</a></li></ul></nav>
</header>
<div id="main">
  <div class="breadcrumb"><a href="/">Accueil</a> &gt; <a href="/Actualites">Actualités</a></div>
  <div class="content">
{content}
  </div>
</div>
<footer id="footer"><p class="copyright">Ville de Lille - Tous droits réservés</p></footer>
</body>
</html>
"""


def listing_item_html(art: SynthArticle) -> str:
    return f"""    <div class="actualite">
      <div class="right">
        <span><a href="{_a(art.path)}">{_t(art.title)}</a></span>
        <div class="event-type">{_t(art.category)}</div>
        <div class="dateInfo">Le {_long_date(art.date)}</div>
        <div class="innerContent"><p>{_t(art.summary)}</p></div>
        <a class="voirActus" href="{_a(art.path)}">Voir</a>
      </div>
    </div>"""


def listing_html(items: list[SynthArticle], page_index: int, n_pages: int) -> str:
    links = []
    for p in range(n_pages):
        if p == page_index:
            links.append(f'<span class="current">{p + 1}</span>')
        else:
            links.append(f'<a class="page" href="{_a(PAGE_PATHS[p])}">{p + 1}</a>')
    if page_index + 1 < n_pages:
        links.append(f'<a class="next" href="{_a(PAGE_PATHS[page_index + 1])}">Suivant</a>')
    body = "\n".join(listing_item_html(a) for a in items)
    content = (f"    <h1>Actualités</h1>\n    <div class=\"actusMaster\">\n{body}\n"
               f"    <div class=\"pagination\">{' '.join(links)}</div>\n    </div>")
    return _page("Actualités", content)


def article_html(art: SynthArticle, extra: str = "") -> str:
    paras = "\n".join(f"      <p>{_t(p)}</p>" for p in art.paragraphs)
    if extra:
        paras += f"\n      <p>{_t(extra)}</p>"
    content = f"""    <h1>{_t(art.title)}</h1>
    <div class="dateInfo"><span>Publié le {_long_date(art.date)}</span></div>
    <div class="event-type">{_t(art.category)}</div>
    <div class="chapo"><p>{_t(art.lead)}</p></div>
    <div class="rte">
{paras}
    </div>"""
    return _page(art.title, content)


@dataclass
class Site:
    srv: object
    articles: list[SynthArticle]

    def url(self, n: int) -> str:
        return self.srv.base_url + self.articles[n - 1].path

    def path(self, n: int) -> str:
        return self.articles[n - 1].path

    def article(self, n: int) -> SynthArticle:
        return self.articles[n - 1]

    def article_hits(self) -> int:
        paths = {a.path for a in self.articles}
        return sum(1 for r in self.srv.requests if r.route_path in paths)

    def set_article(self, n: int, extra: str = "", status: int = 200) -> None:
        art = self.articles[n - 1]
        body = article_html(art, extra) if status == 200 else "<html><body><h1>Erreur interne</h1></body></html>"
        self.srv.route(art.path, body, status=status)


def build_site(srv, n_articles: int = N_ARTICLES, failing: bool = True) -> Site:
    """Serve the synthetic listing (two pages) and its articles; the article
    FAILING_N answers 500 unless failing=False."""
    articles = make_articles(n_articles)
    pages = [articles[i:i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)]
    for index, items in enumerate(pages):
        srv.route(PAGE_PATHS[index], listing_html(items, index, len(pages)))
    site = Site(srv, articles)
    for art in articles:
        site.set_article(art.number)
    if failing and n_articles >= FAILING_N:
        site.set_article(FAILING_N, status=500)
    return site


@dataclass
class Instrumented:
    """Articles answered by hand: each waits `delay` seconds while counted as in flight."""

    delay: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0
    max_in_flight: int = 0
    completed: list[tuple[float, str]] = field(default_factory=list)

    def install(self, site: Site) -> None:
        for art in site.articles:
            site.srv.handler(art.path, self._make(art.path, article_html(art).encode("utf-8")))

    def _make(self, path: str, body: bytes):
        def answer(h) -> None:
            with self.lock:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                time.sleep(self.delay)
            finally:
                with self.lock:
                    self.in_flight -= 1
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", str(len(body)))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(body)
            h.wfile.flush()
            with self.lock:
                self.completed.append((time.monotonic(), path))
        return answer
