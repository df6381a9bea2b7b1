"""The web sources to crawl, named in the corpus (``corpus/sources.toml``) like its documents.

Each ``[[source]]`` gives its sitemaps and start pages, the hosts it may visit, the path prefixes
worth indexing and the path patterns of overview pages only worth following. ``kis crawl`` without
start pages crawls them all; command-line options and ``KIS_CRAWL_*`` settings take precedence.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from ingest.crawl.config import scope_hosts
from rag.errors import ConfigError

SOURCES_FILE = "sources.toml"


@dataclass(frozen=True)
class Sources:
    """One named source, or several merged into one crawl (``name`` then empty)."""

    name: str = ""
    seeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    path_prefixes: tuple[str, ...] = ()
    follow_only: tuple[str, ...] = ()


def load_sources(corpus_dir: Path) -> Sources:
    """Every source of ``<corpus_dir>/sources.toml`` together; none when the file is absent."""
    return merge_sources(named_sources(corpus_dir))


def merge_sources(sources: Iterable[Sources]) -> Sources:
    """One crawl over all ``sources``: their lists joined, each value once."""
    merged: dict[str, list[str]] = {key: [] for key in _LISTS}
    for source in sources:
        for key in _LISTS:
            merged[key] += [v for v in getattr(source, key) if v not in merged[key]]
    return Sources("", **{key: tuple(values) for key, values in merged.items()})


def source_hosts(source: Sources) -> frozenset[str]:
    """The hosts a crawl of ``source`` visits, as the crawl record names them."""
    return scope_hosts(source.allowed_hosts, (*source.seeds, *source.sitemaps))


def named_sources(corpus_dir: Path) -> list[Sources]:
    """Each source of ``<corpus_dir>/sources.toml`` on its own (named ``bron <n>`` when unnamed)."""
    path = corpus_dir / SOURCES_FILE
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} is onleesbaar: {exc}") from exc
    sources = []
    for number, source in enumerate(data.get("source", []), start=1):
        unknown = set(source) - set(_LISTS) - {"name"}
        if unknown:
            raise ConfigError(f"{path}, bron {number}: onbekende sleutel(s) {', '.join(sorted(unknown))}.")
        for key in _LISTS:
            values = source.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"{path}, bron {number}: '{key}' moet een lijst van teksten zijn.")
        name = source.get("name", f"bron {number}")
        sources.append(Sources(str(name), **{key: tuple(source.get(key, [])) for key in _LISTS}))
    return sources


_LISTS = tuple(f.name for f in fields(Sources) if f.name != "name")
