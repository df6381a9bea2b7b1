"""Extractive, cited answers: the best supporting sentences of the retrieved passages, answer first.

Without an LLM the answer can only be the sources' own words; what this module adds is choosing
the sentences that answer the question, keeping lists as lists, and citing each one exactly.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from rag.answer.answer_types import asks_for, counted, counts, holds
from rag.language.idioms import idiom_groups, read_idioms
from rag.language.vocabulary import ABBREVIATIONS, COGNATE_PREFIX, LIST_QUESTION, MONTHS, to_dutch_terms
from rag.retrieval.retriever import Hit
from rag.schema import Chunk, Citation
from rag.store.bm25 import tokenize

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘'\"(€])|\n+")
# A list item's mark at the start of a line: "- ", "• ", "a. ", "1. ", "(b) ".
_FIGURE = re.compile(r"[€%]?\d[\d.,]*%?")
TABLE_FIGURES = 4  # a row of a flattened table holds at least this many, and half its tokens
# volume(issue), pages — or a DOI — as reference lists give them
_CITED_WORK = re.compile(r"\b\d+\s?\(\d+\),\s*(?:e?\d+|\d+\s?[-–]\s?\d+)\b|\bdoi\b|\b10\.\d{4,}/")
_ITEM_MARK = re.compile(r"^(?:[-•]\s|[a-z]\.\s|\d{1,2}[.)]\s|\([a-z0-9]\)\s)")
# The words a sentence opens with when it goes on from the one before it.
# Of those, the ones that refer back to it rather than add to it ("Om dit te verbeteren …").
_REFERRING = (
    r"Om (?:dit|dat|deze|die|daar)|Dit|Deze|Dat|Die|Hierbij|Hiermee|Hiervoor|Hierin|Hierdoor|"
    r"Daarbij|Daarmee|Daarvoor|Daartoe|Daarom|Daarin"
)
_CONTINUES = re.compile(
    rf"(Ook|Daarnaast|Zo|Zij|Ze|Tevens|Vervolgens|Bovendien|Concreet|Bijvoorbeeld|{_REFERRING})\b"
)
_REFERS = re.compile(rf"({_REFERRING})\b")
# "Welke voorwaarde geldt …?", "What is the condition …?": the thing the question asks for by name.
_ASKED_NOUN = re.compile(
    r"^\s*(?:welke|welk|which|wat is de|wat is het|what is the|what are the)\s+([\w-]+)", re.I
)


def _synonym_groups() -> dict[str, frozenset[str]]:
    """Each stem of a synonym group (rag/language/dutch_synonyms.toml, and the sources' words of each
    idiom in idioms.toml) with the other stems of its group."""
    data = tomllib.loads(
        resources.files("rag.language").joinpath("dutch_synonyms.toml").read_text(encoding="utf-8")
    )
    out: dict[str, frozenset[str]] = {}
    for group in [*data["groups"], *idiom_groups()]:
        stems = frozenset(tokenize([" ".join(group)])[0])
        for stem in stems:
            out[stem] = out.get(stem, frozenset()) | (stems - {stem})
    return out


SYNONYMS = _synonym_groups()
_DAY = re.compile(rf"\b\d{{1,2}}\s+(?:{'|'.join(MONTHS['nl'] + MONTHS['en'])})\s+(?:19|20)\d\d\b", re.I)
_WORDS = re.compile(r"[^\W\d_]+")
DATELINE_LABEL = 6  # words a date line's label may have ("Zo pak je het aan")
_CUT_WORD = re.compile(r"\w-$")
_FOOTNOTE = re.compile(r"\[(\d{1,3})\]")
MAX_SENTENCES = 3
# How much of a sentence's coverage may come from its section path. Chosen on the read sets
# (0.5 … 1.0 in steps of 1/8; pass 650, 652, 654, 653, 650 of 893; left-one-set-out ~652): a
# sentence that restates the page title ("Zes gemeenten ontwikkelen … lokale aanpak van racisme")
# no longer outranks the line under it that answers ("Deelnemende gemeenten: …").
HEADING_WEIGHT = 0.75
MAX_PASSAGES = 5  # the best passages whose sentences compete for the answer
NEARBY = 3  # sentences after the best one where the answer it lacks may sit
COMMON_SHARE = 0.1  # a word in this share of the passages or more ("gaan", "we") is no content
MAX_LIST_ITEMS = 12
OPEN_KINDS = (None, "manner")  # what and how questions: answered by a whole short list
SHORT_LEAD_WORDS = 4  # a list's lead shorter than this brings the sentence before it
SHORT_LIST_WORDS = 120  # a list this short comes whole when one of its bullets answers
MAX_OVERVIEW_WORDS = 250
ANSWER_TYPE_BONUS = 0.3  # a sentence holding the kind of thing asked for (a number for "hoeveel")
LIST_LEAD_SHARE = 0.9  # a list's lead sentence within this share of the best score answers a list question
HEADED_LEAD_SHARE = 0.5  # … or within this share, under a heading that names what is asked


@dataclass(frozen=True)
class Span:
    """A sentence or list item inside a chunk, with offsets relative to the chunk text."""

    chunk: Chunk
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    @property
    def is_item(self) -> bool:
        return bool(_ITEM_MARK.match(self.text))

    @property
    def is_bullet(self) -> bool:
        return self.text.startswith(("- ", "• "))

    @property
    def introduces_list(self) -> bool:
        return self.text.endswith(":")


@dataclass(frozen=True)
class Candidate:
    """A span with its question coverage and its score (coverage weighted by passage rank)."""

    score: float
    coverage: float
    span: Span


@dataclass(frozen=True)
class Composed:
    answer: str
    citations: tuple[Citation, ...]
    lead: str = ""  # an English answer's first line, which names the documents it quotes

    @property
    def quoted(self) -> str:
        """What the answer says from the sources: without its English lead."""
        return self.answer.removeprefix(self.lead)


def spans(chunk: Chunk) -> list[Span]:
    """Sentences and list items (each item whole) of a chunk, its section headings left out,
    stripped, with exact offsets."""
    out: list[Span] = []
    position = 0
    for match in [*_SENTENCE_END.finditer(chunk.text), None]:
        end = match.start() if match else len(chunk.text)
        if match and _ITEM_MARK.fullmatch(chunk.text[position : match.end()].lstrip("\n")):
            continue  # "1. " opens a list item; the item goes on after it
        raw = chunk.text[position:end]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        start, stop = position + lead, position + lead + len(text)
        goes_on = _continues_line(text) or (bool(out) and _ends_in_abbreviation(out[-1].text))
        # a bullet is one unit: its further sentences on its line belong to it (a numbered item is
        # often a paragraph of its own, "10. AI: …" over five sentences, whose sentences answer apart)
        in_item = bool(out) and out[-1].is_bullet and "\n" not in chunk.text[out[-1].end : start]
        if (goes_on or in_item) and out and "\n\n" not in chunk.text[out[-1].end : start]:
            # a sentence broken over a line, or after "dr." or "o.a.", goes on
            out[-1] = Span(chunk, out[-1].start, stop)
        elif (
            (len(text) >= 12 or text.endswith(":"))  # "Zo gaan we:" leads a list in
            and not any(text in heading for heading in chunk.section)
            and not _dateline(text)
            and not _table_row(text)
            and not _reference(text)
        ):
            # a heading (or the title part of one) says where, not what; a dateline says when
            # the page appeared ("Interview · 10 februari 2026"), which the page's facts answer
            out.append(Span(chunk, start, stop))
        if match:
            position = match.end()
    return out


def _dateline(text: str) -> bool:
    """A page's date line: days with a label or two each ("Bijgewerkt op 5 november 2025",
    "Interview · 10 februari 2026"), or a short label line without a full stop ("Zo pak je het aan
    · 15 maart 2022"); no sentence about anything."""
    days = len(_DAY.findall(text))
    words = len(_WORDS.findall(_DAY.sub(" ", text)))
    return days > 0 and (words <= 2 * days + 1 or (words <= DATELINE_LABEL and not text.endswith(".")))


def _table_row(text: str) -> bool:
    """A flattened table row ("Planning in maanden 1 2 3 4 5 6 7 8 9 10 11 12"): mostly figures,
    which say something only under their column headings."""
    tokens = text.split()
    figures = sum(bool(_FIGURE.fullmatch(t)) for t in tokens)
    return figures >= TABLE_FIGURES and figures * 2 >= len(tokens)


def _reference(text: str) -> bool:
    """An entry of a reference list ("Gender and Education, 36(2), 167-182."): a source, not a claim."""
    return bool(_CITED_WORK.search(text))


def _ends_in_abbreviation(text: str) -> bool:
    """The text's full stop closes an abbreviation ("programmaleider dr."), not the sentence."""
    words = text.split()
    return text.endswith(".") and bool(words) and words[-1][:-1].lower().lstrip("(") in ABBREVIATIONS


def _continues_line(text: str) -> bool:
    """A piece that starts in the middle of a sentence: a lower-case word that opens no list item."""
    return text[:1].islower() and not _ITEM_MARK.match(text)


def question_stems(question: str, scorer: Scorer, language: Literal["nl", "en"]) -> list[str]:
    """The question's stems as the Dutch sources would hold them: an English question's words
    through the glossary's terms and the Latin cognates."""
    if language == "en":
        english = tokenize([to_dutch_terms(question)])[0]
        return list(dict.fromkeys(scorer.cognate(s) for s in english))
    return list(dict.fromkeys(tokenize([question])[0]))


class Scorer:
    """Scores sentences by the idf-weighted share of the question's stems they contain."""

    def __init__(
        self,
        document_frequency: dict[str, int],
        documents: int,
        synonyms: Mapping[str, frozenset[str]] = SYNONYMS,
    ) -> None:
        self._df = document_frequency
        self._n = max(documents, 1)
        self._synonyms = synonyms
        self._by_prefix: dict[str, str] = {}  # a stem's first letters → the most used stem with them
        for stem in sorted(document_frequency, key=lambda w: -document_frequency[w]):
            self._by_prefix.setdefault(stem[:COGNATE_PREFIX], stem)

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> Scorer:
        df: dict[str, int] = {}
        n = 0
        for chunk in chunks:
            n += 1
            for stem in set(tokenize([chunk.text])[0]):
                df[stem] = df.get(stem, 0) + 1
        return cls(df, n)

    def cognate(self, stem: str) -> str:
        """An English stem as the corpus stem it shares its first letters with ("organisations" →
        "organisaties", "reflection" → "reflectie"): English and Dutch share these Latin stems."""
        if stem in self._df or len(stem) < COGNATE_PREFIX:
            return stem
        return self._by_prefix.get(stem[:COGNATE_PREFIX], stem)

    def idf(self, stem: str) -> float:
        return math.log(1 + self._n / (1 + self._df.get(stem, 0)))

    def idf_at_share(self, share: float) -> float:
        """The idf of a word in that share of the passages: below it, a word says little."""
        return math.log(1 + self._n / (1 + share * self._n))

    def known(self, stem: str, *, compounds: bool = False) -> bool:
        """In the corpus; with ``compounds``, also as part of a longer word ("eindrapport")."""
        return stem in self._df or (compounds and len(stem) >= 5 and any(stem in w for w in self._df))

    def head(self, stem: str) -> str:
        """A compound the corpus does not know stands for its last part when that is known: the
        head of a Dutch compound says what it is ("eindrapport" is a "rapport")."""
        if stem in self._df:
            return stem
        return next((stem[cut:] for cut in range(1, len(stem) - 4) if stem[cut:] in self._df), stem)

    def coverage(self, question_stems: Sequence[str], text: str) -> float:
        """Share of the question's idf mass found in ``text`` (a compound of a found word counts)."""
        total = sum(self.idf(s) for s in question_stems)
        if not total:
            return 0.0
        words = set(tokenize([text])[0])
        found = sum(
            self.idf(s)
            for s in question_stems
            if s in words
            or not words.isdisjoint(self._synonyms.get(s, ()))
            or any(_compound(s, w) or _verb_form(s, w) for w in words)
        )
        return found / total


def _verb_form(a: str, b: str) -> bool:
    """The stemmer keeps the "-t" of a present tense ("houdt", "organiseert") that it drops from the
    participle ("gehouden" → "houd"): the same verb either way."""
    return len(a) >= 4 and len(b) >= 4 and a != b and a.removesuffix("t") == b.removesuffix("t")


def _compound(a: str, b: str) -> bool:
    """One word part of the other's compound: "polarisatieproject" and "polarisatie" either way."""
    return (len(a) >= 5 and a in b) or (len(b) >= 6 and b in a)


def compose(
    question: str,
    hits: Sequence[Hit],
    scorer: Scorer,
    language: Literal["nl", "en"],
    max_passages: int = MAX_PASSAGES,
    following: Mapping[str, Chunk] | None = None,
) -> Composed:
    """Answer-first extractive composition over the top passages. ``following`` maps a passage to
    the next one of its section, where a list that runs past the passage's end goes on."""
    return _render(choose(question, hits, scorer, language, max_passages, following), language)


def choose(
    question: str,
    hits: Sequence[Hit],
    scorer: Scorer,
    language: Literal["nl", "en"],
    max_passages: int = MAX_PASSAGES,
    following: Mapping[str, Chunk] | None = None,
) -> list[Span]:
    """The sentences or list that answer, in the order they are quoted. A sentence is matched to
    the question's phrases as the sources say them ("doen mee" as "deelnemen"); what is asked for
    (a list, a number, a name) is read from the question's own words."""
    stems = question_stems(read_idioms(question), scorer, language)
    wanted = asks_for(question)
    counting = _counted(question, wanted, scorer, language)
    candidates: list[Candidate] = []
    for rank, hit in enumerate(hits[:max_passages]):
        prior = 1.0 / (1.0 + 0.35 * rank)
        # the section path is context: within project 14, "moslimdiscriminatie" in the question is
        # said by its title, and the sentence that answers says the rest
        heading = " ".join(hit.chunk.section)
        for order, span in enumerate(spans(hit.chunk)):
            own = scorer.coverage(stems, span.text)
            placed = scorer.coverage(stems, f"{span.text} {heading}")
            coverage = (1 - HEADING_WEIGHT) * own + HEADING_WEIGHT * placed
            score = coverage * prior - 0.001 * order
            if wanted and holds(wanted, span.text, question):
                score *= 1 + ANSWER_TYPE_BONUS
            candidates.append(Candidate(score, coverage, span))
    # a sentence that announces a list ("… zijn hieronder weergegeven:") answers only with its items
    candidates = [c for c in candidates if not c.span.introduces_list or _list_items(c.span, following or {})]
    if not candidates:
        return []
    candidates.sort(key=lambda c: c.score, reverse=True)
    if counting:  # "4 thematische campagnes" answers "hoeveel campagnes" over any sentence about them
        candidates.sort(key=lambda c: counts(c.span.text, counting), reverse=True)
    best_score, best = candidates[0].score, candidates[0].span
    listing = bool(LIST_QUESTION.search(question))
    noun = _asked_noun(question)
    if listing and not best.introduces_list and (lead := _list_lead(candidates, noun)) is not None:
        best = lead
    if (best.introduces_list or listing) and (items := _list_items(best, following or {})):
        chosen = items
    else:
        # "Daarbij richten we ons op …" leans on the sentence before it, which comes along
        before = _previous(best) if _REFERS.match(best.text) else None
        chosen = [before, best] if before is not None else [best]
        if (follow := _continuation(best)) is not None:
            chosen.append(follow)
            # "Ook sluit … niet aan." then "Om dit te verbeteren …": what is done about it
            if (then := _continuation(follow)) is not None and _REFERS.match(then.text):
                chosen.append(then)
        for candidate in candidates[1:]:
            if len(chosen) >= MAX_SENTENCES or candidate.score < 0.5 * best_score:
                break
            if not any(_overlaps(candidate.span, c) for c in chosen):
                chosen.append(candidate.span)
        fits = _fits(question, wanted, noun, scorer)
        lacking = fits is not None and not any(fits(c.text) for c in chosen)
        for at, span in enumerate(chosen):  # near the best sentence first, then near the others
            if (near := _nearby_answer(span, fits if lacking else None, stems, scorer)) is not None:
                rest = [c for c in chosen[at + 1 :] if c != near]
                chosen = [*chosen[: at + 1], near, *rest][:MAX_SENTENCES]
                break
        if wanted in OPEN_KINDS:
            chosen = _whole_lists(chosen)
    return _tidy(chosen)


def _whole_lists(chosen: list[Span]) -> list[Span]:
    """Each chosen bullet of a short list as the whole list with its lead-in: an open question
    ("what changes?") is answered by every item ("Zo gaan we: …"), not by the two that matched."""
    out: list[Span] = []
    for span in chosen:
        if any(_overlaps(span, s) for s in out):
            continue
        items = _list_items(span, {}) if span.is_bullet else []
        short = sum(len(s.text.split()) for s in items) <= SHORT_LIST_WORDS
        out.extend(items if items and short else [span])
    return out


def _tidy(chosen: list[Span]) -> list[Span]:
    """What a reader would strike: a sentence said before (a page that repeats its contact line),
    and a lead that announces a list ("… de volgende maatregelen:") whose items do not follow it."""
    out: list[Span] = []
    for at, span in enumerate(chosen):
        following = chosen[at + 1] if at + 1 < len(chosen) else None
        repeated = any(span.text.casefold() == s.text.casefold() for s in out)
        if not repeated and not (span.introduces_list and (following is None or not following.is_item)):
            out.append(span)
    return out or chosen


def _counted(
    question: str, wanted: str | None, scorer: Scorer, language: Literal["nl", "en"]
) -> frozenset[str]:
    """What a "hoeveel" question counts, as the Dutch sources would name it."""
    if wanted != "number":
        return frozenset()
    nouns = counted(to_dutch_terms(question) if language == "en" else question)
    return frozenset(scorer.cognate(n) for n in nouns) if language == "en" else nouns


def _fits(question: str, wanted: str | None, noun: str, scorer: Scorer) -> Callable[[str], bool] | None:
    """What a sentence must hold to answer: the kind of thing asked for (a number for "hoeveel"),
    or the thing a "welke …" question names when the plan uses that word rarely ("Welke voorwaarde
    geldt …?" is answered by "Voorwaarde is dat …")."""
    if wanted is not None:
        return lambda text: holds(wanted, text, question)
    if not noun or scorer.idf(noun) <= scorer.idf_at_share(COMMON_SHARE):
        return None
    return lambda text: any(_compound(noun, w) or noun == w for w in tokenize([text])[0])


def _asked_noun(question: str) -> str:
    """The stem of the thing a "welke …" question asks for by name ("Welke voorwaarde …?"); "" if none."""
    if (named := _ASKED_NOUN.match(question)) is None:
        return ""
    tokens = tokenize([named.group(1)])[0]
    return tokens[-1] if tokens else ""  # "e-learning" is two tokens; its head is the last


def _nearby_answer(
    chosen: Span, fits: Callable[[str], bool] | None, stems: Sequence[str], scorer: Scorer
) -> Span | None:
    """A sentence near a chosen one that holds what the answer lacks. When no chosen sentence fits
    the question (``fits``: holds a number for "hoeveel"), or this one only restates the question
    ("Ook het persbeleid gaan we aanscherpen."), the answer is mostly a sentence or two further on
    in the same passage, sometimes the one before."""
    own = spans(chosen.chunk)
    at = next(i for i, s in enumerate(own) if s.start == chosen.start)
    after, before = own[at + 1 : at + 1 + NEARBY], own[max(at - 1, 0) : at]
    if fits:
        return next((s for s in [*after, *before] if fits(s.text)), None)
    if after and _restates(chosen, stems, scorer):
        return after[0]
    return None


def _restates(span: Span, stems: Sequence[str], scorer: Scorer) -> bool:
    """The sentence says nothing the question does not: at most one content word of its own."""
    asked = set(stems)
    words = set(tokenize([span.text])[0])
    own = [w for w in words if w not in asked and not any(_compound(w, a) for a in asked)]
    content = [w for w in own if scorer.idf(w) > scorer.idf_at_share(COMMON_SHARE)]
    return len(content) <= 1 and scorer.coverage(list(asked), span.text) > 0


def _continuation(span: Span) -> Span | None:
    """The sentence right after ``span`` in its passage when it goes on from it ("Ook …", "Dit doen
    we door …"): an answer often sits in the sentence that continues the one that matches."""
    following = [s for s in spans(span.chunk) if s.start >= span.end]
    if not following or span.is_item or following[0].is_item:
        return None
    first = following[0]
    between = span.chunk.text[span.end : first.start]
    return first if "\n\n" not in between and _CONTINUES.match(first.text) else None


def _previous(span: Span) -> Span | None:
    """The sentence right before ``span`` in its paragraph, if any."""
    before = [s for s in spans(span.chunk) if s.end <= span.start]
    if not before or before[-1].is_item or "\n\n" in span.chunk.text[before[-1].end : span.start]:
        return None
    return before[-1]


def overview(chunks: Sequence[Chunk], language: Literal["nl", "en"]) -> Composed:
    """A part of a document in its own words, in order: when it holds a list, its lead lines and
    items (the list is the answer); else its opening sentences."""
    return _render(overview_spans(chunks, MAX_OVERVIEW_WORDS), language)


def side_by_side(parts: Sequence[tuple[str, Sequence[Chunk]]], language: Literal["nl", "en"]) -> Composed:
    """The same part of several documents or projects, each under its label, each shorter: for
    "Wat is het verschil in aanpak tussen project 7 en 8?"."""
    words = MAX_OVERVIEW_WORDS // max(len(parts), 1)
    return render_groups([(label, overview_spans(chunks, words)) for label, chunks in parts], language)


def render_groups(groups: Sequence[tuple[str, Sequence[Span]]], language: Literal["nl", "en"]) -> Composed:
    """Quoted spans under labels, one group per item compared, cited in one numbering."""
    numbers, citations = _cite([span for _, chosen in groups for span in chosen])
    lines = [
        line
        for label, chosen in groups
        for line in [f"{label}:", *(f"{quote(s.text)} [{numbers[s.chunk.id]}]" for s in chosen)]
    ]
    return _framed(
        "\n".join(lines), [span.chunk for _, chosen in groups for span in chosen], citations, language
    )


def overview_spans(chunks: Sequence[Chunk], max_words: int) -> list[Span]:
    """The spans an overview quotes: a list's lead lines and items up to ``max_words``, or else the
    opening sentences."""
    all_spans = [span for chunk in chunks for span in spans(chunk)]
    if not any(span.is_item for span in all_spans):
        return all_spans[:MAX_SENTENCES]
    chosen: list[Span] = []
    words = 0
    for span in all_spans[:MAX_LIST_ITEMS]:
        words += len(span.text.split())
        if chosen and words > max_words:
            break
        chosen.append(span)
    return chosen


def _list_lead(candidates: list[Candidate], noun: str) -> Span | None:
    """For a list question, a sentence that opens a list ("… de volgende uitgangspunten:") and
    covers the question nearly as well as the best, or stands under a heading of its own that names
    what is asked ("Vijf mechanismen" for "Welke mechanismen …?"), in whichever of the top passages:
    the list answers the question, a related sentence does not."""
    best = max(c.coverage for c in candidates)
    for candidate in candidates:
        span = candidate.span
        section = span.chunk.section
        heading = set(tokenize([section[-1]])[0]) if len(section) > 1 else set()
        named = noun in heading and candidate.coverage >= HEADED_LEAD_SHARE * best
        near = candidate.coverage >= LIST_LEAD_SHARE * best or named
        if near and span.introduces_list and not span.is_item and _list_items(span, {})[1:]:
            return span
    return None


def _list_items(best: Span, following: Mapping[str, Chunk]) -> list[Span]:
    """When the best sentence introduces or belongs to a list, that list in document order: the
    items right after a lead sentence ("… bestaat uit de volgende onderdelen:"), the run an item
    belongs to (into the next passage of the section when it runs past this one's end), or else
    (a list question) every bullet of the passage."""
    all_spans = spans(best.chunk)
    at = next(i for i, s in enumerate(all_spans) if s.start == best.start)
    if best.is_item:
        first = at
        while first > 0 and all_spans[first - 1].is_item:
            first -= 1
        opens = first > 0 and all_spans[first - 1].introduces_list  # "Zo gaan we:" comes along
        lead, run = _lead_in(all_spans, first - 1) if opens else [], _run(all_spans, first)
    else:
        lead, run = [best], _run(all_spans, at + 1) if best.introduces_list else []
    if not run and not best.is_item:  # numbered paragraphs are no list to quote whole: bullets only
        run = [s for s in all_spans if s.text.startswith(("- ", "• "))]
    # the last item's line runs to the passage's end (its own further sentences may follow it)
    if run and "\n" not in best.chunk.text[run[-1].end :] and (after := following.get(best.chunk.id)):
        rest = [s for s in spans(after) if after.start + s.start >= best.chunk.end]  # past the overlap
        run += _run(rest, 0) if rest and rest[0].is_item else []
    return lead + run[:MAX_LIST_ITEMS] if run else []


def _lead_in(all_spans: list[Span], at: int) -> list[Span]:
    """The sentence that opens a list, with the one before it when it says too little alone
    ("Met deze informatie gaan we … doorvoeren. Zo gaan we:")."""
    lead = all_spans[at]
    if len(lead.text.split()) < SHORT_LEAD_WORDS and (before := _previous(lead)) is not None:
        return [before, lead]
    return [lead]


def _run(all_spans: list[Span], first: int) -> list[Span]:
    """The consecutive list items from position ``first``. Further sentences of an item (on its
    line) are left out but do not end the list: a bullet that explains itself is still one item."""
    run: list[Span] = []
    previous: Span | None = None
    for span in all_spans[first:]:
        if span.is_item:
            run.append(span)
        elif previous is None or "\n" in span.chunk.text[previous.end : span.start]:
            break
        previous = span
    return run


def quote(text: str) -> str:
    """Source text as quoted in an answer: its footnote marks ("[8]") become "(noot 8)", so no
    reader or checker can take them for citation markers; a piece that starts or stops in the
    middle of a sentence or word (a page or column of the PDF broke it) is marked with "…"."""
    quoted = _FOOTNOTE.sub(r"(noot \1)", text)
    if _continues_line(quoted):
        quoted = f"… {quoted}"
    return f"{quoted[:-1]}…" if _CUT_WORD.search(quoted) else quoted


def _overlaps(a: Span, b: Span) -> bool:
    same_text = a.text.lower() == b.text.lower()
    same_place = a.chunk.doc_id == b.chunk.doc_id and (
        a.chunk.start + a.start < b.chunk.start + b.end and b.chunk.start + b.start < a.chunk.start + a.end
    )
    return same_text or same_place


def _render(chosen: list[Span], language: Literal["nl", "en"]) -> Composed:
    """The chosen sentences in order, each with its passage's number."""
    numbers, citations = _cite(chosen)
    lines = [f"{quote(span.text)} [{numbers[span.chunk.id]}]" for span in chosen]
    body = "\n".join(lines) if any(s.is_item for s in chosen) else " ".join(lines)
    return _framed(body, [span.chunk for span in chosen], citations, language)


def _framed(
    body: str, cited: Sequence[Chunk], citations: tuple[Citation, ...], language: Literal["nl", "en"]
) -> Composed:
    """An English answer opens with a line that names the documents it quotes in Dutch."""
    lead = f"{english_frame(cited)}\n" if language == "en" else ""
    return Composed(f"{lead}{body}", citations, lead)


def render_written(lines: Sequence[tuple[str, Span]]) -> Composed:
    """Sentences the answerer writes itself ("‘…’ is geschreven door …"), each citing the line of
    the source that shows what it says; written in the reader's language, so without a frame."""
    numbers, citations = _cite([span for _, span in lines])
    return Composed(" ".join(f"{text} [{numbers[span.chunk.id]}]" for text, span in lines), citations)


def render_labelled(
    entries: Sequence[tuple[str, Span]],
    language: Literal["nl", "en"],
    *,
    sentences: bool = True,
    lead: Span | None = None,
) -> Composed:
    """A list of the document's own headings, each with the sentence that opens its section
    (the span may start at the heading, so that its citation quotes both); a long list of
    headings reads better without (``sentences=False``), its citations still hold them. A
    ``lead``, the document's own sentence that lists them, comes first."""
    numbers, citations = _cite([*([lead] if lead else []), *(span for _, span in entries)])
    lines = [f"{quote(lead.text)} [{numbers[lead.chunk.id]}]"] if lead else []
    for label, span in entries:
        text = " ".join(span.text.split())  # a span may run from the heading into the first sentence
        text = text.removeprefix(label).strip()
        said = not sentences or set(tokenize([label])[0]) >= set(tokenize([text])[0])
        lines.append(f"- {label}" + ("" if said else f": {quote(text)}") + f" [{numbers[span.chunk.id]}]")
    return _framed("\n".join(lines), [span.chunk for _, span in entries], citations, language)


def _cite(chosen: list[Span]) -> tuple[dict[str, int], tuple[Citation, ...]]:
    """Number passages in order of first use; a citation's snippet runs from its first to its last
    chosen sentence, so it is an exact slice of the source."""
    numbers: dict[str, int] = {}
    reach: dict[str, tuple[int, int]] = {}
    for span in chosen:
        numbers.setdefault(span.chunk.id, len(numbers) + 1)
        low, high = reach.get(span.chunk.id, (span.start, span.end))
        reach[span.chunk.id] = (min(low, span.start), max(high, span.end))
    chunks = {span.chunk.id: span.chunk for span in chosen}
    citations = tuple(
        Citation(
            n=n,
            chunk_id=cid,
            doc_id=chunks[cid].doc_id,
            title=chunks[cid].title,
            section=chunks[cid].section_path,
            url=chunks[cid].url,
            snippet=chunks[cid].text[reach[cid][0] : reach[cid][1]],
            start=chunks[cid].start + reach[cid][0],
            end=chunks[cid].start + reach[cid][1],
            kind=chunks[cid].kind,
        )
        for cid, n in numbers.items()
    )
    return numbers, citations


_KIND_EN = {
    "werkplan": "work plan",
    "kennisgids": "knowledge guide",
    "dossier": "knowledge dossier",
    "artikel": "article",
    "publicatie": "publication",
}


def english_frame(cited: Sequence[Chunk]) -> str:
    """The lead of an English answer, naming the documents it quotes by kind and title: a reader
    must know whether the Dutch words come from the work plan or from a knowledge guide."""
    documents = list(dict.fromkeys((c.kind, c.title) for c in cited))
    names = [_document_name(kind, title) for kind, title in documents]
    if not names:
        return "KIS sources say (quoted in Dutch):"
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    verb = "says" if len(names) == 1 else "say"
    return f"{joined[0].upper()}{joined[1:]} {verb} (quoted in Dutch):"


def _document_name(kind: str, title: str) -> str:
    """'the KIS work plan 2026', "the KIS knowledge guide ‘Polarisatie’": kind first, then title."""
    if kind == "werkplan":
        year = re.search(r"\b20\d\d\b", title)
        return "the KIS work plan" + (f" {year.group(0)}" if year else "")
    label = _KIND_EN.get(kind, "page")
    return f"the KIS {label} ‘{title}’" if title else f"a KIS {label}"
