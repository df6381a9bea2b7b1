"""Structure-aware chunking: sizes, boundaries, overlap and offsets, on hand-made and real documents."""

from __future__ import annotations

import re
import statistics
from itertools import pairwise
from typing import Any

import pytest

from ingest.index.chunk import chunk_document
from rag.errors import ConfigError
from rag.schema import Block, BlockKind, Chunk, DocumentInfo, ParsedDocument
from tests.unit.test_werkplan import evidence, full, normalise

INFO = DocumentInfo(
    id="gids-discriminatie",
    title="Kennisgids discriminatie",
    kind="kennisgids",
    publisher="KIS",
    year=2025,
    origin="https://www.kis.nl/kennisgids/discriminatie",
)
GIDS = ("Kennisgids discriminatie",)


def sentences(n: int, start: int = 0) -> str:
    """``n`` sentences of nine words each."""
    return " ".join(f"Zin {i} gaat over kennis en beleid in gemeente {i}." for i in range(start, start + n))


def make_doc(*parts: tuple[tuple[str, ...], BlockKind, str, dict[str, Any]]) -> ParsedDocument:
    """A document as a crawler would produce it: blocks separated by blank lines."""
    text, blocks = "", []
    for section, kind, body, extra in parts:
        text += "\n\n" if text else ""
        blocks.append(Block(section, len(text), len(text) + len(body), kind, **extra))
        text += body
    return ParsedDocument(INFO, text, tuple(blocks))


def words(chunk: Chunk) -> int:
    return len(chunk.text.split())


def blocks_in(doc: ParsedDocument, chunk: Chunk) -> list[Block]:
    return [b for b in doc.blocks if b.start < chunk.end and b.end > chunk.start]


def test_small_blocks_of_one_section_share_a_chunk_with_its_metadata() -> None:
    section = (*GIDS, "Wat is discriminatie?")
    doc = make_doc(
        (section, "heading", "Wat is discriminatie?", {"page": 3}),
        (section, "paragraph", sentences(3), {"page": 3}),
        (section, "list", "- Ongelijke behandeling op grond van afkomst.", {"page": 4, "confidence": 0.8}),
        (section, "paragraph", sentences(3, 10), {"page": 4}),
    )
    [chunk] = chunk_document(doc)
    assert (chunk.start, chunk.end) == (0, len(doc.text))
    assert chunk.text == doc.text
    assert chunk.section == section
    assert (chunk.doc_id, chunk.title, chunk.kind, chunk.url) == (
        "gids-discriminatie",
        "Kennisgids discriminatie",
        "kennisgids",
        "https://www.kis.nl/kennisgids/discriminatie",
    )
    assert (chunk.page, chunk.confidence) == (3, 0.8)


def test_chunks_never_cross_a_section_or_a_project() -> None:
    doc = make_doc(
        ((*GIDS, "Feiten"), "paragraph", sentences(3), {}),
        ((*GIDS, "Aanpak"), "paragraph", sentences(3, 3), {}),
        (("Werkplan", "Project 1"), "paragraph", sentences(2, 6), {"project": 1}),
        (("Werkplan", "Project 1"), "paragraph", sentences(2, 8), {"project": 2}),
    )
    chunks = chunk_document(doc)
    assert [(c.section, c.project) for c in chunks] == [
        ((*GIDS, "Feiten"), None),
        ((*GIDS, "Aanpak"), None),
        (("Werkplan", "Project 1"), 1),
        (("Werkplan", "Project 1"), 2),
    ]
    assert [c.text for c in chunks] == [doc.text[b.start : b.end] for b in doc.blocks]


def test_a_long_paragraph_is_cut_at_sentence_ends_with_overlap() -> None:
    doc = make_doc(((*GIDS, "Achtergrond"), "paragraph", sentences(60), {}))  # 540 words
    chunks = chunk_document(doc, min_words=80, max_words=250, overlap_words=30)
    assert len(chunks) == 3
    assert chunks[0].start == 0 and chunks[-1].end == len(doc.text)
    for chunk in chunks:
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert 80 <= words(chunk) <= 250
        assert chunk.text.startswith("Zin ") and chunk.text.endswith(".")
    for before, after in pairwise(chunks):
        overlap = doc.text[after.start : before.end]
        assert before.start < after.start < before.end
        assert 0 < len(overlap.split()) <= 30
    # Together the chunks hold every sentence.
    assert {s for c in chunks for s in re.findall(r"Zin \d+ ", c.text)} == {f"Zin {i} " for i in range(60)}


def test_overlap_comes_only_from_the_same_section() -> None:
    doc = make_doc(
        ((*GIDS, "Achtergrond"), "paragraph", sentences(40), {}),
        ((*GIDS, "Aanpak"), "paragraph", sentences(40, 40), {}),
    )
    chunks = chunk_document(doc)
    first_of_aanpak = next(c for c in chunks if c.section[-1] == "Aanpak")
    assert first_of_aanpak.start == doc.blocks[1].start
    for chunk in chunks:
        assert {b.section for b in blocks_in(doc, chunk)} == {chunk.section}


