"""Language as data and the helpers that read it: Dutch numbers, the corpus vocabulary, word lists.

Holds the TOML word lists (English terms, Dutch synonyms). Imports only ``rag.schema`` and ``rag.errors``.
"""
