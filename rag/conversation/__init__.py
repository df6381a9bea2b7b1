"""Conversations: their stored turns and pending clarification, and questions rewritten against them.

May import ``rag.schema``, ``rag.errors`` and ``rag.language``.
"""