def test_a_long_table_is_cut_between_rows_only() -> None:
    rows = [  # rows of 5 and 7 words, so a cut between words would split one
        f"Movisie Senior 95 {i} {i * 95}"
        if i % 2
        else f"Verwey-Jonker Instituut Senior onderzoeker 132 {i} {i * 132}"
        for i in range(100, 180)
    ]
    doc = make_doc(
        (
            (*GIDS, "Begroting"),
            "table",
            "\n".join(["Organisatie Onderzoeker Uurtarief Aantal Bedrag", *rows]),
            {},
        ),
        ((*GIDS, "Begroting"), "paragraph", "Alle bedragen staan in euro’s.", {}),
    )
    chunks = chunk_document(doc)
    assert len(chunks) >= 2
    for chunk in chunks:
        assert words(chunk) <= 250
        lines = chunk.text.split("\n")
        table_lines = [line for line in lines if line and not line.startswith("Alle bedragen")]
        assert all(line in rows or line.startswith("Organisatie") for line in table_lines), chunk.text
    assert chunks[-1].text.endswith("Alle bedragen staan in euro’s.")


def test_a_table_that_fits_stays_whole() -> None:
    table = "\n".join(f"Movisie Junior 68 {i} {i * 68}" for i in range(10))
    doc = make_doc(
        ((*GIDS, "Begroting"), "table", table, {}), ((*GIDS, "Begroting"), "paragraph", sentences(25), {})
    )
    chunks = chunk_document(doc)
    assert any(table in c.text for c in chunks)


def test_a_title_goes_with_the_text_after_it() -> None:
    project = ("Bijlage", "Project 3. Polarisatie")
    doc = make_doc(
        (project, "heading", "Project 3. Polarisatie", {"project": 3}),
        ((*project, "1. Vraagstuk"), "heading", "1. Vraagstuk", {"project": 3}),
        ((*project, "1. Vraagstuk"), "paragraph", sentences(40), {"project": 3}),
        ((*project, "1. Vraagstuk"), "heading", "Onderbouwing van handelingsperspectieven", {"project": 3}),
        ((*project, "1. Vraagstuk"), "paragraph", sentences(20, 40), {"project": 3}),
    )
    chunks = chunk_document(doc)
    assert chunks[0].text.startswith("Project 3. Polarisatie\n\n1. Vraagstuk\n\nZin 0")
    assert {c.section for c in chunks} == {(*project, "1. Vraagstuk")}
    for chunk in chunks:  # no chunk ends in a heading
        assert blocks_in(doc, chunk)[-1].kind != "heading"


def test_a_section_of_titles_only_makes_no_chunk() -> None:
    doc = make_doc(
        (("Inleiding",), "heading", "Inleiding", {}), (("Bijlage",), "paragraph", sentences(2), {})
    )
    assert [c.section for c in chunk_document(doc)] == [("Bijlage",)]
    assert chunk_document(ParsedDocument(INFO, "", ())) == []


@pytest.mark.parametrize(
    ("low", "high", "overlap"), [(0, 250, 0), (300, 250, 30), (80, 250, 80), (80, 250, -1)]
)
def test_impossible_settings_are_refused(low: int, high: int, overlap: int) -> None:
    with pytest.raises(ConfigError, match="chunkinstellingen"):
        chunk_document(
            make_doc(((*GIDS,), "paragraph", "Tekst.", {})),
            min_words=low,
            max_words=high,
            overlap_words=overlap,
        )


def test_the_whole_work_plan() -> None:
    doc = full()
    chunks = chunk_document(doc)
    sizes = [words(c) for c in chunks]
    assert 150 <= len(chunks) <= 300
    assert max(sizes) <= 250 and 80 <= statistics.median(sizes) <= 200
    for chunk in chunks:
        assert chunk.text == doc.text[chunk.start : chunk.end]
        inside = [b for b in blocks_in(doc, chunk) if b.kind != "heading"]
        assert {b.section for b in inside} == {chunk.section}
        assert {b.project for b in inside} == {chunk.project}
        assert chunk.confidence == min(b.confidence for b in blocks_in(doc, chunk))
    assert len({c.id for c in chunks}) == len(chunks)
    tops = list(dict.fromkeys(c.section[0] for c in chunks))
    assert tops == list(dict.fromkeys(b.section[0] for b in doc.blocks))


def test_evidence_snippets_fall_inside_one_chunk() -> None:
    texts = [normalise(c.text) for c in chunk_document(full())]
    snippets = evidence()
    found = [s for s in snippets if any(normalise(s) in t for t in texts)]
    assert len(found) / len(snippets) >= 0.95
