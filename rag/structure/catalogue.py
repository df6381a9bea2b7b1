"""The corpus structure as the answerer needs it: which projects and onderdelen exist, by what names.

Built from the index's section paths, so it follows the documents rather than a hard-coded list.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rag.answer.question import detect_language
from rag.language.vocabulary import COGNATE_PREFIX, to_dutch_terms
from rag.schema import Chunk
from rag.store.bm25 import STOPWORDS, tokenize
from rag.structure.pages import says_title, title_forms

_PROJECT_HEADING = re.compile(r"^Project (\d{1,2})\.?\s+(.+)$")
_ONDERDEEL_HEADING = re.compile(r"^Onderdeel ([A-E])[.:]\s*(.+)$")
_PROJECT_NUMBER = re.compile(
    r"\b(?:[a-zà-ÿ]{3,}-?)?(?:project(?:en)?|projects?)\s*((?:\d{1,2}(?:\s*(?:,|en|and|of|or|&)\s*)?)+)", re.I
)
_REMARK = re.compile(r"\([^)]*\)")
_PROJECT_COMPOUND = re.compile(r"\b([a-zà-ÿ]{4,}?)-?project\b", re.I)
# A project named by what it is about: "het project over jongeren", "het jongerenproject over
# veerkracht", "welke projecten gaan over …".
_PROJECT_ABOUT = re.compile(
    r"proje(?:ct|cten|cts)\s+(?:(?:gaat|gaan|is|are)\s+)?(?:over|rond|about|on)\s+((?:[\w’'-]+\s*){1,3})",
    re.I,
)
# English puts the topic before the word: "the labour market project" (glossary: "… arbeidsmarkt project").
_TOPIC_PROJECT = re.compile(r"\b((?:[\w’'-]+\s+){0,2}[\w’'-]{4,})\s+projects?\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")
_NUMBERED_TITLE = re.compile(r"\b(project\s+(\d{1,2}))\b\.?", re.I)
_TITLE_WORD = re.compile(r"[\w’'-]+")
_STOPWORDS = STOPWORDS
_NUMBER = re.compile(r"\d{1,2}")
_ONDERDEEL = re.compile(r"\bonderde(?:el|len)\s+([A-E])\b", re.I)
# What separates the items a question names side by side: "X of Y", "X dan Y", "X en Y", "X, Y".
_ALTERNATIVE = re.compile(
    r"[,;()?]|\b(?:dan|of|en|versus|vs|tegenover|met|tussen|than|or|and|with|between)\b", re.I
)
# Words every title shares; they say nothing about which project is meant.
_GENERIC = frozenset(tokenize(["project aanpak aanpakken kennis inclusiev samenleving nieuwe bestaand"])[0])
# Kinds of document: "het dossier" is part of "Kennisdossier Sinti en Roma", yet the plan has "wat
# werkt dossiers" in several projects, so a kind word names no project by being part of a title.
_KINDS = frozenset(tokenize(["dossier dossiers database databank kennisgids rapport"])[0])
GENERIC_SPREAD = 0.85  # a title word found in the texts of this share of projects names none of them


@dataclass(frozen=True)
class Catalogue:
    projects: dict[int, str]  # number → title (the appendix heading when there is one)
    onderdelen: dict[str, str]  # letter → title
    aliases: dict[int, frozenset[str]]  # number → distinctive title stems (all headings of the project)
    aims: dict[int, frozenset[str]] = field(default_factory=dict)  # number → stems of its stated aim
    common: frozenset[str] = frozenset()  # stems nearly every project's text uses ("onderzoek")

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> Catalogue:
        projects: dict[int, str] = {}
        onderdelen: dict[str, str] = {}
        stems: dict[int, set[str]] = {}
        texts: dict[int, list[set[str]]] = {}  # per project, the stems of each of its passages
        aims: dict[int, tuple[int, set[str]]] = {}  # per project, its earliest description's opening
        for chunk in chunks:
            if chunk.project is not None:
                texts.setdefault(chunk.project, []).append(set(tokenize([chunk.text])[0]))
                heading = chunk.section[-1] if chunk.section else ""
                described = _PROJECT_HEADING.match(heading) and not chunk.section[0].startswith("Bijlage")
                if described and chunk.start < aims.get(chunk.project, (chunk.start + 1, set()))[0]:
                    aims[chunk.project] = (chunk.start, set(tokenize([_opening(chunk.text)])[0]))
            for part in chunk.section:
                if (m := _PROJECT_HEADING.match(part)) and chunk.project == int(m.group(1)):
                    number = int(m.group(1))
                    if number not in projects or chunk.section[0].startswith("Bijlage"):
                        projects[number] = m.group(2).strip()
                    name = _REMARK.sub(" ", m.group(2))  # "(financiering via SZW vanuit OCW)" names nothing
                    stems.setdefault(number, set()).update(tokenize([name])[0])
                elif (o := _ONDERDEEL_HEADING.match(part)) and o.group(1) not in onderdelen:
                    onderdelen[o.group(1)] = o.group(2).strip()
        common = _common(texts)
        return cls(
            dict(sorted(projects.items())),
            dict(sorted(onderdelen.items())),
            # a number ("2026") in a title names no project: the question's own numbers do that
            {n: frozenset(t for t in s - _GENERIC - common if not t.isdigit()) for n, s in stems.items()},
            {n: frozenset(t for t in aim - _GENERIC if not t.isdigit()) for n, (_, aim) in aims.items()},
            common,
        )

    def label(self, number: int) -> str:
        return f"Project {number}. {self.projects.get(number, '')}".strip()

    def numbered_projects(self, question: str) -> list[int]:
        """Projects named by number ("project 3", "projecten 4 en 6")."""
        found: list[int] = []
        for match in _PROJECT_NUMBER.finditer(question):
            for number in map(int, _NUMBER.findall(match.group(1))):
                if number in self.projects and number not in found:
                    found.append(number)
        return found

    def named_projects(self, question: str, *, listing: bool = False) -> list[int]:
        """Projects whose title words the question uses: the one best match, or every candidate
        when no single project stands out. A whole title word outweighs a part of a compound
        ("arbeidsmarktproject" names both arbeidsmarkt projects; "moslimdiscriminatie" one). A
        project whose stated aim is the topic counts too; ``listing`` ("welke projecten gaan over
        …?") keeps the projects that only mention the topic in their title."""
        english = detect_language(question) == "en"
        tokens = tokenize([to_dutch_terms(question) if english else question])[0]
        heads = _project_compounds(question)  # "het polarisatieproject": the project titled so first
        words = set(tokens) | heads
        parts = _compound_parts(question)
        if english:
            dutch = _cognates(tokens, self.aliases)
            parts |= set(dutch) - words
            words |= {a + b for a, b in itertools.pairwise(dutch)}  # "muslim discrimination"
        scores: dict[int, int] = {}
        for number, alias in self.aliases.items():
            score = sum(
                2
                if a in words
                else 1
                if a in parts or any(_compound(a, w) for w in words - _KINDS - self.common)
                else 0
                for a in alias
            )
            if score:
                scores[number] = score
        ranked = sorted(scores, key=lambda n: (-scores[n], n))
        if len(ranked) > 1 and scores[ranked[0]] > scores[ranked[1]]:
            ranked = ranked[:1]
        leading = [n for n in ranked if scores[n] == scores[ranked[0]] and self._head(n) in heads]
        titled = leading if len(leading) == 1 else ranked
        # a project whose stated aim is the topic is as much "het jongerenproject" as the one
        # whose title says it: "het vergroten van de emancipatie en zelfbeschikking van jongeren"
        topic = heads | _project_topics(to_dutch_terms(question) if english else question, english)
        # the topic's words the titles and aims use (an English question's own words are not)
        used = {s for stems in (*self.aims.values(), *self.aliases.values()) for s in stems}
        topic = {t for t in topic if _holds(used, t)}
        about = [n for n, aim in self.aims.items() if topic and all(_holds(aim, t) for t in topic)]
        if not about:
            return titled
        if not listing:  # "het project over online radicalisering": the one both words are about
            titled = [n for n in titled if self._about(n, topic)] or titled
        return titled if set(about) <= set(titled) else sorted({*titled, *about})

    def mentioned_projects(self, question: str) -> list[int]:
        """Every project the question names: by number, and by each part of it ("… voor
        emancipatie en zelfbeschikking dan voor project 4") that names one project by its title,
        in the order named; the items a comparison compares."""
        found = self.numbered_projects(question)
        for part in _ALTERNATIVE.split(_PROJECT_NUMBER.sub(" ", question)):
            named = self.named_projects(part) if part.strip() else []
            if len(named) == 1 and named[0] not in found:
                found.append(named[0])
        return found

    def _about(self, number: int, topic: set[str]) -> bool:
        """Every topic word is in the project's title or stated aim."""
        said = self.aliases.get(number, frozenset()) | self.aims.get(number, frozenset())
        return all(_holds(said, t) for t in topic)

    def without_titles(self, question: str) -> str:
        """The question without the title words that follow a project's number ("project 6 aanpak
        discriminatie" → "project 6"), or a title named whole: the "Aanpak" of a title asks for no
        plan part."""
        if (titled := self._titled(question)) is not None:  # "het project Aanpak discriminatie"
            for form in title_forms(self.projects[titled]):
                question = re.sub(re.escape(form), " ", question, flags=re.I)
        out, position = [], 0
        for match in _NUMBERED_TITLE.finditer(question):
            title = {t.lower() for t in _TITLE_WORD.findall(self.projects.get(int(match.group(2)), ""))}
            ends = [match.end()]
            for word in _TITLE_WORD.finditer(question, ends[-1]):
                if question[ends[-1] : word.start()].strip(" ,:.") or word.group(0).lower() not in title:
                    break
                ends.append(word.end())
            # "project 3 en 11": a title's "en" alone is the question's own
            while len(ends) > 1 and _last_word(question[: ends[-1]]) in _STOPWORDS:
                ends.pop()
            out.append(question[position : match.end()])
            position = ends[-1]
        return "".join(out) + question[position:]

    def fully_named(self, question: str) -> int | None:
        """The one project every distinctive word of whose title the question uses ("het
        Kennisdossier Sinti en Roma"): named as plainly as by its number."""
        if (titled := self._titled(question)) is not None:
            return titled
        words = set(tokenize([question])[0])
        full = [
            n
            for n, alias in self.aliases.items()
            if len(alias) >= 2 and all(a in words or any(_compound(a, w) for w in words) for a in alias)
        ]
        return full[0] if len(full) == 1 else None

    def _titled(self, question: str) -> int | None:
        """The one project whose title, or its main title before a subtitle, the question holds word
        for word ("het project Aanpak discriminatie", not "Aanpak moslimdiscriminatie"), even when
        its words are common ones."""
        found = {
            number
            for number, title in self.projects.items()
            if any(says_title(question, form) for form in title_forms(title))
        }
        return found.pop() if len(found) == 1 else None

    def _head(self, number: int) -> str:
        """The stem of a project title's first word ("Polarisatie: Strategieën, …" → its stem)."""
        stems = tokenize([self.projects.get(number, "")])[0]
        return stems[0] if stems else ""

    def onderdeel(self, question: str) -> str | None:
        match = _ONDERDEEL.search(question)
        return match.group(1).upper() if match else None


def _common(texts: dict[int, list[set[str]]]) -> frozenset[str]:
    """The stems nearly every project's text uses: "werk" names no project, though it is in the
    title of one, and "onderzoek" none, though "Actieonderzoek" holds it."""
    spread: dict[str, int] = {}
    for passages in texts.values():
        for stem in set().union(*passages):
            spread[stem] = spread.get(stem, 0) + 1
    return frozenset(s for s, n in spread.items() if n >= GENERIC_SPREAD * max(len(texts), 1))


def _cognates(tokens: list[str], aliases: dict[int, frozenset[str]]) -> list[str]:
    """Each English token as the title stem it shares a long beginning with ("polarisation" →
    "polariseer", "discrimination" → "discrimineer"; English and Dutch share these Latin stems),
    or as itself. Joined in pairs, these spell the Dutch compound English writes as two words."""
    stems = sorted({a for alias in aliases.values() for a in alias})
    return [
        next((a for a in stems if len(t) >= COGNATE_PREFIX and a[:COGNATE_PREFIX] == t[:COGNATE_PREFIX]), t)
        for t in tokens
    ]


def _holds(stems: Iterable[str], word: str) -> bool:
    """The word is one of the stems, or a part of one's compound or they of its."""
    return any(word == s or _compound(word, s) for s in stems)


def _last_word(text: str) -> str:
    return text.rsplit(None, 1)[-1].lower()


def _opening(text: str) -> str:
    """The first sentence of a project's description, its heading line left out: where the plan
    says what the project is for."""
    lines = [line for line in text.splitlines() if line.strip()]
    body = " ".join(lines[1:] if lines and _PROJECT_HEADING.match(lines[0].strip()) else lines)
    return _SENTENCE_END.split(body.strip(), maxsplit=1)[0]


def _project_topics(text: str, english: bool) -> set[str]:
    """The stems of what "het project over …" (or "the youth project") says a project is about."""
    found = [m.group(1) for m in _PROJECT_ABOUT.finditer(text)]
    found += [m.group(1) for m in _TOPIC_PROJECT.finditer(text)] if english else []
    return set(tokenize(found)[0]) if found else set()


def _project_compounds(text: str) -> set[str]:
    """The stem before "project" in a compound: "het polarisatieproject" names its project by
    "polarisatie" as plainly as "het project polarisatie" does."""
    found = [m.group(1).lower() for m in _PROJECT_COMPOUND.finditer(text)]
    return set(tokenize(found)[0]) if found else set()


def _compound_parts(text: str) -> set[str]:
    """The stems of the beginnings and ends of long words: "polarisatieproject" holds the stem of
    "polarisatie", which a stem of the whole compound does not show."""
    pieces = [
        piece
        for word in re.findall(r"[a-zà-ÿ]{8,}", text.lower())
        for cut in range(4, len(word) - 3)
        for piece in (word[:cut], word[cut:])
    ]
    return {stem for stems in tokenize(pieces) for stem in stems} if pieces else set()


def _compound(a: str, b: str) -> bool:
    """One stem inside the other, long enough to be a word of a Dutch compound."""
    return (len(a) >= 6 and a in b) or (len(b) >= 6 and b in a)
