"""The optional LLM answerer: writes from the same numbered passages, and is checked before use.

Every ``[n]`` must resolve to a passage and every number in the answer must stand in a cited
passage; otherwise the extractive answer is used. The answer is shown as the model writes it (the
turn's draft) and replaced by the extractive one when the check turns it down. Nothing in the
product needs an LLM.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel

from rag.answer.assistant import Draft, Reason, current_draft
from rag.answer.compose import Composed, Scorer, compose, spans
from rag.answer.prompts import LANGUAGE_NAMES, SYSTEM_NL, USER
from rag.errors import ConfigError
from rag.retrieval.retriever import Hit
from rag.schema import Citation, Language
from rag.store.bm25 import tokenize

log = logging.getLogger(__name__)

_MARK = re.compile(r"\[(\d+)\]")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_HELD = re.compile(r"\s*(?:\[\d*)?$")  # what may yet end the answer or become a mark: wait for more
MAX_PASSAGES = 5


def make_chat_model(provider: str, url: str, model: str, api_key: str | None) -> BaseChatModel:
    """``openai`` (any OpenAI-compatible server) or ``ollama``; needs the extra ``llm``."""
    try:
        match provider:
            case "openai":
                from langchain_openai import ChatOpenAI

                openai_model: BaseChatModel = ChatOpenAI(
                    base_url=url, model=model, api_key=api_key or "none", temperature=0
                )
                return openai_model
            case "ollama":
                from langchain_ollama import ChatOllama

                ollama_model: BaseChatModel = ChatOllama(base_url=url, model=model, temperature=0)
                return ollama_model
    except ImportError as exc:
        raise ConfigError("Het LLM vraagt de extra 'llm': pip install '.[llm]'") from exc
    raise ConfigError(f"Onbekende LLM-aanbieder {provider!r}: kies 'openai' of 'ollama'.")


class LLMComposer:
    """A ``ComposeFn`` that asks a chat model, guarded, with the extractive composer as fallback."""

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model

    def __call__(self, question: str, hits: list[Hit], scorer: Scorer, language: str) -> Composed:
        lang: Language = "en" if language == "en" else "nl"
        passages = hits[:MAX_PASSAGES]
        numbered = "\n\n".join(
            f"[{i}] ({h.chunk.section_path})\n{h.chunk.text}" for i, h in enumerate(passages, 1)
        )
        messages: list[Any] = [
            ("system", SYSTEM_NL.format(language_name=LANGUAGE_NAMES[lang])),
            ("human", USER.format(passages=numbered, question=question)),
        ]
        draft, marks, written = current_draft(), Marks(), []
        try:
            for chunk in self.model.stream(messages):
                if draft.stopped:  # nobody reads on: the turn is kept in the sources' own words
                    log.info("LLM-antwoord afgebroken: de lezer is weg; extractief antwoord gebruikt")
                    return compose(question, hits, scorer, lang)
                written.append(chunk.text)
                draft.write(marks.feed(chunk.text))
            draft.write(marks.end())
        except Exception as exc:  # any provider failure means: answer without the LLM
            log.warning("LLM faalde, extractief antwoord gebruikt: %s", exc)
            return _extractive(draft, "failed", question, hits, scorer, lang)
        checked = check_answer("".join(written).strip(), passages, question)
        if checked is None:
            log.info("LLM-antwoord afgekeurd door de controle; extractief antwoord gebruikt")
            return _extractive(draft, "unsupported", question, hits, scorer, lang)
        return checked


def _extractive(
    draft: Draft, reason: Reason, question: str, hits: list[Hit], scorer: Scorer, lang: Language
) -> Composed:
    """The extractive answer, in place of what the model had written so far."""
    composed = compose(question, hits, scorer, lang)
    if draft.text:
        draft.replace(composed.answer, reason)
    return composed


class Marks:
    """The model's text as it streams, each ``[n]`` numbered as ``check_answer`` numbers it (in
    order of first use), so the text shown is the text kept when the check passes. A mark cut
    between two tokens, and spaces that may end the answer, wait for the next token."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}
        self._held = ""
        self._shown = False

    def feed(self, text: str) -> str:
        held = self._held + text if self._shown else (self._held + text).lstrip()
        tail = _HELD.search(held)
        cut = tail.start() if tail else len(held)
        self._held, self._shown = held[cut:], self._shown or cut > 0
        return self._numbered(held[:cut])

    def end(self) -> str:
        return self._numbered(self._held.rstrip())

    def _numbered(self, text: str) -> str:
        return _MARK.sub(lambda m: f"[{self.numbers.setdefault(int(m[1]), len(self.numbers) + 1)}]", text)


def check_answer(text: str, passages: Sequence[Hit], question: str = "") -> Composed | None:
    """The answer with its citations when it passes the guard, else None. Numbers from the
    question itself (a project number) need no source."""
    used = [int(n) for n in _MARK.findall(text)]
    if not used or any(not 1 <= n <= len(passages) for n in used):
        return None
    cited = list(dict.fromkeys(used))  # numbered in order of first use, as the draft showed them
    cited_text = " ".join(passages[n - 1].chunk.text for n in cited)
    figures = _FIGURE.findall(_MARK.sub(" ", text))
    if any(figure not in cited_text and figure not in question for figure in figures):
        return None
    renumber = {old: new for new, old in enumerate(cited, start=1)}
    answer = _MARK.sub(lambda m: f"[{renumber[int(m.group(1))]}]", text)
    citations = tuple(_citation(renumber[n], passages[n - 1], text) for n in cited)
    return Composed(answer, citations)


def _citation(n: int, hit: Hit, answer: str) -> Citation:
    """Cite the passage's sentence that shares most words with the answer."""
    words = set(tokenize([answer])[0])
    candidates = spans(hit.chunk)
    best = max(candidates, key=lambda s: len(words & set(tokenize([s.text])[0])), default=None)
    chunk = hit.chunk
    start, end = (best.start, best.end) if best else (0, len(chunk.text))
    return Citation(
        n,
        chunk.id,
        chunk.doc_id,
        chunk.title,
        chunk.section_path,
        chunk.url,
        chunk.text[start:end],
        chunk.start + start,
        chunk.start + end,
    )
