"""The HTTP service (FastAPI): routes, storage, limits, logs, metrics.

Gets its configuration (``api.config.ApiConfig``) and its parts (``api.config.AppParts``) from the
composition root. May import ``rag``, ``ingest`` and ``evals`` (it serves the evaluation dashboard).
"""
