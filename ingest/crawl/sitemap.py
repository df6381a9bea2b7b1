"""Sitemaps (sitemaps.org): a ``urlset`` lists pages, a ``sitemapindex`` lists further sitemaps.

Only ``<loc>`` is read: whether a page changed is decided by conditional GET and the content hash,
not by ``<lastmod>``, which sites often stamp on every rebuild.
"""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass

from rag.errors import SourceError


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    locations: tuple[str, ...]


def parse_sitemap(body: bytes, url: str, max_bytes: int) -> Sitemap:
    """The locations in a (possibly gzipped) sitemap; SourceError for anything else."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = _gunzip(body, max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceError(f"Sitemap {url}: gzip onleesbaar ({exc}).") from exc
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise SourceError(f"Sitemap {url}: geen geldige XML ({exc}).") from exc
    tag = _local(root.tag)
    if tag not in ("urlset", "sitemapindex"):
        raise SourceError(f"Sitemap {url}: onbekend hoofdelement <{tag}>.")
    locations = tuple(
        loc.text.strip()
        for entry in root
        for loc in entry
        if _local(loc.tag) == "loc" and loc.text and loc.text.strip()
    )
    return Sitemap(is_index=tag == "sitemapindex", locations=locations)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    """Decompress, refusing to grow beyond ``max_bytes`` (a gzip bomb stays small on the wire)."""
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OSError(f"uitgepakt groter dan {max_bytes} bytes")
    return data
