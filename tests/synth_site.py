"""A small synthetic www.lille.fr for the sync / full-text / feed tests.

`build_site(srv)` registers a listing of two pages (lille.fr markup: `.actusMaster
.actualite .right > span > a`, a `.pagination` block with a `.next` link on the
first page only) linking to N generated articles (`.content > h1`, `.chapo p`,
`.rte p`).  A few articles carry the words the full-text tests look for; the
others are filler that matches none of them.

Listing numbers (1 = newest) of the special articles are module constants, so
tests can say `read {VELO_TITLE_N}` and mean it.

The second half is the big generated site of the benchmarks (benchmarks/bench.py
imports it): seeded French city-news text (`TextGen`) in the lille.fr markup with
the real pages' chrome, `serve_generated_site(srv, pages, per_page, delay, seed)`.
One generator for tests and benchmarks.
"""

from __future__ import annotations

import html
import random
import re
import threading
import time
from dataclasses import dataclass, field

from server import FixtureServer, fixture_bytes

N_ARTICLES = 36
PER_PAGE = 18
PAGE_PATHS = ["/Actualites", f"/Actualites/(offset)/{PER_PAGE}"]

# listing numbers of the special articles
VELO_TITLE_N = 3  # "vélo" in the title and twice in the body
SECURITE_N = 8  # "Sécurité" in the body
VELO_ONCE_N = 11  # "vélo" once, in a long body
VELOS_N = 20  # only the plural "vélos"
ELECTIONS_N = 25  # "élections" in the body, "Élections" in the title
FAILING_N = 30  # answered 500 by default

FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

FILLER = (
    "La Ville informe les habitants du quartier des nouveautés de la semaine. "
    "Les services municipaux restent mobilisés pour accompagner chacun."
)


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
        return (
            "Le vélo à l'honneur : de nouvelles pistes cyclables",
            "Le réseau cyclable s'agrandit.",
            [
                "Vingt kilomètres de pistes pour circuler à vélo en toute tranquillité.",
                "Le vélo devient le moyen le plus simple de traverser la ville.",
            ],
        )
    if n == SECURITE_N:
        return (
            "Tranquillité publique dans les quartiers",
            "Un plan pour la tranquillité publique.",
            [
                "La Sécurité des piétons aux abords des écoles est renforcée.",
                "Des médiateurs seront présents aux heures de sortie.",
            ],
        )
    if n == VELO_ONCE_N:
        return (
            "Travaux rue Nationale",
            "La rue Nationale se refait une beauté.",
            [
                FILLER,
                FILLER,
                "Pendant les travaux, un itinéraire bis est proposé aux piétons et au vélo.",
                FILLER,
                FILLER,
            ],
        )
    if n == VELOS_N:
        return (
            "Stationnement : des arceaux pour les deux-roues",
            "Plus de places pour se garer.",
            ["Deux cents vélos pourront stationner près de la gare.", FILLER],
        )
    if n == ELECTIONS_N:
        return (
            "Élections : où voter dans votre quartier",
            "Les bureaux de vote sont ouverts de 8 h à 20 h.",
            ["Les élections se tiennent dans les écoles de la ville.", FILLER],
        )
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
        out.append(
            SynthArticle(
                number=n,
                path=f"/Actualites/Nouvelle-synthetique-{n:02d}",
                title=title,
                summary=f"Résumé {n} : {lead}",
                lead=lead,
                paragraphs=paragraphs,
                date=f"2021-{month:02d}-{day:02d}",
                category="Citoyenneté",
            )
        )
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
    content = (
        f'    <h1>Actualités</h1>\n    <div class="actusMaster">\n{body}\n'
        f'    <div class="pagination">{" ".join(links)}</div>\n    </div>'
    )
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
    pages = [articles[i : i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)]
    for index, items in enumerate(pages):
        srv.route(PAGE_PATHS[index], listing_html(items, index, len(pages)))
    site = Site(srv, articles)
    for art in articles:
        site.set_article(art.number)
    if failing and n_articles >= FAILING_N:
        site.set_article(FAILING_N, status=500)
    return site


