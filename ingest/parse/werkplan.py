"""Parser for the text extracted from the KIS 'Werkplan 2026' PDF.

The extraction keeps the PDF's page order but not its reading order: on two-column pages a right
column, a chapter title or a theme banner can come before the text it belongs to. So the parser reads
twice. First, lines become raw blocks (paragraph, list item, table, heading; see ``_Scanner``). Then a
walk assigns section paths, in which a heading that opens a chapter, a theme or a project plan claims
its whole page, because each of those starts on a new page in the PDF. ``Block.confidence`` says how an
attribution was derived: 1.0 read under its own heading, 0.8 claimed by such a heading later on the
page, 0.5 carried over a page break below the level a page reliably tells, or a sentence fragment
whose beginning is elsewhere in the text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from ingest.parse.normalize import (
    collapse_whitespace,
    join_lines,
    list_marker,
    normalize_unicode,
    soft_wrapped,
    vocabulary,
    word_continues,
)
from rag.errors import SourceError
from rag.schema import Block, BlockKind, DocumentInfo, ParsedDocument

CHAPTERS = ("Inleiding", "A", "B", "C", "D", "E", "Begroting", "Bijlage")
PREFACE = "Uitgangspunten"  # the text before the Inleiding's title states KIS's starting points
PLANNING = "Planning"
SECTION_TITLES = (
    "Vraagstuk",
    "Doel(en)",
    "Doelgroep",
    "Samenwerking",
    "Plan van aanpak",
    "Resultaten",
    "Begroting",
)
PLAN = "5. Plan van aanpak in hoofdlijnen"

_CHAPTER = re.compile(r"^(?:Inleiding|Begroting|Onderdeel ([A-E]): \S.*|(Bijlage): \S.*)$")
_THEME = re.compile(r"^Thema (?:([1-3])\. \S.*|overstijgend.*)$")
_PROJECT = re.compile(r"^Project (\d{1,2})\.? ([A-Z].*)$")
_SECTION = re.compile(rf"^(?:([1-7])\. )?({'|'.join(map(re.escape, SECTION_TITLES))})(?!\w)")
_BUDGET_PART = re.compile(r"^(?:Onderdeel ([A-E])\. \S.*|Totaal overzichten? \S.*)$")
_STEP = re.compile(r"^(?:Stap|Fase|Onderdeel) \w{1,2}\b")  # in a project plan: a step of "5. Plan van aanpak"

_FOOTER = re.compile(r"Werkplan \d{4}\W*pag\s+\d+\s+van\s+\d+")
_PREFIXED = re.compile(r"^(?:Stap \d|Fase \d|Onderdeel \w{1,2}[:.] |[a-d]\. [A-Z])")
_TABLE = re.compile(r"^(?:Organisatie Onderzoeker|Programmaonderdeel|Planning in maanden)\b")
_ROW_END = re.compile(r"(?:\d|(?:Bedrag|Totaal) \(€\))$")


@dataclass(frozen=True)
class _Raw:
    """A block as read from the lines, before its place in the outline is known."""

    kind: BlockKind
    text: str
    page: int  # extraction page: a line indented by a space, or the line after a footer, starts one
    fragment: bool = False  # starts mid-sentence, so its beginning is elsewhere in the text
    planning: bool = False


@dataclass(frozen=True)
class _Line:
    text: str
    page: int
    page_start: bool

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    """The lines with their page; footers are dropped and the line after one starts a page."""
    out: list[_Line] = []
    page, after_footer = 0, False
    for number, line in enumerate(text.split("\n")):
        if _FOOTER.search(line):
            out.append(_Line("", page, False))
            after_footer = True
            continue
        start = number > 0 and bool(line.strip()) and (line.startswith(" ") or after_footer)
        after_footer = after_footer and not line.strip()
        page += start
        out.append(_Line(line, page, start))
    return out


def _strong(text: str, *, prefixed: bool = True) -> bool:
    """A heading by its pattern (chapter, theme, project, numbered section, budget part)."""
    numbered = (m := _SECTION.match(text)) is not None and m.group(1) is not None
    patterns = (_CHAPTER, _THEME, _PROJECT, _BUDGET_PART, *((_PREFIXED,) if prefixed else ()))
    return numbered or any(p.match(text) for p in patterns)


def _marker(line: str) -> tuple[str, BlockKind, str] | None:
    """List marker, block kind and item text of a bullet, enumeration item or footnote line."""
    if (found := list_marker(line)) is None:
        return None
    marker, text = found
    return marker, "paragraph" if marker.startswith("[") else "list", text


class _Scanner:
    """Lines → raw blocks. Wrapped lines are joined; a blank line ends a block except after the first
    line of a list item (the extraction puts one there when an item wraps) or inside a hyphenated word."""

    def __init__(self, lines: list[_Line], vocab: Collection[str]) -> None:
        self.lines, self.vocab = lines, vocab
        self.out: list[_Raw] = []
        self.heading_end = 0  # a heading may follow a heading or table directly

    def run(self) -> list[_Raw]:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            context = i == 0 or i == self.heading_end or line.page_start or self.lines[i - 1].blank
            if line.blank:
                i += 1
            elif _TABLE.match(collapse_whitespace(line.text)):
                i = self.heading_end = self._table(i)
            elif (marker := _marker(line.text)) is not None:
                i = self._block(i, marker)
            elif context and (heading := self._heading(i)) is not None:
                parts, i = heading
                self.heading_end = i
                self.out.append(_Raw("heading", join_lines(parts, self.vocab), line.page))
            else:
                i = self._block(i, None)
        return self.out

    def _starts_block(self, line: _Line) -> bool:
        return bool(_TABLE.match(collapse_whitespace(line.text))) or _marker(line.text) is not None

    def _heading(self, i: int) -> tuple[list[str], int] | None:
        """The lines of a heading starting at line ``i``: a known title pattern or a short title line,
        with the lowercase lines that continue a title wrapped over two or three lines."""
        first = collapse_whitespace(self.lines[i].text)
        if _strong(first):
            if len(first.split()) > 14 or first[-1] in ".,;":
                return None
        elif not self._generic_heading(i, first):
            return None
        parts, j = [first], i + 1
        single = (m := _SECTION.match(first)) is not None and m.group(1) is not None
        while not single and j < len(self.lines):
            line, text = self.lines[j], collapse_whitespace(self.lines[j].text)
            if not text or line.page_start or self._starts_block(line):
                break
            if not (text[0].islower() or text[0] == "(" or parts[-1][-1] in ":,"):
                break
            if len(text.split()) > 8 or sum(len(part.split()) for part in parts) > 20:
                return None  # a sentence follows: this was the first line of a paragraph
            parts.append(text)
            j += 1
        return parts, j

    def _generic_heading(self, i: int, first: str) -> bool:
        """A short title line directly followed by body text (capital, digit or list item)."""
        if len(first.split()) > 8 or not first[0].isupper() or first[-1] in ".,;:?!":
            return False
        if i + 1 >= len(self.lines) or self.lines[i + 1].blank:
            return False
        following = collapse_whitespace(self.lines[i + 1].text)
        return following[0].isupper() or following[0].isdigit() or _marker(self.lines[i + 1].text) is not None

    def _block(self, i: int, marker: tuple[str, BlockKind, str] | None) -> int:
        """A paragraph, or a list item / footnote when ``marker`` is given."""
        prefix, kind, first = marker or ("", "paragraph", self.lines[i].text)
        parts, j = [first], i + 1
        while j < len(self.lines):
            line = self.lines[j]
            if line.blank:
                following = self.lines[j + 1] if j + 1 < len(self.lines) else None
                if following is None or following.blank or following.page_start:
                    break
                wrapped = (
                    marker is not None and len(parts) == 1 and soft_wrapped(first) and self._continues(j + 1)
                )
                if not (wrapped or word_continues(parts[-1], following.text, self.vocab)):
                    break
                j += 1
                continue
            if line.page_start or self._starts_block(line):
                break
            parts.append(line.text)
            j += 1
        text = prefix + join_lines(parts, self.vocab)
        self.out.append(_Raw(kind, text, self.lines[i].page, fragment=marker is None and text[0].islower()))
        return j

    def _continues(self, k: int) -> bool:
        """Whether line ``k`` can continue a list item: it starts no block or heading of its own."""
        return not (self._starts_block(self.lines[k]) or self._heading(k) is not None)

    def _table(self, i: int) -> int:
        """A budget table (a row ends with an amount) or a planning table (a row per activity)."""
        planning = collapse_whitespace(self.lines[i].text).startswith("Planning")
        rows: list[str] = []
        pending: list[str] = []
        j = i
        while j < len(self.lines):
            line, text = self.lines[j], collapse_whitespace(self.lines[j].text)
            if not text:
                j += 1
                continue
            if j > i and (
                len(text) > 60 or _marker(line.text) or _TABLE.match(text) or _strong(text, prefixed=False)
            ):
                break
            if planning and pending and not _row_continues(pending[-1], text):
                rows.append(join_lines(pending, self.vocab))
                pending = []
            pending.append(text)
            if not planning and _ROW_END.search(text):
                rows.append(join_lines(pending, self.vocab))
                pending = []
            j += 1
        if pending:
            rows.append(join_lines(pending, self.vocab))
        self.out.append(_Raw("table", "\n".join(rows), self.lines[i].page, planning=planning))
        return j


def _row_continues(previous: str, text: str) -> bool:
    """Whether a planning line continues the activity above it (hyphenated, or starting lowercase)."""
    return (
        previous.endswith(("-", ","))
        or re.search(r"\w/$", previous) is not None
        or text[0].islower()
        or (text[0] == "(" and text[1:2].islower())
    )


@dataclass(frozen=True)
class _Role:
    """What a heading does to the outline, given the chapter it appears in."""

    kind: str  # chapter | theme | project | section | sub | minor | banner
    key: str | None = None  # chapter key, onderdeel letter, or theme/project/section number
    label: str = ""
    inferred: bool = False  # a section known from the kind of heading, not from its number


def _chapters(raws: list[_Raw]) -> dict[int, _Role]:
    """Chapter titles by block index; a title counts only in the chapters' order (the Leeswijzer
    lists the onderdelen too, and project plans have parts called "Onderdeel A:")."""
    found: dict[int, _Role] = {}
    current = -1
    for n, raw in enumerate(raws):
        if raw.kind == "heading" and (m := _CHAPTER.match(raw.text)) is not None:
            key = m.group(1) or m.group(2) or raw.text
            if CHAPTERS.index(key) > current:
                current = CHAPTERS.index(key)
                found[n] = _Role("chapter", key, raw.text)
    return found


def _role(text: str, where: str | None, project: int | None) -> _Role:
    """Classify a non-chapter heading; a pattern only counts in the chapter where it belongs."""
    if (m := _THEME.match(text)) is not None and where in ("A", "Bijlage"):
        return _Role("theme" if where == "A" else "banner", m.group(1), text)
    if (m := _PROJECT.match(text)) is not None and where in ("A", "Bijlage"):
        return _Role("project", m.group(1), f"Project {int(m.group(1))}. {m.group(2)}")
    if where == "Bijlage" and project is not None and (m := _SECTION.match(text)) is not None:
        number = SECTION_TITLES.index(m.group(2)) + 1
        if m.group(1) in (None, str(number)):
            return _Role("section", str(number), text if m.group(1) else f"{number}. {text}")
    if where == "Bijlage" and project is not None and _STEP.match(text):
        return _Role("section", "5", PLAN, inferred=True)
    if where == "Begroting" and (m := _BUDGET_PART.match(text)) is not None:
        return _Role("sub", m.group(1), text)
    if where in ("Inleiding", "A", "B", "C", "D", "E"):
        return _Role("sub", None, text)
    return _Role("minor")


def _roles(raws: list[_Raw]) -> list[_Role | None]:
    """Heading roles, each read in the chapter that owns its page (a title may end its first page)."""
    chapters = _chapters(raws)
    owner = {raws[n].page: role.key for n, role in chapters.items()}
    roles: list[_Role | None] = []
    where: str | None = None
    project: int | None = None
    for n, raw in enumerate(raws):
        if raw.page in owner and owner[raw.page] != where:
            where, project = owner[raw.page], None
        role = chapters.get(n) or (_role(raw.text, where, project) if raw.kind == "heading" else None)
        if role is not None and role.kind == "project" and where == "Bijlage":
            project = int(role.key or 0)
        roles.append(role)
    return roles


@dataclass
class _Walk:
    """The outline position while reading, and what makes an attribution certain or a guess."""

    chapter: _Role | None = None
    sub: _Role | None = None
    subsub: _Role | None = None
    project: int | None = None
    theme: int | None = None
    claims: list[_Role] = field(default_factory=list)  # headings further down this page, applied early
    inherited: bool = False  # nothing on this page has set the position yet
    theme_of: dict[int, int | None] = field(default_factory=dict)
    section_labels: dict[tuple[int, str], str] = field(default_factory=dict)
    plans: list[_Role] = field(default_factory=list)  # project plans in the order their headings came
    budgets: int = 0  # "7. Begroting" sections seen

    @property
    def where(self) -> str | None:
        return self.chapter.key if self.chapter else None

    def new_page(self, claims: list[_Role]) -> None:
        """Headings that open a chapter, theme or project plan own the whole page they are on."""
        self.inherited, self.claims = True, []
        for role in claims:
            if role.kind != "project" or self.where == "Bijlage":
                self.open(role)
                self.claims.append(role)
                if role.key == "Inleiding":  # before its title, the Inleiding states KIS's starting points
                    self.sub = _Role("sub", None, PREFACE)

    def open(self, role: _Role) -> None:
        """Move to the position a heading opens."""
        self.inherited = False
        if role.kind == "chapter":
            self.chapter, self.sub, self.subsub, self.project, self.theme = role, None, None, None, None
        elif role.kind == "theme":
            self.sub, self.subsub, self.project = role, None, None
            self.theme = int(role.key) if role.key else None
        elif role.kind == "project" and self.where == "A":
            self.subsub, self.project = role, int(role.key or 0)
            self.theme_of[self.project] = self.theme
        elif role.kind == "project":
            if all(plan.key != role.key for plan in self.plans):  # a page claim opens it early
                self.plans.append(role)
            self._enter(role)
        elif role.kind == "section" and self.project is not None:
            self._section(role)
        elif role.kind == "sub":
            self.sub, self.subsub = role, None

    def _enter(self, plan: _Role) -> None:
        self.sub, self.subsub, self.project = plan, None, int(plan.key or 0)
        self.theme = self.theme_of.get(self.project)

    def _section(self, role: _Role) -> None:
        """A numbered section of the current plan; the n-th budget section belongs to the n-th plan.

        Two-column pages put a plan's budget table beside the start of the next plan, so the text
        order alone would file it one project too late; every plan has exactly one budget section.
        """
        plan = self.plans[-1] if self.plans else None
        if role.key == "7":
            self.budgets += 1
            if self.budgets <= len(self.plans):
                plan = self.plans[self.budgets - 1]
        if plan is not None and plan is not self.sub:
            self._enter(plan)
        project = self.project or 0
        label = self.section_labels.setdefault((project, role.key or ""), role.label)
        self.subsub = _Role("section", role.key, label, role.inferred)

    def reach(self, role: _Role) -> None:
        """The heading itself: it no longer decides the position from further down the page."""
        self.claims = [claim for claim in self.claims if claim is not role]
        self.open(role)

    def path(self) -> tuple[str, ...]:
        return tuple(role.label for role in (self.chapter, self.sub, self.subsub) if role is not None)

    def onderdeel(self) -> str | None:
        if self.where in ("A", "B", "C", "D", "E"):
            return self.where
        if self.where == "Begroting":
            return self.sub.key if self.sub else None
        return "A" if self.where == "Bijlage" and self.project is not None else None

    def confidence(self, raw: _Raw) -> float:
        """1.0 under its own heading; 0.8 claimed from further down the page or a section inferred
        from a step heading; 0.5 carried over a page break below the level pages tell reliably, or a
        fragment whose beginning is elsewhere."""
        score = 0.8 if self.claims or (self.subsub is not None and self.subsub.inferred) else 1.0
        reliable = 2 if self.where in ("A", "Begroting", "Bijlage") else 1  # their parts start on a new page
        if raw.kind == "heading" or raw.planning:
            return score
        guessed = (self.inherited and len(self.path()) > reliable) or raw.fragment
        return min(score, 0.5) if guessed else score


def _attribute(raws: list[_Raw]) -> list[tuple[_Raw, Block]]:
    """Each raw block with its Block (offsets still zero): path, project, onderdeel, theme, confidence."""
    roles = _roles(raws)
    claims: dict[int, list[_Role]] = {}
    for raw, role in zip(raws, roles, strict=True):
        if role is not None and role.kind in ("chapter", "theme", "project"):
            claims.setdefault(raw.page, []).append(role)
    walk, page = _Walk(), -1
    out: list[tuple[_Raw, Block]] = []
    for raw, role in zip(raws, roles, strict=True):
        if raw.page != page:
            page = raw.page
            walk.new_page(claims.get(page, []))
        if role is not None and role.kind == "banner":
            continue  # a theme banner in the appendix is page decoration
        if role is not None and role.kind != "minor":
            walk.reach(role)
        path = walk.path()
        if raw.planning and walk.where == "Bijlage" and walk.sub is not None:
            path = (*path[:2], PLANNING)  # a planning table is its own titled box, wherever it lands
        block = Block(path, 0, 0, raw.kind, walk.project, walk.onderdeel(), walk.theme, walk.confidence(raw))
        out.append((raw, block))
    return out


def parse_werkplan(raw: str, info: DocumentInfo) -> ParsedDocument:
    """The work plan's normalised text with its blocks, section paths and project attribution."""
    text = normalize_unicode(raw)
    if not text.strip():
        raise SourceError(f"Het werkplan {info.id} is leeg.")
    raws = _Scanner(_lines(text), vocabulary(text)).run()
    attributed = _attribute(raws)
    if not any(block.section for _, block in attributed):
        raise SourceError(
            f"In het werkplan {info.id} is geen hoofdstukindeling gevonden (Inleiding, Onderdeel A–E)."
        )
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for raw_block, block in attributed:
        previous = blocks[-1] if blocks else None
        in_list = (
            previous is not None
            and previous.kind == block.kind == "list"
            and previous.section == block.section
        )
        separator = "" if previous is None else "\n" if in_list else "\n\n"
        start = offset + len(separator)
        parts.append(separator + raw_block.text)
        offset = start + len(raw_block.text)
        blocks.append(replace(block, start=start, end=offset))
    return ParsedDocument(info=info, text="".join(parts), blocks=tuple(blocks))
