"""Hybrid retrieval over an opened index: dense and BM25 candidates fused, with metadata filters.

May import ``rag.store``, ``rag.schema``, ``rag.embedders`` and ``rag.language``.
"""
