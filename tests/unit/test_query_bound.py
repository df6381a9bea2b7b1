"""What a query costs is bounded by what it asks about, not by how long it is."""

from __future__ import annotations

from rag.retrieval.retriever import MAX_QUERY_WORDS, bounded


def test_a_short_query_is_left_as_it_is() -> None:
    assert bounded("Wat kost project 3 in 2026?") == "Wat kost project 3 in 2026?"


def test_a_long_query_keeps_its_first_distinct_content_words() -> None:
    query = "Wat doet KIS aan polarisatie in de wijk en op school? " * 60
    cut = bounded(query)
    assert cut == "doet KIS polarisatie wijk school"  # each once, "wat", "de", "en" left out
    long = " ".join(f"woord{n}" for n in range(3 * MAX_QUERY_WORDS))
    assert bounded(long).split() == [f"woord{n}" for n in range(MAX_QUERY_WORDS)]
