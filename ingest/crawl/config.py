"""What the crawler may visit and how it names what it finds: URL normalisation, scope and page kinds.

Every URL is normalised once, where it enters (seed, sitemap, link, redirect, canonical), so the
crawl state never holds two spellings of one page and the scope check sees exactly what is fetched.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from rag.errors import ConfigError
from rag.schema import DocKind

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.I)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class KindRule:
    """A page is of ``kind`` when its path matches ``path_pattern`` (regex) or a breadcrumb equals
    ``breadcrumb`` (case-insensitive); the first matching rule wins."""

    kind: DocKind
    path_pattern: str = ""
    breadcrumb: str = ""


DEFAULT_KIND_RULES: tuple[KindRule, ...] = (
    KindRule("werkplan", path_pattern=r"/werkplan"),
    KindRule("kennisgids", path_pattern=r"^/kennisgids(en)?/[^/]+", breadcrumb="Kennisgidsen"),
    KindRule("dossier", path_pattern=r"^/(kennis)?dossiers?/[^/]+", breadcrumb="Dossiers"),
    KindRule("publicatie", path_pattern=r"^/publicaties?/[^/]+|\.pdf$", breadcrumb="Publicaties"),
)


@dataclass(frozen=True)
class CrawlConfig:
    """One crawl's scope and manners; built by the CLI from settings, never from the environment.

    ``allowed_hosts`` empty means the hosts of the seeds and sitemaps. ``path_prefixes`` limit which
    HTML pages are followed; PDFs linked from those pages may live anywhere on an allowed host.
    ``follow_only`` (path regexes) are pages whose links are followed but which are no documents,
    such as overview pages. ``delay`` is the minimum gap between two requests to one host; a larger
    robots.txt Crawl-delay wins.
    """

    seeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    path_prefixes: tuple[str, ...] = ()
    follow_only: tuple[str, ...] = ()
    kind_rules: tuple[KindRule, ...] = DEFAULT_KIND_RULES
    user_agent: str = "KIS-Kennisassistent/0.1 (+https://www.kis.nl)"
    delay: float = 1.0
    concurrency: int = 4
    timeout: float = 20.0
    total_timeout: float = 120.0
    retries: int = 2
    backoff: float = 1.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    max_pages: int | None = None
    max_depth: int | None = None
    hosts: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        if not self.seeds and not self.sitemaps:
            raise ConfigError(
                "Geef minstens één startpagina of sitemap op om te crawlen (--seed, --sitemap), "
                "of noem bronnen in corpus/sources.toml."
            )
        if self.concurrency < 1 or self.retries < 0 or self.delay < 0 or self.max_bytes < 1:
            raise ConfigError("Crawlinstellingen ongeldig: concurrency ≥ 1, retries ≥ 0, delay ≥ 0.")
        object.__setattr__(self, "hosts", scope_hosts(self.allowed_hosts, (*self.seeds, *self.sitemaps)))

    def host_allowed(self, url: str) -> bool:
        return urlsplit(url).scheme in _DEFAULT_PORTS and host_key(url) in self.hosts

    def page_allowed(self, url: str) -> bool:
        """An HTML page the crawler may visit: allowed host and, when prefixes are set, under one."""
        path = urlsplit(url).path
        return self.host_allowed(url) and (
            not self.path_prefixes or any(path.startswith(p) for p in self.path_prefixes)
        )

    def is_document(self, url: str) -> bool:
        path = urlsplit(url).path
        return not any(re.search(pattern, path) for pattern in self.follow_only)

    def kind_of(self, url: str, breadcrumbs: tuple[str, ...], default: DocKind) -> DocKind:
        path = urlsplit(url).path
        crumbs = {c.casefold() for c in breadcrumbs}
        for rule in self.kind_rules:
            if rule.path_pattern and re.search(rule.path_pattern, path):
                return rule.kind
            if rule.breadcrumb and rule.breadcrumb.casefold() in crumbs:
                return rule.kind
        return default


def scope_hosts(allowed_hosts: tuple[str, ...], starts: tuple[str, ...]) -> frozenset[str]:
    """The hosts a crawl may visit: those allowed (host or URL), else those of its start URLs."""
    named = allowed_hosts or tuple(urlsplit(u).netloc for u in starts)
    return frozenset(host_key(h if "//" in h else f"http://{h}") for h in named)


def host_key(url: str) -> str:
    """``host[:port]`` in lower case, the default port left out."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    return host if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()) else f"{host}:{port}"


def normalize_url(url: str, base: str | None = None) -> str | None:
    """Absolute, fragment-free, lower-case scheme and host, no default port, ``/`` for an empty path,
    tracking parameters dropped and the query sorted; None for what is no http(s) URL."""
    try:
        parts = urlsplit(urljoin(base, url.strip()) if base else url.strip())
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            return None
        netloc = host_key(urlunsplit((scheme, parts.netloc, "", "", "")))
    except ValueError:  # a malformed port or IPv6 literal
        return None
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def doc_id_for(url: str) -> str:
    """A stable, readable document id: the path as a slug plus a short hash of the whole URL."""
    slug = _SLUG.sub("-", urlsplit(url).path.lower()).strip("-")[:60].strip("-") or "home"
    return f"web-{slug}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"
