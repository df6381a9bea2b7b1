"""The fast tier: no model, no network, no index. The embedder is a deterministic fake."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pytest

from rag.embedders import Embedder

DIMENSIONS = 32


class FakeEmbedder:
    """Word-hashing vectors: the same text gives the same vector, shared words make texts close."""

    name = "fake-word-hash-32"

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * DIMENSIONS
        for word in text.casefold().split():
            vector[int(hashlib.sha256(word.encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
        norm = sum(v * v for v in vector) ** 0.5 or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """Overrides the real embedder of ``tests/conftest.py`` for every unit test."""
    return FakeEmbedder()
