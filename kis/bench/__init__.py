"""Benchmarks (``kis bench``, ``make bench``): ingest, retrieval, answer latency, the API under load,
the crawl of a synthetic site. They wire real parts, so they live in the composition root.
"""
