"""Checksums of the files a build writes and the reader only reads.

A file changed after its build (a BM25 file with shuffled scores, a cut ``chunks.jsonl``) would
otherwise be served as if it were sound. The build records a sha256 of each file; loading a build,
``/readyz`` and ``kis index verify`` compare. Chroma's own directory is left out: Chroma writes to
it when it opens, and the index checks its vectors by count.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rag.errors import StoreError

CHECKSUMS = "checksums.json"
CHECKED = ("chunks.jsonl", "bm25", "docs", "budget.sqlite")
_BLOCK = 1 << 20


def digests(root: Path) -> dict[str, str]:
    """sha256 of every checked file of the build at ``root``, by its path within the build."""
    files = [
        path
        for name in CHECKED
        for path in ([root / name] if (root / name).is_file() else sorted((root / name).rglob("*")))
        if path.is_file()
    ]
    return {path.relative_to(root).as_posix(): _sha256(path) for path in files}


def write_checksums(root: Path) -> None:
    (root / CHECKSUMS).write_text(json.dumps(digests(root), indent=1, sort_keys=True), encoding="utf-8")


def changed(root: Path) -> list[str]:
    """The checked files that differ from what the build recorded, are missing or were added; the
    checksum file itself when it cannot be read."""
    try:
        recorded = json.loads((root / CHECKSUMS).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"Index {root.name}: {CHECKSUMS} ontbreekt of is onleesbaar ({exc}).") from exc
    current = digests(root)
    return sorted(
        name for name in recorded.keys() | current.keys() if recorded.get(name) != current.get(name)
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while block := stream.read(_BLOCK):
                digest.update(block)
    except OSError as exc:
        raise StoreError(f"Indexbestand {path} is onleesbaar: {exc}") from exc
    return digest.hexdigest()
