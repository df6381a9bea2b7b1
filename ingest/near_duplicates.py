"""Near-duplicate pages: a site often keeps an older and a newer version of one article under the
same title ("… in de klas" of 2022 and its 2025 update). Both indexed, both are cited side by side
and the older one reads as current; so only the newest of such a pair is indexed, and the other is
recorded as its duplicate. Pages are compared within the same title (which keeps this linear in the
size of the site) by the Jaccard overlap of their word trigrams."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from rag.schema import ParsedDocument

MIN_OVERLAP = 0.5  # Jaccard of word trigrams from which two pages are versions of one text
_WORD = re.compile(r"\w+")


def newest_versions(documents: Sequence[ParsedDocument]) -> tuple[list[ParsedDocument], dict[str, str]]:
    """The documents without the older versions of near-duplicates, and each dropped document's id
    with the id of the version kept. The work plan is never compared."""
    by_title: dict[str, list[ParsedDocument]] = defaultdict(list)
    for doc in documents:
        if doc.info.kind != "werkplan":
            by_title[" ".join(_WORD.findall(doc.info.title.lower()))].append(doc)
    dropped: dict[str, str] = {}
    for versions in by_title.values():
        newest_first = sorted(versions, key=lambda d: d.info.year or 0, reverse=True)
        for at, kept in enumerate(newest_first):
            if kept.info.id in dropped:
                continue
            for older in newest_first[at + 1 :]:
                if older.info.id not in dropped and _overlap(kept.text, older.text) >= MIN_OVERLAP:
                    dropped[older.info.id] = kept.info.id
    return [doc for doc in documents if doc.info.id not in dropped], dropped


def _overlap(a: str, b: str) -> float:
    first, second = _trigrams(a), _trigrams(b)
    return len(first & second) / len(first | second) if first and second else 0.0


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
