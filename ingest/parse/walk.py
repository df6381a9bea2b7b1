"""A content tree read in document order into blocks under the current heading path.

Markup in the wild is often broken: unclosed ``<p>``, ``<li>``, ``<td>`` or ``<h2>`` tags nest what a
browser shows side by side. The walker reads such nesting as the reader sees it: a block inside a
paragraph or heading follows it, a stray ``<li>`` inside an item is the next item, a cell inside a
cell is the next cell.
"""

from __future__ import annotations

from bs4.element import NavigableString, PreformattedString, Tag

from ingest.parse.blocks import DocBuilder
from ingest.parse.normalize import collapse_whitespace, normalize_unicode

_BLOCK_TAGS = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "blockquote",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "pre",
    "address",
    "details",
    "summary",
    "aside",
]
_LISTS = frozenset({"ul", "ol", "li"})
SUMMARY_LEVEL = 7  # deeper than h6: the next question replaces it, any heading closes it


def clean(text: str) -> str:
    return collapse_whitespace(normalize_unicode(text))


class Walker:
    """Reads a content tree in document order into blocks under the current heading path."""

    def __init__(self, root: Tag) -> None:
        self.doc = DocBuilder()
        self.path: list[tuple[int, str]] = []
        self.h1 = ""
        self.holders: set[int] = set()  # ids of elements with a block element inside, found in one pass
        for block in root.find_all(_BLOCK_TAGS):
            for parent in block.parents:
                if id(parent) in self.holders or parent is root:
                    break
                self.holders.add(id(parent))

    def is_block(self, tag: Tag) -> bool:
        return tag.name in _BLOCK_TAGS or id(tag) in self.holders

    def own_text(self, tag: Tag, skip: frozenset[str] | None = None) -> str:
        """The element's own text: no comments or declarations, no block elements inside it (or,
        when given, none of the ``skip`` elements)."""
        parts = [
            _inline(child) if isinstance(child, Tag) else str(child)
            for child in tag.children
            if (isinstance(child, NavigableString) and not isinstance(child, PreformattedString))
            or (
                isinstance(child, Tag)
                and (child.name not in skip if skip is not None else not self.is_block(child))
            )
        ]
        return clean("".join(parts))

    @property
    def section(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.path)

    def walk(self, element: Tag) -> None:
        inline: list[str] = []
        for child in element.children:
            if isinstance(child, PreformattedString) or not isinstance(child, NavigableString | Tag):
                continue
            if isinstance(child, NavigableString):
                inline.append(str(child))
            elif self.is_block(child):
                self.paragraph(inline)
                inline = []
                self.block(child)
            else:
                inline.append(_inline(child))
        self.paragraph(inline)

    def paragraph(self, parts: list[str]) -> None:
        self.doc.add(clean("".join(parts)), "paragraph", self.section)

    def block(self, tag: Tag) -> None:
        name = tag.name
        if name in ("h1", "h2", "h3", "h4"):
            self.heading(int(name[1]), tag)
        elif name == "summary":  # a folded question heads its answer, below every real heading
            self.heading(SUMMARY_LEVEL, tag)
        elif name in ("ul", "ol"):
            self.items(tag, 0)
        elif name == "table":
            self.table(tag)
        elif name == "dl":
            self.definitions(tag)
        elif id(tag) not in self.holders:
            self.doc.add(clean(_inline(tag)), "paragraph", self.section)
        else:
            self.walk(tag)

    def heading(self, level: int, tag: Tag) -> None:
        """A heading's own text opens a section; blocks inside it (an unclosed ``<h2>``) follow."""
        inside = [c for c in tag.children if isinstance(c, Tag) and self.is_block(c)]
        text = self.own_text(tag)
        if text:
            while self.path and self.path[-1][0] >= level:
                self.path.pop()
            self.path.append((level, text))
            self.h1 = self.h1 or (text if level == 1 else "")
            self.doc.add(text, "heading", self.section)
        for child in inside:
            self.block(child)

    def items(self, listing: Tag, depth: int) -> None:
        for child in listing.children:
            if isinstance(child, Tag) and child.name in ("ul", "ol"):
                self.items(child, depth + 1)
            elif isinstance(child, Tag):
                self.item(child, depth)

    def item(self, item: Tag, depth: int) -> None:
        """One list item; nested lists go one level deeper, a stray nested ``<li>`` (unclosed tag)
        stays on this level."""
        own = self.own_text(item, _LISTS)
        if own:
            self.doc.add(f"{'  ' * depth}- {own}", "list", self.section)
        for child in item.find_all(["ul", "ol", "li"], recursive=False):
            if child.name == "li":
                self.item(child, depth)
            else:
                self.items(child, depth + 1)

    def table(self, table: Tag) -> None:
        caption = table.find("caption")
        if isinstance(caption, Tag):
            self.doc.add(clean(caption.get_text(" ")), "paragraph", self.section)
        rows = [
            [_cell_text(cell) for cell in row.find_all(["th", "td"]) if cell.find_parent("tr") is row]
            for row in table.find_all("tr")
            if row.find_parent("table") is table
        ]
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        width = max(len(row) for row in rows)
        lines = [f"| {' | '.join(row + [''] * (width - len(row)))} |" for row in rows]
        lines.insert(1, f"|{' --- |' * width}")
        self.doc.add("\n".join(lines), "table", self.section)

    def definitions(self, listing: Tag) -> None:
        term = ""
        for child in listing.find_all(["dt", "dd"]):
            text = clean(child.get_text(" "))
            if child.name == "dt":
                term = text
            elif text:
                self.doc.add(f"{term}: {text}" if term else text, "paragraph", self.section)


def _cell_text(cell: Tag) -> str:
    """A table cell's own text; cells nested in it by unclosed ``<td>`` tags are not repeated."""
    strings = [s for s in cell.find_all(string=True) if s.find_parent(["td", "th"]) is cell]
    return clean("".join(strings)).replace("|", "\\|")


def _inline(tag: Tag) -> str:
    """Text of an element as a reader sees it: ``<br>`` is a space, tags inside words join."""
    for br in tag.find_all("br"):
        br.replace_with(" ")
    return tag.get_text("")
