"""Whom a page names to contact about it: the people of its contact block.

Project, theme and publication pages end with a block such as "Contact — Vragen over dit project?
Neem contact op met <naam>, <functie>, <e-mail>". Such a block is found by what it is, never by a
page's wording: an element whose class, id or aria-label says contact, the part of the page under a
heading that says so (the words are data: ``contact_words.toml``), an ``<address>``. Its people are
read from schema.org (a JSON-LD ``contactPoint``, microdata ContactPoint or Person), an hCard, or
its prose: each e-mail address or phone number (a ``mailto:``/``tel:`` link or written out) belongs
to the name before it, and what follows the name up to it is the person's function. Like authors,
a contact is what the page declares; ``rag.structure.page_facts`` states it only where the page's
text shows it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import groupby
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from ingest.parse.page_meta import json_ld
from ingest.parse.walk import clean
from rag.schema import Contact

_WORDS: dict[str, list[str]] = tomllib.loads(
    resources.files("ingest.parse").joinpath("contact_words.toml").read_text(encoding="utf-8")
)


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_LABEL = re.compile(rf"^\W*(?:{_alternatives(_WORDS['labels'])})\b", re.I)
_LABEL_TOKENS = frozenset(word for word in _WORDS["labels"] if " " not in word)
_LEAD = re.compile(rf"\b(?:{_alternatives(_WORDS['leads'])})\b", re.I)
_CONNECTOR = rf"\b(?:{_alternatives(_WORDS['connectors'])})\b\.?"
_LEADING = re.compile(rf"^(?:[\s.,;:–-]|{_CONNECTOR})+", re.I)
_TRAILING = re.compile(rf"(?:[\s,;:–-]|{_CONNECTOR})+$", re.I)
_PARTICLES = frozenset(_WORDS["particles"])
_TITLES = frozenset(_WORDS["titles"])
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a Dutch number ("030 789 22 00", "06-41872290") or an international one ("+31 6 4187 2290")
_PHONE = re.compile(
    r"(?<![\w+])(?:0\d(?:[\s-]?\d){8}|\+\d{1,3}[\s-]?(?:\(0\)[\s-]?)?\d(?:[\s-]?\d){6,11})(?!\d)"
)
_DETAIL = re.compile(f"(?P<email>{_EMAIL.pattern})|(?P<phone>{_PHONE.pattern})")
_SENTENCE_END = re.compile(r"[.?!:](?=\s)")
_PARTS = re.compile(r"\s*[,;\n]\s*")
_HEADING = re.compile(r"^h[1-6]$")
_LINES = frozenset(  # elements a reader sees on lines of their own
    {"p", "div", "li", "dt", "dd", "tr", "td", "th", "address", "section", "aside", "article", "ul", "ol"}
)
_CHROME = frozenset({"footer", "header", "nav"})  # the site's, not the page's
_ORGANISATIONS = frozenset({"Organization", "WebSite", "NGO", "Corporation", "GovernmentOrganization"})
_CARD_TYPES = ("schema.org/ContactPoint", "schema.org/Person")
_CARD_CLASSES = frozenset({"vcard", "h-card"})
_FIELDS = {  # a card's field: its itemprop names, then its hCard class names
    "name": (("name",), ("fn", "p-name")),
    "role": (("jobTitle", "contactType"), ("title", "role", "p-job-title", "p-role")),
    "email": (("email",), ("email", "u-email")),
    "phone": (("telephone",), ("tel", "p-tel")),
}
MIN_CAPITALISED = 2  # "Jeroen Bakhuis": a first name and a surname; "KIS" names no person

Detail = tuple[str, str]  # ("email" | "phone", value)
Token = str | Detail
Region = list[Tag | NavigableString]  # a contact block: an element, or the nodes under a heading


def page_contacts(soup: BeautifulSoup, content: Tag) -> tuple[Contact, ...]:
    """The page's contact people, each once (by name), read before the content is cleaned: a
    contact block may be mostly links."""
    regions = _regions(content)
    found: dict[str, Contact] = {}
    for contact in [*_linked(soup), *_cards(content, regions), *_prose(regions)]:
        key = contact.name.casefold()
        known = found.get(key)
        found[key] = contact if known is None else _merged(known, contact)
    return tuple(found.values())


def _merged(known: Contact, more: Contact) -> Contact:
    return Contact(known.name, known.role or more.role, known.email or more.email, known.phone or more.phone)


# --- schema.org JSON-LD ----------------------------------------------------------------------


def _linked(soup: BeautifulSoup) -> Iterator[Contact]:
    """The ``contactPoint`` of the page's own JSON-LD items; an organisation's is the site's."""
    for item in json_ld(soup):
        kinds = item.get("@type")
        if set(kinds if isinstance(kinds, list) else [kinds]) & _ORGANISATIONS:
            continue
        points = item.get("contactPoint")
        for point in points if isinstance(points, list) else [points]:
            if isinstance(point, dict) and (contact := _from_linked(point)) is not None:
                yield contact