HOLD = 60.0  # seconds an Instrumented article may be held


@dataclass
class Instrumented:
    """Articles answered by hand: each waits `delay` seconds while counted as in flight.
    The requests after the first `answer_first` (when set) are held until `release` is
    set, at most HOLD seconds: a client that waits for them is seen to wait."""

    delay: float
    answer_first: int | None = None
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    completed: list[tuple[float, str]] = field(default_factory=list)

    def install(self, site: Site) -> None:
        for art in site.articles:
            site.srv.handler(art.path, self._make(art.path, article_html(art).encode("utf-8")))

    def _make(self, path: str, body: bytes):
        def answer(h) -> None:
            with self.lock:
                self.started += 1
                held = self.answer_first is not None and self.started > self.answer_first
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                if held:
                    self.release.wait(HOLD)
                else:
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


# ============================================================================ synthetic French text
# Deterministic (seeded) text generator: real French words, many with accents, in
# city-news sentences, plus a long tail of invented place/project names so the
# vocabulary is large (as in real text) rather than a few hundred words.
SUBJECTS = [
    "La Ville",
    "Le conseil municipal",
    "La mairie de quartier",
    "Les habitants",
    "L'équipe municipale",
    "Le maire",
    "Les associations",
    "Les élèves",
    "Les commerçants",
    "La métropole",
    "Le centre social",
    "La médiathèque",
    "Les bénévoles",
    "Le service des sports",
    "La direction de l'éducation",
]
VERBS = [
    "présente",
    "organise",
    "annonce",
    "prépare",
    "rénove",
    "accompagne",
    "inaugure",
    "finance",
    "célèbre",
    "soutient",
    "développe",
    "améliore",
    "propose",
    "étend",
    "réaménage",
    "accueille",
    "dévoile",
    "lance",
]
OBJECTS = [
    "un nouveau jardin partagé",
    "la rénovation de l'école élémentaire",
    "les pistes cyclables",
    "la fête de quartier",
    "le marché de plein air",
    "la bibliothèque municipale",
    "une exposition au Palais des Beaux-Arts",
    "le plan de végétalisation",
    "les ateliers numériques",
    "la piscine olympique",
    "un festival de théâtre",
    "les conseils de quartier",
    "la collecte des déchets",
    "le budget participatif",
    "les travaux de voirie",
    "une maison de santé",
    "la résidence d'artistes",
    "le stationnement résidentiel",
    "un parcours sportif",
    "les crèches collectives",
    "la vidéoprotection",
    "l'éclairage public",
    "les logements étudiants",
    "la braderie",
    "un concert symphonique",
    "la sécurité des piétons",
    "les espaces verts",
    "l'aide aux seniors",
    "le périscolaire",
    "la qualité de l'air",
    "les transports en commun",
    "la réouverture des musées",
    "la fête de la musique",
    "le zoo",
    "la citadelle",
    "les berges de la Deûle",
    "le beffroi",
    "l'hôtel de ville",
    "les quartiers",
]
PLACES = [
    "à Fives",
    "à Moulins",
    "à Wazemmes",
    "au Vieux-Lille",
    "à Lille-Sud",
    "à Saint-Maurice Pellevoisin",
    "au Faubourg-de-Béthune",
    "à Bois-Blancs",
    "à Vauban-Esquermes",
    "à Hellemmes",
    "à Lomme",
    "au centre-ville",
    "dans tous les quartiers",
    "près de la gare",
    "sur la Grand-Place",
]
TIMES = [
    "dès le mois de mars",
    "cet été",
    "jusqu'au 30 juin",
    "chaque samedi",
    "pendant les vacances scolaires",
    "à partir de lundi",
    "d'ici la fin de l'année",
    "en février",
    "cet automne",
    "depuis janvier",
    "le week-end prochain",
    "toute l'année",
]
EXTRAS = [
    "pour tous les âges",
    "en toute sécurité",
    "avec le soutien des bénévoles",
    "gratuitement",
    "sur inscription",
    "dans le respect de l'environnement",
    "au cœur du quartier",
    "pour les familles",
    "avec les écoles",
    "en lien avec les associations",
    "pour une ville plus apaisée",
    "à vélo ou à pied",
    "après une large concertation",
    "pour améliorer le cadre de vie",
]
SYLLABLES = [
    "ca",
    "lé",
    "mo",
    "ri",
    "tè",
    "pa",
    "ni",
    "çon",
    "bu",
    "fê",
    "lo",
    "dé",
    "gra",
    "vi",
    "sé",
    "ma",
    "tu",
    "rè",
    "po",
    "ché",
    "quin",
    "bra",
    "zé",
    "ro",
    "lin",
    "vau",
    "mé",
    "dor",
    "cou",
    "ève",
]
RARE_WORD = "funiculaire"  # appears in exactly RARE_DOCS generated articles
RARE_DOCS = 7
COMMON_WORD = "ville"  # in nearly every generated article
PREFIX_QUERY = "quart*"  # quartier, quartiers
CATEGORIES = ["Culture", "Sport", "Solidarité", "Éducation", "Citoyenneté", "Environnement", "Sécurité", "Santé"]


