"""A synthetic KIS-like knowledge site for the crawl benchmark: N generated pages on 127.0.0.1.

Pages are kennisgidsen and dossiers in Dutch-like prose (an intro, several sections with headings,
paragraphs, lists and a table now and then, links to related pages), in one page layout with the
navigation, cookie banner and footer the extractor must drop. Each page is generated from its
number and version by a seeded random generator, so the same page always renders the same bytes
(with an ETag, answered with 304 on a conditional GET) and bumping a page's version changes all of
its sections. A sitemap index with sitemaps of at most 1,000 URLs lists every page.

The server counts every request per path and can hold page requests after a given number of pages
(``hold_after``), so a benchmark can stop a crawler at a known point and kill it there.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

SITEMAP_SIZE = 1000

THEMES = (
    ("polarisatie", "Polarisatie"),
    ("discriminatie-op-de-arbeidsmarkt", "Discriminatie op de arbeidsmarkt"),
    ("sinti-en-roma", "Sinti en Roma"),
    ("racisme", "Racisme"),
    ("moslimdiscriminatie", "Moslimdiscriminatie"),
    ("antisemitisme", "Antisemitisme"),
    ("lhbtiq-acceptatie", "Acceptatie van lhbtiq+-personen"),
    ("gelijke-kansen-in-het-onderwijs", "Gelijke kansen in het onderwijs"),
    ("statushouders", "Statushouders en werk"),
    ("samenleven-in-de-wijk", "Samenleven in de wijk"),
    ("emancipatie", "Emancipatie en zelfbeschikking"),
    ("leefbaarheid", "Leefbaarheid en sociale cohesie"),
)
SECTIONS = (
    "Wat is {t}?",
    "Definities en begrippen",
    "Wet- en regelgeving",
    "Kernproblemen",
    "Oplossingsrichtingen",
    "Wat werkt bij {t}?",
    "Feiten en cijfers",
    "Praktijkvoorbeelden",
    "Kernpublicaties",
    "Rol van de gemeente",
)
ACTORS = (
    "gemeenten",
    "scholen",
    "werkgevers",
    "professionals in het sociaal domein",
    "jongerenwerkers",
    "wijkteams",
    "zelforganisaties",
    "beleidsmakers",
    "docenten",
    "huisartsen",
    "woningcorporaties",
    "bewoners",
)
VERBS = (
    "versterken",
    "onderzoeken",
    "signaleren",
    "bespreekbaar maken",
    "aanpakken",
    "voorkomen",
    "ondersteunen",
    "verbinden",
    "monitoren",
    "verbeteren",
)
OBJECTS = (
    "het vertrouwen tussen groepen",
    "gelijke behandeling",
    "de toegang tot werk",
    "meldingen van discriminatie",
    "spanningen in de buurt",
    "de positie van jongeren",
    "het gesprek over identiteit",
    "inclusief werkgeverschap",
    "de samenwerking met sleutelfiguren",
    "ervaringskennis van de doelgroep",
    "het handelingsperspectief van professionals",
    "de aanpak van uitsluiting",
)
CLAUSES = (
    "omdat uit onderzoek blijkt dat vroeg signaleren werkt",
    "zodat inwoners zich gehoord voelen",
    "waarbij de doelgroep zelf een rol krijgt",
    "wat vraagt om een lange adem",
    "terwijl de middelen beperkt zijn",
    "in samenwerking met landelijke partners",
    "met aandacht voor de lokale context",
    "zoals beschreven in eerdere evaluaties",
)
SOURCES = (
    "het Sociaal en Cultureel Planbureau",
    "het College voor de Rechten van de Mens",
    "Movisie",
    "het Verwey-Jonker Instituut",
    "het CBS",
    "een landelijke enquête",
)

LAYOUT = """<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>{title} | Kennisplatform Inclusief Samenleven</title>
  <meta name="dcterms.date" content="{date}">
  <link rel="canonical" href="{base}{path}">
  <script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
  <div id="cookie-banner" class="cookie-consent" role="dialog">
    <p>Wij gebruiken cookies om onze website te verbeteren.</p>
    <button type="button">Alle cookies accepteren</button>
  </div>
  <header class="site-header">
    <nav class="main-nav" aria-label="Hoofdmenu"><ul>
      <li><a href="/">Home</a></li><li><a href="/kennisgidsen">Kennisgidsen</a></li>
      <li><a href="/dossiers">Dossiers</a></li><li><a href="/over-kis">Over KIS</a></li>
    </ul></nav>
  </header>
  <nav class="breadcrumbs" aria-label="Kruimelpad"><ol>
    <li><a href="/">Home</a></li><li><a href="/{section}">{section_name}</a></li><li>{title}</li>
  </ol></nav>
  <main id="inhoud">
{content}
    <div class="share-buttons"><span>Deel deze pagina:</span>
      <a href="https://www.linkedin.com/shareArticle?url={base}{path}">LinkedIn</a></div>
  </main>
  <footer class="site-footer">
    <p>KIS is een samenwerking van Movisie en het Verwey-Jonker Instituut.</p>
    <ul><li><a href="/contact">Contact</a></li><li><a href="/privacyverklaring">Privacy</a></li></ul>
  </footer>
