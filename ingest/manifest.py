"""The corpus manifest: which documents exist, where they come from, and under what terms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from rag.errors import ConfigError, SourceError
from rag.schema import DocKind, DocumentInfo

MANIFEST_NAME = "manifest.json"
_REQUIRED = ("id", "title", "kind", "publisher", "origin")


def load_manifest(corpus_dir: Path) -> list[DocumentInfo]:
    """Read and check ``corpus/manifest.json``; every entry with a ``path`` must point to a file."""
    path = corpus_dir / MANIFEST_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Corpusmanifest ontbreekt: {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Corpusmanifest {path} is onleesbaar: {exc}") from exc
    entries = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"Corpusmanifest {path}: verwacht een object met een lijst 'documents'.")
    documents: list[DocumentInfo] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path}, document {number}"
        missing = [key for key in _REQUIRED if not isinstance(entry, dict) or not entry.get(key)]
        if missing:
            raise ConfigError(f"{where}: velden ontbreken: {', '.join(missing)}.")
        if entry["kind"] not in get_args(DocKind):
            raise ConfigError(f"{where}: onbekende soort {entry['kind']!r}.")
        if entry["id"] in seen:
            raise ConfigError(f"{where}: id {entry['id']!r} komt twee keer voor.")
        seen.add(entry["id"])
        if entry.get("path") and not (corpus_dir / entry["path"]).is_file():
            raise SourceError(
                f"{where} ({entry['id']}) verwijst naar een bestand dat niet bestaat: "
                f"{corpus_dir / entry['path']}"
            )
        documents.append(
            DocumentInfo(
                id=entry["id"],
                title=entry["title"],
                kind=entry["kind"],
                publisher=entry["publisher"],
                year=entry.get("year"),
                origin=entry["origin"],
                provenance=entry.get("provenance", ""),
                path=entry.get("path"),
            )
        )
    return documents


def read_source(corpus_dir: Path, info: DocumentInfo) -> str:
    """The text of a manifest document stored in the corpus dir; clear errors for unreadable files."""
    if info.path is None:
        raise SourceError(f"Document {info.id} heeft geen bestand in het corpus.")
    path = corpus_dir / info.path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"Bronbestand {path} is onleesbaar: {exc}") from exc
    if not text.strip():
        raise SourceError(f"Bronbestand {path} is leeg.")
    return text