def _pseudo_words(rng: random.Random, n: int) -> list[str]:
    words, seen = [], set()
    while len(words) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen and not w.startswith("quart"):
            seen.add(w)
            words.append(w.capitalize())
    return words


class TextGen:
    def __init__(self, seed: int = 59000):
        self.rng = random.Random(seed)
        self.names = _pseudo_words(self.rng, 4000)
        # Zipf-like weights over the invented names: a few frequent, a long rare tail.
        self.name_cum = []
        total = 0.0
        for i in range(len(self.names)):
            total += 1.0 / (i + 1)
            self.name_cum.append(total)

    def name(self) -> str:
        return self.rng.choices(self.names, cum_weights=self.name_cum)[0]

    def sentence(self) -> str:
        r = self.rng
        s = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(PLACES)} {r.choice(TIMES)}"
        if r.random() < 0.5:
            s += f", {r.choice(EXTRAS)}"
        if r.random() < 0.6:
            s += f", avec le projet {self.name()}"
        if r.random() < 0.3:
            s += f" et l'association {self.name()}"
        return s + "."

    def title(self) -> str:
        r = self.rng
        return f"{r.choice(OBJECTS).capitalize()} {r.choice(PLACES)} : {self.name()} {r.choice(TIMES)}"

    def pooled(self, size: int) -> TextGen:
        """Draw sentences from a fixed pool of `size` generated ones (fast, for big corpora)."""
        self.pool = [self.sentence() for _ in range(size)]
        return self

    def paragraphs(self, min_chars: int) -> list[str]:
        pool = getattr(self, "pool", None)
        pick = (lambda: self.rng.choice(pool)) if pool else self.sentence
        paras, size = [], 0
        while size < min_chars:
            p = " ".join(pick() for _ in range(self.rng.randint(3, 5)))
            paras.append(p)
            size += len(p) + 2
        return paras

    def date(self) -> str:
        return f"20{self.rng.randint(18, 25)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"


# ============================================================================ synthetic lille.fr site
# Generated pages reuse the chrome (header, menus, footer, scripts) of the real
# lille.fr fixtures, with generated content in the lille.fr markup.
@dataclass
class GenArticle:
    path: str
    title: str
    date: str
    category: str
    lead: str
    paragraphs: list[str]


def _split_chrome(text: str, start_marker: str, end_marker: str) -> tuple[str, str]:
    i = text.index(start_marker) + len(start_marker)
    j = text.index(end_marker, i)
    return text[:i], text[j:]


def listing_chrome() -> tuple[str, str]:
    text = fixture_bytes("listing_p01.html").decode("utf-8")
    return _split_chrome(text, '<div class="actusMaster">\n', '    </div>\n  </div>\n  <div class="share">')