</body>
</html>
"""


def page_path(number: int) -> str:
    """Every fifth page is a dossier, the others kennisgidsen; the slug names the theme."""
    slug = THEMES[number % len(THEMES)][0]
    section = "dossiers" if number % 5 == 4 else "kennisgidsen"
    return f"/{section}/{slug}-{number:05d}"


def _sentence(rng: random.Random, theme: str) -> str:
    actor, verb, obj = rng.choice(ACTORS), rng.choice(VERBS), rng.choice(OBJECTS)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{actor.capitalize()} kunnen {obj} {verb}, {rng.choice(CLAUSES)}."
    if shape == 1:
        share = rng.randint(8, 74)
        return (
            f"Volgens {rng.choice(SOURCES)} ervaart {share} procent van de ondervraagden problemen "
            f"rond {theme.lower()} in {rng.randint(2015, 2025)}."
        )
    if shape == 2:
        return f"Bij {theme.lower()} is het belangrijk om {obj} te {verb}, {rng.choice(CLAUSES)}."
    return f"Een aanpak die {obj} wil {verb}, begint bij {actor} en hun netwerk."


def _paragraph(rng: random.Random, theme: str) -> str:
    return " ".join(_sentence(rng, theme) for _ in range(rng.randint(2, 5)))


def page_content(number: int, version: int, pages: int) -> tuple[str, str]:
    """(title, HTML fragment) of a page; a new version rewrites every section of it."""
    theme = THEMES[number % len(THEMES)][1]
    rng = random.Random(f"{number}:{version}")
    kind = "Kennisdossier" if number % 5 == 4 else "Kennisgids"
    title = f"{kind} {theme} {number}"
    parts = [
        '<article class="kennisgids">',
        f"<h1>{escape(title)}</h1>",
        f'<p class="lead">{escape(_paragraph(rng, theme))}</p>',
    ]
    layout = random.Random(number)  # the outline stays when the page changes; the text does not
    headings = layout.sample(SECTIONS, layout.randint(2, 3))
    for heading in headings:
        parts.append(f"<h2>{escape(heading.format(t=theme.lower()))}</h2>")
        parts.append(f"<p>{escape(_paragraph(rng, theme))}</p>")
        if rng.random() < 0.5:
            items = "".join(f"<li>{escape(_sentence(rng, theme))}</li>" for _ in range(rng.randint(2, 4)))
            parts.append(f"<ul>{items}</ul>")
        elif rng.random() < 0.3:
            rows = "".join(
                f"<tr><td>{rng.randint(2018, 2025)}</td><td>{rng.randint(10, 900)}</td></tr>"
                for _ in range(3)
            )
            parts.append(f"<table><tr><th>Jaar</th><th>Meldingen</th></tr>{rows}</table>")
    related = sorted({(number + step) % pages for step in (1, 7, 31)} - {number})
    links = "".join(
        f'<li><a href="{page_path(n)}">{escape(_sentence(rng, THEMES[n % len(THEMES)][1]))}</a></li>'
        for n in related
    )
    parts += ["<p>Zie ook:</p>", f'<ul class="related">{links}</ul>', "</article>"]
    return title, "\n".join(parts)


def render_page(number: int, version: int, pages: int, base: str) -> bytes:
    title, content = page_content(number, version, pages)
    path = page_path(number)
    section = path.split("/")[1]
    return LAYOUT.format(
        title=escape(title),
        date=f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
        base=base,
        path=path,
        section=section,
        section_name="Dossiers" if section == "dossiers" else "Kennisgidsen",
        content=content,
    ).encode()


@dataclass
class SyntheticSite:
    """``pages`` generated pages; ``versions`` says which were changed; requests counted per path."""

    pages: int
    versions: dict[int, int] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    hold_after: int | None = None  # hold page requests once this many pages were served
    served: int = 0
    held: int = 0
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.by_path = {page_path(n): n for n in range(self.pages)}

    def url(self, path: str) -> str:
        return self.base + path

    def change(self, numbers: list[int]) -> None:
        for number in numbers:
            self.versions[number] = self.versions.get(number, 0) + 1

    def page_hits(self) -> Counter[str]:
        with self.lock:
            return Counter({path: n for path, n in self.hits.items() if path in self.by_path})

    def sitemap_index(self) -> bytes:
        count = (self.pages + SITEMAP_SIZE - 1) // SITEMAP_SIZE
        entries = "".join(
            f"<sitemap><loc>{self.base}/sitemaps/pagina-{k}.xml</loc></sitemap>" for k in range(count)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
        ).encode()

    def sitemap(self, k: int) -> bytes | None:
        numbers = range(k * SITEMAP_SIZE, min(self.pages, (k + 1) * SITEMAP_SIZE))
        if not numbers:
            return None
        entries = "".join(f"<url><loc>{self.base}{page_path(n)}</loc></url>" for n in numbers)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        ).encode()


@contextmanager
def serve_synthetic(site: SyntheticSite) -> Iterator[SyntheticSite]:
    """Serve ``site`` on a free port of 127.0.0.1 for the duration of the block."""
    handler = type("Handler", (_Handler,), {"site": site})
    with serve_in_thread(_Server(("127.0.0.1", 0), handler), site.release) as base:
        site.base = base
        yield site


@contextmanager
def serve_in_thread(server: ThreadingHTTPServer, release: threading.Event) -> Iterator[str]:
    """Serve on a background thread and yield the base URL; on exit, let held requests go
    (``release``) before shutting down, so that shutdown does not wait for them."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A crawler killed mid-request leaves broken connections; that is expected here."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    site: SyntheticSite

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are counted in the site, not logged."""

    def do_GET(self) -> None:
        site = self.site
        path = urlsplit(self.path).path
        with site.lock:
            site.hits[path] += 1
        with suppress(BrokenPipeError, ConnectionResetError):
            self._respond(site, path)

    def _respond(self, site: SyntheticSite, path: str) -> None:
        if path == "/robots.txt":
            body = f"User-agent: *\nDisallow: /zoeken\n\nSitemap: {site.base}/sitemap.xml\n".encode()
            return self._send(200, body, "text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return self._send(200, site.sitemap_index(), "application/xml")
        if path.startswith("/sitemaps/pagina-") and path.endswith(".xml"):
            k = path.removeprefix("/sitemaps/pagina-").removesuffix(".xml")
            urlset = site.sitemap(int(k)) if k.isdigit() else None
            if urlset is not None:
                return self._send(200, urlset, "application/xml")
        number = site.by_path.get(path)
        if number is None:
            return self._send(404, b"<html><body><h1>Niet gevonden</h1></body></html>", "text/html")
        self._hold(site)
        body = render_page(number, site.versions.get(number, 0), site.pages, site.base)
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", None, etag)
        return self._send(200, body, "text/html; charset=utf-8", etag)

    def _hold(self, site: SyntheticSite) -> None:
        with site.lock:
            site.served += 1
            hold = site.hold_after is not None and site.served > site.hold_after
            if hold:
                site.held += 1
        if hold:
            site.release.wait(60)

    def _send(self, status: int, body: bytes, ctype: str | None, etag: str | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
