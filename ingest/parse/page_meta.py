"""Who wrote a page and when it was published or updated, as the page itself declares it.

CMSs state this in several ways, in this order of trust: schema.org JSON-LD (``author``,
``datePublished``, ``dateModified``), ``<meta>`` tags (``author``, ``article:published_time``), a
byline ("Door Sanne Visser") and a ``<time datetime>`` in the content. Questions like "Wie
schreef …?" and "Wanneer verscheen …?" are answered from these fields, and an answer from a 2016
page can say how old it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import Tag

_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")  # "2018-03-06T09:00" too
_NAMES_SPLIT = re.compile(r"\s*(?:,|;|\s&\s|\sen\s|\sand\s)\s*")
_PUBLISHED_META = ("article:published_time", "datepublished", "dcterms.date", "dc.date", "date")
_BYLINE = '[rel~="author"], [itemprop="author"], .byline, .author'
_BYLINE_LEAD = re.compile(r"^\s*(?:door|by|auteurs?|authors?|tekst)\s*:?\s+", re.I)
_MODIFIED_META = ("article:modified_time", "datemodified", "dcterms.modified", "og:updated_time")


@dataclass(frozen=True)
class PageMeta:
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO date, YYYY-MM-DD
    modified: str | None = None


def page_meta(soup: BeautifulSoup, content: Tag) -> PageMeta:
    """The page's authors and dates; read before scripts are cut away (JSON-LD lives in one)."""
    linked = list(json_ld(soup))
    metas = _metas(soup)
    authors = [name for item in linked for name in _names(item.get("author"))]
    if not authors and metas.get("author"):
        authors = split_names(metas["author"])
    if not authors and isinstance(byline := content.select_one(_BYLINE), Tag):  # "Door Sanne Visser"
        authors = split_names(_BYLINE_LEAD.sub("", byline.get_text(" ")))
    published = _first_date(
        [
            *(str(item.get("datePublished", "")) for item in linked),
            *(metas.get(n, "") for n in _PUBLISHED_META),
        ],
    ) or _first_date([content_time(content)])
    modified = _first_date(
        [
            *(str(item.get("dateModified", "")) for item in linked),
            *(metas.get(n, "") for n in _MODIFIED_META),
        ],
    )
    return PageMeta(tuple(dict.fromkeys(authors)), published, modified if modified != published else None)


def split_names(text: str) -> list[str]:
    """'Ruben Kroes en dr. Marieke van Dalen' → both names."""
    return [name for part in _NAMES_SPLIT.split(text) if (name := " ".join(part.split()))]


def json_ld(soup: BeautifulSoup) -> Iterator[dict[str, Any]]:
    """Every object of the page's JSON-LD blocks (an ``@graph`` unpacked); bad JSON is no metadata."""
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.get_text())
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict):
                graph = item.get("@graph")
                yield from (g for g in graph if isinstance(g, dict)) if isinstance(graph, list) else [item]


def _names(author: object) -> list[str]:
    """``"author"`` of JSON-LD: a name, a Person, or a list of them."""
    if isinstance(author, str):
        return split_names(author)
    if isinstance(author, dict):
        return _names(author.get("name"))
    if isinstance(author, list):
        return [name for one in author for name in _names(one)]
    return []


def _metas(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in soup.find_all("meta", content=True):
        key = str(meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        found.setdefault(key, str(meta["content"]).strip())
    return found


def content_time(content: Tag) -> str:
    """The ``datetime`` of the content's first ``<time>``; "" when it has none."""
    tag = content.find("time", datetime=True)
    return str(tag["datetime"]) if isinstance(tag, Tag) else ""


def _first_date(values: list[str]) -> str | None:
    for value in values:
        if found := _ISO_DATE.search(value):
            return found.group(0)
    return None
