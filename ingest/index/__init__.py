"""Chunking parsed documents into passages, and writing a new index build aside before it is swapped in.

May import ``rag`` only.
"""
