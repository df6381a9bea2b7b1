"""The web sources to crawl, named in the corpus (``corpus/sources.toml``) like its documents.

Each ``[[source]]`` gives its sitemaps and start pages, the hosts it may visit, the path prefixes
worth indexing and the path patterns of overview pages only worth following. ``kis crawl`` without
start pages crawls them all; command-line options and ``KIS_CRAWL_*`` settings take precedence.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from rag.errors import ConfigError

SOURCES_FILE = "sources.toml"


@dataclass(frozen=True)
class Sources:
    seeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    path_prefixes: tuple[str, ...] = ()
    follow_only: tuple[str, ...] = ()


def load_sources(corpus_dir: Path) -> Sources:
    """Every source of ``<corpus_dir>/sources.toml`` together; none when the file is absent."""
    path = corpus_dir / SOURCES_FILE
    if not path.exists():
        return Sources()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} is onleesbaar: {exc}") from exc
    keys = {f.name for f in fields(Sources)}
    merged: dict[str, list[str]] = {key: [] for key in keys}
    for number, source in enumerate(data.get("source", []), start=1):
        unknown = set(source) - keys - {"name"}
        if unknown:
            raise ConfigError(f"{path}, bron {number}: onbekende sleutel(s) {', '.join(sorted(unknown))}.")
        for key in keys:
            values = source.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"{path}, bron {number}: '{key}' moet een lijst van teksten zijn.")
            merged[key] += [v for v in values if v not in merged[key]]
    return Sources(**{key: tuple(values) for key, values in merged.items()})
