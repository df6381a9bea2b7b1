"""Budget questions answered exactly from the budget records: the records, their store, reading a
budget question, and the replies. May import ``rag.schema``, ``rag.errors``, ``rag.language``,
``rag.store`` and ``rag.structure``.
"""