def _from_linked(point: dict[str, Any]) -> Contact | None:
    name = clean(str(point.get("name") or ""))
    if not name:
        return None
    role = point.get("jobTitle") or point.get("contactType") or ""
    email = _address(str(point.get("email") or ""))
    return Contact(name, clean(str(role)), email, clean(str(point.get("telephone") or "")))


# --- contact blocks --------------------------------------------------------------------------


def _regions(content: Tag) -> list[Region]:
    """Each contact block as the nodes it holds: an element labelled contact, or what follows a
    heading that says contact up to the next heading as high."""
    labelled = [tag for tag in content.find_all(True) if _labelled(tag) and not _in_chrome(tag, content)]
    ids = {id(tag) for tag in labelled}
    outer = [tag for tag in labelled if not any(id(parent) in ids for parent in tag.parents)]
    regions: list[Region] = [[tag] for tag in outer]
    inside = {id(tag) for tag in outer}
    for heading in content.find_all(_HEADING):
        if (
            not _LABEL.match(heading.get_text(" "))
            or any(id(parent) in inside for parent in heading.parents)
            or _in_chrome(heading, content)
        ):
            continue
        run: Region = []
        for sibling in heading.next_siblings:
            # "h2" <= "h3": a heading as high or higher ends the block
            if isinstance(sibling, Tag) and _HEADING.match(sibling.name) and sibling.name <= heading.name:
                break
            if isinstance(sibling, Tag | NavigableString):
                run.append(sibling)
        regions.append(run)
    return regions


def _labelled(tag: Tag) -> bool:
    if tag.name == "address":
        return True
    names = [*tag.get_attribute_list("class"), str(tag.get("id") or "")]
    tokens = {word for name in names for word in re.split(r"[-_\s]+", str(name).lower())}
    return bool(tokens & _LABEL_TOKENS) or bool(_LABEL.match(str(tag.get("aria-label") or "")))


def _in_chrome(tag: Tag, content: Tag) -> bool:
    for parent in tag.parents:
        if parent is content:
            return False
        if parent.name in _CHROME:
            return True
    return False


def _within(regions: list[Region]) -> Iterator[Tag]:
    for region in regions:
        for node in region:
            if isinstance(node, Tag):
                yield node
                yield from node.find_all(True)


# --- cards: microdata and hCard --------------------------------------------------------------


def _cards(content: Tag, regions: list[Region]) -> Iterator[Contact]:
    """A ContactPoint anywhere in the content; a Person or an hCard inside a contact block (one
    elsewhere is an author or someone interviewed)."""
    in_blocks = {id(tag) for tag in _within(regions)}
    for tag in content.find_all(_is_card):
        if "ContactPoint" in str(tag.get("itemtype")) or id(tag) in in_blocks:
            name = _field(tag, "name")
            if name:
                yield Contact(name, _field(tag, "role"), _field(tag, "email"), _field(tag, "phone"))


def _is_card(tag: Tag) -> bool:
    kind = str(tag.get("itemtype") or "")
    classes = set(tag.get_attribute_list("class"))
    return any(kind.endswith(t) for t in _CARD_TYPES) or bool(classes & _CARD_CLASSES)


def _field(card: Tag, field: str) -> str:
    props, classes = _FIELDS[field]
    found = card.find(itemprop=list(props)) or card.find(class_=list(classes))
    if not isinstance(found, Tag):
        return ""
    href = str(found.get("href") or "")
    return _address(href) if field == "email" and href.startswith("mailto:") else clean(found.get_text(" "))


def _address(value: str) -> str:
    """'mailto:a@b.nl?subject=…' → 'a@b.nl'."""
    return value.removeprefix("mailto:").split("?")[0].strip()


# --- prose: a name, its function, then its e-mail address or phone number ---------------------


def _prose(regions: list[Region]) -> Iterator[Contact]:
    for region in regions:
        skip = {id(t) for node in region if isinstance(node, Tag) for t in _skipped(node)}
        yield from _people(_split_details(_tokens(region, skip)))


def _skipped(node: Tag) -> list[Tag]:
    """What the prose leaves to others: the heading that says contact, cards (read as cards)."""
    tags = [node, *node.find_all(True)]
    return [t for t in tags if (_HEADING.match(t.name) and _LABEL.match(t.get_text(" "))) or _is_card(t)]