def article_chrome() -> tuple[str, str]:
    text = fixture_bytes("article_securite.html").decode("utf-8")
    text = re.sub(r'<meta property="og:(title|description|image)"[^>]*>\n', "", text)
    head, tail = _split_chrome(text, '<div class="content">\n', '  </div>\n  <div class="share">')
    head = re.sub(r"<title>.*?</title>", "<title>{TITLE} - Ville de Lille</title>", head, flags=re.S)
    head = re.sub(r"(<span>)Sécurité&nbsp;: des sites retenus[^<]*(</span>)", r"\1{TITLE}\2", head)
    return head, tail


def make_site_articles(n: int, gen: TextGen) -> list[GenArticle]:
    out = []
    for i in range(n):
        title = gen.title()
        out.append(
            GenArticle(
                path=f"/Actualites/Bench-{i + 1:04d}-article",
                title=title,
                date=gen.date(),
                category=gen.rng.choice(CATEGORIES),
                lead=gen.sentence(),
                paragraphs=gen.paragraphs(3000),
            )
        )
    return out


def listing_path(page: int, per_page: int) -> str:  # page is 0-based
    return "/Actualites" if page == 0 else f"/Actualites/(offset)/{page * per_page}"


def render_listing(items: list[GenArticle], page: int, n_pages: int, per_page: int, chrome) -> str:
    e, a = (lambda s: html.escape(s, quote=False)), (lambda s: html.escape(s, quote=True))
    parts = []
    for it in items:
        parts.append(f"""    <div class="actualite">
      <div class="right">
        <span><a href="{a(it.path)}">{e(it.title)}</a></span>
        <div class="event-type">{e(it.category)}</div>
        <div class="dateInfo">Le {_long_date(it.date)}</div>
        <div class="innerContent"><p>{e(it.lead)}</p></div>
        <a class="voirActus" href="{a(it.path)}">Voir</a>
      </div>
    </div>""")
    links = []
    if page > 0:
        links.append(f'<a class="prev" href="{a(listing_path(page - 1, per_page))}">Précédent</a>')
    for k in range(max(0, page - 4), min(n_pages, page + 5)):
        links.append(
            f'<span class="current">{k + 1}</span>'
            if k == page
            else f'<a class="page" href="{a(listing_path(k, per_page))}">{k + 1}</a>'
        )
    if page + 1 < n_pages:
        links.append(f'<a class="next" href="{a(listing_path(page + 1, per_page))}">Suivant</a>')
    parts.append('    <div class="pagination">' + " ".join(links) + "</div>")
    head, tail = chrome
    return head + "\n".join(parts) + "\n" + tail


def render_article(art: GenArticle, chrome) -> str:
    e = lambda s: html.escape(s, quote=False)  # noqa: E731
    paras = []
    for k, p in enumerate(art.paragraphs):
        if k and k % 4 == 0:
            paras.append(f"      <h2>{e(p.split(',')[0][:60])}</h2>")
        paras.append(f"      <p>{e(p)}</p>")
    content = f"""    <h1>{e(art.title)}</h1>
    <div class="dateInfo"><span>Publié le {_long_date(art.date)}</span></div>
    <div class="event-type">{e(art.category)}</div>
    <div class="chapo"><p>{e(art.lead)}</p></div>
    <div class="rte">
{chr(10).join(paras)}
    </div>
"""
    head, tail = chrome
    return head.replace("{TITLE}", e(art.title)) + content + tail


def serve_generated_site(srv: FixtureServer, n_pages: int, per_page: int, delay: float, seed: int) -> int:
    gen = TextGen(seed)
    arts = make_site_articles(n_pages * per_page, gen)
    lchrome, achrome = listing_chrome(), article_chrome()
    for p in range(n_pages):
        srv.route(
            listing_path(p, per_page),
            render_listing(arts[p * per_page : (p + 1) * per_page], p, n_pages, per_page, lchrome),
            delay=delay,
        )
    for art in arts:
        srv.route(art.path, render_article(art, achrome), delay=delay)
    return len(arts)
