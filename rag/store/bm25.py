"""Lexical retrieval: BM25 over Dutch-stemmed tokens, persisted beside the vector store.

Exact terms (project names, "Raad van advies", amounts) are where dense retrieval is weakest.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection, Sequence
from pathlib import Path

import bm25s
import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

from rag.errors import StoreError

logging.getLogger("bm25s").setLevel(logging.WARNING)

_STEMMER = Stemmer.Stemmer("dutch")
# The stock list lacks the subordinating conjunctions. Stemmed, "indien" (if) reads as "indienen"
# (to submit): "Wie kan een kennisvraag indienen?" matched every "indien nodig".
STOPWORDS = frozenset(STOPWORDS_DUTCH) | set(
    "indien mits tenzij zodra hoewel terwijl zodat doordat nadat voordat totdat opdat".split()
)
# A separable verb's infinitive with "te" is written apart: "in te dienen" is "indienen", "aan te
# pakken" is "aanpakken". No prefix in "om te" and "door te" ("in order to", "by"), nor in "waar …
# mee te maken hebben" ("to deal with").
_SPLIT_VERB = re.compile(r"\b(aan|af|bij|in|na|op|toe|uit|voor|terug|samen)\s+te\s+(?=[a-z]+en\b)", re.I)
_IDS_FILE = "ids.json"


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, Dutch stop words removed, Snowball-stemmed tokens; a separable verb whole."""
    tokens = bm25s.tokenize(
        [_SPLIT_VERB.sub(r"\1", text) for text in texts],
        stopwords=sorted(STOPWORDS),
        stemmer=_STEMMER,
        return_ids=False,
        show_progress=False,
    )
    return [list(t) for t in tokens]


class BM25Index:
    def __init__(self, retriever: bm25s.BM25, ids: list[str]) -> None:
        self._retriever = retriever
        self.ids = ids

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> BM25Index:
        retriever = bm25s.BM25()
        retriever.index(tokenize(texts), show_progress=False)
        return cls(retriever, list(ids))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(directory), show_progress=False)
        (directory / _IDS_FILE).write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        try:
            retriever = bm25s.BM25.load(str(directory), show_progress=False)
            ids = json.loads((directory / _IDS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise StoreError(f"BM25-index in {directory} is onleesbaar: {exc}") from exc
        return cls(retriever, ids)

    def search(self, query: str, k: int, ignore: Collection[str] = ()) -> list[tuple[str, float]]:
        """Best ``k`` chunk ids with their BM25 scores; only ids with a positive score. Stems in
        ``ignore`` (the words that ask rather than say what is asked) are left out of the query."""
        tokens = [t for t in tokenize([query])[0] if t in self._retriever.vocab_dict and t not in ignore]
        if not tokens or not self.ids:
            return []
        docs, scores = self._retriever.retrieve([tokens], k=min(k, len(self.ids)), show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
