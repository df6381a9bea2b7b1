"""Dutch text normalisation shared by the work-plan parser and the crawler's extractor.

PDF extractions break words at line ends (``vluchtach-\\ntergrond``) but also keep real hyphens at
line ends (``Verwey-\\nJonker``, ``migratie- of``). Which is which is decided with the document's own
vocabulary, so the rule needs no Dutch word list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

BULLET_GLYPHS = "\ufffd•●▪■◦·"
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_BULLET = re.compile(rf"^\s*[{BULLET_GLYPHS}]\s*")
_ENUMERATION = re.compile(r"^\s*(\d{1,2}|[a-z])\.\t\s*")  # "1.\t", "b.\t"
_FOOTNOTE = re.compile(r"^(\d{1,2})\t\s*")  # "3\t"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_WORD_END = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*$")
_LINE_BREAK_HYPHEN = re.compile(r"(\S*)-[ \t]*\n[ \t]*(\S+)")
_BROKEN_PAIR = re.compile(r"\S+-[ \t]*\n\s*\S+")
# After a suspended compound ("migratie- of vluchtachtergrond") the hyphen and the space stay.
_CONJUNCTIONS = frozenset({"of", "en", "tot", "en/of"})


def collapse_whitespace(text: str) -> str:
    """One space between words, no space at the ends; keeps no line breaks."""
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def normalize_unicode(text: str) -> str:
    """NFC, with soft hyphens and zero-width characters dropped."""
    text = unicodedata.normalize("NFC", text)
    return re.sub("[\u00ad\u200b\u200c\u200d\ufeff]", "", text)


def vocabulary(text: str) -> frozenset[str]:
    """The lowercased words of ``text``, leaving out the halves of words broken at a line end."""
    return frozenset(word.lower() for word in _WORD.findall(_BROKEN_PAIR.sub(" ", text)))


def join_hyphenated(left: str, right: str, vocab: Collection[str]) -> str:
    """Join ``left`` (ending in ``-`` at a line end) with the next line's first word ``right``.

    Joins a word broken by hyphenation, keeps the hyphen of a real compound and keeps ``- `` before
    a conjunction. The vocabulary decides first: a word that also occurs unbroken is joined, a
    compound that also occurs hyphenated keeps its hyphen.
    """
    stem = left[:-1]
    left_word = _WORD_END.search(stem)
    right_word = _WORD.match(right)
    if left_word is None or right_word is None:
        # "integratie(-kansen)", "2026-2029", or a lone dash: nothing to join.
        return f"{left} {right}" if not stem else f"{left}{right}"
    if right_word.group().lower() in _CONJUNCTIONS:
        return f"{left} {right}"
    head, tail = left_word.group(), right_word.group()
    if f"{head}{tail}".lower() in vocab:
        return f"{stem}{right}"
    last_part = head.rsplit("-", 1)[-1]
    if f"{head}-{tail}".lower() in vocab or len(last_part) == 1 or last_part.isupper() or tail[0].isupper():
        return f"{left}{right}"
    return f"{stem}{right}"


def join_lines(lines: Iterable[str], vocab: Collection[str]) -> str:
    """Wrapped lines as one line: hyphenation undone, whitespace collapsed."""
    out = ""
    for raw in lines:
        line = collapse_whitespace(raw)
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-"):
            left, _, rest = out.rpartition(" ")
            first, _, tail = line.partition(" ")
            joined = join_hyphenated(rest, first, vocab)
            out = " ".join(part for part in (left, joined, tail) if part)
        elif re.search(r"\S/$", out):
            out += line  # "en/" + "of", "gemeenten/" + "arbeidsmarktregio's"
        else:
            out += " " + line
    return out


def dehyphenate(text: str, vocab: Collection[str] | None = None) -> str:
    """Undo hyphenation at line ends anywhere in ``text`` (line breaks at joins are dropped)."""
    words = vocabulary(text) if vocab is None else vocab

    def join(match: re.Match[str]) -> str:
        return join_hyphenated(f"{match.group(1)}-", match.group(2), words)

    return _LINE_BREAK_HYPHEN.sub(join, text)


def bullet_item(line: str) -> str | None:
    """The text of a bullet line (``\\t� tekst``, ``• tekst``), or None when it is no bullet."""
    match = _BULLET.match(line)
    return line[match.end() :] if match else None


def normalize_bullets(text: str) -> str:
    """Every bullet glyph at the start of a line becomes a ``- `` list marker."""
    return "\n".join(
        f"- {item.strip()}" if (item := bullet_item(line)) is not None else line for line in text.split("\n")
    )


def list_marker(line: str) -> tuple[str, str] | None:
    """``(marker, text)`` of a list or footnote line in a PDF extraction: ``"- "`` for a bullet,
    ``"3. "`` for an enumeration item (number or letter, a dot, a tab), ``"[3] "`` for a footnote."""
    if (item := bullet_item(line)) is not None:
        return "- ", item
    if (m := _ENUMERATION.match(line)) is not None:
        return f"{m.group(1)}. ", line[m.end() :]
    if (m := _FOOTNOTE.match(line)) is not None:
        return f"[{m.group(1)}] ", line[m.end() :]
    return None


def soft_wrapped(line: str) -> bool:
    """Whether a raw line was wrapped mid-sentence: PDF extractions end a wrapped line with a space."""
    return line[-1:].isspace() and collapse_whitespace(line)[-1:] not in ".!?:;"


def word_continues(previous: str, following: str, vocab: Collection[str]) -> bool:
    """Whether ``following`` starts with the rest of a word hyphenated at the end of ``previous``
    (``evalu-`` / ``eren``), judged by the whole word occurring in the vocabulary."""
    head = re.search(r"([^\W\d_]+)-\s*$", previous)
    tail = re.match(r"\s*([^\W\d_]+)", following)
    return bool(
        head and tail and tail.group(1).islower() and (head.group(1) + tail.group(1)).lower() in vocab
    )
