"""The text that gold evidence is checked against: one text file, or every document of the index.

The work-plan gold set quotes the work plan, one file. A gold set over the crawled knowledge guides
and dossiers quotes pages that exist only as crawled documents, so its evidence is checked against
the normalised texts of all documents in the current index build (the same texts citation offsets
point into), joined with blank lines.
"""

from __future__ import annotations

from pathlib import Path

from evals.errors import EvalError
from rag.errors import StoreError
from rag.store.index import current_build, read_build_info

INDEX_CORPUS = "index"  # ``--corpus index``: the documents of the current index


def file_corpus_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EvalError(f"Corpus {path} is niet te lezen: {exc}") from exc


def index_corpus_text(index_dir: Path) -> str:
    """Every document text of the current build, in build order; EvalError when there is none."""
    paths = current_build(index_dir)
    if paths is None:
        raise EvalError(f"Er is nog geen index in {index_dir}: voer eerst 'kis ingest' uit.")
    try:
        documents = read_build_info(paths).documents
    except StoreError as exc:
        raise EvalError(str(exc)) from exc
    texts = []
    for doc in documents:
        path = paths.docs / f"{doc['id']}.txt"
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise EvalError(f"Tekst van document {doc['id']} ontbreekt in de index: {exc}") from exc
    return "\n\n".join(texts)
