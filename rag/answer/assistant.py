"""The answer flow, wired in one place: check → rewrite → retrieve → decide → compose → cite.

``Assistant.answer`` is the one entry point used by the CLI, the API and the evaluation harness; a
``Draft`` given to it is shown the answer's text as it is written (the API streams it).
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Literal

from wordfreq import zipf_frequency

from rag.answer.answer_types import answers
from rag.answer.clarify import clarification_for, which_of
from rag.answer.compose import (
    Composed,
    Scorer,
    Span,
    choose,
    compose,
    overview,
    render_groups,
    render_labelled,
    render_written,
    side_by_side,
    spans,
)
from rag.answer.decide import Decider, content_stems, lacks_asked, unknown_time
from rag.answer.followups import follow_ups_for
from rag.answer.question import check_question, detect_language
from rag.answer.replies import (
    Sources,
    advice_feedback,
    age_note,
    not_found_reply,
    page_fact_sentences,
    page_order_sentences,
    reply_to_state,
)
from rag.answer.subject import subject_of, with_subject
from rag.answer.support import unsupported
from rag.budget.qa import BudgetQA
from rag.budget.store import BudgetStore
from rag.conversation.rewrite import Rewritten, rewrite
from rag.conversation.state import ConversationState, Scope
from rag.conversation.store import ConversationStore
from rag.embedders import Embedder
from rag.language.idioms import idiom_words
from rag.language.vocabulary import COMMON_ZIPF, COMPARISON, CorpusWords, dutch_terms, to_dutch_terms
from rag.retrieval.retriever import Filters, Hit, Retriever
from rag.schema import Chunk, Clarification, Language, Option, Reply, Retrieved
from rag.store.index import Index
from rag.structure.catalogue import Catalogue
from rag.structure.outline import Entry, Outline
from rag.structure.page_facts import Fact, PageFacts, Shown
from rag.structure.pages import PageTitles
from rag.structure.sections import ProjectParts, aspect_of, aspect_stems
from rag.structure.steps import ProjectSteps

# A question that asks for a plan part holds this share of its other words in one of the part's
# sentences when it asks something within the part ("met wie werkt project 4 nauw samen?").
PART_QUESTION_COVERAGE = 0.5
OUTLINE_SENTENCES = 6  # a longer list of headings is given without each section's first sentence
SIDE_SENTENCES = 2  # per project compared side by side
SUBJECT_COVERAGE = 0.5  # of the question's other words in a page's title and opening, to be about them
CONTACT_SUBJECT = 1.0  # of what a contact question is about in a page's title: its contact is asked for
_WHICH_PROJECT = re.compile(r"^\s*(welk|welke|which|hoeveel|how many)\s+(project|projecten|projects)\b", re.I)
_SUBJECT = re.compile(r"\b(?:over|about|omtrent|rondom)\b(.+)", re.I)  # "de nieuwste publicatie over …"
_PROJECT_WORD = re.compile(r"project\b", re.I)  # "het polarisatieproject", not "onderzoeksprojecten"
# A sentence of an answer with its citation mark and the space after it; a line of a list.
_SENTENCE = re.compile(r".*?(?:[.!?…]\s+(?!\[)|\]\s+|\n+|$)", re.S)

ComposeFn = Callable[[str, list[Hit], Scorer, str], Composed]
# What a route that takes a question does with it: the reply and the scope after it (it records
# the time of its steps in the timings it is given).
Plan = Callable[[dict[str, float]], tuple[Reply, Scope]]
# Why a draft was replaced: the LLM's answer failed the check against its sources, the LLM failed
# while writing, or the answerer's own later checks turned the answer down.
Reason = Literal["unsupported", "failed", "revised"]


class Draft:
    """The answer as a reader sees it while it is written: text is added (``write``) or, when what
    was shown cannot stand, put in its place whole (``replace``, with the reason). ``send`` gets each
    change as an event (``delta`` or ``replace``); ``stop`` says the reader has gone, which a writer
    that takes its time (an LLM) heeds."""

    def __init__(self, send: Callable[[str, dict[str, Any]], object] | None = None) -> None:
        self.text = ""
        self._send = send or (lambda event, data: None)
        self._stopped = threading.Event()  # set by the server's thread, read by the answering one

    def write(self, text: str) -> None:
        if text:
            self.text += text
            self._send("delta", {"text": text})

    def replace(self, text: str, reason: Reason) -> None:
        self.text = text
        self._send("replace", {"text": text, "reason": reason})

    def settle(self, answer: str) -> None:
        """The final answer: what is not shown yet is added sentence by sentence, or it replaces a
        draft it does not go on from (an answer a later check turned down)."""
        if not answer.startswith(self.text):
            self.replace(answer, "revised")
            return
        for sentence in _SENTENCE.findall(answer[len(self.text) :]):
            self.write(sentence)

    def stop(self) -> None:
        self._stopped.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()


_DRAFT: ContextVar[Draft | None] = ContextVar("draft", default=None)


def current_draft() -> Draft:
    """The draft of the turn being answered in this thread (one that goes nowhere outside a turn)."""
    return _DRAFT.get() or Draft()


@contextmanager
def drafting(draft: Draft) -> Iterator[None]:
    """``draft`` is the current one inside: a composer finds it without a parameter in every route."""
    token = _DRAFT.set(draft)
    try:
        yield
    finally:
        _DRAFT.reset(token)


@dataclass(frozen=True)
class Route:
    """One way to answer. ``match`` returns a plan when the route is sure the question is its own,
    None to hand it over to the next route; ``corrected``: it reads the question with the corpus's
    spelling (typos corrected), where names and amounts are not at stake."""

    name: str
    match: Callable[[Rewritten, Language], Plan | None]
    corrected: bool = True


@dataclass(frozen=True)
class AnswerSettings:
    k: int = 8
    dense_weight_en: float | None = None  # the dense side's share for English questions (None: as Dutch)
    max_source_age_years: int = 5  # an answer whose newest source is older says how old it is


class Assistant:
    def __init__(
        self,
        index: Index,
        retriever: Retriever,
        conversations: ConversationStore,
        budget: BudgetQA | None,
        catalogue: Catalogue,
        *,
        settings: AnswerSettings = AnswerSettings(),
        decider: Decider | None = None,
        composer: ComposeFn | None = None,
    ) -> None:
        self.index = index
        self.retriever = retriever
        self.conversations = conversations
        self.budget = budget
        self.settings = settings
        self.catalogue = catalogue
        self.scorer = Scorer.from_chunks(index.chunks.values())
        self.words = CorpusWords.from_chunks(index.chunks.values())
        self.decider = decider or Decider(self.scorer, self.words)
        self.composer = composer or self._extractive
        self.extractive = composer is None
        self.parts = ProjectParts.from_chunks(index.chunks.values())
        self.outline = Outline.from_chunks(index.chunks.values())
        self.steps = ProjectSteps.from_chunks(index.chunks.values())
        self.pages = PageTitles.from_chunks(index.chunks.values())
        self.page_facts = PageFacts(index.info.documents, index.chunks.values())
        self.sources = Sources.from_chunks(index.chunks.values())
        self.years: dict[str, int | None] = {d["id"]: d.get("year") for d in index.info.documents}
        self.following = following(index.chunks.values())
        # first come, first served: structure and the budget tables before text retrieval
        self.routes = (
            Route("keuze uit alle projecten", self._choose_project, corrected=False),
            Route("terugverwijzing", self._refers_back, corrected=False),
            Route("vergelijking", self._compare, corrected=False),
            Route("begroting", self._budget, corrected=False),
            Route("vergelijking van genoemde projecten", self._compare_named),
            Route("stappen van een project", self._steps),
            Route("overzicht", self._outline),
            Route("welk project", self._which_project),
            Route("deel van een projectplan", self._part),
            Route("volgorde van pagina's", self._page_order),
            Route("gegevens van een pagina", self._page_facts),
            Route("tekst", self._text),
        )

    def _extractive(self, question: str, hits: list[Hit], scorer: Scorer, language: Language) -> Composed:
        return compose(question, hits, scorer, language, following=self.following)

    def answer(
        self,
        question: str,
        conversation_id: str | None = None,
        option: str | None = None,
        draft: Draft | None = None,
    ) -> Reply:
        """The reply to one turn, stored in its conversation; a ``draft`` is shown the answer's text
        as it is written, before the turn is stored."""
        started = time.perf_counter()
        text = check_question(question if question.strip() or not option else option)
        conversation = self.conversations.get(conversation_id) if conversation_id else None
        conversation_id = (
            conversation.id if conversation else (conversation_id or self.conversations.create())
        )
        state = ConversationState.from_dict(conversation.state) if conversation else ConversationState()
        language = detect_language(text) if not option else state.language
        turn = rewrite(text, option, state, self.catalogue)
        if turn.resolved_clarification:
            language = state.language
        timings: dict[str, float] = {"rewrite": _ms(started)}

        draft = draft or Draft()
        with drafting(draft):
            reply, scope = self._decide(turn, language, timings)
        if scope.project is None and (page := self.pages.named(turn.question)) is not None:
            scope = Scope(topic=page)  # the page the question names is what its follow-ups are about
        reply = replace(reply, timings={**timings, "total": _ms(started)}, conversation_id=conversation_id)
        draft.settle(reply.answer)
        message_id = self.conversations.append(
            conversation_id,
            text,
            asdict(reply),
            reply_to_state(
                reply,
                scope,
                turn,
                language,
                state.recent_projects,
                self._cited_projects(reply),
                turn.subject or subject_of(turn.question, self.scorer, "en" if language == "en" else "nl"),
            ).to_dict(),
        )
        return replace(reply, message_id=message_id)

    def _cited_projects(self, reply: Reply) -> list[int]:
        chunks = [self.index.chunks.get(c.chunk_id) for c in reply.citations]
        return [c.project for c in chunks if c is not None and c.project is not None]

    def _decide(self, turn: Rewritten, language: str, timings: dict[str, float]) -> tuple[Reply, Scope]:
        """The reply, and the scope the conversation is about after it. A question that would be
        asked back and names nothing of its own ("who is the target group?" after an answer about
        project 4) is about what the conversation is about."""
        reply, scope = self._route(turn, language, timings)
        if (
            reply.status == "clarify"
            and turn.scope.is_empty()
            and not turn.focus.is_empty()
            and not self.catalogue.named_projects(turn.question)
        ):
            return self._route(replace(turn, scope=turn.focus, focus=Scope()), language, timings)
        return reply, scope

    def _route(self, turn: Rewritten, language: str, timings: dict[str, float]) -> tuple[Reply, Scope]:
        """The reply of the first route in the table that takes the question, and the scope after it."""
        lang: Language = "en" if language == "en" else "nl"
        corrected = turn
        for route in self.routes:
            if route.corrected and corrected is turn:  # typos repaired once, when first needed
                corrected = replace(turn, question=self.words.correct(turn.question))
            if (plan := route.match(corrected if route.corrected else turn, lang)) is not None:
                return plan(timings)
        raise AssertionError("the text route takes every question")

    # --- the routes, in the order of ``self.routes`` ---------------------------------------------

    def _choose_project(self, turn: Rewritten, lang: Language) -> Plan | None:
        """A user who answered "another project" to a clarifying question: the full list."""
        if not (turn.resolved_clarification and turn.scope.is_empty()):
            return None
        which = self._all_projects(lang)
        return lambda _: (Reply("clarify", which.question, clarification=which, language=lang), turn.scope)

    def _refers_back(self, turn: Rewritten, lang: Language) -> Plan | None:
        """A follow-up of an answer about several projects: which of them?"""
        if not turn.refers_to:
            return None
        which = which_of(turn.refers_to, self.catalogue, lang)
        return lambda _: (Reply("clarify", which.question, clarification=which, language=lang), turn.scope)

    def _compare(self, turn: Rewritten, lang: Language) -> Plan | None:
        """One plan part of two or more projects, side by side (before the budget: "vergelijk …")."""
        if (compared := self._compared_parts(turn)) is None:
            return None
        hits = [Hit(c, 0.0) for _, chunks in compared for c in chunks]

        def run(timings: dict[str, float]) -> tuple[Reply, Scope]:
            clock = time.perf_counter()
            if self.extractive:
                composed = side_by_side([(self.catalogue.label(n), chunks) for n, chunks in compared], lang)
            else:
                composed = self.composer(turn.question, hits, self.scorer, lang)
            timings["compose"] = _ms(clock)
            return self._answered(replace(turn, scope=Scope()), composed, hits, lang)

        return run

    def _compare_named(self, turn: Rewritten, lang: Language) -> Plan | None:
        """Projects named side by side, by number or by title ("Werken het veerkrachtproject en
        het zelfbeschikkingsproject met dezelfde partners?"): each answered from its own passages
        under its label, never asked back which one is meant."""
        projects = self._compared_projects(turn)
        if len(projects) < 2:
            return None
        return lambda timings: self._answer_side_by_side(turn, projects, lang, timings)

    def _budget(self, turn: Rewritten, lang: Language) -> Plan | None:
        """The budget records answer what the budget tables hold, exactly."""
        clock = time.perf_counter()
        if self.budget is None or (budget := self.budget.answer(turn.question, turn.scope, lang)) is None:
            return None

        def run(timings: dict[str, float]) -> tuple[Reply, Scope]:
            timings["budget"] = _ms(clock)
            return budget

        return run

    def _steps(self, turn: Rewritten, lang: Language) -> Plan | None:
        """ "Uit welke onderdelen bestaat project 11?": the project's own step headings."""
        project = self._asked_project(turn)
        steps = self.steps.steps.get(project) if project is not None else None
        if project is None or not steps or not self.steps.asked(turn.question):
            return None
        scoped = replace(turn, scope=Scope(project=project))
        return lambda timings: self._answer_headings(scoped, steps, lang, timings)

    def _outline(self, turn: Rewritten, lang: Language) -> Plan | None:
        """A level of the document's outline ("de thema's"), counted when asked how many."""
        if not turn.scope.is_empty() or (level := self.outline.asked(turn.question)) is None:
            return None
        overview = self.outline.overviews.get(level)
        counted = self.outline.count(turn.question, level, lang)
        entries = self.outline.levels[level]
        return lambda timings: self._answer_headings(turn, entries, lang, timings, overview, counted)

    def _which_project(self, turn: Rewritten, lang: Language) -> Plan | None:
        """ "Welk project gaat over polarisatie?": the projects whose titles say so (asking back
        "which project?" would return the question)."""
        if not turn.scope.is_empty() or not _WHICH_PROJECT.search(turn.question):
            return None
        found = self.outline.projects(self.catalogue.named_projects(turn.question, listing=True))
        if not found:
            return None
        counted = self.outline.count(turn.question, "project", lang, selected=len(found))
        return lambda timings: self._answer_headings(turn, found, lang, timings, counted=counted)

    def _part(self, turn: Rewritten, lang: Language) -> Plan | None:
        """The part of a named project's plan the question asks for ("de doelgroep van project 2")."""
        if (part := self._plan_part(turn, self._asked_project(turn))) is None:
            return None
        return lambda timings: self._answer_part(turn, part, lang, timings)

    def _page_facts(self, turn: Rewritten, lang: Language) -> Plan | None:
        """ "Wie schreef …?", "Wanneer is … bijgewerkt?": what the page named, in focus or found
        declares about itself, quoted from the line of the page that shows it."""
        if not (facts := self.page_facts.asked(turn.question)):
            return None
        if (page := self._page_asked(turn, facts, lang)) is None:
            return None
        if not (shown := self.page_facts.shown(page.doc_id, facts)):
            return None

        def run(timings: dict[str, float]) -> tuple[Reply, Scope]:
            sentences = page_fact_sentences(page.title, shown, lang)
            shows = [Span(fact.chunk, fact.start, fact.end) for fact in shown]
            composed = render_written(list(zip(sentences, shows, strict=True)))
            hits = [Hit(fact.chunk, 0.0) for fact in shown]
            return self._answered(replace(turn, scope=Scope(topic=page.title)), composed, hits, lang)

        return run

    def _page_order(self, turn: Rewritten, lang: Language) -> Plan | None:
        """ "Wat is de oudste publicatie?", "Welke is nieuwer, A of B?": pages ordered by the
        publication dates they declare, each quoted from the line that shows its date."""
        if (order := self.page_facts.order_asked(turn.question)) is None:
            return None
        kind = None
        if order in ("older", "newer"):  # of the pages named, at least two
            docs = self.page_facts.titled(self.pages.all_named(turn.question))
            pages = sorted(
                (shown[0] for doc in docs if (shown := self.page_facts.shown(doc, ("published",)))),
                key=lambda s: s.value,
            )
            if len(pages) < 2:
                return None
        elif (kind := self.page_facts.kind_asked(turn.question)) is None or not (
            pages := self._on_subject(turn.question, self.page_facts.dated(kind))
        ):
            return None

        def run(timings: dict[str, float]) -> tuple[Reply, Scope]:
            sentences = page_order_sentences(order, kind, pages, lang)
            ordered = [pages[-1], *pages[:-1]] if order in ("newest", "newer") else pages
            lines = [
                (text, Span(p.chunk, p.start, p.end)) for text, p in zip(sentences, ordered, strict=False)
            ]
            hits = [Hit(p.chunk, 0.0) for p in ordered[: len(lines)]]
            scope = Scope(topic=ordered[0].chunk.title)
            return self._answered(replace(turn, scope=scope), render_written(lines), hits, lang)

        return run

    def _on_subject(self, question: str, pages: list[Shown]) -> list[Shown]:
        """Of the dated pages, those about the subject the question names after "over" or "about"
        ("de nieuwste publicatie over polarisatie"): its words mostly in the page's title and opening."""
        subject = _SUBJECT.search(question)
        stems = content_stems(to_dutch_terms(subject.group(1))) if subject else []
        if not stems:
            return pages
        return [
            p
            for p in pages
            if self.scorer.coverage(stems, f"{p.chunk.title} {p.chunk.text}") >= SUBJECT_COVERAGE
        ]

    def _page_asked(self, turn: Rewritten, facts: Sequence[Fact], lang: Language) -> Chunk | None:
        """The page a question about its authors, dates or contacts is about: the one it names by
        title, the one in focus, else the best-retrieved page that declares such facts and holds
        what the question names ("de reportage over Wezeveld"); for a contact, a page whose title
        says all the question is about ("Bij wie kan ik terecht over polarisatie?"), never one that
        merely shares a word with it, nor any page for "het project"."""
        # an English question names a Dutch title with the field's terms ("the knowledge guide …")
        query = to_dutch_terms(turn.question) if lang == "en" else turn.question
        title = self.pages.named(query) or (
            turn.scope.topic if not self._names_other(query, turn.scope) else None
        )
        if title:
            docs = [doc for doc in self.page_facts.titled([title]) if self.page_facts.has(doc, facts)]
            return self.page_facts.chunks(docs[0])[0] if docs else None
        hits = [h for h in self.retriever.search(query, self.settings.k) if h.chunk.kind != "werkplan"]
        pages = [h.chunk for h in hits if self.page_facts.has(h.chunk.doc_id, facts)]
        if "contacts" in facts:
            about = content_stems(to_dutch_terms(self.page_facts.subject(turn.question)))
            pages = [p for p in pages if about and self.scorer.coverage(about, p.title) >= CONTACT_SUBJECT]
        page = next(iter(pages), None)
        if page is None or not self.decider.answerable(turn.question, hits, lang):
            return None
        shown = [f"{page.title} {c.text}" for c in self.page_facts.chunks(page.doc_id)]
        return None if unsupported(turn.question, lang, shown, shown) else page

    def _names_other(self, question: str, scope: Scope) -> bool:
        """A question about a page's facts that names a word another page's title says and its
        focus page's title does not ("En wie schreef de reportage over Wezeveld?" after a question about
        a study) asks about that page; words that only name a kind of page ("dat bericht") or name
        no page ("die handreiking") leave it on the focus."""
        if not scope.topic:
            return False
        # the rarer words of everyday Dutch: "gemeente" names no page by being in one's title
        words = re.findall(r"[\w’'-]+", self.page_facts.without_kinds(self.page_facts.subject(question)))
        about = content_stems(" ".join(w for w in words if zipf_frequency(w.lower(), "nl") < COMMON_ZIPF))
        missing = [stem for stem in about if not self.scorer.coverage([stem], scope.topic)]
        return any(self.scorer.coverage([stem], title) for stem in missing for title in self.pages.titles)

    def _text(self, turn: Rewritten, lang: Language) -> Plan | None:
        """Retrieval over every passage, then refuse, ask back or compose: takes every question.
        A follow-up that points back is read with the words it points back to."""
        asked = replace(turn, question=with_subject(turn.question, turn.subject))
        return lambda timings: self._answer_text(asked, lang, timings)

    def _answer_text(self, turn: Rewritten, lang: Language, timings: dict[str, float]) -> tuple[Reply, Scope]:
        clock = time.perf_counter()
        filters = Filters(project=self._project(turn), onderdeel=turn.scope.onderdeel)
        # the field's English terms get their Dutch words, which the Dutch sources use, and a phrase
        # the words they use for it ("doen mee": "deelnemende")
        query = to_dutch_terms(turn.question) if lang == "en" else turn.question
        if said := idiom_words(turn.question):
            query = f"{query} ({said})"
        if topic := turn.scope.topic or turn.focus.topic:
            # the page the user chose leads retrieval; so does the page the conversation is about,
            # when this question names none of its own ("Kan mijn gemeente nog aansluiten?")
            query = f"{query} ({topic})"
        # BM25 reads Dutch: of an English question it matches only the glossary's terms (and English
        # reference lists), so the dense side leads there
        weight = self.settings.dense_weight_en if lang == "en" else None
        candidates = self.retriever.search(query, self.settings.k, filters=filters, dense_weight=weight)
        hits = on_topic(candidates, turn.scope.topic)
        timings["retrieve"] = _ms(clock)
        retrieved = _retrieved(hits)
        # what the sources never name is refused before anything is asked back about it
        if not hits or self.decider.never_named(turn.question, hits, lang):
            return not_found_reply(hits, lang, retrieved, self.sources), turn.scope
        clarification = (
            None
            if turn.resolved_clarification
            else clarification_for(
                turn.question,
                turn.scope,
                self.catalogue,
                hits,
                self.scorer,
                lang,
                self._dutch_hits(turn, lang, filters),
            )
        )
        if clarification is not None:
            reply = Reply(
                "clarify",
                clarification.question,
                clarification=clarification,
                retrieved=retrieved,
                language=lang,
            )
            return reply, turn.scope
        if not self.decider.answerable(turn.question, hits, lang):
            return not_found_reply(hits, lang, retrieved, self.sources), turn.scope
        clock = time.perf_counter()
        # the budget tables answer through the budget records; as text they are rows of numbers
        prose = [h for h in hits if not h.chunk.budget_table]
        composed = self.composer(turn.question, prose, self.scorer, lang) if prose else Composed("", ())
        timings["compose"] = _ms(clock)
        if lacks_asked(turn.question, composed.quoted) or self._unsupported(turn.question, composed, lang):
            return not_found_reply(hits, lang, retrieved, self.sources), turn.scope
        return self._answered(turn, composed, hits, lang)

    def _unsupported(self, question: str, composed: Composed, lang: Language) -> list[str]:
        """The names, acronyms and years of the question that its answer does not hold."""
        cited = [c for c in (self.index.chunks.get(c.chunk_id) for c in composed.citations) if c is not None]
        answer = [composed.quoted, *(f"{c.title} {c.section_path}" for c in cited)]
        return unsupported(question, lang, answer, [c.text for c in cited])

    def _answer_side_by_side(
        self, turn: Rewritten, projects: Sequence[int], lang: Language, timings: dict[str, float]
    ) -> tuple[Reply, Scope]:
        clock = time.perf_counter()
        query = to_dutch_terms(turn.question) if lang == "en" else turn.question
        found = [
            (
                n,
                [
                    h
                    for h in self.retriever.search(query, self.settings.k, filters=Filters(project=n))
                    if not h.chunk.budget_table
                ],
            )
            for n in projects
        ]
        hits = [h for _, own in found for h in own]
        timings["retrieve"] = _ms(clock)
        if not hits or self.decider.never_named(turn.question, hits, lang):
            return not_found_reply(hits, lang, _retrieved(hits), self.sources), turn.scope
        clock = time.perf_counter()
        if self.extractive:
            groups = [
                (
                    self.catalogue.label(n),
                    choose(turn.question, own, self.scorer, lang, following=self.following),
                )
                for n, own in found
            ]
            composed = render_groups(
                [(label, chosen[:SIDE_SENTENCES]) for label, chosen in groups if chosen], lang
            )
        else:
            composed = self.composer(turn.question, hits, self.scorer, lang)
        timings["compose"] = _ms(clock)
        return self._answered(replace(turn, scope=Scope()), composed, hits, lang)

    def _answer_headings(
        self,
        turn: Rewritten,
        entries: Sequence[Entry],
        lang: Language,
        timings: dict[str, float],
        overview: Span | None = None,
        counted: str | None = None,
    ) -> tuple[Reply, Scope]:
        """Headings of the work plan, each cited with the sentence that opens its section: a level
        of its outline ("de thema's"), or the projects a which-project question names. The plan's
        own sentence that lists the level, when it has one, leads the answer."""
        clock = time.perf_counter()
        leading = [Hit(overview.chunk, 0.0)] if overview else []
        hits = [*leading, *(Hit(e.span.chunk, 0.0) for e in entries)]
        if self.outline.other_year(turn.question):
            return not_found_reply(hits, lang, _retrieved(hits), self.sources), turn.scope
        labelled = [(entry.label, entry.span) for entry in entries]
        composed = render_labelled(labelled, lang, sentences=len(entries) <= OUTLINE_SENTENCES, lead=overview)
        if counted:  # "Hoeveel projecten …?": the count first, then what was counted
            composed = Composed(f"{counted}\n{composed.answer}", composed.citations)
        timings["compose"] = _ms(clock)
        return self._answered(turn, composed, hits, lang)

    def _dutch_hits(self, turn: Rewritten, lang: Language, filters: Filters) -> list[Hit] | None:
        """For an English question, the passages its glossary's Dutch words find (by BM25, which
        reads Dutch), so that evidence splitting over projects is seen as in Dutch."""
        dutch = dutch_terms(turn.question) if lang == "en" else ""
        if not dutch:
            return None
        return on_topic(
            self.retriever.search(dutch, self.settings.k, mode="bm25", filters=filters), turn.scope.topic
        )

    def _project(self, turn: Rewritten) -> int | None:
        """The one project the question is about: by number or by the conversation, or by its
        title when the question says it means a project ("het polarisatieproject")."""
        if turn.scope.project is not None or not _PROJECT_WORD.search(turn.question):
            return turn.scope.project
        named = self.catalogue.named_projects(turn.question)
        return named[0] if len(named) == 1 else None

    def _asked_project(self, turn: Rewritten) -> int | None:
        """The project a part or the steps of a plan are asked of, also by its whole title ("het
        Kennisdossier Sinti en Roma"); a topic question keeps every source, so retrieval is not
        filtered by that."""
        return self._project(turn) or self.catalogue.fully_named(turn.question)

    def _compared_projects(self, turn: Rewritten) -> list[int]:
        """The projects a question puts side by side: two or more by number, or, in a comparison
        ("meer dan", "verschil"), each named by its own words."""
        numbered = self.catalogue.numbered_projects(turn.question)
        if len(numbered) >= 2 or not COMPARISON.search(turn.question):
            return numbered
        return self.catalogue.mentioned_projects(turn.question)

    def _compared_parts(self, turn: Rewritten) -> list[tuple[int, tuple[Chunk, ...]]] | None:
        """One plan part of two or more projects named by number ("het verschil in aanpak tussen
        project 7 en 8"), when each has that part."""
        aspect = aspect_of(self.catalogue.without_titles(turn.question))
        numbers = self.catalogue.numbered_projects(turn.question)
        if aspect is None or len(numbers) < 2:
            return None
        parts = [(n, tuple(self.parts.get(n, aspect))) for n in numbers]
        return parts if all(chunks for _, chunks in parts) else None

    def _plan_part(self, turn: Rewritten, project: int | None) -> Part | None:
        """The part of the asked project's plan the question asks for ("de doelgroep van project
        2"), when it names both."""
        aspect = aspect_of(self.catalogue.without_titles(turn.question))
        if aspect is None:
            return None
        chunks = self.parts.get(project, aspect) if project is not None else ()
        return Part(project, aspect, tuple(chunks)) if project is not None and chunks else None

    def _answer_part(
        self, turn: Rewritten, part: Part, lang: Language, timings: dict[str, float]
    ) -> tuple[Reply, Scope]:
        """The named part of the plan answers: whole when the question asks only for the part,
        its best sentences when the question asks something within it; the project's other
        passages follow as context."""
        clock = time.perf_counter()
        query = to_dutch_terms(turn.question) if lang == "en" else turn.question
        found = self.retriever.search(query, self.settings.k, filters=Filters(project=part.project))
        ids = {c.id for c in part.chunks}
        by_id = {h.chunk.id: h for h in found}
        hits = [by_id.get(c.id, Hit(c, 0.0)) for c in part.chunks] + [
            h for h in found if h.chunk.id not in ids
        ]
        timings["retrieve"] = _ms(clock)
        if unknown_time(turn.question, hits):
            return not_found_reply(hits, lang, _retrieved(hits), self.sources), turn.scope
        clock = time.perf_counter()
        ignored = aspect_stems(part.aspect) | self.catalogue.aliases.get(part.project, frozenset())
        stems = [s for s in content_stems(turn.question) if s not in ignored]
        within = max(
            (self.scorer.coverage(stems, s.text) for c in part.chunks for s in spans(c)), default=0.0
        )
        whole = overview(part.chunks, lang) if self.extractive else None
        # the whole part answers only what it holds: without a count it is no answer to "hoeveel"
        if whole is not None and within < PART_QUESTION_COVERAGE and answers(turn.question, whole.answer):
            composed = whole
        else:
            composed = self.composer(turn.question, hits, self.scorer, lang)
        timings["compose"] = _ms(clock)
        return self._answered(replace(turn, scope=Scope(project=part.project)), composed, hits, lang)

    def _answered(
        self, turn: Rewritten, composed: Composed, hits: list[Hit], lang: Language
    ) -> tuple[Reply, Scope]:
        if not composed.citations:
            return not_found_reply(hits, lang, _retrieved(hits), self.sources), turn.scope
        # a list that went on into the next passage cites it: it is among the sources shown too
        shown = {h.chunk.id for h in hits}
        hits = hits + [
            Hit(self.index.chunks[c.chunk_id], 0.0) for c in composed.citations if c.chunk_id not in shown
        ]
        retrieved = _retrieved(hits)
        cited = [h.chunk for h in hits if h.chunk.id in {c.chunk_id for c in composed.citations}]
        scope = turn.scope if not turn.scope.is_empty() else scope_of(cited)
        citations = tuple(replace(c, year=self.years.get(c.doc_id)) for c in composed.citations)
        years = [c.year for c in citations]
        note = age_note(years, lang, self.settings.max_source_age_years, date.today().year)
        reply = Reply(
            "answered",
            f"{composed.answer}\n{note}" if note else composed.answer,
            citations=citations,
            follow_ups=follow_ups_for(scope, self.index, self.catalogue, lang),
            feedback=advice_feedback(turn.question, lang),
            retrieved=retrieved,
            language=lang,
        )
        return reply, scope

    def _all_projects(self, language: str) -> Clarification:
        """The full list of projects, for a user who picked "another project"."""
        options = tuple(
            Option(self.catalogue.label(n), Scope(project=n).to_value()) for n in self.catalogue.projects
        )
        return Clarification(
            "Welk project bedoelt u?" if language == "nl" else "Which project do you mean?", options
        )


@dataclass(frozen=True)
class Part:
    """One part of one project's plan, as the question asks for it."""

    project: int
    aspect: str
    chunks: tuple[Chunk, ...]


def following(chunks: Iterable[Chunk]) -> dict[str, Chunk]:
    """Each passage's next passage in the same section of the same document."""
    sections: dict[tuple[str, tuple[str, ...]], list[Chunk]] = {}
    for chunk in chunks:
        sections.setdefault((chunk.doc_id, chunk.section), []).append(chunk)
    ordered = [sorted(found, key=lambda c: c.start) for found in sections.values()]
    return {a.id: b for run in ordered for a, b in itertools.pairwise(run)}


def _retrieved(hits: Sequence[Hit]) -> tuple[Retrieved, ...]:
    return tuple(
        Retrieved(
            i,
            h.chunk.id,
            h.chunk.doc_id,
            h.chunk.section_path,
            h.chunk.text,
            h.score,
            h.dense_rank,
            h.bm25_rank,
        )
        for i, h in enumerate(hits, start=1)
    )


def on_topic(hits: list[Hit], topic: str | None) -> list[Hit]:
    """The chosen page's passages first: the answer is about that page, the rest is context."""
    if not topic:
        return hits
    return sorted(hits, key=lambda h: h.chunk.title != topic)


def scope_of(cited: Sequence[Chunk]) -> Scope:
    """What an answer was about, for follow-ups: the project (or else the onderdeel) its first
    sentence quotes when most of what it quotes is of that one, or else the knowledge page its
    first sentence quotes (answers come answer first; "wie heeft die geschreven?" asks about that
    page, not about one quoted further on)."""
    first = cited[0].project if cited else None
    if first is not None and 2 * sum(c.project == first for c in cited) > len(cited):
        return Scope(project=first)
    part = cited[0].onderdeel if cited and first is None else None
    if part is not None and 2 * sum(c.onderdeel == part and c.project is None for c in cited) > len(cited):
        return Scope(onderdeel=part)  # "en hoeveel geld gaat daarnaartoe?" after an answer about D
    if cited and all(c.kind != "werkplan" for c in cited) and cited[0].title:
        return Scope(topic=cited[0].title)
    return Scope()


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)


def build_assistant(
    index: Index,
    embedder: Embedder,
    conversations: ConversationStore,
    *,
    candidate_k: int = 40,
    dense_weight: float = 0.3,
    settings: AnswerSettings = AnswerSettings(),
    composer: ComposeFn | None = None,
) -> Assistant:
    """The answerer's object graph over an opened index: retrieval, the catalogue and, when the
    build holds budget records, the budget answers."""
    retriever = Retriever(index, embedder, candidate_k=candidate_k, dense_weight=dense_weight)
    catalogue = Catalogue.from_chunks(index.chunks.values())
    budget = (
        BudgetQA(BudgetStore(index.paths.budget), index, catalogue) if index.paths.budget.exists() else None
    )
    return Assistant(index, retriever, conversations, budget, catalogue, settings=settings, composer=composer)
