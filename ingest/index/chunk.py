"""Structure-aware chunking of a parsed document into retrievable, citable passages.

A chunk never crosses a section (so never a project or a chapter either): its section path is what
retrieval and citations show. Inside a section, consecutive blocks are packed to about
``min_words``–``max_words`` words (the embedder reads 512 tokens); a long paragraph is cut at sentence
ends, a long table between rows. A chunk after the first in a section starts with the last sentence(s)
of the one before (``overlap_words``), so a statement cut at a boundary is still found whole. Chunk
text is always the exact slice ``doc.text[start:end]``, so a UI can highlight it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise

from rag.errors import ConfigError
from rag.schema import Block, Chunk, ParsedDocument

# A sentence ends at . ! ? (optionally closed by a quote or bracket) before a capital, digit or opener.
_SENTENCE_END = re.compile(r"(?<=[.!?])[’”)]?\s+(?=[A-Z0-9‘“(À-Ý])")
_LINE_START = re.compile(r"\n\s*")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class _Piece:
    """A span of one block that is never cut: a block, a sentence group or a group of table rows."""

    start: int
    end: int
    words: int
    heading: bool


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _spans(text: str, start: int, end: int, boundaries: Sequence[int]) -> list[tuple[int, int]]:
    """``[start, end)`` cut at the given offsets."""
    cuts = [start, *(b for b in boundaries if start < b < end), end]
    return [(a, a + len(text[a:b].rstrip())) for a, b in pairwise(cuts) if text[a:b].strip()]


def _atoms(text: str, block: Block) -> list[tuple[int, int]]:
    """The smallest spans a block may be cut into: table rows, else sentences."""
    body = text[block.start : block.end]
    if block.kind == "table":
        cuts = [block.start + m.end() for m in re.finditer(r"\n", body)]
    else:
        cuts = [block.start + m.end() for m in _SENTENCE_END.finditer(body)]
    return _spans(text, block.start, block.end, cuts)


def _pieces(text: str, block: Block, max_words: int) -> Iterator[_Piece]:
    """The block whole when it fits, else its atoms grouped up to ``max_words`` (an atom that is
    itself too long is cut between words)."""
    if _words(text[block.start : block.end]) <= max_words:
        yield _Piece(block.start, block.end, _words(text[block.start : block.end]), block.kind == "heading")
        return
    start, count, end = block.start, 0, block.start
    for a, b in _atoms(text, block):
        n = _words(text[a:b])
        if count and count + n > max_words:
            yield _Piece(start, end, count, False)
            start, count = a, 0
        if n > max_words:
            words = list(_WORD.finditer(text, a, b))
            for i in range(0, len(words), max_words):
                part = words[i : i + max_words]
                yield _Piece(part[0].start(), part[-1].end(), len(part), False)
            start, count, end = b, 0, b
            continue
        count, end = count + n, b
    if count:
        yield _Piece(start, end, count, False)


def _pack(pieces: list[_Piece], min_words: int, max_words: int) -> list[list[_Piece]]:
    """Greedy packing towards equal sizes; a heading stays with what follows it, and a small last
    group joins the one before when both fit."""
    total = sum(p.words for p in pieces)
    target = total / max(1, math.ceil(total / max_words))
    groups: list[list[_Piece]] = [[]]
    count = 0
    for piece in pieces:
        current = groups[-1]
        full = count + piece.words > max_words or (count >= target and count + piece.words / 2 > target)
        if full and any(not p.heading for p in current):
            carried: list[_Piece] = []
            while current[-1].heading:  # a heading goes with the text that follows it
                carried.insert(0, current.pop())
            groups.append(carried)
            count = sum(p.words for p in carried)
        groups[-1].append(piece)
        count += piece.words
    sizes = [sum(p.words for p in group) for group in groups]
    if len(groups) > 1 and sizes[-1] < min_words and sizes[-2] + sizes[-1] <= max_words:
        groups[-2].extend(groups.pop())
    while len(groups[-1]) > 1 and groups[-1][-1].heading:
        groups[-1].pop()  # a title at the very end of a section introduces nothing in it
    return groups


def _overlap_start(text: str, previous: list[_Piece], overlap_words: int, limit: int) -> int | None:
    """Where a chunk's overlap with the previous one starts: the earliest sentence or line start in
    its tail within ``overlap_words``; else the last sentence if it fits in ``limit``; else none."""
    start, end = previous[0].start, previous[-1].end
    tail = text[start:end]
    cuts = {start + m.end() for m in (*_SENTENCE_END.finditer(tail), *_LINE_START.finditer(tail))}
    sizes = [(cut, _words(text[cut:end])) for cut in cuts if cut < end]
    within = [cut for cut, n in sizes if 0 < n <= overlap_words]
    if within:
        return min(within)
    fits = [cut for cut, n in sizes if 0 < n <= limit]
    return max(fits) if fits else None


def _chunk(doc: ParsedDocument, section: tuple[str, ...], blocks: list[Block], start: int, end: int) -> Chunk:
    inside = [b for b in blocks if b.start < end and b.end > start]
    content = [b for b in inside if b.kind != "heading"] or inside
    return Chunk(
        doc_id=doc.info.id,
        title=doc.info.title,
        kind=doc.info.kind,
        url=doc.info.origin,
        section=section,
        text=doc.text[start:end],
        start=start,
        end=end,
        project=content[0].project,
        onderdeel=content[0].onderdeel,
        theme=content[0].theme,
        confidence=min(b.confidence for b in inside),
        page=inside[0].page,
        tabular=all(b.kind == "table" for b in content),
    )


def _size(text: str, blocks: list[Block]) -> int:
    return sum(_words(text[b.start : b.end]) for b in blocks)


def _sections(blocks: tuple[Block, ...]) -> Iterator[list[Block]]:
    """Runs of blocks with one section and project. A run of titles only (a project title whose
    first section follows) is read with the run after it, when that is in the same project."""
    titles: list[Block] = []
    for _, group in groupby(blocks, key=lambda b: (b.section, b.project)):
        run = list(group)
        if titles and (titles[0].project != run[0].project or titles[0].section[:1] != run[0].section[:1]):
            titles = []
        if all(b.kind == "heading" for b in run):
            titles.extend(run)
            continue
        yield titles + run
        titles = []


def chunk_document(
    doc: ParsedDocument, *, min_words: int = 80, max_words: int = 250, overlap_words: int = 30
) -> list[Chunk]:
    """Chunks in document order; see the module docstring for the rules."""
    if not 0 < min_words <= max_words or not 0 <= overlap_words < min_words:
        raise ConfigError(
            f"Ongeldige chunkinstellingen: min {min_words}, max {max_words}, overlap {overlap_words} woorden "
            "(verwacht 0 < min ≤ max en 0 ≤ overlap < min)."
        )
    chunks: list[Chunk] = []
    for blocks in _sections(doc.blocks):
        section = next(b.section for b in blocks if b.kind != "heading")
        # When the section needs more than one chunk, leave room for the overlap within max_words.
        room = max_words if _size(doc.text, blocks) <= max_words else max_words - overlap_words
        pieces = [piece for block in blocks for piece in _pieces(doc.text, block, room)]
        groups = _pack(pieces, min_words, room)
        for n, group in enumerate(groups):
            start = group[0].start
            if n and overlap_words:
                limit = max_words - sum(p.words for p in group)
                overlap = _overlap_start(doc.text, groups[n - 1], overlap_words, limit)
                start = start if overlap is None else overlap
            chunks.append(_chunk(doc, section, blocks, start, group[-1].end))
    return chunks
