"""The corpus structure as the answerer reads it: the catalogue of parts, the outline, project parts
and steps, read from the passages' own headings and metadata. May import ``rag.schema`` and
``rag.language``.
"""
