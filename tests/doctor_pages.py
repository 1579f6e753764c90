"""Pages for the `doctor` tests, built from the fixture generator's pieces: a listing whose
only headline links are in a left sub-menu the parser does not know as furniture, and a
listing that advertises an RSS feed."""

from __future__ import annotations

from server import SEED_HEADLINES, fixture_bytes, make_fixtures

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
