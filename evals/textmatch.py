"""How the harness compares texts: one normalisation and three matching rules, used by every metric.

Normalisation (``normalize``): NFC; soft hyphens and zero-width characters dropped; PDF bullet glyphs
and typographic quotes made plain; a word hyphenated across a line break joined (``vluchtach-\\ntergrond``
→ ``vluchtachtergrond``; before a capital or digit the hyphen stays: ``Verwey-\\nJonker`` →
``Verwey-Jonker``; a hyphen followed by a space is a shortened compound and stays: ``migratie- \\nof``
→ ``migratie- of``); whitespace collapsed; case folded.

Snippet rule (``snippet_coverage``): a snippet is compared word by word, punctuation around words
ignored (``words``). A snippet word counts as covered by a passage when it lies in a run of at least
``MIN_RUN`` consecutive snippet words (the whole snippet when it is shorter) that occurs verbatim in
the passage. A passage *holds* a snippet when it covers ≥ 80 % of its words and every word with a
digit in it (figures must match exactly); a set of passages holds it when their covered words
together do — so a snippet cut in two by a chunk boundary still counts once both halves are present.

Answer rule (``contains_required``): case- and whitespace-insensitive substring, ``a|b`` meaning either.
Numbers are compared as numbers: ``121.461``, ``121461``, ``€ 121.461`` and ``€121,461`` are one
value, and a number never matches inside a longer one (``132`` is not found in ``1.326.564``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MIN_RUN = 4
HOLD_FRACTION = 0.8

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\ufeff]")
_BULLETS = re.compile("[\ufffd•●▪■◦]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'})
_HYPHEN_BREAK = re.compile(r"(\w)-([ \t]*)\n\s*(\w)")
_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})+(?![\d]|[.,]\d)|\d+")
_EURO = re.compile(r"€|\beur\b|\beuro\b")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_MATCH_WORD = re.compile(r"[^\W_]+(?:[.,'’&-][^\W_]+)*|[€%&]")  # "junior/medior": two words

# Words too common to identify an option; ignored when options are compared.
_STOPWORD_TEXT = (
    "de het een en of van voor op in met aan bij naar over om te is zijn wat welk welke wie hoe "
    "the a an and or of for on in with to at by is are what which who how"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def normalize(text: str) -> str:
    """The comparison form of a text (see the module docstring)."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text).translate(_QUOTES)
    text = _BULLETS.sub(" ", text)
    text = _HYPHEN_BREAK.sub(_join_hyphenated, text)
    return _WS.sub(" ", text).strip().casefold()


def _join_hyphenated(m: re.Match[str]) -> str:
    before, space, after = m[1], m[2], m[3]
    if not (before.isalpha() and after.islower()):
        return f"{before}-{after}"  # Verwey-\nJonker, Project- \nAssistent
    return (
        f"{before}- {after}" if space else f"{before}{after}"
    )  # migratie- \nof vlucht… vs vluchtach-\ntergrond


def words(text: str) -> list[str]:
    """The normalised words of a text without surrounding punctuation ('kennis,' → 'kennis');
    punctuation inside a word or number stays ('1.326.564', 'verwey-jonker', "pabo's"); a slash
    parts words, so "Junior/ medior" broken over a line matches "Junior/medior"."""
    return _MATCH_WORD.findall(normalize(text))


def covered_positions(passage: str, snippet: str) -> set[int]:
    """Indices of the snippet's words that lie in a verbatim run of ≥ MIN_RUN words in the passage."""
    words_ = words(snippet)
    haystack = f" {' '.join(words(passage))} "
    run = min(MIN_RUN, len(words_))
    covered: set[int] = set()
    start = 0
    while start + run <= len(words_):
        end = start + run
        if f" {' '.join(words_[start:end])} " not in haystack:
            start += 1
            continue
        while end < len(words_) and f" {' '.join(words_[start : end + 1])} " in haystack:
            end += 1
        covered.update(range(start, end))
        start = end
    return covered


def enough(covered: set[int], snippet_words: list[str]) -> bool:
    """Whether covered word positions hold a snippet: ≥ 80 % of its words and every figure in it."""
    figures = {i for i, w in enumerate(snippet_words) if any(c.isdigit() for c in w)}
    return bool(snippet_words) and len(covered) >= HOLD_FRACTION * len(snippet_words) and figures <= covered


def snippet_coverage(passage: str, snippet: str) -> float:
    """Fraction of the snippet's words covered by the passage (0.0 for an empty snippet)."""
    n = len(words(snippet))
    return len(covered_positions(passage, snippet)) / n if n else 0.0


def holds(passage: str, snippet: str) -> bool:
    """True when the passage on its own holds the snippet (see ``enough``)."""
    return enough(covered_positions(passage, snippet), words(snippet))


def held_by_union(passages: Iterable[str], snippet: str) -> bool:
    """True when the passages together hold the snippet, e.g. one cut in two by a chunk boundary."""
    snippet_words = words(snippet)
    covered: set[int] = set()
    for passage in passages:
        covered |= covered_positions(passage, snippet)
        if enough(covered, snippet_words):
            return True
    return False


def canonical_numbers(text: str) -> str:
    """Normalised text with the euro sign dropped and every number written as plain digits."""
    text = _EURO.sub(" ", normalize(text))
    text = _NUMBER.sub(lambda m: re.sub(r"[.,]", "", m[0]), text)
    return _WS.sub(" ", text).strip()


def contains_required(answer: str, required: str) -> bool:
    """True when the answer holds one of the ``|``-separated alternatives of ``required``."""
    haystack = canonical_numbers(answer)
    for alternative in required.split("|"):
        needle = canonical_numbers(alternative)
        if needle and re.search(rf"(?<!\d){re.escape(needle)}(?!\d)", haystack):
            return True
    return False


def tokens(text: str) -> set[str]:
    """Content words of a text: normalised, numbers canonical, stop words left out."""
    return {w for w in _WORD.findall(canonical_numbers(text)) if w not in STOPWORDS}


def option_matches(gold: str, offered: str) -> bool:
    """Whether an offered option label stands for a gold option (fuzzy, documented rule).

    When the gold option names numbers (a project number, an amount), the label must name all of
    them and share a word besides; otherwise the labels must share at least half their content
    words by the Dice coefficient, or the label must hold every gold word.
    """
    g, o = tokens(gold), tokens(offered)
    if not g or not o:
        return False
    numbers = {t for t in g if t.isdigit()}
    if numbers:
        return numbers <= o and bool((g - numbers) & o or g == numbers)
    shared = len(g & o)
    return shared == len(g) or 2 * shared / (len(g) + len(o)) >= 0.5
