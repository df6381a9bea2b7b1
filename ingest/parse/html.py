"""The main content of a web page as blocks: headings as section path, lists, tables, paragraphs.

Only what a reader comes for is kept. The content root is ``<main>`` (or the first of a few usual
containers); navigation, site header and footer, cookie banners, share buttons, forms and scripts
are cut away first, so menu and footer text never reaches the index. Inside the content, a block
that is mostly links ("Lees ook", "Gerelateerd", tag lists, an aside of links) is navigation by what
it is, whatever its words, and is cut away too; an aside with text of its own (a contact block)
stays, and so does one of e-mail addresses and phone numbers (``mailto:``, ``tel:``: no
navigation). Links of the whole page are returned for discovery; links inside the content are
returned apart, as related publications. A page that holds nothing but links (an overview) has no
blocks.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from bs4 import BeautifulSoup, GuessedAtParserWarning, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import Tag

from ingest.crawl.config import normalize_url
from ingest.parse.contacts import page_contacts
from ingest.parse.page_meta import PageMeta, content_time, page_meta
from ingest.parse.walk import Walker, clean
from rag.errors import SourceError
from rag.schema import Block, Contact

_MAIN = ("main", "[role=main]", "article", "#content", "#main", ".main-content", ".content")
_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "form",
    "button",
    "iframe",
    "svg",
    "dialog",
    "select",
    "input",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
]
_NOISE_WORDS = frozenset(
    [
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "share",
        "sharing",
        "social",
        "socials",
        "delen",
        "breadcrumb",
        "breadcrumbs",
        "kruimelpad",
        "skip",
        "skiplink",
        "newsletter",
        "nieuwsbrief",
        "banner",
        "popup",
        "modal",
        "sr",
        "visually",
    ]
)
_NOISE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"})
_CRUMBS = ", ".join(
    [
        *(f'[aria-label*="{label}" i]' for label in ("breadcrumb", "kruimelpad")),
        '[itemtype*="BreadcrumbList"]',
        *(f'{tag}[class*="breadcrumb" i]' for tag in ("nav", "ol", "ul", "div")),
    ]
)
_DATE_META = ("article:published_time", "dcterms.date", "dc.date", "date", "article:modified_time")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")
# A block whose text is at least this share link text is navigation.
LINK_DENSITY = 0.6
_LINK_BLOCKS = ["ul", "ol", "dl", "div", "section", "aside", "nav", "p", "table"]
_CONTACT_LINKS = ("mailto:", "tel:")


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class HtmlPage:
    """What a page holds for the crawler (links, canonical, robots) and for the index (the rest)."""

    title: str
    text: str
    blocks: tuple[Block, ...]
    breadcrumbs: tuple[str, ...]
    year: int | None
    meta: PageMeta
    contacts: tuple[Contact, ...]
    canonical: str | None
    noindex: bool
    nofollow: bool
    links: tuple[Link, ...]
    related: tuple[Link, ...]


def extract_html(body: bytes, url: str, charset: str | None = None) -> HtmlPage:
    """Parse a page; SourceError when it cannot be parsed or holds no readable content."""
    try:
        with warnings.catch_warnings():
            for category in (GuessedAtParserWarning, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning):
                warnings.simplefilter("ignore", category)
            soup = BeautifulSoup(body, "html.parser", from_encoding=charset)
        return _extract(soup, url)
    except (AssertionError, ValueError, RecursionError) as exc:
        raise SourceError(f"Pagina {url} is onleesbare HTML: {type(exc).__name__}: {exc}") from exc


def _extract(soup: BeautifulSoup, url: str) -> HtmlPage:
    base_tag = soup.find("base", href=True)
    base = normalize_url(str(base_tag["href"]), url) if isinstance(base_tag, Tag) else None
    base = base or url
    robots = {w.strip() for w in _meta(soup, ("robots",)).lower().split(",")}
    links = _links(soup, base)
    breadcrumbs = _breadcrumbs(soup)
    canonical_tag = soup.find("link", rel="canonical", href=True)
    canonical = normalize_url(str(canonical_tag["href"]), base) if isinstance(canonical_tag, Tag) else None
    root = _main(soup)
    meta = page_meta(soup, root)
    contacts = page_contacts(soup, root)
    _drop(root.find_all(_DROP_TAGS) + root.find_all(_is_noise))
    related = _links(root, base)
    chrome = ["footer"] if root.name not in ("body", "[document]") else ["footer", "header"]
    _drop(root.find_all(chrome))
    readable = bool(root.get_text(strip=True))
    _drop([tag for tag in root.find_all(_LINK_BLOCKS) if tag is not root and _is_link_block(tag)])
    walker = Walker(root)
    walker.walk(root)
    if walker.doc.empty and not readable:
        raise SourceError(f"Pagina {url} bevat geen leesbare inhoud.")
    text, blocks = walker.doc.result()
    year = _YEAR.search(meta.published or _meta(soup, _DATE_META) or content_time(root))
    return HtmlPage(
        title=walker.h1 or _title(soup),
        text=text,
        blocks=blocks,
        breadcrumbs=breadcrumbs,
        year=int(year.group()) if year else None,
        meta=meta,
        contacts=contacts,
        canonical=canonical,
        noindex="noindex" in robots or "none" in robots,
        nofollow="nofollow" in robots or "none" in robots,
        links=links,
        related=related,
    )


def _meta(soup: BeautifulSoup, names: tuple[str, ...]) -> str:
    """The content of the first ``<meta>`` named (name or property) like one of ``names``, in order."""
    found: dict[str, str] = {}
    for meta in soup.find_all("meta", content=True):
        key = str(meta.get("name") or meta.get("property") or "").lower()
        found.setdefault(key, str(meta["content"]))
    return next((found[n] for n in names if n in found), "")


def _is_noise(tag: Tag) -> bool:
    """Cookie banners, share buttons and the like, by role, class or id; hidden elements too."""
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or str(tag.get("role", "")) in _NOISE_ROLES:
        return True
    style = str(tag.get("style", "")).replace(" ", "").lower()
    if "display:none" in style:
        return True
    names = [*tag.get_attribute_list("class"), str(tag.get("id", ""))]
    return any(word in _NOISE_WORDS for name in names for word in re.split(r"[-_]", str(name).lower()))


def _is_link_block(tag: Tag) -> bool:
    """Mostly links: ``LINK_DENSITY`` of the block's text is the text of its links (an e-mail
    address or phone number is no link elsewhere)."""
    if tag.decomposed:
        return False
    anchors = [a for a in tag.find_all("a", href=True) if not str(a["href"]).startswith(_CONTACT_LINKS)]
    if not anchors:
        return False
    text = len(clean(tag.get_text(" ")))
    linked = sum(len(clean(a.get_text(" "))) for a in anchors)
    return text > 0 and linked / text >= LINK_DENSITY


def _drop(elements: list[Tag]) -> None:
    for element in elements:
        if not element.decomposed:  # gone already with a dropped parent
            element.decompose()


def _main(soup: BeautifulSoup) -> Tag:
    for selector in _MAIN:
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return found
    return soup.body or soup


def _links(root: Tag, base: str) -> tuple[Link, ...]:
    out: dict[str, Link] = {}
    for anchor in root.find_all("a", href=True):
        target = normalize_url(str(anchor["href"]), base)
        if target is not None and target not in out:
            out[target] = Link(target, clean(anchor.get_text(" ")))
    return tuple(out.values())


def _breadcrumbs(soup: BeautifulSoup) -> tuple[str, ...]:
    trail = soup.select_one(_CRUMBS)
    if trail is None:
        return ()
    items = trail.find_all("li") or trail.find_all("a")
    return tuple(text for item in items if (text := clean(item.get_text(" "))))


def _title(soup: BeautifulSoup) -> str:
    og = _meta(soup, ("og:title",))
    if og:
        return clean(og)
    title = clean(soup.title.get_text()) if soup.title else ""
    return _TITLE_SUFFIX.sub("", title) or title
