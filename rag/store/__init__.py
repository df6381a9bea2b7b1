"""The index as stored and read: build layout, Chroma, BM25, the embedding cache and the active build.

May import ``rag.schema``, ``rag.errors``, ``rag.embedders`` and ``rag.language``.
"""
