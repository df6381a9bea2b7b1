"""The reader: everything that answers from a built index, and the record types ingest writes.

Holds the schema (documents, passages, budget records), the index as read, retrieval, the budget
answers, the document-structure answers, conversations and the answer flow. Imports nothing of
ingest, api, ui, evals or kis: the other packages build on it, never the reverse.
"""
