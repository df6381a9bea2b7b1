"""Small factories for hand-made records, with overrides."""

from __future__ import annotations

from typing import Any

from rag.retrieval.retriever import Hit
from rag.schema import Chunk


def make_chunk(text: str, **overrides: Any) -> Chunk:
    values: dict[str, Any] = {
        "doc_id": "werkplan-2026",
        "title": "Werkplan 2026",
        "kind": "werkplan",
        "url": "https://www.kis.nl/werkplan-2026",
        "section": (
            "Bijlage: Uitgewerkte projectplannen",
            "Project 3. Polarisatie begrijpen",
            "6. Resultaten",
        ),
        "start": 1000,
        "end": 1000 + len(text),
        "project": 3,
        **overrides,
    }
    return Chunk(text=text, **values)


def make_hit(chunk: Chunk, rank: int = 1, similarity: float = 0.85) -> Hit:
    return Hit(chunk=chunk, score=1 / (60 + rank), dense_rank=rank, bm25_rank=rank, similarity=similarity)
