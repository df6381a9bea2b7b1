"""Embedders for the crawl benchmark: one that counts what the pipeline embeds, one that is fast.

``CountingEmbedder`` passes every call through and counts texts, characters and seconds, keeping
a fixed-size random sample of the texts so that the embedder's own throughput (the floor) can be
measured on the same input afterwards. ``HashEmbedder`` hashes words into a vector: no model and
thousands of passages a second, so the pipeline around the embedder can be measured at the scale of
the real site on a small machine. Its vectors retrieve nothing useful; it is never wired into the
product.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.embedders import Embedder


@dataclass(frozen=True)
class Tally:
    """What went through ``embed_documents`` between two ``take()`` calls."""

    texts: int
    chars: int
    seconds: float
    sample: tuple[str, ...]


class CountingEmbedder:
    """``inner`` with its passage calls counted; same name, so the embedding cache is shared."""

    def __init__(self, inner: Embedder, sample_size: int = 512, seed: int = 0) -> None:
        self.inner = inner
        self._size = sample_size
        self._rng = random.Random(seed)
        self._reset()

    def _reset(self) -> None:
        self._texts = self._chars = 0
        self._seconds = 0.0
        self._sample: list[str] = []

    @property
    def name(self) -> str:
        return self.inner.name

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        started = time.perf_counter()
        vectors = self.inner.embed_documents(texts)
        self._seconds += time.perf_counter() - started
        for text in texts:  # reservoir sampling: every text equally likely to be kept
            self._texts += 1
            self._chars += len(text)
            if len(self._sample) < self._size:
                self._sample.append(text)
            elif (slot := self._rng.randrange(self._texts)) < self._size:
                self._sample[slot] = text
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def take(self) -> Tally:
        tally = Tally(self._texts, self._chars, self._seconds, tuple(self._sample))
        self._reset()
        return tally


def raw_chars_per_s(embedder: Embedder, texts: Sequence[str], batch_size: int) -> float:
    """The embedder's own throughput on ``texts``: characters per second embedded directly in
    batches of ``batch_size``, after one untimed batch to warm it up."""
    if not texts:
        return 0.0
    embedder.embed_documents(texts[:batch_size])
    started = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        embedder.embed_documents(texts[start : start + batch_size])
    seconds = time.perf_counter() - started
    return sum(map(len, texts)) / seconds if seconds > 0 else 0.0


class HashEmbedder:
    """Words hashed into ``dim`` signed buckets, L2-normalised: deterministic and model-free."""

    name = "bench/hash-words-384"

    def __init__(self, dim: int = 384) -> None:
        self._dim = dim

    def _vector(self, text: str) -> np.ndarray:
        hashes = np.fromiter((zlib.crc32(w.encode()) for w in text.lower().split()), dtype=np.uint32)
        signs = np.where(hashes & 1, 1.0, -1.0)
        vector = np.bincount(hashes % self._dim, weights=signs, minlength=self._dim)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(text).tolist() for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return list(self._vector(text).tolist())
