"""The budget answers on a real build: the store and passages ingest wrote, citations into its texts."""

from __future__ import annotations

import pytest

from kis.settings import Settings
from rag.budget.qa import BudgetQA
from rag.budget.store import BudgetStore
from rag.store.index import Index, current_build
from rag.structure.catalogue import Catalogue
from tests.unit.test_budget_qa import ask, assert_cited_lines


@pytest.mark.slow
def test_on_the_ingested_index(corpus_index: Settings) -> None:
    """The store and passages of a real build: citations point into the indexed document text."""
    index = Index.open(corpus_index.index_dir)
    build = current_build(corpus_index.index_dir)
    assert build is not None
    qa = BudgetQA(BudgetStore(build.budget), index, Catalogue.from_chunks(index.chunks.values()))
    for question, figure in [
        ("Wat kost project 3?", "€ 121.461"),
        ("Wat kost de portaalfunctie?", "€ 413.119"),
        ("Hoeveel ontvangt Movisie in totaal?", "€ 1.218.197"),
        ("Wat kost de medior onderzoeker in project 1?", "€ 8.399"),
    ]:
        reply, _ = ask(qa, question)
        assert figure in reply.answer
        assert_cited_lines(reply, index.chunks)
        for citation in reply.citations:
            text = index.document_text(citation.doc_id)
            assert text[citation.start : citation.end] == citation.snippet
