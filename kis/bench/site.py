"""A synthetic KIS-like knowledge site for the crawl benchmark: N generated pages and M PDF
reports on 127.0.0.1.

Pages are kennisgidsen and dossiers in Dutch-like prose (an intro, several sections with headings,
paragraphs, lists and a table now and then, links to related pages), in one page layout with the
navigation, cookie banner and footer the extractor must drop. Each page is generated from its
number and version by a seeded random generator, so the same page always renders the same bytes
(with an ETag, answered with 304 on a conditional GET) and bumping a page's version changes all of
its sections. A sitemap index with sitemaps of at most 1,000 URLs lists every page. The reports
(``kis.bench.reports``) are linked each from one page spread evenly over the site, as the KIS site
links its publications, and are found only through those links.

The server counts every request per path and can hold document requests (pages and reports) after
a given number (``hold_after``), so a benchmark can stop a crawler at a known point and kill it there.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from kis.bench.prose import SECTIONS, THEMES, paragraph, sentence
from kis.bench.reports import PAGE_RANGE, render_report, report_path, report_title

SITEMAP_SIZE = 1000

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


def page_content(number: int, version: int, pages: int, report: int | None = None) -> tuple[str, str]:
    """(title, HTML fragment) of a page, linking ``report`` when given; a new version rewrites every
    section of it."""
    theme = THEMES[number % len(THEMES)][1]
    rng = random.Random(f"{number}:{version}")
    kind = "Kennisdossier" if number % 5 == 4 else "Kennisgids"
    title = f"{kind} {theme} {number}"
    parts = [
        '<article class="kennisgids">',
        f"<h1>{escape(title)}</h1>",
        f'<p class="lead">{escape(paragraph(rng, theme))}</p>',
    ]
    layout = random.Random(number)  # the outline stays when the page changes; the text does not
    headings = layout.sample(SECTIONS, layout.randint(2, 3))
    for heading in headings:
        parts.append(f"<h2>{escape(heading.format(t=theme.lower()))}</h2>")
        parts.append(f"<p>{escape(paragraph(rng, theme))}</p>")
        if rng.random() < 0.5:
            items = "".join(f"<li>{escape(sentence(rng, theme))}</li>" for _ in range(rng.randint(2, 4)))
            parts.append(f"<ul>{items}</ul>")
        elif rng.random() < 0.3:
            rows = "".join(
                f"<tr><td>{rng.randint(2018, 2025)}</td><td>{rng.randint(10, 900)}</td></tr>"
                for _ in range(3)
            )
            parts.append(f"<table><tr><th>Jaar</th><th>Meldingen</th></tr>{rows}</table>")
    related = sorted({(number + step) % pages for step in (1, 7, 31)} - {number})
    links = "".join(
        f'<li><a href="{page_path(n)}">{escape(sentence(rng, THEMES[n % len(THEMES)][1]))}</a></li>'
        for n in related
    )
    if report is not None:
        title_pdf = escape(report_title(report))
        parts.append(f'<p>Download het rapport: <a href="{report_path(report)}">{title_pdf} (PDF)</a></p>')
    parts += ["<p>Zie ook:</p>", f'<ul class="related">{links}</ul>', "</article>"]
    return title, "\n".join(parts)


def render_page(number: int, version: int, pages: int, base: str, report: int | None = None) -> bytes:
    title, content = page_content(number, version, pages, report)
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
    """``pages`` generated pages and ``reports`` PDF reports of ``report_pages`` pages; ``versions``
    and ``report_versions`` say which were changed; requests counted per path."""

    pages: int
    reports: int = 0
    report_pages: tuple[int, int] = PAGE_RANGE
    versions: dict[int, int] = field(default_factory=dict)
    report_versions: dict[int, int] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    hold_after: int | None = None  # hold page requests once this many pages were served
    served: int = 0
    held: int = 0
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.by_path = {page_path(n): n for n in range(self.pages)}
        self.report_by_path = {report_path(k): k for k in range(self.reports)}
        self.report_on = {k * self.pages // self.reports: k for k in range(self.reports)}  # page → report

    @property
    def documents(self) -> int:
        return self.pages + self.reports

    def is_document(self, path: str) -> bool:
        return path in self.by_path or path in self.report_by_path

    def url(self, path: str) -> str:
        return self.base + path

    def change(self, numbers: Sequence[int], reports: Sequence[int] = ()) -> None:
        for number in numbers:
            self.versions[number] = self.versions.get(number, 0) + 1
        for number in reports:
            self.report_versions[number] = self.report_versions.get(number, 0) + 1

    def document_hits(self) -> Counter[str]:
        """Requests per page and report path (not robots.txt or sitemaps)."""
        with self.lock:
            return Counter({path: n for path, n in self.hits.items() if self.is_document(path)})

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
        if (report := site.report_by_path.get(path)) is not None:
            self._hold(site)
            version = site.report_versions.get(report, 0)
            return self._document(
                f"rapport-{report}-v{version}",
                lambda: render_report(report, version, site.report_pages),
                "application/pdf",
            )
        number = site.by_path.get(path)
        if number is None:
            return self._send(404, b"<html><body><h1>Niet gevonden</h1></body></html>", "text/html")
        self._hold(site)
        version = site.versions.get(number, 0)
        return self._document(
            f"pagina-{number}-v{version}",
            lambda: render_page(number, version, site.pages, site.base, site.report_on.get(number)),
            "text/html; charset=utf-8",
        )

    def _document(self, version: str, render: Callable[[], bytes], ctype: str) -> None:
        """A page or report with an ETag naming its version: 304 without generating it when the
        client holds that version, as a real server answers from its cache; the server runs in the
        benchmark's process, so generating a 300-page report to say "unchanged" would be counted
        against the crawler."""
        etag = f'"{version}"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", None, etag)
        return self._send(200, render(), ctype, etag)

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