def _tokens(nodes: Iterable[PageElement], skip: set[int]) -> Iterator[Token]:
    """The text of the nodes in reading order, a line break between blocks, each ``mailto:`` or
    ``tel:`` link a detail."""
    for node in nodes:
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, CDATA
                yield str(node)
        elif not isinstance(node, Tag) or id(node) in skip or node.name in ("script", "style", "template"):
            continue
        elif node.name == "br":
            yield "\n"
        elif node.name == "a" and (detail := _link_detail(node)) is not None:
            if _name(text := clean(node.get_text(" "))) == text:
                yield text  # <a href="mailto:…">Jan Jansen</a>: the name, then the address
            yield detail
        else:
            line = "\n" if node.name in _LINES else ""
            yield line
            yield from _tokens(node.children, skip)
            yield line


def _link_detail(anchor: Tag) -> Detail | None:
    href = str(anchor.get("href") or "")
    if href.startswith("mailto:"):
        return ("email", _address(href))
    if href.startswith("tel:"):  # the number as the page writes it, when it does
        text = clean(anchor.get_text(" "))
        return ("phone", found.group() if (found := _PHONE.search(text)) else href.removeprefix("tel:"))
    return None


def _split_details(tokens: Iterable[Token]) -> list[Token]:
    """Adjacent texts joined; e-mail addresses and phone numbers written out become details."""
    out: list[Token] = []
    for is_text, group in groupby(tokens, key=lambda token: isinstance(token, str)):
        if not is_text:
            out += group
            continue
        text = "".join(str(token) for token in group)
        at = 0
        for found in _DETAIL.finditer(text):
            out += [text[at : found.start()], ("email" if found["email"] else "phone", found.group())]
            at = found.end()
        out.append(text[at:])
    return out


@dataclass
class _Person:
    name: str
    role: str
    email: str = ""
    phone: str = ""


def _people(tokens: list[Token]) -> Iterator[Contact]:
    """Each detail goes to the name written before it; a detail after nothing but "of" or a comma
    goes to the same person, one after other text (a secretariat) to nobody."""
    people: list[_Person] = []
    current: _Person | None = None
    before = ""
    for token in tokens:
        if isinstance(token, str):
            before += token
            continue
        kind, value = token
        text = _stripped(before)
        before = ""
        if text:
            current = _person(text)
            if current is not None:
                people.append(current)
        if current is not None and not getattr(current, kind):
            setattr(current, kind, clean(value))
    if _LEAD.search(before) and (last := _person(_stripped(before))):
        people.append(last)  # "Neem contact op met Jan Jansen." with no address after it
    for p in people:
        yield Contact(p.name, p.role, p.email, p.phone)


def _person(text: str) -> _Person | None:
    """'Meer weten? Neem contact op met Jeroen Bakhuis, senior adviseur polarisatie' → the name
    and function of its last sentence; None when it names no one."""
    sentence = text[_last_sentence_start(text) :]
    first, *rest = _PARTS.split(sentence.strip())
    if leads := list(_LEAD.finditer(first)):
        first = first[leads[-1].end() :]
    name = _name(first)
    if name is None:
        return None
    role = ", ".join(part for p in rest if (part := clean(_stripped(p))))
    return _Person(name, role)


def _stripped(text: str) -> str:
    """Without the connecting words and punctuation at either end ("of …", "…, via")."""
    return _TRAILING.sub("", _LEADING.sub("", text))


def _last_sentence_start(text: str) -> int:
    """Where the last sentence begins: after a full stop that ends no title or initial ("dr.",
    "J."), a question mark, an exclamation mark or a colon."""
    start = 0
    for end in _SENTENCE_END.finditer(text):
        word = text[: end.end()].split()[-1]
        if end.group() == "." and (word.lower() in _TITLES or (len(word) == 2 and word[0].isupper())):
            continue
        start = end.end()
    return start


def _name(text: str) -> str | None:
    """The name at the end of ``text``: the last words that are capitalised, name particles
    ("van", "de") or titles ("dr."), with at least two capitalised."""
    words = text.split()
    at = len(words)
    while at and _in_name(words[at - 1]):
        at -= 1
    name = words[at:]
    while name and name[0].lower() in _PARTICLES:  # a name here opens with a first name or title
        name = name[1:]
    capitalised = sum(1 for word in name if word[:1].isupper())
    return " ".join(name) if capitalised >= MIN_CAPITALISED else None


def _in_name(word: str) -> bool:
    return word[:1].isupper() or word.lower() in _PARTICLES or word.lower() in _TITLES
