"""The crawler: polite fetching, robots and sitemaps, crawl state, and what it keeps of each page.

May import ``ingest.parse`` and ``rag``.
"""
