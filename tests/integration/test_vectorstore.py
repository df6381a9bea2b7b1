"""The Chroma store finds (nearly) the nearest passages an exact search finds, build after build.

HNSW is approximate and its graph differs from build to build; with Chroma's default search
breadth, two builds of the same passages returned different candidates for the same question, and
an answer at a threshold flipped between CI runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.store.vectorstore import ChromaStore, chroma_client


def _embeddings(rng: np.random.Generator, basis: np.ndarray, n: int) -> np.ndarray:
    """Unit vectors near a 64-dimensional subspace, as sentence embeddings lie near a few directions."""
    vectors = rng.normal(size=(n, len(basis))) @ basis / np.sqrt(len(basis)) + rng.normal(size=(n, 384))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_query_finds_the_nearest_candidates_an_exact_search_finds(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    basis = rng.normal(size=(64, 384))
    vectors = _embeddings(rng, basis, 900)
    ids = [f"p{i}" for i in range(len(vectors))]
    store = ChromaStore(chroma_client(tmp_path), "passages", create=True)
    store.add(ids, vectors.astype(np.float32), ["tekst"] * len(ids), [{"kind": "tekst"}] * len(ids))
    queries = _embeddings(rng, basis, 60)
    misses = 0
    for query in queries:
        similarity = vectors @ query
        fortieth = np.sort(similarity)[-40]
        found = [int(cid[1:]) for cid, _ in store.query(query.tolist(), 40)]
        misses += bool(fortieth - similarity[found].min() > 1e-6)  # a tie at float precision is no miss
    # Chroma's default breadth missed on 5-13 of these 60 in twelve builds; the configured one on
    # at most 1 (and on none of the gold questions over the work plan in four builds).
    assert misses <= 2, f"{misses} of {len(queries)} queries got other candidates than an exact search"
