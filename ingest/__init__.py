"""The writer: sources fetched, parsed, chunked, embedded and stored as a new index build.

``pipeline`` wires the flow. May import ``rag`` (the schema and stores it writes), never api, ui,
evals or kis.
"""
