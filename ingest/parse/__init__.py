"""Sources read into parsed documents: the work plan, HTML pages and PDFs, as blocks under headings.

May import ``rag`` only.
"""
