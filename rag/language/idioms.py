"""Phrases and split verbs of a question read as the one word the sources use for them.

Dutch splits a verb in a main clause ("Welke gemeenten doen mee?", "Hoe vaak komt de werkgroep bij
elkaar?"), and a page says the same with one word ("Deelnemende gemeenten: …", "vijf
bijeenkomsten"). Word overlap and BM25 see no shared word; read with the sources' word, the
question finds the line that answers it. The phrases are data: rag/language/idioms.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

GAP_WORDS = 6  # words a split verb's parts may have between them ("komt de werkgroep … bij elkaar")
_GAP = rf"(?P<gap>(?:\s+[\w’'-]+){{0,{GAP_WORDS}}}?)\s+"


@dataclass(frozen=True)
class Idiom:
    """A question's phrases (``ask``, longest first) and the words the sources use (``say``)."""

    ask: tuple[re.Pattern[str], ...]
    say: tuple[str, ...]


def _form(form: str) -> re.Pattern[str]:
    """One phrase; "…" between a split verb's parts stands for the words between them."""
    pieces = [re.escape(piece.strip()) for piece in form.split("…")]
    return re.compile(r"\b" + (_GAP.join(pieces) if len(pieces) == 2 else pieces[0]) + r"\b", re.I)


def _load() -> tuple[Idiom, ...]:
    data = tomllib.loads(resources.files("rag.language").joinpath("idioms.toml").read_text(encoding="utf-8"))
    return tuple(
        Idiom(tuple(_form(f) for f in sorted(entry["ask"], key=len, reverse=True)), tuple(entry["say"]))
        for entry in data["idiom"]
    )


IDIOMS = _load()


def read_idioms(question: str) -> str:
    """The question with each phrase it holds replaced by the sources' first word for it, the
    words between a split verb's parts kept: "Hoe vaak komt de werkgroep bij elkaar?" → "Hoe vaak
    de werkgroep bijeenkomsten?"."""
    for idiom in IDIOMS:
        for form in idiom.ask:
            question = form.sub(_with_gap(idiom.say[0]), question)
    return question


def _with_gap(said: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        gap = match.groupdict().get("gap") or ""
        return f"{gap.strip()} {said}".strip()

    return replace


def idiom_words(question: str) -> str:
    """The sources' words for the phrases the question holds, to search by beside its own words."""
    return " ".join(" ".join(i.say) for i in IDIOMS if any(form.search(question) for form in i.ask))


def idiom_groups() -> tuple[tuple[str, ...], ...]:
    """The sources' words of each idiom: a sentence holding any of them covers the phrase."""
    return tuple(idiom.say for idiom in IDIOMS)
