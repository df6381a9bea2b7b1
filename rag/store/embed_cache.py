"""Content-addressed embedding cache: re-ingesting unchanged text never embeds it again.

Keyed by (embedder name, sha256 of the embedded text), so a changed chunk, a new embedder or a
changed section title is a miss while everything else is served from disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rag.embedders import Embedder
from rag.errors import StoreError

Progress = Callable[[int, int], None]
Vectors = npt.NDArray[np.float32]


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS vectors"
                " (model TEXT, hash TEXT, vector BLOB, PRIMARY KEY (model, hash))"
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Embeddingcache {path} is onbruikbaar: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def _lookup(self, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(hashes), 500):
            batch = list(hashes[start : start + 500])
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({marks})", [model, *batch]
            )
            for digest, blob in rows:
                found[digest] = blob
        return found

    def embed(
        self,
        embedder: Embedder,
        texts: Sequence[str],
        hashes: Sequence[str],
        *,
        batch_size: int = 32,
        progress: Progress | None = None,
    ) -> tuple[Vectors, int]:
        """Vectors for ``texts`` in order (one float32 row each), and how many had to be embedded now.

        One matrix rather than lists of Python floats: a float is 4 bytes here and 32 in a list,
        which at tens of thousands of passages is most of an ingest's memory."""
        known = self._lookup(embedder.name, hashes)
        missing = [i for i, digest in enumerate(hashes) if digest not in known]
        for done in range(0, len(missing), batch_size):
            batch = missing[done : done + batch_size]
            vectors = embedder.embed_documents([texts[i] for i in batch])
            rows = [
                (embedder.name, hashes[i], np.asarray(v, dtype=np.float32).tobytes())
                for i, v in zip(batch, vectors, strict=True)
            ]
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            known.update((digest, blob) for _, digest, blob in rows)
            if progress:
                progress(min(done + batch_size, len(missing)), len(missing))
        width = len(known[hashes[0]]) // 4 if hashes else 0
        matrix = np.empty((len(hashes), width), dtype=np.float32)
        for row, digest in enumerate(hashes):
            matrix[row] = np.frombuffer(known[digest], dtype=np.float32)
        return matrix, len(missing)
