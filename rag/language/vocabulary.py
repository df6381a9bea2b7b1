"""The corpus's own words: which words of a Dutch question the sources never use, and typo repair.

A content word the sources do not know in any form ("appeltaart", "klimaatverandering") means the
question is about something they do not cover, however close the embedding says it is. Dutch
inflects and compounds, so a word counts as known when a corpus word shares its beginning, when it
is a past participle of a known verb ("afgehandeld"), a compound of known parts, or a typo of one.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from importlib import resources

from wordfreq import zipf_frequency

from rag.schema import Chunk
from rag.store.bm25 import STOPWORDS

_WORD = re.compile(r"[a-zà-ÿ]+")
_STOP = STOPWORDS
_PREFIXES = ("af", "op", "aan", "in", "uit", "mee", "voor", "door", "over", "toe", "terug", "na", "bij")
_LETTERS = "abcdefghijklmnopqrstuvwxyzëéïö"
# English words with no Dutch look-alike and their Dutch words (data: rag/language/english_terms.toml).
ENGLISH_TERMS: dict[str, str] = tomllib.loads(
    resources.files("rag.language").joinpath("english_terms.toml").read_text(encoding="utf-8")
)["terms"]
_ENGLISH_TERM = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ENGLISH_TERMS), key=len, reverse=True)) + r")\b", re.I
)
_QUESTION_WORDS = tomllib.loads(
    resources.files("rag.language").joinpath("question_words.toml").read_text(encoding="utf-8")
)
# Words that open a question, in either language (data: rag/language/question_words.toml).
QUESTION_OPENERS = frozenset(w for words in _QUESTION_WORDS["openers"].values() for w in words)
# Words that make a question a comparison ("verschil", "meer … dan").
# Capitalised words that name nothing particular ("KIS", "Nederland"): no name a question asks about.
GENERAL_NAMES = frozenset(_QUESTION_WORDS["general_names"]["words"])
# Words that make a question ask for a list ("Wie zitten er in de Raad van advies?").
LIST_QUESTION = re.compile(r"\b(" + "|".join(_QUESTION_WORDS["list_question"]["words"]) + r")\b", re.I)
# What a question asks of a page itself ("Wie schreef …?", "Wanneer verscheen …?").
PAGE_FACTS = {fact: re.compile(pattern, re.I) for fact, pattern in _QUESTION_WORDS["page_facts"].items()}
MONTHS: dict[str, list[str]] = _QUESTION_WORDS["months"]


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b", re.I)


# Pages ordered by when they appeared ("de oudste publicatie", "nieuwer, A of B?").
PAGE_ORDER = {
    order: _words_pattern(words)
    for order, words in _QUESTION_WORDS["page_order"].items()
    if isinstance(words, list)
}
PAGE_KINDS = {kind: _words_pattern(words) for kind, words in _QUESTION_WORDS["page_order"]["kinds"].items()}
COMPARISON = re.compile(r"\b(" + "|".join(_QUESTION_WORDS["comparison"]["words"]) + r")\b", re.I)
# Words that end in a full stop without ending the sentence (data: rag/language/abbreviations.toml).
ABBREVIATIONS = frozenset(
    word
    for words in tomllib.loads(
        resources.files("rag.language").joinpath("abbreviations.toml").read_text(encoding="utf-8")
    )["abbreviations"].values()
    for word in words
)
COGNATE_PREFIX = 7  # letters an English word shares with a Dutch stem to count as its cognate
MIN_LONG = 8  # shorter words are mostly inflected forms of common words: not checked
MIN_FAR_TYPO = 10  # words this long may hold two typos and still be recognisable
FAR_TYPO_RATIO = 0.85  # difflib similarity a two-typo word keeps to the word meant
COMMON_ZIPF = 5.0  # Zipf frequency in Dutch (wordfreq) from which a word is everyday language
MIN_PREFIX = 5


class CorpusWords:
    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self._prefixes = frozenset(w[:k] for w in self.words for k in range(MIN_PREFIX, len(w) + 1))
        self._suffixes = frozenset(w[-k:] for w in self.words for k in range(MIN_PREFIX, len(w) + 1))
        zipf_frequency("kis", "nl")  # loads the Dutch frequencies now, not on the first question

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> CorpusWords:
        return cls(w for chunk in chunks for w in _WORD.findall(chunk.embed_text.lower()))

    def unknown(self, question: str) -> list[str]:
        """Long content words of the question the corpus has in no form, not even as a typo. A word
        everyday Dutch uses all the time ("allemaal", "tegenwoordig") names no topic, whether or
        not the sources happen to use it."""
        words = [w for w in _WORD.findall(question.lower()) if len(w) >= MIN_LONG and w not in _STOP]
        return [
            w
            for w in words
            if not self.knows(w) and self._typo_of(w) is None and zipf_frequency(w, "nl") < COMMON_ZIPF
        ]

    def knows(self, word: str) -> bool:
        return any(self._stem_known(form) for form in _participle_forms(word)) or self._compound(word)

    def correct(self, text: str) -> str:
        """The text with each long word the corpus has in no form, but has at one edit's distance,
        replaced by that corpus word ("niewsbrief" → "nieuwsbrief"), so matching sees past the typo.
        Short words are left alone: their one-edit neighbours are mostly other real words."""

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            lower = word.lower()
            if len(lower) < MIN_LONG or lower in _STOP or self.knows(lower):
                return word
            return self._typo_of(lower) or word

        return re.sub(r"[A-Za-zà-ÿ]+", fix, text)

    def _typo_of(self, word: str) -> str | None:
        """The corpus word one edit away; for a long word, also the closest one a little further
        ("instutioneel" → "institutioneel": two letters dropped)."""
        if (near := next((c for c in _edits(word) if c in self.words), None)) is not None:
            return near
        if len(word) < MIN_FAR_TYPO:
            return None
        alike = [w for w in self.words if abs(len(w) - len(word)) <= 2 and w[0] == word[0]]
        return next(iter(difflib.get_close_matches(word, alike, n=1, cutoff=FAR_TYPO_RATIO)), None)

    def _stem_known(self, word: str) -> bool:
        return word in self.words or word[: max(MIN_PREFIX, len(word) - 4)] in self._prefixes

    def _compound(self, word: str) -> bool:
        """Two known parts: a corpus word or word beginning, then a corpus word or word ending."""
        for cut in range(3, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            if (head in self.words or head in self._prefixes) and (
                tail in self.words or tail in self._suffixes or tail.removeprefix("s") in self.words
            ):
                return True
        return False


def _participle_forms(word: str) -> list[str]:
    """The word, and without the "ge" of a past participle (after a separable prefix)."""
    forms = [word]
    for prefix in ("", *_PREFIXES):
        if word.startswith(prefix + "ge") and len(word) > len(prefix) + 5:
            forms.append(prefix + word[len(prefix) + 2 :])
    return forms


def _edits(word: str) -> list[str]:
    """Every string one deletion, substitution, insertion or transposition away, in that order."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return deletes + transposes + replaces + inserts


def to_dutch_terms(text: str) -> str:
    """The text with the field's English terms followed by their Dutch words ("labour market
    arbeidsmarkt"), for matching English questions against Dutch titles."""
    return _ENGLISH_TERM.sub(lambda m: f"{m.group(0)} {ENGLISH_TERMS[m.group(0).lower()]}", text)


def dutch_terms(text: str) -> str:
    """Only the Dutch words of the field's English terms the text uses: what an English question
    asks about, in the sources' words, without its English words that English notes in the
    sources may happen to share ("Dutch", "general")."""
    return " ".join(ENGLISH_TERMS[m.group(0).lower()] for m in _ENGLISH_TERM.finditer(text))
