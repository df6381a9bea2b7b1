"""A PDF publication as blocks with page numbers: headings by font size, paragraphs, list items.

pypdf gives text line by line; the font size of each line comes from its text visitor, so headings
are lines clearly larger than the body text. Running headers and footers (a line on most pages,
page numbers folded) are dropped, and words broken at a line end are joined with the document's own
vocabulary (``ingest.parse.normalize``). A paragraph ends at a short line that closes a sentence.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from pypdf import PageObject, PdfReader

from ingest.parse.blocks import DocBuilder
from ingest.parse.normalize import bullet_item, join_lines, normalize_unicode, vocabulary
from rag.errors import SourceError
from rag.schema import Block, BlockKind

_HEADING_RATIO = 1.15
_HEADING_MAX_CHARS = 120
_SHORT_LINE = 0.8
_EDGE_LINES = 3
_SENTENCE_END = re.compile(r"[.!?:;]['\"”’)]?$")
_YEAR = re.compile(r"(19[5-9]\d|20\d\d)")
_JUNK_TITLE = re.compile(r"^(microsoft \w+ - |untitled|naamloos)|\.(docx?|indd|pptx?)$", re.I)


@dataclass(frozen=True)
class PdfContent:
    title: str
    year: int | None
    text: str
    blocks: tuple[Block, ...]
    pages: int


@dataclass(frozen=True)
class _Line:
    text: str
    size: float


def extract_pdf(body: bytes, url: str, title_hint: str | None = None) -> PdfContent:
    """Parse a PDF; SourceError for a broken, encrypted or text-less file."""
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(f"PDF {url} is versleuteld.")
        pages = [_page_lines(page) for page in reader.pages]
        meta: dict[str, object] = dict(reader.metadata or {})
        meta_title = str(meta.get("/Title") or "").strip()
        meta_date = str(meta.get("/CreationDate") or meta.get("/ModDate") or "")
    except SourceError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files; all mean "unreadable"
        raise SourceError(f"PDF {url} is onleesbaar: {type(exc).__name__}: {exc}") from exc
    pages = _drop_running_lines(pages)
    assembler = _Assembler(pages)
    for number, lines in enumerate(pages, start=1):
        assembler.page(number, lines)
    if assembler.builder.empty:
        raise SourceError(f"PDF {url} bevat geen tekst (gescand document?).")
    text, blocks = assembler.builder.result()
    stem = PurePosixPath(unquote(urlsplit(url).path)).stem.replace("-", " ").replace("_", " ")
    usable = "" if _JUNK_TITLE.search(meta_title) else meta_title
    title = next((t for t in (usable, assembler.first_heading, title_hint or "", stem) if t), url)
    year = _YEAR.search(meta_date)
    return PdfContent(title, int(year.group()) if year else None, text, blocks, len(pages))


def _page_lines(page: PageObject) -> list[_Line]:
    """The page's lines with their font sizes; one size for all when the visitor disagrees with
    the plain extraction (some PDFs place text oddly)."""
    lines: list[_Line] = []
    parts: list[str] = []
    size = 0.0

    def flush() -> None:
        nonlocal size
        if text := normalize_unicode("".join(parts)).strip():
            lines.append(_Line(text, size))
        parts.clear()
        size = 0.0

    def visit(text: str, cm: list[float], tm: list[float], font: object, font_size: float) -> None:
        nonlocal size
        for i, part in enumerate(text.split("\n")):
            if i:
                flush()
            if part.strip():
                parts.append(part)
                scale = (math.hypot(tm[2], tm[3]) or 1.0) * (math.hypot(cm[2], cm[3]) or 1.0)
                size = max(size, font_size * scale)

    plain = page.extract_text(visitor_text=visit)
    flush()
    if re.sub(r"\s", "", "".join(line.text for line in lines)) != re.sub(r"\s", "", normalize_unicode(plain)):
        return [_Line(t, 0.0) for raw in plain.split("\n") if (t := normalize_unicode(raw).strip())]
    return lines


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Without page numbers and running headers and footers: a line among the first or last few
    of a page that recurs there on at least half the pages (page numbers folded)."""

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    def edges(lines: list[_Line]) -> list[_Line]:
        return lines[:_EDGE_LINES] + lines[_EDGE_LINES:][-_EDGE_LINES:]

    on_pages = Counter(k for lines in pages for k in {key(line) for line in edges(lines)})
    threshold = max(2, math.ceil(len(pages) / 2))
    return [
        [
            line
            for i, line in enumerate(lines)
            if not line.text.isdigit()
            and not (on_pages[key(line)] >= threshold and (i < _EDGE_LINES or i >= len(lines) - _EDGE_LINES))
        ]
        for lines in pages
    ]


class _Assembler:
    """Turns the pages' lines into blocks, carrying the heading path over page breaks."""

    def __init__(self, pages: list[list[_Line]]) -> None:
        self.body_size = _body_size(pages)
        headings = {round(line.size, 1) for lines in pages for line in lines if self.heading(line)}
        self.heading_sizes = sorted(headings, reverse=True)
        self.vocab = vocabulary("\n".join(line.text for lines in pages for line in lines))
        self.builder = DocBuilder()
        self.path: list[tuple[int, str]] = []
        self.first_heading = ""
        self.run: list[str] = []
        self.kind: BlockKind = "paragraph"
        self.size = 0.0

    def heading(self, line: _Line) -> bool:
        return (
            self.body_size > 0
            and line.size >= self.body_size * _HEADING_RATIO
            and len(line.text) <= _HEADING_MAX_CHARS
            and bullet_item(line.text) is None
        )

    def page(self, number: int, lines: list[_Line]) -> None:
        width = max((len(line.text) for line in lines if not self.heading(line)), default=0)
        previous: _Line | None = None
        for line in lines:
            if self.heading(line):
                if self.kind != "heading" or round(line.size, 1) != round(self.size, 1):
                    self.flush(number)
                self.kind, self.size = "heading", line.size
                self.run.append(line.text)
            elif (item := bullet_item(line.text)) is not None:
                self.flush(number)
                self.kind = "list"
                self.run.append(item)
            else:
                short = previous is not None and len(previous.text) < _SHORT_LINE * width
                closes = previous is not None and _SENTENCE_END.search(previous.text) is not None
                if self.kind == "heading" or (short and (self.kind == "list" or closes)):
                    self.flush(number)
                    self.kind = "paragraph"
                self.run.append(line.text)
            previous = line
        self.flush(number)

    def flush(self, page: int) -> None:
        if not self.run:
            return
        text = join_lines(self.run, self.vocab)
        self.run = []
        if self.kind == "heading":
            level = min(self.heading_sizes.index(round(self.size, 1)) + 1, 3)
            while self.path and self.path[-1][0] >= level:
                self.path.pop()
            self.path.append((level, text))
            self.first_heading = self.first_heading or text
        section = tuple(t for _, t in self.path)
        self.builder.add(f"- {text}" if self.kind == "list" else text, self.kind, section, page)


def _body_size(pages: list[list[_Line]]) -> float:
    """The font size carrying most characters."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0
