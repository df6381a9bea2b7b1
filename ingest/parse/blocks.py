"""Text and blocks of an extracted document, built once the same way for HTML and PDF.

Blocks are separated by a blank line, consecutive list items of one section by a single newline (as
in the work-plan parser), so the chunker sees one shape whatever the source. The content hash covers
what retrieval sees (title, text, section paths), so a changed page footer or Last-Modified date does
not count as a change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from rag.schema import Block, BlockKind, Contact, DocumentInfo, ParsedDocument


class DocBuilder:
    """Collects blocks in reading order and hands out the offsets into the final text."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._blocks: list[Block] = []
        self._offset = 0

    @property
    def empty(self) -> bool:
        return not any(b.kind != "heading" for b in self._blocks)

    def add(self, text: str, kind: BlockKind, section: tuple[str, ...], page: int | None = None) -> None:
        text = text.rstrip().lstrip("\n")  # leading spaces indent a nested list item
        if not text.strip():
            return
        previous = self._blocks[-1] if self._blocks else None
        in_list = previous is not None and previous.kind == kind == "list" and previous.section == section
        separator = "" if previous is None else "\n" if in_list else "\n\n"
        start = self._offset + len(separator)
        self._parts.append(separator + text)
        self._offset = start + len(text)
        self._blocks.append(Block(section=section, start=start, end=self._offset, kind=kind, page=page))

    def result(self) -> tuple[str, tuple[Block, ...]]:
        return "".join(self._parts), tuple(self._blocks)


def content_hash(doc: ParsedDocument) -> str:
    """Hash of the title, the declared authors, dates and contacts, the text and each block's
    section path and page."""
    info = doc.info
    declared = [list(info.authors), info.published, info.modified, [asdict(c) for c in info.contacts]]
    shape = [info.title, declared, doc.text, [[list(b.section), b.kind, b.page] for b in doc.blocks]]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()


def document_to_json(doc: ParsedDocument) -> str:
    data = {"info": asdict(doc.info), "text": doc.text, "blocks": [vars(block) for block in doc.blocks]}
    return json.dumps(data, ensure_ascii=False)


def document_from_json(raw: str) -> ParsedDocument:
    data: dict[str, Any] = json.loads(raw)
    blocks = tuple(Block(**{**b, "section": tuple(b["section"])}) for b in data["blocks"])
    contacts = tuple(Contact(**c) for c in data["info"].get("contacts", ()))
    info = {**data["info"], "authors": tuple(data["info"].get("authors", ())), "contacts": contacts}
    return ParsedDocument(info=DocumentInfo(**info), text=data["text"], blocks=blocks)
