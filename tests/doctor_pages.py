"""Pages for the `doctor` tests, built from the fixture generator's pieces: a listing whose
only headline links are in a left sub-menu the parser does not know as furniture, and a
listing that advertises an RSS feed; and the local seeds of tests/fixtures/doctor_saves (what
`doctor --save` writes from the local server: `python tests/doctor_pages.py` rewrites them)."""

from __future__ import annotations

import importlib.util
import io
import pathlib
import sys
import tempfile
from collections.abc import Callable

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))  # run as a script too

from server import FIXTURES, SEED_HEADLINES, FixtureServer, fixture_bytes, lille_site, make_fixtures  # noqa: E402

DOCTOR_SAVES = FIXTURES / "doctor_saves"
_spec = importlib.util.spec_from_file_location("doctor_make_events", FIXTURES / "make_events.py")
make_events = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_events)  # type: ignore[union-attr]
EVENT_PAGES = make_events.all_pages()
FIRST_EVENT = "/Evenements/Braderie-du-quartier-de-Wazemmes"  # the agenda's first listed event
GENERIC_EVENTS = ["Concert au parc", "Atelier jardin", "Visite du beffroi"]

FEED_PATH = "/rss/feed/actualites"
ATOM_PATH = "/atom/actualites.xml"
MENU_TITLES = SEED_HEADLINES[:8]
MENU_PATHS = ["/Actualites/" + make_fixtures.slugify(t) for t in MENU_TITLES]


def submenu_listing() -> str:
    """lille.fr's frame, the news items missing from the content area (drawn by a script, say)
    and the section's headlines in a left column whose classes name no furniture."""
    links = "\n".join(
        f'        <li><a href="{make_fixtures.a(p)}">{make_fixtures.t(t)}</a></li>'
        for p, t in zip(MENU_PATHS, MENU_TITLES, strict=True)
    )
    return f"""<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Actualités - Ville de Lille</title></head>
<body>
{make_fixtures.chrome_header()}
<div id="main">
{make_fixtures.breadcrumb(None)}
  <div class="col-left">
    <div class="rubrique">
      <h3>Dans cette rubrique</h3>
      <ul>
{links}
      </ul>
    </div>
  </div>
  <div class="content">
    <h1>Actualités</h1>
    <div class="intro"><p>Toute l’actualité de la Ville de Lille.</p></div>
    <div id="actus-app" data-src="/api/actualites"></div>
  </div>
</div>
{make_fixtures.FOOTER}
</body>
</html>
"""


def with_feeds(html: bytes) -> bytes:
    """The page with an RSS and an Atom feed advertised in its head."""
    links = (
        f'<link rel="alternate" type="application/rss+xml" title="Actualités" href="{FEED_PATH}">\n'
        f'<link rel="alternate" type="application/atom+xml" href="{ATOM_PATH}">\n'
    )
    return html.replace(b"</head>", links.encode() + b"</head>", 1)


def listing_bytes(n: int = 1) -> bytes:
    return fixture_bytes(f"listing_p{n:02d}.html")


def generic_events_listing(prefix: str = "/generic") -> str:
    """An events listing without any of lille.fr's class names: links in a <main> list."""
    links = "\n".join(
        f'      <li><a href="{prefix}/Evenements/{make_fixtures.slugify(t)}">{t}</a></li>' for t in GENERIC_EVENTS
    )
    return f"""<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Agenda</title></head>
<body>
<nav><ul><li><a href="{prefix}/Evenements/Plan-du-site">Plan du site</a></li></ul></nav>
<main>
  <h1>Agenda</h1>
  <ul>
{links}
  </ul>
</main>
</body>
</html>
"""


def generic_event_page(title: str = GENERIC_EVENTS[0]) -> str:
    """An event page without any of lille.fr's class names."""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<main>
  <h1>{title}</h1>
  <time>Le 20 juin 2024</time>
  <p>Un concert en plein air.</p>
</main>
</body>
</html>
"""


def serve_events(srv: FixtureServer, prefix: str = "/generic") -> None:
    """The events agenda of tests/fixtures/make_events.py, and its generic copy under `prefix`."""
    for path, html in EVENT_PAGES.items():
        srv.route(path, html, last_modified=make_events.LAST_MODIFIED)
    srv.route(prefix + "/Evenements", generic_events_listing(prefix))
    srv.route(f"{prefix}/Evenements/{make_fixtures.slugify(GENERIC_EVENTS[0])}", generic_event_page())


# ----------------------------------------------------------------------------- seeds of tests/fixtures/doctor_saves
def serve_known(srv: FixtureServer) -> str:
    """The fixture site (every field in known markup); its first headline's article served."""
    lille_site(srv)
    srv.route(make_fixtures.listing_items()[0]["href"], fixture_bytes("article_securite.html"))
    serve_events(srv)
    return srv.base_url


def serve_generic(srv: FixtureServer) -> str:
    """The markup-independent copy of the site (no known class names)."""
    lille_site(srv)
    first = "/generic/Actualites/" + make_fixtures.slugify(make_fixtures.GENERIC_HEADLINES[0])
    srv.route(first, fixture_bytes("generic_article.html"))
    serve_events(srv)
    return srv.base_url + "/generic"


def serve_submenu(srv: FixtureServer) -> str:
    """A listing whose only headline links are a left sub-menu's."""
    lille_site(srv)
    srv.route("/Actualites", submenu_listing())
    srv.route(MENU_PATHS[0], fixture_bytes("article_securite.html"))
    serve_events(srv)
    return srv.base_url


SEEDS: dict[str, Callable[[FixtureServer], str]] = {
    "local-known": serve_known,
    "local-generic": serve_generic,
    "local-submenu": serve_submenu,
}


def save_seed(name: str, out: pathlib.Path) -> int:
    """Run `lillenews doctor --save out` against the local server set up as seed `name`
    (cache and config in a throw-away directory); return its exit code."""
    from lillenews.cli.app import main
    from lillenews.cli.terminal import Terminal

    with FixtureServer() as srv, tempfile.TemporaryDirectory() as tmp:
        env = {"LILLENEWS_BASE_URL": SEEDS[name](srv), "NO_COLOR": "1"}
        env |= {f"LILLENEWS_{d.upper()}_DIR": str(pathlib.Path(tmp, d)) for d in ("cache", "data", "config")}
        term = Terminal(stdout=io.StringIO(), stderr=io.StringIO(), environ=env)
        return main(["doctor", "--save", str(out)], terminal=term)


if __name__ == "__main__":  # python tests/doctor_pages.py: write the seeds (not expect.json)
    for seed in SEEDS:
        print(seed, save_seed(seed, DOCTOR_SAVES / seed))
